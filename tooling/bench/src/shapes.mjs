// The three models of the performance issue, with their sizes, shared by every runner.
export const MODELS = {
  mlp: { batch: 128, input: [784], classes: 10, label: 'MLP 784-256-256-10, batch 128, Adam 1e-3' },
  cnn: {
    batch: 64,
    input: [28, 28, 1],
    classes: 10,
    label: 'CNN conv32-pool-conv64-pool-128-10, batch 64, Adam',
  },
  lstm: {
    batch: 64,
    input: [50, 32],
    classes: 1,
    label: 'LSTM(128) over 50x32, Dense 1, batch 64, Adam',
  },
};

/** Training FLOPs per sample (forward + backward = 3x forward multiply-adds x 2). */
export function trainFlopsPerSample(name) {
  if (name === 'mlp') return 3 * 2 * (784 * 256 + 256 * 256 + 256 * 10);
  if (name === 'cnn') {
    const conv1 = 26 * 26 * 32 * 9;
    const conv2 = 11 * 11 * 64 * 9 * 32;
    return 3 * 2 * (conv1 + conv2 + 1600 * 128 + 128 * 10);
  }
  return 3 * 2 * 50 * (4 * 128 * (32 + 128)) + 3 * 2 * 128;
}
