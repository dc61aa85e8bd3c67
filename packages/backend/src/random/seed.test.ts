import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { getRandomSeed, nextRandomSeed, setRandomSeed } from './seed.js';

beforeAll(() => ensureBackend());
afterEach(() => setRandomSeed(null));

describe('setRandomSeed / nextRandomSeed', () => {
  it('hands out nothing without a global seed', () => {
    expect(nextRandomSeed()).toBeUndefined();
    expect(getRandomSeed()).toBeUndefined();
  });

  it('repeats the same sequence after the same seed', () => {
    setRandomSeed(1234);
    const first = [nextRandomSeed(), nextRandomSeed(), nextRandomSeed()];
    setRandomSeed(1234);
    const second = [nextRandomSeed(), nextRandomSeed(), nextRandomSeed()];
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const s of first) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 31);
    }
  });

  it('gives different sequences for neighbouring seeds', () => {
    const draws = (seed: number) => {
      setRandomSeed(seed);
      return [nextRandomSeed(), nextRandomSeed()];
    };
    expect(draws(0)).not.toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));
  });

  it('makes seeded tfjs initial values reproducible', () => {
    const init = () => tf.randomNormal([3, 4], 0, 1, 'float32', nextRandomSeed());
    setRandomSeed(42);
    const a = init();
    setRandomSeed(42);
    const b = init();
    expect(a).toBeAllclose(b, { atol: 0, rtol: 0 });
    setRandomSeed(43);
    expect(Array.from(init().dataSync())).not.toEqual(Array.from(a.dataSync()));
  });

  it('rejects seeds that are not non-negative integers, echoing the value', () => {
    expect(() => setRandomSeed(-1)).toThrow('Received: seed=-1');
    expect(() => setRandomSeed(1.5)).toThrow('Received: seed=1.5');
    expect(() => setRandomSeed(Number.NaN)).toThrow('Received: seed=NaN');
  });
});
