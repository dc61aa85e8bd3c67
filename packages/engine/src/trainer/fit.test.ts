import { ensureBackend } from '@keras-ts/backend';
import { Dense, Input } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Callback, type Logs } from '../callbacks/callback.js';
import { Model } from '../model.js';
import { SGD } from '../optimizers/index.js';
import { Sequential } from '../sequential.js';

beforeAll(() => ensureBackend());
afterEach(() => vi.restoreAllMocks());

/** Dense(3, use_bias=False, kernel_initializer='ones') on 4 features: KERAS-SEMANTICS.md. */
function onesModel(): Sequential {
  return new Sequential([
    new Dense({ units: 3, useBias: false, kernelInitializer: 'ones', inputShape: [4] }),
  ]);
}

describe('fit', () => {
  it("reproduces Keras's loss_weights history [3.182979, 3.115617, 3.049681]", async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse', lossWeights: 0.2 });
    const history = await model.fit(tf.ones([40, 4]), tf.zeros([40, 3]), {
      batchSize: 20,
      epochs: 3,
      verbose: 0,
      shuffle: false,
    });
    expect(history.history.loss).toBeAllclose([3.182979, 3.115617, 3.049681], { atol: 1e-5 });
    expect(history.epoch).toEqual([0, 1, 2]);
  });

  it('builds the train function lazily and caches it until the next compile', async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    expect(model.trainFunction).toBeNull();
    await model.trainOnBatch(tf.ones([2, 4]), tf.zeros([2, 3]));
    const first = model.trainFunction;
    expect(first).not.toBeNull();
    await model.trainOnBatch(tf.ones([2, 4]), tf.zeros([2, 3]));
    expect(model.trainFunction).toBe(first);
    expect(model.makeTrainFunction()).toBe(first);
    expect(model.makeTrainFunction({ force: true })).not.toBe(first);
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    expect(model.trainFunction).toBeNull();
  });

  it('keeps tf.memory().numTensors constant from epoch to epoch', async () => {
    const model = onesModel();
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const counts: number[] = [];
    const probe = new (class extends Callback {
      override onEpochEnd(): void {
        counts.push(tf.memory().numTensors);
      }
    })();
    const x = tf.randomNormal([50, 4]);
    const y = tf.randomNormal([50, 3]);
    await model.fit(x, y, {
      batchSize: 8,
      epochs: 4,
      verbose: 0,
      callbacks: [probe],
      validationSplit: 0.2,
    });
    expect(counts).toHaveLength(4);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[0]).toBe(counts[1]);
  });

  it('takes validationSplit from the tail before shuffling', async () => {
    // The last 25% (10 samples) have target 100: val_loss is computed on them alone.
    const model = new Sequential([
      new Dense({ units: 1, kernelInitializer: 'zeros', inputShape: [1] }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const y = [...Array(30).fill(0), ...Array(10).fill(100)].map((v) => [v]);
    const h = await model.fit(tf.ones([40, 1]), y, {
      validationSplit: 0.25,
      epochs: 1,
      verbose: 0,
      batchSize: 7,
    });
    expect(h.history.loss).toBeAllclose([0]);
    expect(h.history.val_loss).toBeAllclose([10000]);
  });

  it('weights samples by sampleWeight and classWeight', async () => {
    const model = new Sequential([
      new Dense({ units: 1, kernelInitializer: 'zeros', inputShape: [1] }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const x = tf.ones([4, 1]);
    const y = tf.tensor2d([[1], [1], [0], [2]]);
    // per-sample errors 1, 1, 0, 4; Keras divides the weighted sum by the sample count.
    const sw = await model.trainOnBatch(x, y, { sampleWeight: [1, 0, 5, 2] });
    expect(sw).toBeCloseTo((1 + 0 + 0 + 8) / 4, 5);
    const cw = await model.trainOnBatch(x, y, { classWeight: { 0: 3, 1: 0.5, 2: 2 } });
    expect(cw).toBeCloseTo((0.5 + 0.5 + 0 + 8) / 4, 5);
  });

  it('accepts validationData with sample weights and validates at validationFreq', async () => {
    const model = new Sequential([
      new Dense({ units: 1, kernelInitializer: 'zeros', inputShape: [1] }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'mse' });
    const h = await model.fit(tf.ones([4, 1]), tf.zeros([4, 1]), {
      epochs: 4,
      verbose: 0,
      validationData: [tf.ones([2, 1]), tf.tensor2d([[2], [4]]), tf.tensor1d([1, 0])],
      validationFreq: 2,
    });
    // (4 * 1 + 16 * 0) / 2
    expect(h.history.val_loss).toBeAllclose([2, 2]);
    expect(h.history.loss).toHaveLength(4);
  });

  it('honours stepsPerEpoch, initialEpoch and stopTraining', async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    let batches = 0;
    const counter = new (class extends Callback {
      override onTrainBatchEnd(): void {
        batches += 1;
      }
    })();
    const h = await model.fit(tf.ones([10, 4]), tf.zeros([10, 3]), {
      batchSize: 2,
      stepsPerEpoch: 3,
      epochs: 3,
      initialEpoch: 1,
      verbose: 0,
      callbacks: [counter],
    });
    expect(h.epoch).toEqual([1, 2]);
    expect(batches).toBe(6);
  });

  it('trains on a generator, an async generator, an iterable and a Sequence-like', async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    const x = tf.ones([5, 4]);
    const y = tf.zeros([5, 3]);
    function* gen() {
      while (true) yield [x, y];
    }
    async function* agen() {
      for (let i = 0; i < 2; i++) yield [tf.ones([5, 4]), tf.zeros([5, 3])];
    }
    const seq = { length: 2, getItem: (_i: number) => [tf.ones([5, 4]), tf.zeros([5, 3])] };
    const before = tf.memory().numTensors;
    // API.md form: the options come second for a batch source.
    const h1 = await model.fit(gen(), { stepsPerEpoch: 2, epochs: 2, verbose: 0 });
    const h2 = await model.fit(agen(), undefined, { epochs: 1, verbose: 0 });
    const h3 = await model.fit(
      [
        [x, y],
        [x, y],
      ],
      undefined,
      { epochs: 2, verbose: 0 },
    );
    const h4 = await model.fit(seq, undefined, { epochs: 2, verbose: 0 });
    expect(await model.evaluate(seq, { verbose: 0 })).toBeTypeOf('number');
    expect(h1.history.loss).toHaveLength(2);
    expect(h2.history.loss).toHaveLength(1);
    expect(h3.history.loss).toHaveLength(2);
    expect(h4.history.loss).toHaveLength(2);
    // Tensors the async generator and the Sequence made were freed; x and y (made before) live.
    expect(x.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("uses a Sequence-like's createEpochIterator (data's prefetch seam) and calls onEpochEnd", async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    const seen: { epoch: number; workers?: number; shuffle?: boolean }[] = [];
    let ends = 0;
    const seq = {
      length: 3,
      getItem: () => {
        throw new Error('getItem must not be called when createEpochIterator exists');
      },
      onEpochEnd: () => {
        ends += 1;
      },
      createEpochIterator(args: { epoch: number; workers?: number; shuffle?: boolean }) {
        seen.push({ epoch: args.epoch, workers: args.workers, shuffle: args.shuffle });
        return (async function* () {
          for (let i = 0; i < 3; i++) yield [tf.ones([2, 4]), tf.zeros([2, 3])];
        })();
      },
    };
    const before = tf.memory().numTensors;
    const h = await model.fit(seq, undefined, {
      epochs: 2,
      verbose: 0,
      workers: 2,
      shuffle: false,
    });
    expect(h.history.loss).toHaveLength(2);
    expect(seen).toEqual([
      { epoch: 0, workers: 2, shuffle: false },
      { epoch: 1, workers: 2, shuffle: false },
    ]);
    expect(ends).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs callbacks hooks in Keras order', async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    const events: string[] = [];
    const cb = new (class extends Callback {
      override onTrainBegin() {
        events.push('train_begin');
      }
      override onEpochBegin(e: number) {
        events.push(`epoch_begin ${e}`);
      }
      override onTrainBatchBegin(b: number) {
        events.push(`batch_begin ${b}`);
      }
      override onTrainBatchEnd(b: number, logs?: Logs) {
        events.push(`batch_end ${b} ${typeof logs?.loss}`);
      }
      override onEpochEnd(e: number, logs?: Logs) {
        events.push(`epoch_end ${e} ${Object.keys(logs ?? {}).join(',')}`);
      }
      override onTrainEnd() {
        events.push('train_end');
      }
    })();
    await model.fit(tf.ones([4, 4]), tf.zeros([4, 3]), {
      batchSize: 2,
      epochs: 1,
      verbose: 0,
      callbacks: [cb],
      validationData: [tf.ones([2, 4]), tf.zeros([2, 3])],
    });
    expect(events).toEqual([
      'train_begin',
      'epoch_begin 0',
      'batch_begin 0',
      'batch_end 0 number',
      'batch_begin 1',
      'batch_end 1 number',
      'epoch_end 0 loss,val_loss',
      'train_end',
    ]);
  });
});

describe('bad input', () => {
  it('rejects fit before compile, length mismatch and a wrong target shape', async () => {
    const model = onesModel();
    await expect(model.fit(tf.ones([4, 4]), tf.zeros([4, 3]), { verbose: 0 })).rejects.toThrow(
      /You must call `compile\(\)` before/,
    );
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    await expect(model.fit(tf.ones([4, 4]), tf.zeros([5, 3]), { verbose: 0 })).rejects.toThrow(
      /Data cardinality is ambiguous[\s\S]*'x' sizes: 4[\s\S]*'y' sizes: 5/,
    );
    await expect(model.fit(tf.ones([4, 4]), tf.zeros([4, 5]), { verbose: 0 })).rejects.toThrow(
      /Target shape \[2,5\] is incompatible with output "dense[_\d]*" of shape \[2,3\]|Target shape \[4,5\]/,
    );
  });

  it('rejects a generator that throws with its own error and leaks nothing', async () => {
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    await model.trainOnBatch(tf.ones([2, 4]), tf.zeros([2, 3]));
    const before = tf.memory().numTensors;
    function* bad() {
      yield [tf.ones([2, 4]), tf.zeros([2, 3])];
      throw new Error('disk on fire');
    }
    await expect(model.fit(bad(), undefined, { stepsPerEpoch: 3, verbose: 0 })).rejects.toThrow(
      'disk on fire',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warns with a clear message when the loss is NaN', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const model = onesModel();
    model.compile({ optimizer: new SGD(), loss: 'mse' });
    await model.fit([[Number.NaN, 1, 1, 1]], [[0, 0, 0]], { verbose: 0 });
    expect(warn.mock.calls.flat().join('\n')).toMatch(/the loss is NaN/);
  });

  it('lists the real output names for an unknown loss key', () => {
    const x = Input({ shape: [2] });
    const a = new Dense({ units: 1, name: 'alpha' }).apply(x) as never;
    const b = new Dense({ units: 1, name: 'beta' }).apply(x) as never;
    const model = new Model({ inputs: x, outputs: [a, b] });
    expect(() => model.compile({ optimizer: 'sgd', loss: { alpha: 'mse', gamma: 'mse' } })).toThrow(
      /key 'gamma' does not correspond to any model output[\s\S]*\["alpha","beta"\]/,
    );
  });
});

describe('trainable collected at compile (Keras 2 semantics)', () => {
  it('still trains a layer frozen after compile, warns, and freezes after recompiling', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const x = Input({ shape: [2] });
    const hidden = new Dense({ units: 2, kernelInitializer: 'ones', name: 'hidden' });
    const out = new Dense({ units: 1, kernelInitializer: 'ones', name: 'out' });
    const model = new Model({ inputs: x, outputs: out.apply(hidden.apply(x) as never) as never });
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
    hidden.trainable = false;
    const k0 = hidden.getWeights()[0] as tf.Tensor;
    await model.trainOnBatch([[1, 2]], [[0]]);
    const k1 = hidden.getWeights()[0] as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(k1, k0))).dataSync()[0]).toBeGreaterThan(0);
    expect(warn.mock.calls.flat().join('\n')).toMatch(
      /Discrepancy between trainable weights and collected trainable weights/,
    );
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
    await model.trainOnBatch([[1, 2]], [[0]]);
    expect(hidden.getWeights()[0]).toBeAllclose(k1);
  });
});

describe('evaluate and *OnBatch', () => {
  it("returns [total, per-output losses..., metrics...] in Keras's order, or a dict", async () => {
    const x = Input({ shape: [1] });
    const a = new Dense({ units: 1, kernelInitializer: 'zeros', name: 'a' }).apply(x) as never;
    const b = new Dense({ units: 1, kernelInitializer: 'zeros', name: 'b' }).apply(x) as never;
    const model = new Model({ inputs: x, outputs: [a, b] });
    model.compile({
      optimizer: 'sgd',
      loss: { a: 'mse', b: 'mae' },
      lossWeights: { a: 1, b: 0.5 },
      metrics: { b: ['mse'] },
    });
    const xs = tf.ones([4, 1]);
    const ya = tf.fill([4, 1], 2);
    const yb = tf.fill([4, 1], 3);
    const r = (await model.evaluate(xs, { a: ya, b: yb }, { verbose: 0 })) as number[];
    // a: mse 4; b: mae 3 (logged unweighted, as Keras does), weighted 0.5 in the total: 5.5; b_mse 9
    expect(r).toBeAllclose([5.5, 4, 3, 9]);
    expect(model.metricsNames).toEqual(['loss', 'a_loss', 'b_loss', 'b_mse']);
    const d = await model.evaluate(xs, [ya, yb], { verbose: 0, returnDict: true });
    expect(d).toEqual({ loss: 5.5, a_loss: 4, b_loss: 3, b_mse: 9 });
    const t = await model.testOnBatch(xs, [ya, yb]);
    expect(t).toBeAllclose([5.5, 4, 3, 9]);
  });

  it('does not train an output that has no loss', async () => {
    const x = Input({ shape: [1] });
    const a = new Dense({ units: 1, kernelInitializer: 'ones', name: 'a' });
    const b = new Dense({ units: 1, kernelInitializer: 'ones', name: 'b' });
    const model = new Model({ inputs: x, outputs: [a.apply(x) as never, b.apply(x) as never] });
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: { a: 'mse' } });
    await model.trainOnBatch([[1]], { a: [[0]] });
    expect(b.getWeights()[0]).toBeAllclose([[1]]);
    expect(a.getWeights()[0]).not.toBeAllclose([[1]]);
  });
});

