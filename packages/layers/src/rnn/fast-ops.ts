import type { KernelBackend, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Ops the recurrent loop runs once per timestep, written so that their cost does not grow with
 * the length of the sequence.
 *
 * Why not `tf.unstack` / `tf.split`: the wasm backend implements both with its Slice kernel,
 * which copies the whole input out of the heap for every slice. Unstacking the projected inputs
 * of a [50, 64, 512] sequence that way costs ~300 ms; gathering each step costs ~0.05 ms.
 * Why not `tf.matMul`'s own gradient: it uses the transposeA/B flags, which run ~10x slower on
 * wasm than an explicit transpose followed by a plain product.
 */

const UNSTACK_KERNEL = 'KerasTsUnstackGather';

const registeredBackends = new Set<string>();

function unstackKernel(args: {
  inputs: { x?: TensorInfo };
  backend: unknown;
  attrs?: NamedAttrMap;
}): TensorInfo[] {
  const x = args.inputs.x;
  if (x === undefined) throw new Error(`${UNSTACK_KERNEL} expects an input "x".`);
  const backend = args.backend as KernelBackend;
  const axis = Number(args.attrs?.axis ?? 0);
  const gather = tf.getKernel('GatherV2', tf.getBackend());
  if (gather === undefined) {
    throw new Error(`The "${tf.getBackend()}" backend has no GatherV2 kernel to unstack with.`);
  }
  const count = x.shape[axis] ?? 0;
  const outs: TensorInfo[] = [];
  for (let i = 0; i < count; i++) {
    const dataId = backend.write(new Int32Array([i]), [1], 'int32');
    const indices: TensorInfo = { dataId, shape: [1], dtype: 'int32' };
    const out = gather.kernelFunc({
      inputs: { x, indices },
      attrs: { axis, batchDims: 0 },
      backend,
    }) as TensorInfo;
    backend.disposeData(dataId);
    outs.push(out);
  }
  return outs;
}

function ensureUnstackKernel(): void {
  const backendName = tf.getBackend();
  if (registeredBackends.has(backendName)) return;
  if (tf.getKernel(UNSTACK_KERNEL, backendName) === undefined) {
    tf.registerKernel({ kernelName: UNSTACK_KERNEL, backendName, kernelFunc: unstackKernel });
  }
  if (!tf.getGradient(UNSTACK_KERNEL)) {
    tf.registerGradient({
      kernelName: UNSTACK_KERNEL,
      gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
        const dys = Array.isArray(dy) ? dy : [dy];
        return { x: () => tf.concat(dys, Number(attrs.axis ?? 0)) };
      },
    });
  }
  registeredBackends.add(backendName);
}

/**
 * `tf.unstack(x, axis)` whose forward cost is one gather per piece (never a copy of the whole
 * input) and whose gradient is a single concat.
 */
export function unstackFast(x: Tensor, axis = 0): Tensor[] {
  const ax = axis < 0 ? axis + x.rank : axis;
  if (ax < 0 || ax >= x.rank) {
    throw new Error(
      `unstackFast: axis must lie in [-${x.rank}, ${x.rank}). Received: axis=${axis}`,
    );
  }
  ensureUnstackKernel();
  const pieces = tf.engine().runKernel(UNSTACK_KERNEL, { x }, { axis: ax }) as Tensor[];
  const shape = x.shape.filter((_, i) => i !== ax);
  return pieces.map((p) => tf.reshape(p, shape));
}

const MATMUL_KERNEL = 'KerasTsMatMul';
const matMulBackends = new Set<string>();

function ensureMatMulKernel(): void {
  const backendName = tf.getBackend();
  if (matMulBackends.has(backendName)) return;
  if (tf.getKernel(MATMUL_KERNEL, backendName) === undefined) {
    const batchMatMul = tf.getKernel('BatchMatMul', backendName);
    if (batchMatMul === undefined) {
      throw new Error(`The "${backendName}" backend has no BatchMatMul kernel.`);
    }
    tf.registerKernel({
      kernelName: MATMUL_KERNEL,
      backendName,
      kernelFunc: (args) =>
        batchMatMul.kernelFunc({ ...args, attrs: { transposeA: false, transposeB: false } }),
    });
  }
  if (!tf.getGradient(MATMUL_KERNEL)) {
    tf.registerGradient({
      kernelName: MATMUL_KERNEL,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const g = Array.isArray(dy) ? (dy[0] as Tensor) : dy;
        const [a, b] = saved as [Tensor, Tensor];
        return {
          a: () => tf.matMul(g, tf.transpose(b)),
          b: () => tf.matMul(tf.transpose(a), g),
        };
      },
    });
  }
  matMulBackends.add(backendName);
}

/**
 * `a @ b` for 2-D operands, with a gradient made of explicit transposes and plain products
 * (the fast path on wasm), and nothing copied to save the operands for the backward pass.
 */
export function matMulFast(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(
      `matMulFast multiplies (m, k) by (k, n) matrices. Received: (${a.shape.join(', ')}) and (${b.shape.join(', ')})`,
    );
  }
  ensureMatMulKernel();
  return tf.engine().runKernel(MATMUL_KERNEL, { a, b }, {}) as Tensor;
}

/**
 * `tf.stack(xs, axis)` whose gradient is `unstackFast` (tfjs-core's Pack gradient goes through
 * the slicing `tf.unstack`).
 */
export function stackFast(xs: Tensor[], axis = 0): Tensor {
  const stack = tf.customGrad((...args: (Tensor | tf.GradSaveFunc)[]) => {
    const inputs = args.slice(0, xs.length) as Tensor[];
    return {
      value: tf.stack(inputs, axis),
      gradFunc: (dy: Tensor) => unstackFast(dy, axis),
    };
  }) as (...ts: Tensor[]) => Tensor;
  return stack(...xs);
}
