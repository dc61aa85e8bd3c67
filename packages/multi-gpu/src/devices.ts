import { availableParallelism } from 'node:os';
import { type DeviceSpec, listDevices as sessionDevices } from '@keras-ts/backend';

/** A device a replica can run on. */
export interface ReplicaDevice {
  /** Canonical name: `/cpu:0`, `/gpu:1`. */
  name: string;
  type: 'CPU' | 'GPU';
  index: number;
}

const DEVICE_RE =
  /^\/?(?:job:[^/]+\/)?(?:replica:\d+\/)?(?:task:\d+\/)?(?:device:)?(cpu|gpu):(\d+)$/i;

/** Parses `/cpu:0`, `/gpu:1`, `/device:GPU:1`, `/job:localhost/replica:0/task:0/device:CPU:0`. */
export function parseDevice(name: string): ReplicaDevice {
  const m = DEVICE_RE.exec(String(name).trim());
  if (!m) {
    throw new Error(
      `Unknown device name: '${name}'. Expected names like '/cpu:0', '/gpu:1' or '/device:GPU:1'.`,
    );
  }
  const type = (m[1] as string).toUpperCase() as 'CPU' | 'GPU';
  const index = Number(m[2]);
  return { name: `/${type.toLowerCase()}:${index}`, type, index };
}

/**
 * Devices replicas can use: one CPU "device" per core (the wasm backend is single-threaded, so
 * each core runs its own replica), plus the GPUs the current session sees.
 */
export function listDevices(): ReplicaDevice[] {
  const out: ReplicaDevice[] = [];
  const cores = availableParallelism();
  for (let i = 0; i < cores; i++) out.push({ name: `/cpu:${i}`, type: 'CPU', index: i });
  let gpus: DeviceSpec[] = [];
  try {
    gpus = sessionDevices().filter((d) => d.type === 'GPU');
  } catch {
    gpus = [];
  }
  gpus.forEach((_, i) => {
    out.push({ name: `/gpu:${i}`, type: 'GPU', index: i });
  });
  return out;
}

export interface ResolveOptions {
  gpus?: number | number[];
  devices?: string[];
}

/**
 * Keras 2's `multi_gpu_model` checks: `gpus` must be >= 2 (or a list of ids) and every
 * requested device must exist; the errors name what was expected and what is there.
 */
export function resolveDevices(
  options: ResolveOptions,
  available = listDevices(),
): ReplicaDevice[] {
  const { gpus, devices } = options;
  if ((gpus === undefined) === (devices === undefined)) {
    throw new Error(
      `Pass exactly one of \`gpus\` (a count >= 2 or a list of GPU ids) or \`devices\` (e.g. ['/cpu:0', '/cpu:1']). Received: gpus=${JSON.stringify(gpus)}, devices=${JSON.stringify(devices)}`,
    );
  }
  const availableNames = available.map((d) => d.name);
  let wanted: ReplicaDevice[];
  if (devices !== undefined) {
    if (!Array.isArray(devices) || devices.length < 1) {
      throw new Error(
        `\`devices\` must be a non-empty list of device names. Received: devices=${JSON.stringify(devices)}`,
      );
    }
    wanted = devices.map(parseDevice);
  } else if (Array.isArray(gpus)) {
    if (gpus.length <= 1) {
      throw new Error(
        `For multi-gpu usage to be effective, call \`multiGpuModel\` with \`len(gpus) >= 2\`. Received: \`gpus=${JSON.stringify(gpus)}\``,
      );
    }
    wanted = gpus.map((g) => parseDevice(`/gpu:${g}`));
  } else {
    if (!Number.isInteger(gpus) || (gpus as number) <= 1) {
      throw new Error(
        `For multi-gpu usage to be effective, call \`multiGpuModel\` with \`gpus >= 2\`. Received: \`gpus=${gpus}\``,
      );
    }
    wanted = Array.from({ length: gpus as number }, (_, i) => parseDevice(`/gpu:${i}`));
  }
  const seen = new Set<string>();
  for (const d of wanted) {
    if (seen.has(d.name))
      throw new Error(
        `Device ${d.name} is listed twice. Received: ${JSON.stringify(wanted.map((w) => w.name))}`,
      );
    seen.add(d.name);
  }
  const missing = wanted.filter((d) => !availableNames.includes(d.name));
  if (missing.length > 0) {
    const expected = ['/cpu:0', ...wanted.map((d) => d.name).filter((n) => n !== '/cpu:0')];
    throw new Error(
      `To call \`multiGpuModel\` with ${devices ? `devices=${JSON.stringify(devices)}` : `gpus=${JSON.stringify(gpus)}`}, we expect the following devices to be available: ${JSON.stringify(expected)}. However this machine only has: ${JSON.stringify(availableNames)}. Try reducing ${devices ? '`devices`' : '`gpus`'}.`,
    );
  }
  return wanted;
}