describe('subclassed models and custom steps', () => {
  it('trains a model that overrides call', async () => {
    class TwoLayer extends Model {
      d1 = new Dense({ units: 4, activation: 'relu' });
      d2 = new Dense({ units: 1 });
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return this.d2.apply(this.d1.apply(inputs as tf.Tensor) as tf.Tensor) as tf.Tensor;
      }
    }
    const model = new TwoLayer();
    expect(model.weights).toHaveLength(0);
    model.build([null, 3]);
    expect(model.weights.map((w) => w.shape)).toEqual([[3, 4], [4], [4, 1], [1]]);
    model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
    const x = tf.randomNormal([32, 3]);
    const y = tf.sum(x, 1, true);
    const h = await model.fit(x, y, { epochs: 20, verbose: 0, batchSize: 8 });
    const losses = h.history.loss as number[];
    expect(losses.at(-1) as number).toBeLessThan(losses[0] as number);
    expect(model.collectedTrainableWeights).toHaveLength(4);
  });

  it('uses an overridden trainStep and returns its logs', async () => {
    let steps = 0;
    class Custom extends Sequential {
      override trainStep(): Record<string, number> {
        steps += 1;
        return { custom: steps * 10 };
      }
    }
    const model = new Custom([new Dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const h = await model.fit(tf.ones([4, 1]), tf.ones([4, 1]), {
      batchSize: 2,
      epochs: 1,
      verbose: 0,
    });
    expect(steps).toBe(2);
    // Keras 3: the epoch logs of a custom step are its last returned logs.
    expect(h.history).toEqual({ custom: [20] });
  });
});
