import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { callKernel, release } from './kernel-utils.js';
import { convWindows } from './patches.js';

type Shape4 = [number, number, number, number];

/**
 * Below this many input channels the XNNPACK conv runs far under its usual rate (measured
 * ~0.8 GFLOP/s for a 1-channel image against ~17 for 32 channels); the windows of so few
 * channels are cheap to gather, so one matMul over them is faster.
 */
export const IM2COL_MAX_CHANNELS = 4;

/** y = windows(x) `[R, CI*KH*KW]` @ filter rows reordered to (ci, kh, kw) `[CI*KH*KW, CO]`. */
function conv2dByMatMul(
  backend: unknown,
  x: TensorInfo,
  filter: TensorInfo,
  a: NamedAttrMap,
): TensorInfo {
  const filterShape = filter.shape as Shape4;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filterShape,
    a.strides as number | [number, number],
    (a.dilations ?? 1) as number | [number, number],
    a.pad as Parameters<typeof tf.backend_util.computeConv2DInfo>[4],
    a.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const [kh, kw, ci, co] = filterShape;
  const k = kh * kw * ci;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const windows = convWindows(backend, x, info);
  const lhs = callKernel('Reshape', 'wasm', backend, { x: windows }, { shape: [1, rows, k] });
  const cFirst = callKernel('Transpose', 'wasm', backend, { x: filter }, { perm: [2, 0, 1, 3] });
  const rhs = callKernel('Reshape', 'wasm', backend, { x: cFirst }, { shape: [1, k, co] });
  const product = callKernel(
    'BatchMatMul',
    'wasm',
    backend,
    { a: lhs, b: rhs },
    {
      transposeA: false,
      transposeB: false,
    },
  );
  const out = callKernel(
    'Reshape',
    'wasm',
    backend,
    { x: product },
    {
      shape: [info.batchSize, info.outHeight, info.outWidth, co],
    },
  );
  release(backend, windows, lhs, cFirst, rhs, product);
  return out;
}

const wrapped = new WeakSet<KernelFunc>();

function withIm2col(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc as KernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const a = (attrs ?? {}) as NamedAttrMap;
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const channels = filter.shape[2] ?? 0;
    if (a.dataFormat === 'NCHW' || channels > IM2COL_MAX_CHANNELS) {
      return inner({ inputs, backend, attrs });
    }
    return conv2dByMatMul(backend, x, filter, a);
  };
  return { ...original, kernelFunc };
}

/** Routes wasm Conv2D with few input channels through im2col + matMul. */
export function registerIm2colConv(): void {
  const current = tf.getKernel('Conv2D', 'wasm');
  if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) return;
  const next = withIm2col(current);
  wrapped.add(next.kernelFunc as KernelFunc);
  tf.unregisterKernel('Conv2D', 'wasm');
  tf.registerKernel(next);
}
