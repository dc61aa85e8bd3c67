/**
 * tfjs-node(-gpu) creates its TF context with default options and exposes no ConfigProto: the
 * only way in is the environment variables libtensorflow reads when the native addon loads. This
 * module maps a ConfigProto onto them; it never imports the addon, so it is testable without it.
 */
import type { ConfigProto } from './config-proto.js';

export interface TensorflowEnvironment {
  /** Variables to set before the addon loads. */
  vars: Record<string, string>;
  /** Options with no environment variable (honoured elsewhere or warned about by the session). */
  unmapped: string[];
}

export function tensorflowEnvironment(config: ConfigProto): TensorflowEnvironment {
  const vars: Record<string, string> = {};
  const unmapped: string[] = [];
  const gpu = config.gpuOptions;
  // Written both ways so a stale value in the user's shell cannot contradict the config.
  vars.TF_FORCE_GPU_ALLOW_GROWTH = gpu.allowGrowth ? 'true' : 'false';
  if (gpu.visibleDeviceList !== '') vars.CUDA_VISIBLE_DEVICES = gpu.visibleDeviceList;
  if (config.intraOpParallelismThreads > 0)
    vars.TF_NUM_INTRAOP_THREADS = String(config.intraOpParallelismThreads);
  if (config.interOpParallelismThreads > 0)
    vars.TF_NUM_INTEROP_THREADS = String(config.interOpParallelismThreads);
  if (gpu.allocatorType === 'cuda_malloc_async') vars.TF_GPU_ALLOCATOR = 'cuda_malloc_async';
  // TF prints placement and device info at INFO level; tfjs-node hides INFO unless this is 0.
  if (config.logDevicePlacement) vars.TF_CPP_MIN_LOG_LEVEL = '0';
  // TF has no variable for the fraction: the session's memory budget enforces it instead.
  if (gpu.perProcessGpuMemoryFraction !== undefined) unmapped.push('perProcessGpuMemoryFraction');
  return { vars, unmapped };
}

/**
 * Writes `vars` into `env` and returns the names whose value changed, so a caller can tell when
 * an already loaded addon would not see them.
 */
export function applyEnvironment(
  vars: Record<string, string>,
  env: Record<string, string | undefined>,
): string[] {
  const changed: string[] = [];
  for (const [name, value] of Object.entries(vars)) {
    if (env[name] !== value) changed.push(name);
    env[name] = value;
  }
  return changed;
}
