// The two models of the GPU check, shared by the keras-ts and tfjs-layers runners (no keras-ts
// import here: the tfjs-layers process must not load keras-ts, which registers its own gradients).
export const GPU_MODELS = {
  mlp: {
    batch: 256,
    input: [784],
    classes: 10,
    label: 'MLP 784-1024-1024-10 relu/relu/softmax, batch 256, Adam 1e-3',
  },
  cnn: {
    batch: 64,
    input: [28, 28, 1],
    classes: 10,
    label: 'CNN conv32-pool-conv64-pool-128-10 (tooling/bench shapes.mjs), batch 64, Adam 1e-3',
  },
};

/** The model spec for `name`, with an optional batch override (`batch` > 0). */
export function modelSpec(name, batch) {
  const spec = GPU_MODELS[name];
  if (!spec) {
    throw new Error(`Unknown model '${name}'. Expected one of: ${Object.keys(GPU_MODELS)}`);
  }
  return batch > 0 ? { ...spec, batch } : spec;
}

/** Batches per epoch so that an epoch lasts about a sixth of the budget (2 to 60 batches). */
export function batchesForBudget({ perBatchMs, budgetMs }) {
  return Math.max(2, Math.min(60, Math.round(budgetMs / 6 / perBatchMs)));
}

/** mulberry32: a tiny seeded PRNG, so every backend (and every process) sees the same numbers. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded, learnable data on the host: x uniform in [0, 1), y one-hot of argmax(x . W) for a fixed
 * random W, so a few epochs make the loss move and a wrong gradient shows.
 */
export function seededData(name, n, seed = 7) {
  const spec = GPU_MODELS[name];
  const features = spec.input.reduce((a, b) => a * b, 1);
  const rand = prng(seed);
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = rand();
  const w = new Float32Array(features * spec.classes);
  for (let i = 0; i < w.length; i++) w[i] = rand() - 0.5;
  const y = new Float32Array(n * spec.classes);
  for (let s = 0; s < n; s++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < spec.classes; c++) {
      let score = 0;
      for (let f = 0; f < features; f++) score += x[s * features + f] * w[f * spec.classes + c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    y[s * spec.classes + best] = 1;
  }
  return { x, xShape: [n, ...spec.input], y, yShape: [n, spec.classes] };
}

/** Seeded Glorot-uniform values for a weight of `shape` (zeros for rank-1 biases). */
export function seededWeight(shape, rand) {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (shape.length < 2) return values;
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const fanIn = receptive * shape.at(-2);
  const fanOut = receptive * shape.at(-1);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < size; i++) values[i] = (rand() * 2 - 1) * limit;
  return values;
}

/** 256 evenly spaced entries of each weight's change: a fingerprint of the update direction. */
export function updateFingerprint(before, after) {
  const out = [];
  for (let k = 0; k < before.length; k++) {
    const a = before[k];
    const b = after[k];
    const step = Math.max(1, Math.floor(a.length / 256));
    for (let i = 0; i < a.length; i += step) out.push(b[i] - a[i]);
  }
  return out;
}
