import * as tf from '@tensorflow/tfjs-core';
import type { Logs } from '../callbacks/callback.js';

/** Where a log value comes from: a number, or a scalar tensor the logs read (and dispose). */
export type LogSource = () => number | tf.Tensor;

const PENDING = Symbol('keras-ts lazy log sources');

type LazyLogs = Logs & { [PENDING]?: Map<string, LogSource> };

function readNow(source: LogSource): number {
  const v = source();
  if (typeof v === 'number') return v;
  const value = v.dataSync()[0] as number;
  v.dispose();
  return value;
}

/**
 * Builds a logs object whose values are computed on first read and then cached. The fit loop
 * hands these to callbacks, so a step costs no device-to-host sync unless a callback (a progress
 * bar, History at epoch end) actually reads a value. A plain property read is a synchronous
 * device read; `resolveLogs` reads every pending value with one asynchronous download instead,
 * which is the only kind of read the WebGPU backend offers in Node.
 */
export function lazyLogs(entries: Iterable<[string, LogSource]>): Logs {
  const logs: LazyLogs = {};
  const pending = new Map<string, LogSource>();
  for (const [key, source] of entries) {
    let cached: number | undefined;
    pending.set(key, source);
    Object.defineProperty(logs, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (cached === undefined) {
          cached = readNow(source);
          pending.delete(key);
        }
        return cached;
      },
      set(v: number) {
        cached = v;
        pending.delete(key);
      },
    });
  }
  Object.defineProperty(logs, PENDING, { value: pending, enumerable: false });
  return logs;
}

/**
 * A plain snapshot of (possibly lazy) logs. Values still on the device are read together: one
 * stacked download, awaited, so it works on every backend and costs one sync however many
 * metrics there are.
 */
export async function resolveLogs(logs: Logs | undefined): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (!logs) return out;
  const pending = (logs as LazyLogs)[PENDING];
  if (pending && pending.size > 0) {
    const keys: string[] = [];
    const tensors: tf.Tensor[] = [];
    for (const [key, source] of [...pending]) {
      const v = source();
      if (typeof v === 'number') logs[key] = v;
      else {
        keys.push(key);
        tensors.push(v);
      }
    }
    if (tensors.length > 0) {
      // The first value of each (a log is one number; a vector metric logs its first entry).
      const stacked = tf.tidy(() =>
        tf.concat(tensors.map((t) => tf.cast(tf.slice(tf.reshape(t, [-1]), [0], [1]), 'float32'))),
      );
      tf.dispose(tensors);
      const values = await stacked.data();
      stacked.dispose();
      keys.forEach((key, i) => {
        logs[key] = values[i] as number;
      });
    }
  }
  for (const key of Object.keys(logs)) out[key] = logs[key] as number;
  return out;
}
