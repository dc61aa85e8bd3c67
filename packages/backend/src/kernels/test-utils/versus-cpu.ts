import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { rng } from '../../gradients/test-utils/grad-check.js';

export interface KernelCase {
  kernel: string;
  /** Input name -> shape (random floats) or explicit values with shape and dtype. */
  inputs: Record<
    string,
    number[] | { shape: number[]; values: number[]; dtype?: 'int32' | 'float32' }
  >;
  attrs: NamedAttrMap;
  seed?: number;
}

function build(c: KernelCase): Record<string, Tensor> {
  const next = rng(c.seed ?? 7);
  const out: Record<string, Tensor> = {};
  for (const [name, spec] of Object.entries(c.inputs)) {
    if (Array.isArray(spec)) {
      const n = spec.reduce((a, b) => a * b, 1);
      out[name] = tf.tensor(
        Float32Array.from({ length: n }, () => next() * 2 - 1),
        spec,
      );
    } else {
      out[name] = tf.tensor(spec.values, spec.shape, spec.dtype ?? 'float32');
    }
  }
  return out;
}

async function runOn(
  backend: string,
  c: KernelCase,
): Promise<{ shape: number[]; values: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const y = tf.engine().runKernel(c.kernel, build(c), c.attrs) as Tensor;
    return { shape: [...y.shape], values: Array.from(y.dataSync()) };
  });
}

/** Runs one kernel on wasm and on the cpu backend with the same inputs; they must agree. */
export async function expectWasmMatchesCpu(c: KernelCase, rtol = 1e-4, atol = 1e-5): Promise<void> {
  const wasm = await runOn('wasm', c);
  const cpu = await runOn('cpu', c);
  await tf.setBackend('wasm');
  expect(wasm.shape).toEqual(cpu.shape);
  expect(wasm.values).toBeAllclose(cpu.values, { rtol, atol });
}

/** Output shape of the forward op, read on cpu, so dy has the right shape. */
export function forwardShape(f: () => Tensor): number[] {
  return tf.tidy(() => [...f().shape]);
}
