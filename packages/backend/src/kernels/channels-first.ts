import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { channelsLastPad } from './conv2d-backprop-filter.js';
import { callKernel, release } from './kernel-utils.js';

/**
 * The wasm Conv2D and FusedConv2D kernels reject NCHW (Keras channels_first). This wrapper moves
 * the input to NHWC, runs the XNNPACK kernel and moves the result back: two transposes, far
 * cheaper than the cpu fallback.
 */
function acceptChannelsFirst(original: KernelConfig): KernelConfig {
  const inner = original.kernelFunc as KernelFunc;
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const a = (attrs ?? {}) as NamedAttrMap;
    if (a.dataFormat !== 'NCHW') return inner({ inputs, backend, attrs });
    const x = inputs.x as TensorInfo;
    const xLast = callKernel('Transpose', 'wasm', backend, { x }, { perm: [0, 2, 3, 1] });
    const lastAttrs: NamedAttrMap = {
      ...a,
      dataFormat: 'NHWC',
      pad: channelsLastPad(a.pad, 'NCHW') as NamedAttrMap[string],
    };
    const yLast = inner({
      inputs: { ...inputs, x: xLast },
      backend,
      attrs: lastAttrs,
    }) as TensorInfo;
    const y = callKernel('Transpose', 'wasm', backend, { x: yLast }, { perm: [0, 3, 1, 2] });
    release(backend, xLast, yLast);
    return y;
  };
  return { ...original, kernelFunc };
}

const wrapped = new WeakSet<KernelFunc>();

/** Lets wasm Conv2D and FusedConv2D take NCHW inputs. */
export function registerChannelsFirstConv(): void {
  for (const name of ['Conv2D', 'FusedConv2D']) {
    const current = tf.getKernel(name, 'wasm');
    if (current == null || wrapped.has(current.kernelFunc as KernelFunc)) continue;
    const next = acceptChannelsFirst(current);
    wrapped.add(next.kernelFunc as KernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(next);
  }
}
