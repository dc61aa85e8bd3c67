// A Sequence used by the worker tests: plain JS so a worker thread can import it.
import * as tf from '@tensorflow/tfjs-core';

function busy(ms) {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}

export class Squares {
  constructor(args = {}) {
    this.n = args.n ?? 8;
    this.failAt = args.failAt ?? -1;
    this.crashAt = args.crashAt ?? -1;
    this.costMs = args.costMs ?? 0;
    this.asTensor = args.asTensor ?? true;
  }
  get length() {
    return this.n;
  }
  getItem(i) {
    if (i === this.failAt) throw new Error(`bad batch ${i}`);
    if (i === this.crashAt) process.exit(3);
    if (this.costMs) busy(this.costMs);
    if (!this.asTensor) return [new Float32Array([i, i + 0.5]), { out: [i * i] }];
    return [tf.tensor2d([[i, i + 0.5]]), { out: tf.tensor2d([[i * i]]) }];
  }
}
