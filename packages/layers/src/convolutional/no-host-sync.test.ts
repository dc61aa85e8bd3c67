/**
 * The layers of the CNN hot path must not read tensors back to the host in `call` (dataSync /
 * arraySync stall the pipeline on GPU backends). Counts the engine's readSync, which every host
 * read goes through; kernels reading their own inputs inside the backend (wasm's Slice takes a
 * view of the wasm heap that way) are not host syncs and are not counted.
 */
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../register.js';
import type { Layer } from '../engine/layer.js';
import { BatchNormalization } from '../normalization/batch-normalization.js';
import { GroupNormalization } from '../normalization/group-normalization.js';
import { LayerNormalization } from '../normalization/layer-normalization.js';
import { AveragePooling2D } from '../pooling/average-pooling2d.js';
import { GlobalAveragePooling2D } from '../pooling/global-average-pooling2d.js';
import { MaxPooling2D } from '../pooling/max-pooling2d.js';
import { MaxPooling3D } from '../pooling/max-pooling3d.js';
import { UpSampling2D } from '../reshaping/up-sampling2d.js';
import { ZeroPadding2D } from '../reshaping/zero-padding2d.js';
import { Conv2D } from './conv2d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Conv3DTranspose } from './conv3d-transpose.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { SeparableConv2D } from './separable-conv2d.js';

beforeAll(() => ensureBackend());

function countReads(fn: () => void): number {
  const engine = tf.engine() as unknown as { readSync: (id: unknown) => unknown };
  const original = engine.readSync;
  let reads = 0;
  engine.readSync = (id) => {
    reads++;
    return original.call(engine, id);
  };
  try {
    fn();
  } finally {
    engine.readSync = original;
  }
  return reads;
}

const layers: [string, () => Layer, number[]][] = [
  [
    'Conv2D',
    () => new Conv2D({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
    [2, 8, 8, 3],
  ],
  [
    'Conv2D channels_first',
    () => new Conv2D({ filters: 4, kernelSize: 3, dataFormat: 'channels_first' }),
    [2, 3, 8, 8],
  ],
  [
    'Conv2DTranspose',
    () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
    [2, 4, 4, 3],
  ],
  [
    'Conv3DTranspose',
    () => new Conv3DTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
    [1, 3, 3, 3, 2],
  ],
  [
    'DepthwiseConv2D',
    () => new DepthwiseConv2D({ kernelSize: 3, activation: 'relu6' }),
    [2, 6, 6, 3],
  ],
  [
    'SeparableConv2D',
    () => new SeparableConv2D({ filters: 4, kernelSize: 3, activation: 'tanh' }),
    [2, 6, 6, 3],
  ],
  ['MaxPooling2D', () => new MaxPooling2D(), [2, 6, 6, 3]],
  ['MaxPooling3D', () => new MaxPooling3D({ padding: 'same' }), [1, 3, 5, 5, 2]],
  ['AveragePooling2D', () => new AveragePooling2D({ poolSize: 3, padding: 'same' }), [2, 6, 6, 3]],
  ['GlobalAveragePooling2D', () => new GlobalAveragePooling2D(), [2, 6, 6, 3]],
  ['ZeroPadding2D', () => new ZeroPadding2D(), [2, 6, 6, 3]],
  ['UpSampling2D bilinear', () => new UpSampling2D({ interpolation: 'bilinear' }), [2, 4, 4, 3]],
  ['BatchNormalization', () => new BatchNormalization(), [4, 6, 6, 3]],
  ['LayerNormalization', () => new LayerNormalization(), [4, 6, 3]],
  ['GroupNormalization', () => new GroupNormalization({ groups: 3 }), [4, 6, 6]],
];

describe('no host reads in call()', () => {
  for (const [name, make, shape] of layers) {
    it(name, () => {
      const layer = make();
      const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
      layer.apply(x);
      // The spy must see a host read when there is one.
      expect(countReads(() => x.dataSync())).toBe(1);
      for (const training of [false, true]) {
        let y: tf.Tensor | undefined;
        expect(
          countReads(() => {
            y = layer.apply(x, { training }) as tf.Tensor;
          }),
        ).toBe(0);
        y?.dispose();
      }
    });
  }
});
