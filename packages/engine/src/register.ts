// Registers the model classes so configs (nested models, saved files) can name them. Listed in
// `sideEffects`; the package index imports it.
import { registerBuiltin } from '@keras-ts/layers';
import { Functional, Model } from './model.js';
import { Sequential } from './sequential.js';

registerBuiltin('layers', Functional);
registerBuiltin('layers', Sequential);
registerBuiltin('layers', Model);
