import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { Config, Shape } from '../engine/types.js';
import type { LayerVariable } from '../engine/variable.js';
import { registerKerasSerializable } from '../serialization/registry.js';
import { runLayerTest } from './index.js';

beforeAll(() => ensureBackend());

class Leaky extends Layer {
  static override className = 'Leaky';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = inputs as tf.Tensor;
    tf.add(x, 1); // an intermediate nobody disposes
    return tf.mul(x, 2);
  }
}

class DeadWeight extends Layer {
  static override className = 'DeadWeight';
  w: LayerVariable | null = null;
  override build(_shape: Shape | Shape[]): void {
    this.w = this.addWeight({ name: 'w', shape: [1], initializer: 'ones' });
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.mul(inputs as tf.Tensor, 2);
  }
}

class WrongShape extends Layer {
  static override className = 'WrongShape';
  readonly units: number;
  constructor(args: LayerArgs & { units?: number } = {}) {
    super(args);
    this.units = args.units ?? 2;
  }
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [(inputShape as Shape)[0] ?? null, this.units + 1];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tile(inputs as tf.Tensor, [1, this.units]);
  }
  override getConfig(): Config {
    return { ...super.getConfig(), units: this.units };
  }
}

for (const cls of [Leaky, DeadWeight, WrongShape])
  registerKerasSerializable(cls, { package: 'harness_test' });

describe('runLayerTest catches broken layers', () => {
  it('a call that leaks an intermediate tensor', () => {
    expect(() => runLayerTest(Leaky, { initArgs: {}, inputShape: [2, 3] })).toThrow(
      /runLayerTest\(Leaky\): a call left 1 intermediate tensor\(s\) undisposed/,
    );
  });

  it('trainable weights that a gradient step cannot move', () => {
    expect(() => runLayerTest(DeadWeight, { initArgs: {}, inputShape: [2, 3] })).toThrow(
      /runLayerTest\(DeadWeight\): no gradient for/,
    );
  });

  it('a symbolic output shape that disagrees with expectations, and wrong weight counts', () => {
    expect(() =>
      runLayerTest(WrongShape, {
        initArgs: { units: 2 },
        inputShape: [2, 3],
        expectedOutputShape: [2, 6],
      }),
    ).toThrow(/symbolic output shape \[2,3\], expected \[2,6\]/);
    expect(() =>
      runLayerTest(Leaky, {
        initArgs: {},
        inputShape: [2, 3],
        expectedNumTrainableWeights: 1,
        checkLeaks: false,
      }),
    ).toThrow(/0 trainable weights, expected 1/);
  });
});
