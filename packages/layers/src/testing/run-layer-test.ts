import * as tf from '@tensorflow/tfjs-core';
import { InputLayer } from '../engine/input-layer.js';
import { getKerasMask } from '../engine/keras-mask.js';
import type { Layer } from '../engine/layer.js';
import { SymbolicTensor } from '../engine/symbolic-tensor.js';
import type { CallArgs, Config, DType, Shape } from '../engine/types.js';
import {
  type CustomObjects,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';

/** A layer class as the harness needs it: constructible from options, rebuildable from config. */
export interface TestableLayerClass<L extends Layer> {
  new (args: never): L;
  fromConfig(config: Config, opts?: { customObjects?: CustomObjects }): L;
  className?: string;
}

export interface RunLayerTestOptions {
  /** Constructor options. */
  initArgs: Record<string, unknown>;
  /** Full input shape, batch included (a list of shapes for multi-input layers). */
  inputShape?: number[] | number[][];
  /** Concrete input(s); random normal data of `inputShape` when absent. */
  inputData?: tf.Tensor | tf.Tensor[];
  inputDtype?: DType;
  /** Expected output shape, batch included (a list for multi-output layers). */
  expectedOutputShape?: Shape | Shape[];
  expectedOutputDtype?: DType;
  /** Expected values of the concrete output (from Keras, closed form or a second implementation). */
  expectedOutput?: tf.Tensor | tf.TensorLike;
  expectedNumTrainableWeights?: number;
  expectedNumNonTrainableWeights?: number;
  /** Number of entries in `layer.losses` after one concrete call. */
  expectedNumLosses?: number;
  /** Whether the layer declares mask support. */
  supportsMasking?: boolean;
  /** Expected shape of the mask attached to the output (null: no mask). */
  expectedMaskShape?: number[] | null;
  /** Extra call arguments (`training` is set by the harness where it matters). */
  callArgs?: CallArgs;
  /** Run a gradient step and check the trainable weights move (default: when there are some). */
  runTrainingCheck?: boolean;
  /** Check that a call allocates no tensors beyond its outputs, masks and losses (default true). */
  checkLeaks?: boolean;
  customObjects?: CustomObjects;
  rtol?: number;
  atol?: number;
}

export interface RunLayerTestResult<L extends Layer> {
  layer: L;
  output: tf.Tensor | tf.Tensor[];
}

function fail(cls: { name: string }, what: string): never {
  throw new Error(`runLayerTest(${cls.name}): ${what}`);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key-order-free form for config comparison. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

function listOf<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

function isShapeList(s: Shape | Shape[] | number[][]): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

function allclose(
  actual: tf.Tensor,
  expected: tf.Tensor,
  rtol: number,
  atol: number,
): string | null {
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    return `shape [${actual.shape}] differs from expected [${expected.shape}]`;
  }
  const a = actual.dataSync() as ArrayLike<number>;
  const e = expected.dataSync() as ArrayLike<number>;
  for (let i = 0; i < a.length; i++) {
    const av = a[i] as number;
    const ev = e[i] as number;
    if (Number.isNaN(av) && Number.isNaN(ev)) continue;
    if (!(Math.abs(av - ev) <= atol + rtol * Math.abs(ev))) {
      return `value at flat index ${i} is ${av}, expected ${ev} (rtol=${rtol}, atol=${atol})`;
    }
  }
  return null;
}

/**
 * Keras's `run_layer_test`: checks a layer class end to end (config round trip directly and
 * through the registry, symbolic output shape and dtype, weight counts, concrete output shape
 * and values, masks, losses, no leaked tensors, and that one gradient step moves the trainable
 * weights). Throws a plain Error naming the class and the failed check; returns the layer.
 */
export function runLayerTest<L extends Layer>(
  LayerClass: TestableLayerClass<L>,
  opts: RunLayerTestOptions,
): RunLayerTestResult<L> {
  const Ctor = LayerClass as unknown as new (args: Record<string, unknown>) => L;
  const { rtol = 1e-5, atol = 1e-6, customObjects } = opts;
  const make = () => new Ctor({ ...opts.initArgs });

  // Config round trip before build, directly and through the registry.
  const fresh = make();
  const config = fresh.getConfig();
  const rebuilt = LayerClass.fromConfig(config, { customObjects });
  if (!same(rebuilt.getConfig(), config)) {
    fail(
      LayerClass,
      `fromConfig(getConfig()) changed the config:\n${JSON.stringify(config)}\n-> ${JSON.stringify(rebuilt.getConfig())}`,
    );
  }
  const viaRegistry = deserializeKerasObject(serializeKerasObject(fresh), {
    customObjects,
    kind: 'layers',
  }) as L;
  if (
    !(viaRegistry instanceof (LayerClass as unknown as typeof Object)) ||
    !same(viaRegistry.getConfig(), config)
  ) {
    fail(
      LayerClass,
      'serializeKerasObject -> deserializeKerasObject did not give the same class and config',
    );
  }
  if (opts.supportsMasking !== undefined && fresh.supportsMasking !== opts.supportsMasking) {
    fail(
      LayerClass,
      `supportsMasking is ${fresh.supportsMasking}, expected ${opts.supportsMasking}`,
    );
  }

  const data = opts.inputData;
  const inputShape: number[] | number[][] | undefined =
    opts.inputShape ?? (Array.isArray(data) ? data.map((t) => t.shape) : data?.shape);
  if (inputShape === undefined) fail(LayerClass, 'needs inputShape or inputData');
  const multiInput = isShapeList(inputShape);
  const shapes: number[][] = multiInput ? (inputShape as number[][]) : [inputShape as number[]];
  const dtype =
    opts.inputDtype ?? (listOf(opts.inputData ?? [])[0]?.dtype as DType | undefined) ?? 'float32';

  // Symbolic call.
  const symLayer = make();
  const symIn = shapes.map((s) => {
    const input = new InputLayer({ batchShape: s, dtype });
    return input.inboundNodes[0]?.outputTensors[0] as SymbolicTensor;
  });
  const symOut = symLayer.apply(multiInput ? symIn : (symIn[0] as SymbolicTensor), opts.callArgs);
  for (const t of listOf(symOut)) {
    if (!(t instanceof SymbolicTensor))
      fail(LayerClass, 'a symbolic call returned a non-symbolic output');
  }
  if (opts.expectedOutputShape !== undefined) {
    const got = Array.isArray(symOut) ? symOut.map((t) => t.shape) : symOut.shape;
    if (!same(got, opts.expectedOutputShape)) {
      fail(
        LayerClass,
        `symbolic output shape ${JSON.stringify(got)}, expected ${JSON.stringify(opts.expectedOutputShape)}`,
      );
    }
  }
  if (opts.expectedOutputDtype !== undefined) {
    for (const t of listOf(symOut)) {
      if (t.dtype !== opts.expectedOutputDtype) {
        fail(LayerClass, `symbolic output dtype ${t.dtype}, expected ${opts.expectedOutputDtype}`);
      }
    }
  }
  checkCounts(LayerClass, symLayer, opts);

  // Concrete call.
  const layer = make();
  const inputs =
    opts.inputData !== undefined
      ? listOf(opts.inputData)
      : shapes.map((s, i) =>
          dtype === 'float32'
            ? tf.randomNormal(s, 0, 1, 'float32', 1234 + i)
            : tf.cast(
                tf.randomUniform(s, 0, 4, 'float32', 1234 + i),
                dtype === 'bool' ? 'bool' : 'int32',
              ),
        );
  const x = multiInput ? inputs : (inputs[0] as tf.Tensor);
  const output = layer.apply(x, { training: false, ...opts.callArgs });
  const outputs = listOf(output);
  if (opts.expectedOutputShape !== undefined) {
    const expected = isShapeList(opts.expectedOutputShape)
      ? opts.expectedOutputShape
      : [opts.expectedOutputShape];
    outputs.forEach((t, i) => {
      const want = expected[i] ?? [];
      const ok =
        t.shape.length === want.length && want.every((d, j) => d === null || d === t.shape[j]);
      if (!ok) fail(LayerClass, `output shape [${t.shape}], expected ${JSON.stringify(want)}`);
    });
  }
  if (opts.expectedOutputDtype !== undefined) {
    for (const t of outputs) {
      const tfDtype = t.dtype;
      if (
        tfDtype !== opts.expectedOutputDtype &&
        !(opts.expectedOutputDtype.startsWith('float') && tfDtype === 'float32')
      ) {
        fail(LayerClass, `output dtype ${tfDtype}, expected ${opts.expectedOutputDtype}`);
      }
    }
  }
  if (opts.expectedOutput !== undefined) {
    const expected =
      opts.expectedOutput instanceof tf.Tensor
        ? opts.expectedOutput
        : tf.tensor(opts.expectedOutput);
    const problem = allclose(outputs[0] as tf.Tensor, expected, rtol, atol);
    if (problem !== null) fail(LayerClass, `output ${problem}`);
  }
  if (opts.expectedMaskShape !== undefined) {
    const mask = getKerasMask(outputs[0] as tf.Tensor);
    const got = mask === null ? null : mask.shape;
    if (!same(got, opts.expectedMaskShape)) {
      fail(
        LayerClass,
        `output mask shape ${JSON.stringify(got)}, expected ${JSON.stringify(opts.expectedMaskShape)}`,
      );
    }
  }
  checkCounts(LayerClass, layer, opts);
  if (opts.expectedNumLosses !== undefined && layer.losses.length !== opts.expectedNumLosses) {
    fail(
      LayerClass,
      `${layer.losses.length} losses after a call, expected ${opts.expectedNumLosses}`,
    );
  }

  // Built config round trip: the rebuilt layer takes the weights.
  const builtConfig = layer.getConfig();
  const again = LayerClass.fromConfig(builtConfig, { customObjects });
  if (!same(again.getConfig(), builtConfig))
    fail(LayerClass, 'config of a built layer does not round-trip');
  const buildConfig = layer.getBuildConfig();
  if (buildConfig !== null) {
    again.buildFromConfig(buildConfig);
    if (again.weights.length !== layer.weights.length) {
      fail(LayerClass, 'buildFromConfig(getBuildConfig()) made a different number of weights');
    }
    again.setWeights(layer.getWeights());
  }

  if (opts.checkLeaks ?? true) checkNoLeak(LayerClass, layer, x, opts.callArgs);
  if ((opts.runTrainingCheck ?? true) && layer.trainableWeights.length > 0) {
    checkTrainingStep(LayerClass, layer, x, opts.callArgs);
  }
  return { layer, output };
}

function checkCounts(cls: { name: string }, layer: Layer, opts: RunLayerTestOptions): void {
  const t = layer.trainableWeights.length;
  const n = layer.nonTrainableWeights.length;
  if (opts.expectedNumTrainableWeights !== undefined && t !== opts.expectedNumTrainableWeights) {
    fail(cls, `${t} trainable weights, expected ${opts.expectedNumTrainableWeights}`);
  }
  if (
    opts.expectedNumNonTrainableWeights !== undefined &&
    n !== opts.expectedNumNonTrainableWeights
  ) {
    fail(cls, `${n} non-trainable weights, expected ${opts.expectedNumNonTrainableWeights}`);
  }
}

function checkNoLeak(
  cls: { name: string },
  layer: Layer,
  x: tf.Tensor | tf.Tensor[],
  callArgs?: CallArgs,
): void {
  const before = tf.memory().numTensors;
  const out = listOf(layer.apply(x, { training: false, ...callArgs }));
  const inputs = new Set(listOf(x));
  const kept = new Set<tf.Tensor>();
  for (const t of out) {
    if (!inputs.has(t)) kept.add(t);
    const m = getKerasMask(t);
    if (m !== null && !inputs.has(m)) kept.add(m);
  }
  const after = tf.memory().numTensors;
  // Losses of this call are stored tensors; weight penalties are made on reading, not counted.
  const regularized = layer.trainableWeights.filter((w) => w.regularizer !== null).length;
  const callLosses = layer.losses.length - regularized;
  const extra = after - before - kept.size - callLosses;
  if (extra > 0) fail(cls, `a call left ${extra} intermediate tensor(s) undisposed`);
}

function checkTrainingStep(
  cls: { name: string },
  layer: Layer,
  x: tf.Tensor | tf.Tensor[],
  callArgs?: CallArgs,
): void {
  const vars = layer.trainableWeights.map((w) => w.value);
  const before = layer.trainableWeights.map((w) => tf.clone(w.read()));
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(() => {
      const outs = listOf(layer.apply(x, { ...callArgs, training: true }));
      let total = tf.scalar(0);
      for (const o of outs) if (o.dtype === 'float32') total = tf.add(total, tf.mean(tf.square(o)));
      for (const l of layer.losses) total = tf.add(total, tf.sum(l));
      return total as tf.Scalar;
    }, vars);
  } catch (err) {
    fail(cls, `no gradient for the trainable weights: ${(err as Error).message}`);
  }
  const { value, grads } = result;
  if (!Number.isFinite(value.dataSync()[0] as number)) fail(cls, 'training loss is not finite');
  for (const v of vars) {
    const g = grads[v.name];
    if (g === undefined) fail(cls, `no gradient for ${v.name}`);
    tf.tidy(() => v.assign(tf.sub(v, tf.mul(0.1, g))));
  }
  const moved = layer.trainableWeights.some((w, i) =>
    tf.tidy(
      () => (tf.max(tf.abs(tf.sub(w.read(), before[i] as tf.Tensor))).dataSync()[0] as number) > 0,
    ),
  );
  tf.dispose([value, ...before, ...Object.values(grads)]);
  if (!moved) fail(cls, 'one gradient step left every trainable weight unchanged');
}
