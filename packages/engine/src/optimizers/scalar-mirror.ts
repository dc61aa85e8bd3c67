import { hostRead } from '@keras-ts/backend';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * A scalar variable's value known on the host (the step counter, a constant learning rate), so
 * reading it costs no device sync, which the WebGPU backend in Node cannot do at all. The copy is
 * trusted only while the variable still holds the data this mirror last saw: any other assign
 * (loading optimizer state, `setWeights`) gives the variable new data, and the next read goes to
 * the device once.
 */
export class ScalarMirror {
  private value: number | null = null;
  private dataId: object | null = null;

  constructor(private readonly variable: () => tf.Variable) {}

  /** Records that the variable now holds `value` (right after assigning it). */
  wrote(value: number): void {
    this.value = value;
    this.dataId = this.variable().dataId;
  }

  /** The host copy if it is still the variable's value, else null. */
  get known(): number | null {
    return this.value !== null && this.variable().dataId === this.dataId ? this.value : null;
  }

  /** The value: the host copy when current, else one read of the device (then kept). */
  read(): number {
    const known = this.known;
    if (known !== null) return known;
    const v = hostRead(this.variable())[0] as number;
    this.wrote(v);
    return v;
  }
}
