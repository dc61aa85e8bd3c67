/**
 * `log_device_placement`: one line per kernel executed, `MatMul: /job:localhost/.../device:CPU:0`.
 * tfjs's engine looks each kernel up in the global registry on every run, so wrapping the
 * registered kernelFuncs of one backend sees every op. The wrappers exist only while logging is
 * on; uninstalling puts the original registrations back, so "off" runs the untouched code path.
 */
import * as tf from '@tensorflow/tfjs-core';

export type PlacementLogger = (line: string) => void;

/**
 * stderr through `console.error`, looked up at each call: notebook kernels (tslab, Deno's
 * Jupyter kernel) and worker threads redirect `console`, not file descriptor 2, which is why
 * TF's own C++ log never showed up in Jupyter.
 */
export const defaultPlacementLogger: PlacementLogger = (line) => {
  globalThis.console.error(line);
};

export interface PlacementLogOptions {
  backendName: string;
  /** Full TF device name, e.g. `/job:localhost/replica:0/task:0/device:CPU:0`. */
  device: string;
  logger?: PlacementLogger;
}

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** Wraps every kernel registered for the backend; returns the function that unwraps them. */
export function installPlacementLog(options: PlacementLogOptions): () => void {
  const { backendName, device } = options;
  const logger = options.logger ?? defaultPlacementLogger;
  const wrapped = new Map<string, { original: tf.KernelConfig; wrapper: KernelFunc }>();
  for (const config of tf.getKernelsForBackend(backendName)) {
    const line = `${config.kernelName}: ${device}`;
    const inner = config.kernelFunc;
    const wrapper: KernelFunc = (args) => {
      logger(line);
      return inner(args);
    };
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({ ...config, kernelFunc: wrapper });
    wrapped.set(config.kernelName, { original: config, wrapper });
  }
  return () => {
    for (const [kernelName, { original, wrapper }] of wrapped) {
      const current = tf.getKernel(kernelName, backendName);
      // Someone re-registered the kernel since: theirs stays, ours is already gone.
      if (current?.kernelFunc !== wrapper) continue;
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel(original);
    }
    wrapped.clear();
  };
}
