import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dense } from '../core/dense.js';
import * as regularizers from '../regularizers/index.js';
import '../register.js';
import { Input, InputLayer } from './input-layer.js';
import { getKerasMask } from './keras-mask.js';
import { Layer } from './layer.js';
import { toSnakeCase } from './naming.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import type { CallArgs, Shape } from './types.js';
import type { LayerVariable } from './variable.js';

beforeAll(() => ensureBackend());

class Scale extends Layer {
  static override className = 'Scale';
  w: LayerVariable | null = null;
  buildCount = 0;
  override build(inputShape: Shape | Shape[]): void {
    this.buildCount++;
    const shape = inputShape as Shape;
    this.w = this.addWeight({ name: 'w', shape: [shape[1] as number], initializer: 'ones' });
    this.addWeight({ name: 'count', shape: [], initializer: 'zeros', trainable: false });
  }
  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return tf.mul(inputs as tf.Tensor, (this.w as LayerVariable).read());
  }
}

class Block extends Layer {
  inner = new Dense({ units: 2, kernelInitializer: 'ones' });
  scale = new Scale();
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.scale.apply(this.inner.apply(inputs as tf.Tensor) as tf.Tensor) as tf.Tensor;
  }
}

describe('Layer naming', () => {
  it('snake-cases class names like Keras', () => {
    expect(toSnakeCase('Conv2D')).toBe('conv2d');
    expect(toSnakeCase('Conv2DTranspose')).toBe('conv2d_transpose');
    expect(toSnakeCase('BatchNormalization')).toBe('batch_normalization');
    expect(toSnakeCase('LSTM')).toBe('lstm');
    expect(toSnakeCase('SpatialDropout1D')).toBe('spatial_dropout1d');
    expect(toSnakeCase('GlobalAveragePooling2D')).toBe('global_average_pooling2d');
  });

  it('gives per-class unique names dense, dense_1, ...', () => {
    const a = new Scale();
    const b = new Scale();
    const suffix = (n: string) => Number(n.split('_')[1] ?? 0);
    expect(a.name.startsWith('scale')).toBe(true);
    expect(suffix(b.name)).toBe(suffix(a.name) + 1);
    expect(new Scale({ name: 'mine' }).name).toBe('mine');
  });
});

describe('Layer weights', () => {
  it('builds once on first concrete call and orders weights trainable first', () => {
    const layer = new Scale();
    const x = tf.tensor2d([[1, 2, 3]]);
    expect(layer.apply(x)).toBeAllclose([[1, 2, 3]]);
    layer.apply(x);
    expect(layer.buildCount).toBe(1);
    expect(layer.weights.map((w) => w.path)).toEqual([`${layer.name}/w`, `${layer.name}/count`]);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['w']);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['count']);
    expect(layer.countParams()).toBe(4);
  });

  it('trainable=false propagates to sublayers and their variables', () => {
    const block = new Block();
    block.apply(tf.ones([1, 3]));
    expect(block.trainableWeights.map((w) => w.name)).toEqual(['kernel', 'bias', 'w']);
    block.trainable = false;
    expect(block.trainableWeights).toEqual([]);
    expect(block.nonTrainableWeights).toHaveLength(4);
    expect(block.inner.trainable).toBe(false);
    expect(block.inner.kernel?.value.trainable).toBe(false);
    block.trainable = true;
    expect(block.trainableWeights).toHaveLength(3);
    expect(block.nonTrainableWeights.map((w) => w.name)).toEqual(['count']);
  });

  it('setWeights checks count and shapes and names the layer', () => {
    const layer = new Dense({ units: 2, name: 'd' });
    layer.build([null, 3]);
    expect(() => layer.setWeights([tf.zeros([3, 2])])).toThrow(/"d" expected 2 weights/);
    expect(() => layer.setWeights([tf.zeros([2, 3]), tf.zeros([2])])).toThrow(
      /"d" weight "kernel" has shape \(3, 2\), but setWeights received an array of shape \(2, 3\)/,
    );
    layer.setWeights([tf.ones([3, 2]), [5, 6]]);
    const [k, b] = layer.getWeights();
    expect(k).toBeAllclose(tf.ones([3, 2]));
    expect(b).toBeAllclose([5, 6]);
  });

  it('countParams before build is an error', () => {
    expect(() => new Dense({ units: 2, name: 'nb' }).countParams()).toThrow(/"nb".*isn't built/);
  });
});

