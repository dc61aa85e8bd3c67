import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SeededRandom } from '../random.js';
import { ImageDataGenerator } from './image-data-generator.js';

describe('ImageDataGenerator', () => {
  beforeAll(() => ensureBackend());

  it('standardizes featurewise with per-channel statistics from fit', () => {
    // Two 1x2 images, 2 channels: channel 0 values 1,3,5,7; channel 1 values 2,2,4,4.
    const x = tf.tensor4d([1, 2, 3, 2, 5, 4, 7, 4], [2, 1, 2, 2]);
    const gen = new ImageDataGenerator({
      featurewiseCenter: true,
      featurewiseStdNormalization: true,
    });
    gen.fit(x);
    expect(gen.mean).toBeAllclose([4, 3]);
    expect(gen.std).toBeAllclose([Math.sqrt(5), 1]);
    const out = gen.standardize(new Float32Array([1, 2, 7, 4]), [1, 2, 2]);
    expect(out).toBeAllclose([
      -3 / (Math.sqrt(5) + 1e-6),
      -1 / (1 + 1e-6),
      3 / (Math.sqrt(5) + 1e-6),
      1 / (1 + 1e-6),
    ]);
    x.dispose();
  });

  it('refuses featurewise options before fit, and bad ranges', () => {
    const gen = new ImageDataGenerator({ featurewiseCenter: true });
    expect(() => gen.standardize(new Float32Array(3), [1, 1, 3])).toThrow('Call `.fit(x)` first');
    expect(() => new ImageDataGenerator({ rotationRange: -1 })).toThrow(
      'Received: rotationRange=-1',
    );
    expect(() => new ImageDataGenerator({ zoomRange: [1] as never })).toThrow(
      'zoomRange should be',
    );
  });

  it('rescales and draws shifts as fractions of the image size', () => {
    const gen = new ImageDataGenerator({
      widthShiftRange: 0.5,
      heightShiftRange: 0.25,
      rescale: 1 / 255,
    });
    const p = gen.randomTransform([8, 4, 1], new SeededRandom(1));
    expect(Math.abs(p.tx ?? 0)).toBeLessThanOrEqual(0.25 * 8);
    expect(Math.abs(p.ty ?? 0)).toBeLessThanOrEqual(0.5 * 4);
    expect(gen.standardize(new Float32Array([255, 51]), [1, 2, 1])).toBeAllclose([1, 0.2]);
  });

  it('flow yields aligned, reproducible batches; the last takes the remainder', async () => {
    const n = 5;
    // Image i is constant i, so a horizontal flip keeps it and labels stay checkable.
    const x = new Float32Array(n * 2 * 2).map((_, k) => Math.floor(k / 4));
    const gen = new ImageDataGenerator({ horizontalFlip: true });
    const seq = gen.flow(x, [0, 10, 20, 30, 40], { xShape: [n, 2, 2, 1], batchSize: 2, seed: 4 });
    expect(seq.length).toBe(3);
    const seen: number[] = [];
    for (let i = 0; i < seq.length; i++) {
      const [xb, yb] = seq.getItem(i) as [tf.Tensor, tf.Tensor];
      const xs = xb.dataSync();
      const ys = yb.dataSync();
      for (let j = 0; j < yb.shape[0]; j++) {
        expect(ys[j]).toBe(10 * (xs[j * 4] as number));
        seen.push(ys[j] as number);
      }
      tf.dispose([xb, yb]);
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40]);
    const again = gen.flow(x, [0, 10, 20, 30, 40], { xShape: [n, 2, 2, 1], batchSize: 2, seed: 4 });
    const [a] = seq.getItem(0) as [tf.Tensor];
    const [b] = again.getItem(0) as [tf.Tensor];
    expect(a).toBeAllclose(b);
    tf.dispose([a, b]);
    expect(() => gen.flow(x, [1, 2], { xShape: [n, 2, 2, 1] })).toThrow(
      'should have the same length',
    );
  });

  it('flow prepares the same batches in worker threads as inline', async () => {
    const x = new Float32Array(6 * 4 * 4).map((_, k) => (k * 37) % 11);
    const gen = new ImageDataGenerator({ rotationRange: 20, zoomRange: 0.2, horizontalFlip: true });
    const seq = gen.flow(x, [0, 1, 2, 3, 4, 5], { xShape: [6, 4, 4, 1], batchSize: 2, seed: 9 });
    const collect = async (workers: number) => {
      const out: number[][] = [];
      for await (const [xb, yb] of seq.createEpochIterator({ workers })) {
        out.push([...(xb as tf.Tensor).dataSync(), ...(yb as tf.Tensor).dataSync()]);
        tf.dispose([xb as tf.Tensor, yb as tf.Tensor]);
      }
      return out;
    };
    const inline = await collect(0);
    const threaded = await collect(2);
    expect(threaded.length).toBe(3);
    for (let i = 0; i < 3; i++)
      expect(threaded[i]).toBeAllclose(inline[i] as number[], { atol: 1e-5 });
  });

  describe('flowFromDirectory', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'keras-ts-images-'));
      const write = (
        cls: string,
        name: string,
        rgb: [number, number, number],
        kind: 'png' | 'jpg',
      ) => {
        mkdirSync(path.join(dir, cls), { recursive: true });
        const w = 4;
        const h = 2;
        const data = Buffer.alloc(w * h * 4);
        for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
        const bytes =
          kind === 'png'
            ? PNG.sync.write(Object.assign(new PNG({ width: w, height: h }), { data }))
            : jpeg.encode({ data, width: w, height: h }, 100).data;
        writeFileSync(path.join(dir, cls, name), bytes);
      };
      write('dogs', 'a.png', [200, 100, 50], 'png');
      write('cats', 'b.png', [10, 20, 30], 'png');
      write('cats', 'c.jpg', [128, 128, 128], 'jpg');
      writeFileSync(path.join(dir, 'cats', 'notes.txt'), 'not an image');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds classes in sorted order and yields one-hot labels', () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const it = new ImageDataGenerator().flowFromDirectory(dir, {
        targetSize: [2, 2],
        batchSize: 8,
        shuffle: false,
      });
      expect(log).toHaveBeenCalledWith('Found 3 images belonging to 2 classes.');
      log.mockRestore();
      expect(it.classIndices).toEqual({ cats: 0, dogs: 1 });
      const [x, y] = it.getItem(0) as [tf.Tensor, tf.Tensor];
      expect(x.shape).toEqual([3, 2, 2, 3]);
      expect(y).toBeAllclose([
        [1, 0],
        [1, 0],
        [0, 1],
      ]);
      const px = x.arraySync() as number[][][][];
      expect(px[0]?.[0]?.[0]).toEqual([10, 20, 30]);
      expect(px[1]?.[1]?.[1]).toBeAllclose([128, 128, 128], { atol: 3 });
      expect(px[2]?.[1]?.[0]).toEqual([200, 100, 50]);
      tf.dispose([x, y]);
    });

    it('converts to grayscale with the ITU-R 601-2 luma and sparse labels', () => {
      const it = new ImageDataGenerator().flowFromDirectory(dir, {
        targetSize: [2, 4],
        colorMode: 'grayscale',
        classMode: 'sparse',
        shuffle: false,
        verbose: false,
      });
      const [x, y] = it.getItem(0) as [tf.Tensor, tf.Tensor];
      expect(x.shape).toEqual([3, 2, 4, 1]);
      expect(x.dataSync()[0]).toBe(Math.floor((10 * 299 + 20 * 587 + 30 * 114) / 1000));
      expect(y).toBeAllclose([0, 0, 1]);
      tf.dispose([x, y]);
    });

    it('names the file it cannot decode', () => {
      writeFileSync(
        path.join(dir, 'dogs', 'broken.png'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
      );
      const it = new ImageDataGenerator().flowFromDirectory(dir, {
        shuffle: false,
        verbose: false,
      });
      expect(() => it.getItem(0)).toThrow(/Could not decode image .*broken\.png/);
      rmSync(path.join(dir, 'dogs', 'broken.png'));
    });
  });
});
