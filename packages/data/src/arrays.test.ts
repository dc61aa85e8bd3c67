import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrayBatches } from './arrays.js';

describe('arrayBatches', () => {
  beforeAll(() => ensureBackend());

  it('batches in order; the last batch takes the remainder', () => {
    const seq = arrayBatches([[0], [1], [2], [3], [4]], [0, 10, 20, 30, 40], { batchSize: 2 });
    expect(seq.length).toBe(3);
    const [x, y] = seq.getItem(2) as [tf.Tensor, tf.Tensor];
    expect(x).toBeAllclose([[4]]);
    expect(y).toBeAllclose([40]);
    tf.dispose([x, y]);
    seq.dispose();
  });

  it('keeps dict targets and sample weights aligned under shuffling', () => {
    const n = 10;
    const x = tf.tensor2d(Array.from({ length: n }, (_, i) => [i]));
    const y1 = tf.tensor1d(Array.from({ length: n }, (_, i) => 2 * i));
    const seq = arrayBatches(
      x,
      { output1: y1, output2: Array.from({ length: n }, (_, i) => [3 * i]) },
      {
        batchSize: 4,
        shuffle: true,
        seed: 11,
        sampleWeight: Array.from({ length: n }, (_, i) => i / 10),
      },
    );
    const seen: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let b = 0; b < seq.length; b++) {
        const [xb, yb, sw] = seq.getItem(b) as [tf.Tensor, Record<string, tf.Tensor>, tf.Tensor];
        const xs = Array.from(xb.dataSync());
        expect(yb.output1).toBeAllclose(xs.map((v) => 2 * v));
        expect(yb.output2).toBeAllclose(xs.map((v) => [3 * v]));
        expect(sw).toBeAllclose(xs.map((v) => v / 10));
        if (epoch === 0) seen.push(...xs);
        tf.dispose([xb, yb.output1 as tf.Tensor, yb.output2 as tf.Tensor, sw]);
      }
      seq.onEpochEnd();
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    x.dispose();
    y1.dispose();
    seq.dispose();
  });

  it("shuffle 'batch' permutes whole batch-sized chunks and keeps the remainder last", () => {
    const seq = arrayBatches(
      Array.from({ length: 7 }, (_, i) => [i]),
      null,
      { batchSize: 2, shuffle: 'batch', seed: 5 },
    );
    const batches = Array.from({ length: seq.length }, (_, b) => {
      const [xb] = seq.getItem(b) as [tf.Tensor];
      const v = Array.from(xb.dataSync());
      xb.dispose();
      return v;
    });
    for (const b of batches.slice(0, 3)) {
      expect(b.length).toBe(2);
      expect((b[1] as number) - (b[0] as number)).toBe(1);
      expect((b[0] as number) % 2).toBe(0);
    }
    expect(batches[3]).toEqual([6]);
    seq.dispose();
  });

  it('rejects mismatched sample counts and bad batch sizes', () => {
    expect(() => arrayBatches([[1], [2]], [1, 2, 3])).toThrow('Received sizes: 2, 3');
    expect(() => arrayBatches([[1]], [1], { batchSize: 0 })).toThrow('Received: batchSize=0');
    const seq = arrayBatches([[1]], [1]);
    expect(() => seq.getItem(1)).toThrow('Received: index=1');
    seq.dispose();
  });
});
