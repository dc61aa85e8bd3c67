/**
 * Device names in TF's spelling. A backend is one device in tfjs (it places every op on it), so
 * a session has one compute device, plus the host CPU when that device is a GPU.
 */

export interface DeviceSpec {
  /** `/device:CPU:0`, `/device:GPU:1`: what Keras's `list_devices` / TF print. */
  name: string;
  type: 'CPU' | 'GPU';
  /** The tfjs backend that runs ops placed there. */
  backend: string;
}

export type DeviceType = DeviceSpec['type'];

/** The full name TF logs placement with: `/job:localhost/replica:0/task:0/device:CPU:0`. */
export function fullDeviceName(type: DeviceType, index: number): string {
  return `/job:localhost/replica:0/task:0/device:${type}:${index}`;
}

export function shortDeviceName(type: DeviceType, index: number): string {
  return `/device:${type}:${index}`;
}

export interface DeviceLayout {
  backend: string;
  /** Whether the backend computes on a GPU. */
  gpu: boolean;
  /** GPUs visible to the backend (after visibleDeviceList). */
  gpuCount: number;
}

/** The devices a session exposes; the host CPU is always device CPU:0. */
export function listDevicesFor(layout: DeviceLayout): DeviceSpec[] {
  const devices: DeviceSpec[] = [
    { name: shortDeviceName('CPU', 0), type: 'CPU', backend: layout.gpu ? 'cpu' : layout.backend },
  ];
  if (layout.gpu) {
    for (let i = 0; i < layout.gpuCount; i++) {
      devices.push({ name: shortDeviceName('GPU', i), type: 'GPU', backend: layout.backend });
    }
  }
  return devices;
}

/**
 * Where kernels run: the CPU for CPU backends; for GPU backends the last visible GPU, which is
 * where tfjs-node-gpu puts every op (WebGPU has a single adapter, so GPU:0).
 */
export function computeDevice(layout: DeviceLayout): { type: DeviceType; index: number } {
  if (!layout.gpu) return { type: 'CPU', index: 0 };
  return { type: 'GPU', index: Math.max(0, layout.gpuCount - 1) };
}
