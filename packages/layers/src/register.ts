// Registers the built-in classes so configs can name them. Listed in `sideEffects`; the package
// index imports it. One line per class: append new layers at the end of their block.
import { BUILTIN_ACTIVATIONS, hardSigmoidV2 } from './activations/index.js';
import { BUILTIN_CONSTRAINTS } from './constraints/index.js';
import { Dense } from './core/dense.js';
import { InputLayer } from './engine/input-layer.js';
import { Layer } from './engine/layer.js';
import { BUILTIN_INITIALIZERS } from './initializers/index.js';
import { BUILTIN_REGULARIZERS } from './regularizers/index.js';
import { registerBuiltin } from './serialization/registry.js';

// Keras 2's hard_sigmoid first, so the name itself resolves to Keras 3's below.
registerBuiltin('activations', hardSigmoidV2, 'hard_sigmoid');
for (const [name, fn] of Object.entries(BUILTIN_ACTIVATIONS))
  registerBuiltin('activations', fn, name);
for (const cls of BUILTIN_INITIALIZERS) registerBuiltin('initializers', cls);
for (const cls of BUILTIN_REGULARIZERS) registerBuiltin('regularizers', cls);
for (const cls of BUILTIN_CONSTRAINTS) registerBuiltin('constraints', cls);

// Layers.
registerBuiltin('layers', Layer);
registerBuiltin('layers', InputLayer);
registerBuiltin('layers', Dense);
