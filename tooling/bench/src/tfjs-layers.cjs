// tfjs-layers 4.22 as its users run it: @tensorflow/tfjs (core + gradients + layers) with the
// wasm or cpu backend. Prints one JSON line. Usage: node tfjs-layers.cjs <model> <backend> <seconds>
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

const [model, backend, seconds = '8'] = process.argv.slice(2);
const sizes = { mlp: [128, [784], 10], cnn: [64, [28, 28, 1], 10], lstm: [64, [50, 32], 1] };

function build(name) {
  const L = tf.layers;
  if (name === 'mlp') {
    return tf.sequential({
      layers: [
        L.dense({ units: 256, activation: 'relu', inputShape: [784] }),
        L.dense({ units: 256, activation: 'relu' }),
        L.dense({ units: 10, activation: 'softmax' }),
      ],
    });
  }
  if (name === 'cnn') {
    return tf.sequential({
      layers: [
        L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
        L.maxPooling2d({ poolSize: 2 }),
        L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        L.maxPooling2d({ poolSize: 2 }),
        L.flatten(),
        L.dense({ units: 128, activation: 'relu' }),
        L.dense({ units: 10, activation: 'softmax' }),
      ],
    });
  }
  // Orthogonal (the default recurrent initializer) calls chained ops tfjs-core lacks in Node.
  return tf.sequential({
    layers: [
      L.lstm({ units: 128, inputShape: [50, 32], recurrentInitializer: 'glorotUniform' }),
      L.dense({ units: 1 }),
    ],
  });
}

(async () => {
  tf.enableProdMode();
  await tf.setBackend(backend);
  const [batch, input, classes] = sizes[model];
  const m = build(model);
  m.compile({
    optimizer: tf.train.adam(1e-3),
    loss: model === 'lstm' ? 'meanSquaredError' : 'categoricalCrossentropy',
  });
  const x = tf.randomUniform([batch, ...input]);
  const y =
    model === 'lstm'
      ? tf.randomUniform([batch, 1])
      : tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32'), classes);
  const result = { runner: 'tfjs-layers', model, backend, batch };
  try {
    // The cpu backend trains the CNN at a few samples/s: a warm-up step there would double a
    // run that one timed step already measures well (it has no kernels to compile).
    if (backend !== 'cpu') await m.trainOnBatch(x, y);
    const tensors = [];
    let steps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < Number(seconds) * 1000 || steps < 1) {
      await m.trainOnBatch(x, y);
      steps++;
      tensors.push(tf.memory().numTensors);
    }
    const dt = (performance.now() - t0) / 1000;
    Object.assign(result, {
      samplesPerSec: (steps * batch) / dt,
      steps,
      numTensorsPerStep: [...new Set(tensors)].slice(0, 3),
    });
  } catch (err) {
    result.error = String(err?.message ?? err)
      .split('\n')[0]
      .slice(0, 160);
  }
  result.peakRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify(result));
})();
