import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, release, swapLastTwo } from './kernel-utils.js';

/**
 * Wraps a wasm matMul kernel so transpose flags become an explicit Transpose kernel followed by
 * the plain product. XNNPACK's transposed path runs ~10x slower than transpose + plain matMul
 * (TOOLCHAIN.md), and every Dense/LSTM gradient sets those flags. It also sidesteps the wasm
 * _FusedMatMul adding its bias along the wrong axis when transposeB is set.
 */
function withExplicitTransposes(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc as KernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    if (!transposeA && !transposeB) return inner({ inputs, backend, attrs });
    const flip = (t: TensorInfo) =>
      callKernel('Transpose', 'wasm', backend, { x: t }, { perm: swapLastTwo(t.shape.length) });
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const aT = transposeA ? flip(a) : null;
    const bT = transposeB ? flip(b) : null;
    const plain: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
    const out = inner({ inputs: { ...inputs, a: aT ?? a, b: bT ?? b }, backend, attrs: plain });
    release(backend, aT, bT);
    return out;
  };
  return { ...original, kernelFunc };
}

const wrapped = new WeakSet<KernelFunc>();

/** Replaces the wasm BatchMatMul and _FusedMatMul kernels with their explicit-transpose form. */
export function registerFastMatMul(): void {
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const current = tf.getKernel(name, 'wasm');
    if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) continue;
    const next = withExplicitTransposes(current);
    wrapped.add(next.kernelFunc as KernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(next);
  }
}
