import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Dense } from '../core/dense.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { Config } from '../engine/types.js';
import { runLayerTest } from '../testing/index.js';
import {
  deserializeKerasObject,
  getRegisteredClass,
  getRegisteredName,
  registerKerasSerializable,
  serializeKerasObject,
  withCustomObjects,
} from './registry.js';

beforeAll(() => ensureBackend());

class Scaler extends Layer {
  static override className = 'Scaler';
  readonly factor: number;
  constructor(args: LayerArgs & { factor?: number } = {}) {
    super(args);
    this.factor = args.factor ?? 2;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(inputs as tf.Tensor, this.factor);
  }
  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

class Unregistered extends Scaler {
  static override className = 'Unregistered';
}

describe('registry', () => {
  it('a registered custom layer serializes with registered_name "package>Name" and loads back', () => {
    registerKerasSerializable(Scaler, { package: 'my_pkg' });
    expect(getRegisteredName(Scaler)).toBe('my_pkg>Scaler');
    const s = serializeKerasObject(new Scaler({ factor: 3, name: 's' })) as Config;
    expect(s).toMatchObject({
      class_name: 'Scaler',
      registered_name: 'my_pkg>Scaler',
      module: 'my_pkg',
    });
    const back = deserializeKerasObject(s) as Scaler;
    expect(back).toBeInstanceOf(Scaler);
    expect(back.factor).toBe(3);
    expect(getRegisteredClass('Scaler')).toBe(Scaler);
    runLayerTest(Scaler, {
      initArgs: { factor: 4 },
      inputData: tf.tensor1d([1, 2]),
      expectedOutput: [4, 8],
    });
  });

  it('built-ins are found by class name, in both dialects, per family', () => {
    expect(getRegisteredClass('Dense', { kind: 'layers' })).toBe(Dense);
    const d = deserializeKerasObject(
      { class_name: 'Dense', config: { units: 2, name: 'k2' } },
      { kind: 'layers' },
    );
    expect(d).toBeInstanceOf(Dense);
    // 'Identity' is both a layer and an initializer in Keras: the module or kind decides.
    const init = deserializeKerasObject({
      module: 'keras.initializers',
      class_name: 'Identity',
      config: {},
      registered_name: null,
    });
    expect((init as { constructor: { className: string } }).constructor.className).toBe('Identity');
    expect(init).not.toBeInstanceOf(Layer);
    expect(
      deserializeKerasObject({
        module: 'keras.layers',
        class_name: 'Identity',
        config: {},
        registered_name: null,
      }),
    ).toBeInstanceOf(Layer);
  });

  it('customObjects and withCustomObjects scopes resolve unregistered classes', () => {
    const config = { class_name: 'Unregistered', config: { factor: 5 } };
    expect(() => deserializeKerasObject(config, { kind: 'layers' })).toThrow(
      /Could not locate layer "Unregistered".*Dense.*registerKerasSerializable\(MyClass, \{ package: 'my_package' \}\).*customObjects/s,
    );
    expect(deserializeKerasObject(config, { customObjects: { Unregistered } })).toBeInstanceOf(
      Unregistered,
    );
    const scoped = withCustomObjects({ Unregistered }, () =>
      deserializeKerasObject(config, { kind: 'layers' }),
    );
    expect((scoped as Unregistered).factor).toBe(5);
  });

  it('unregistered functions cannot be serialized', () => {
    expect(() => serializeKerasObject((x: number) => x)).toThrow(/neither built in nor registered/);
  });
});
