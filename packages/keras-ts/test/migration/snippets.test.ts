/**
 * The migration guide's TypeScript is these files, verbatim: every ```ts block of
 * docs/migrating-from-keras.md must equal one snippet file byte for byte, in order, and every
 * snippet's `main()` runs here. Numbers checked come from Keras (its own test values, see
 * shared/docs/KERAS-SEMANTICS.md) or from closed-form math.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearSession, ensureBackend } from '@keras-ts/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const guidePath = join(here, '../../../../docs/migrating-from-keras.md');
const snippetFiles = readdirSync(here)
  .filter((f) => /^\d\d-[a-z0-9-]+\.ts$/.test(f))
  .sort();

/** The bodies of the guide's ```ts fences, each ending in a newline like a file does. */
function tsBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push(m[1] as string);
  return blocks;
}

beforeAll(() => ensureBackend());

/** Each output's mean squared error, computed here from predict (the reference for evaluate). */
async function meanSquaredErrors(
  model: { predict(x: tf.Tensor, o: { verbose: number }): Promise<unknown> },
  x: tf.Tensor,
  targets: { output1: tf.Tensor; output2: tf.Tensor },
): Promise<[number, number]> {
  const [p1, p2] = (await model.predict(x, { verbose: 0 })) as tf.Tensor[];
  const mse = (p: tf.Tensor | undefined, t: tf.Tensor) =>
    tf.tidy(() => tf.mean(tf.square(tf.sub(p as tf.Tensor, t))).dataSync()[0] as number);
  return [mse(p1, targets.output1), mse(p2, targets.output2)];
}

describe('docs/migrating-from-keras.md', () => {
  it('embeds every snippet file verbatim, in file order, and nothing else', () => {
    const blocks = tsBlocks(readFileSync(guidePath, 'utf8'));
    expect(snippetFiles.length).toBeGreaterThanOrEqual(9);
    expect(blocks).toHaveLength(snippetFiles.length);
    snippetFiles.forEach((file, i) => {
      expect(blocks[i], `block ${i + 1} of the guide vs. ${file}`).toBe(
        readFileSync(join(here, file), 'utf8'),
      );
    });
  });
});

describe('the guide snippets run', () => {
  it('01 session config: the placement log names the CPU device of each op', async () => {
    const { main } = await import('./01-session-config.js');
    try {
      const r = await main();
      expect(r.y).toEqual([[3], [3]]);
      expect(r.placements).toContain('BatchMatMul: /job:localhost/replica:0/task:0/device:CPU:0');
      expect(r.devices[0]?.name).toBe('/device:CPU:0');
    } finally {
      await clearSession();
      await ensureBackend();
    }
  });

  it('02 dict losses with lossWeights: the total weights output2 by 0.5', async () => {
    const { main } = await import('./02-functional-dict-losses.js');
    const r = await main();
    expect(r.model.outputNames).toEqual(['output1', 'output2']);
    const [mse1, mse2] = await meanSquaredErrors(r.model, r.images, r.targets);
    expect(r.loss).toBeCloseTo(mse1 + 0.5 * mse2, 5);
  });

  it('02 dict losses with lossWeights: per-output losses are logged unweighted, as Keras does', async () => {
    // Keras 2.2.4 (metrics_tensors), tf.keras 2.x (LossesContainer) and Keras 3 (CompileLoss,
    // "Record *unweighted* individual losses") all log output2_loss before the 0.5 weight.
    const { main } = await import('./02-functional-dict-losses.js');
    const r = await main();
    const [mse1, mse2] = await meanSquaredErrors(r.model, r.images, r.targets);
    expect(r.output1Loss).toBeCloseTo(mse1, 5);
    expect(r.output2Loss).toBeCloseTo(mse2, 5);
  });

  it('03 fitGenerator with dict targets logs per-output losses per epoch', async () => {
    const { main } = await import('./03-fit-generator.js');
    const before = tf.memory().numTensors;
    const h = await main();
    expect(Object.keys(h).sort()).toEqual(['loss', 'output1_loss', 'output2_loss']);
    expect(h.loss).toHaveLength(3);
    // Keras's total is the sum of the two unweighted losses.
    h.loss?.forEach((l, e) => {
      expect(l).toBeCloseTo((h.output1_loss?.[e] ?? 0) + (h.output2_loss?.[e] ?? 0), 4);
    });
    expect(h.loss?.[2]).toBeLessThan(h.loss?.[0] as number);
    // The generator's tensors were disposed by the loop; the model's variables remain.
    expect(tf.memory().numTensors - before).toBeLessThan(40);
  });

  it("04 trainOnBatch: lazily built train function, Keras's loss sequence", async () => {
    const { main } = await import('./04-train-on-batch.js');
    const r = await main();
    expect(r.builtBefore).toBe(false);
    expect(r.builtAfter).toBe(true);
    // Closed form: every kernel entry w gives pred 4w, loss 0.2 * 16 w^2, and the SGD step
    // w <- w - 0.01 * 0.2 * (2 * 20 * 4 * 4w / 60) = w * (1 - 0.016 / 3).
    const expected: number[] = [];
    for (let w = 1; expected.length < 3; w *= 1 - 0.016 / 3) expected.push(3.2 * w * w);
    expect(r.losses).toBeAllclose(expected, { rtol: 1e-5 });
    // Keras 3's test fits the same model with batch 20 over 40 rows: its first epoch loss,
    // 3.182979, is the mean of the first two steps.
    expect(((r.losses[0] as number) + (r.losses[1] as number)) / 2).toBeCloseTo(3.182979, 5);
  });

  it('05 a Sequence drives fit, and onEpochEnd runs after each epoch', async () => {
    const { main } = await import('./05-sequence.js');
    const r = await main();
    expect(r.epochsSeen).toBe(4);
    expect(r.loss).toHaveLength(4);
    expect(r.loss?.[3]).toBeLessThan(r.loss?.[0] as number);
  });

  it('06 multiGpuModel: a clear error without GPUs; CPU replicas train the template', async () => {
    const { main } = await import('./06-multi-gpu-model.js');
    const r = await main();
    expect(r.gpuError).toMatch(/gpu/i);
    expect(r.loss).toHaveLength(3);
    expect(r.fromTemplate).toBeAllclose(r.fromReplicas, { rtol: 1e-5, atol: 1e-6 });
  });

  it('07 .keras, .h5 and .weights.h5 reload to the same predictions', async () => {
    const { main } = await import('./07-save-load.js');
    const r = await main();
    try {
      for (const p of r.predictions) expect(p).toBeAllclose(r.expected, { rtol: 0, atol: 0 });
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('08 a registered custom layer: addWeight regularizer penalty, reload by registered name', async () => {
    const { main, Scale } = await import('./08-custom-layer.js');
    const r = await main();
    expect(r.penalty).toBeCloseTo(1.5, 6);
    expect(r.loadedLayer).toBeInstanceOf(Scale);
    expect((r.loadedLayer as InstanceType<typeof Scale>).l2).toBe(0.5);
  });

  it('09 callbacks: EarlyStopping stops, ModelCheckpoint writes, LambdaCallback sees each epoch', async () => {
    const { main } = await import('./09-callbacks.js');
    const r = await main();
    expect(r.seen).toEqual(r.epochs);
    expect(r.valLoss).toHaveLength(r.epochs.length);
    expect(r.epochs.length).toBeLessThan(30);
    expect(readFileSync(r.best).subarray(0, 2).toString('latin1')).toBe('PK');
    rmSync(dirname(r.best), { recursive: true, force: true });
  });
});