describe('Layer.apply on symbolic tensors', () => {
  it('returns SymbolicTensors with shape, dtype and kerasHistory, and records Nodes', () => {
    const x = Input({ shape: [4], name: 'x_in' });
    expect(x.shape).toEqual([null, 4]);
    const inputLayer = x.kerasHistory?.layer as InputLayer;
    expect(inputLayer).toBeInstanceOf(InputLayer);
    const d = new Dense({ units: 3 });
    const y = d.apply(x) as SymbolicTensor;
    expect(y).toBeInstanceOf(SymbolicTensor);
    expect(y.shape).toEqual([null, 3]);
    expect(y.dtype).toBe('float32');
    expect(y.kerasHistory).toEqual({ layer: d, nodeIndex: 0, tensorIndex: 0 });
    expect(d.inboundNodes[0]?.inboundLayers).toEqual([inputLayer]);
    expect(inputLayer.outboundNodes).toEqual([d.inboundNodes[0]]);
  });

  it('shares one set of weights across calls (several inbound nodes)', () => {
    const a = Input({ shape: [4] });
    const b = Input({ shape: [4] });
    const shared = new Dense({ units: 2 });
    const ya = shared.apply(a) as SymbolicTensor;
    const yb = shared.apply(b) as SymbolicTensor;
    expect(shared.inboundNodes).toHaveLength(2);
    expect(ya.kerasHistory?.nodeIndex).toBe(0);
    expect(yb.kerasHistory?.nodeIndex).toBe(1);
    expect(shared.weights).toHaveLength(2);
  });

  it('string inputs keep their dtype', () => {
    const s = Input({ shape: [2], dtype: 'string' });
    expect(s.dtype).toBe('string');
    const out = new InputLayer({ shape: [2], dtype: 'string' }).apply(tf.tensor([['a', 'b']]));
    expect((out as tf.Tensor).dtype).toBe('string');
  });

  it('infers output shapes of custom layers by running call', () => {
    const x = Input({ shape: [3] });
    const y = new Scale().apply(x) as SymbolicTensor;
    expect(y.shape).toEqual([null, 3]);
  });

  it('rejects a wrong last dimension naming the layer and shapes', () => {
    const d = new Dense({ units: 2, name: 'fixed_in' });
    d.apply(Input({ shape: [4] }));
    expect(() => d.apply(Input({ shape: [5] }))).toThrow(
      /layer "fixed_in".*expected axis -1 of input shape to have value 4.*\(None, 5\)/,
    );
    expect(() => d.apply(tf.zeros([3]))).toThrow(/expected min_ndim=2, found ndim=1/);
  });
});

describe('Layer losses and masks', () => {
  it('collects weight regularizer penalties and activity losses', () => {
    const d = new Dense({
      units: 2,
      kernelInitializer: 'ones',
      kernelRegularizer: regularizers.l2(0.5),
      activityRegularizer: regularizers.l1(0.1),
    });
    d.apply(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    // activity: 0.1 * sum(|[[3,3],[7,7]]|) / batch 2 = 1.0; kernel: 0.5 * 4 = 2.0
    const losses = d.losses.map((t) => t.dataSync()[0]);
    expect(losses).toHaveLength(2);
    expect(losses[0]).toBeCloseTo(1.0, 5);
    expect(losses[1]).toBeCloseTo(2.0, 5);
    d.apply(tf.tensor2d([[1, 1]]));
    expect(d.losses).toHaveLength(2);
  });

  it('addLoss from a sublayer shows in the parent and is cleared by the next outer call', () => {
    class Lossy extends Layer {
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        this.addLoss(tf.scalar(3));
        return inputs as tf.Tensor;
      }
    }
    class Outer extends Layer {
      sub = new Lossy();
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return this.sub.apply(inputs as tf.Tensor) as tf.Tensor;
      }
    }
    const o = new Outer();
    o.apply(tf.ones([1, 1]));
    o.apply(tf.ones([1, 1]));
    expect(o.losses.map((t) => t.dataSync()[0])).toEqual([3]);
  });

  it('propagates masks through layers that support masking', () => {
    class MakeMask extends Layer {
      override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.notEqual(inputs as tf.Tensor, 0);
      }
    }
    const x = tf.tensor2d([[0, 1]]);
    const masked = new MakeMask().apply(x) as tf.Tensor;
    expect(getKerasMask(masked)).toBeAllclose([[0, 1]]);
    const d = new Dense({ units: 1 });
    const seen: unknown[] = [];
    const orig = d.call.bind(d);
    d.call = (inputs, args = {}) => {
      seen.push(args.mask);
      return orig(inputs, args);
    };
    const y = d.apply(masked) as tf.Tensor;
    expect(seen[0]).toBe(getKerasMask(masked));
    expect(getKerasMask(y)).toBe(getKerasMask(masked));
  });
});

describe('Layer config', () => {
  it('writes Keras 3 base keys and rebuilds from a Keras 2 style config', () => {
    const d = new Dense({ units: 3, name: 'out', trainable: false });
    const config = d.getConfig();
    expect(config.name).toBe('out');
    expect(config.trainable).toBe(false);
    expect(config.dtype).toEqual({
      module: 'keras',
      class_name: 'DTypePolicy',
      config: { name: 'float32' },
      registered_name: null,
    });
    const k2 = Dense.fromConfig({
      name: 'k2',
      units: 4,
      dtype: 'float32',
      batch_input_shape: [null, 7],
      activation: 'relu',
      kernel_initializer: {
        class_name: 'VarianceScaling',
        config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
      },
    });
    expect(k2.units).toBe(4);
    expect(k2.batchInputShape).toEqual([null, 7]);
    expect(k2.getConfig().kernel_initializer).toEqual({
      module: 'keras.initializers',
      class_name: 'VarianceScaling',
      config: {
        seed: null,
        scale: 1,
        mode: 'fan_avg',
        distribution: 'uniform',
        input_axes: null,
        output_axes: null,
      },
      registered_name: null,
    });
  });

  it('InputLayer writes Keras 3 batch_shape', () => {
    const layer = new InputLayer({ shape: [5], dtype: 'int32', name: 'tokens' });
    expect(layer.getConfig()).toEqual({
      batch_shape: [null, 5],
      dtype: 'int32',
      sparse: false,
      ragged: false,
      name: 'tokens',
      optional: false,
    });
    const back = InputLayer.fromConfig(layer.getConfig());
    expect(back.batchShape).toEqual([null, 5]);
    expect(back.inputDtype).toBe('int32');
  });
});
