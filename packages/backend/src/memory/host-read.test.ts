import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { hostRead, withValuesReadAhead } from './host-read.js';

describe('hostRead / withValuesReadAhead', () => {
  beforeAll(() => ensureBackend('wasm'));

  it('serves read-ahead values without a synchronous read, and reads synchronously outside', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.variable(tf.tensor1d([4, 5]));
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
      throw new Error('synchronous read');
    });
    let inside: number[][] = [];
    try {
      inside = await withValuesReadAhead([a, b], () => [
        Array.from(hostRead(a) as Float32Array),
        Array.from(hostRead(b) as Float32Array),
      ]);
      expect(() => hostRead(a)).toThrow('synchronous read');
    } finally {
      spy.mockRestore();
    }
    expect(inside).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(Array.from(hostRead(a) as Float32Array)).toEqual([1, 2, 3]);
    tf.dispose([a, b]);
  });

  it('keeps the outer scope values when a nested scope ends', async () => {
    const a = tf.tensor1d([7]);
    await withValuesReadAhead([a], async () => {
      await withValuesReadAhead([a], () => {});
      const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
        throw new Error('synchronous read');
      });
      try {
        expect(Array.from(hostRead(a) as Float32Array)).toEqual([7]);
      } finally {
        spy.mockRestore();
      }
    });
    a.dispose();
  });
});
