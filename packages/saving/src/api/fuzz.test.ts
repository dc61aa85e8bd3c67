import { readFileSync } from 'node:fs';
import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readH5 } from '../h5/h5-read.js';
import { Dense, FakeOptimizer, Functional, InputLayer } from '../test-utils/fake-model.js';
import { loadKeras3Weights } from '../weights/keras3-weights.js';
import { loadLegacyWeights } from '../weights/legacy-h5.js';
import { type ParsedModelFile, parseModelFile, parseTfjs } from './model-file.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;
const MUTATIONS_PER_FILE = 30;
// libhdf5 loops forever on some corrupt heaps: the parser's time limit must turn that into an error.
const h5Limits = { timeoutMs: 2500 };

beforeAll(() => ensureBackend());

/** mulberry32: a small seeded PRNG, so every run mutates the same bytes. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  const out = new Uint8Array(bytes);
  const mode = rand();
  if (mode < 0.15) return out.subarray(0, Math.floor(rand() * out.length));
  const flips = 1 + Math.floor(rand() * 8);
  // Most of the structure (headers, zip directory, HDF5 superblock) sits at the ends.
  for (let i = 0; i < flips; i++) {
    const region = rand();
    const at =
      region < 0.4
        ? Math.floor(rand() * Math.min(512, out.length))
        : region < 0.6
          ? out.length - 1 - Math.floor(rand() * Math.min(512, out.length))
          : Math.floor(rand() * out.length);
    out[at] = Math.floor(rand() * 256);
  }
  return out;
}

function mlp() {
  const model = new Functional('mlp', [
    new InputLayer('features'),
    new Dense('hidden', { kernel: [6, 8], bias: [8] }),
    new Dense('probs', { kernel: [8, 3], bias: [3] }),
  ]);
  model.optimizer = new FakeOptimizer('sgd');
  return model;
}

/** Parses, then loads the weights into a matching model: every failure must be a clean Error. */
async function exercise(
  bytes: Uint8Array,
  source: string,
  tfjsShard?: Uint8Array,
  limits: { timeoutMs: number } = h5Limits,
): Promise<void> {
  const parsed: ParsedModelFile = tfjsShard
    ? parseTfjs(bytes, source, () => tfjsShard)
    : await parseModelFile(bytes, source, { h5Limits: limits });
  const warn = () => {};
  if (parsed.format === 'keras') loadKeras3Weights(mlp(), parsed.weights, { source, warn });
  if (parsed.format === 'legacy-h5') loadLegacyWeights(mlp(), parsed.weights, { source, warn });
}

function expectClean(err: unknown, source: string): void {
  expect(err).toBeInstanceOf(Error);
  const e = err as Error;
  // A TypeError or RangeError means a crash inside our code, not a refusal.
  expect([e.name, e.message]).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/^(TypeError|RangeError)$/)]),
  );
  expect(e.message).toContain(source);
}

describe('fuzz: mutated fixtures give clean errors', () => {
  const cases: [string, string][] = [
    ['model.keras', `${FIX}/keras3/a_mlp/model.keras`],
    ['model.h5', `${FIX}/keras3/a_mlp/model.h5`],
  ];
  for (const [label, path] of cases) {
    it(`${label}: ${MUTATIONS_PER_FILE} seeded mutations`, async () => {
      const original = readFileSync(path);
      // The unmutated file loads (with a generous time limit: the machine may be busy).
      await exercise(original, label, undefined, { timeoutMs: 60_000 });
      const rand = rng(label.length * 7919);
      let failures = 0;
      for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
        const source = `${label}#${i}`;
        try {
          await exercise(mutate(original, rand), source);
        } catch (err) {
          failures += 1;
          expectClean(err, source);
        }
      }
      // The mutations must actually break files, or the test proves nothing.
      expect(failures).toBeGreaterThan(MUTATIONS_PER_FILE / 4);
    });
  }

  it(`model.weights.h5: ${MUTATIONS_PER_FILE} seeded mutations`, async () => {
    const original = readFileSync(`${FIX}/keras3/a_mlp/model.weights.h5`);
    const rand = rng(42);
    let failures = 0;
    for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
      const source = `weights#${i}`;
      try {
        loadKeras3Weights(
          mlp(),
          await readH5(mutate(original, rand), { source, limits: h5Limits }),
          { source, warn: () => {} },
        );
      } catch (err) {
        failures += 1;
        expectClean(err, source);
      }
    }
    expect(failures).toBeGreaterThan(MUTATIONS_PER_FILE / 4);
  });

  it(`TF.js model.json and shard: ${MUTATIONS_PER_FILE} seeded mutations`, async () => {
    const dir = `${FIX}/real/tfjs_layers/tfjs_e2e_layers_model_embedding_gru`;
    const json = readFileSync(`${dir}/model.json`);
    const bin = readFileSync(`${dir}/weights.bin`);
    const rand = rng(7);
    let failures = 0;
    for (let i = 0; i < MUTATIONS_PER_FILE; i++) {
      const source = `model.json#${i}`;
      const mutateJson = rand() < 0.5;
      try {
        await exercise(
          mutateJson ? mutate(json, rand) : json,
          source,
          mutateJson ? bin : mutate(bin, rand),
        );
      } catch (err) {
        failures += 1;
        expectClean(err, source);
      }
    }
    expect(failures).toBeGreaterThan(MUTATIONS_PER_FILE / 8);
  });
});
