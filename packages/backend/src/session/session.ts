/**
 * `tf.Session(config=...)`: resolves the requested backend (with soft placement), applies the
 * config and installs the placement log and memory budget for as long as it is the active
 * session. `setSession` (current.ts) opens it; construction only validates.
 */
import {
  computeDevice,
  type DeviceSpec,
  fullDeviceName,
  listDevicesFor,
  shortDeviceName,
} from '../devices/devices.js';
import { deviceMemoryBytes, installMemoryBudget } from '../memory/memory-budget.js';
import { installPlacementLog, type PlacementLogger } from '../placement/placement-log.js';
import { activateBackend } from './activate.js';
import {
  type BackendName,
  type BackendRequest,
  checkBackendRequest,
  defaultImporter,
  FALLBACK_ORDER,
  INSTALL_HINT,
  loadBackend,
  type ModuleImporter,
} from './backends.js';
import { ConfigProto, type ConfigProtoInit, processEnv } from './config-proto.js';

export interface SessionOptions {
  /** A ConfigProto, or the fields of one. */
  config?: ConfigProto | ConfigProtoInit;
  /** Default 'auto': the best installed backend (tensorflow, webgpu, wasm, cpu). */
  backend?: BackendRequest;
  /** Receives the placement log lines (default: stderr through console.error). */
  logger?: PlacementLogger;
  /** Receives warnings and soft-placement lines (default: console.warn). */
  warn?: (message: string) => void;
  /** Loads optional peers; replaceable so tests can stand in for the native addon. */
  importModule?: ModuleImporter;
  /** Where tensorflow's environment variables go (default: process.env). */
  env?: Record<string, string | undefined>;
}

interface Opened {
  backend: BackendName;
  gpu: boolean;
  devices: DeviceSpec[];
  budgetBytes: number | undefined;
  uninstall: (() => void)[];
}

const defaultWarn = (message: string) => globalThis.console.warn(message);

export class Session {
  readonly config: ConfigProto;
  readonly backendRequest: BackendRequest;
  readonly #logger: PlacementLogger | undefined;
  readonly #warn: (message: string) => void;
  readonly #importModule: ModuleImporter;
  readonly #env: Record<string, string | undefined>;
  #opened: Opened | null = null;
  /** Messages already given: reopening a session (after a failed switch) repeats none. */
  readonly #said = new Set<string>();

  constructor(options: SessionOptions = {}) {
    this.config =
      options.config instanceof ConfigProto ? options.config : new ConfigProto(options.config);
    this.backendRequest = checkBackendRequest(options.backend ?? 'auto');
    this.#logger = options.logger;
    const warn = options.warn ?? defaultWarn;
    this.#warn = (message) => {
      if (this.#said.has(message)) return;
      this.#said.add(message);
      warn(message);
    };
    this.#importModule = options.importModule ?? defaultImporter;
    this.#env = options.env ?? processEnv();
  }

  /** The backend in use once opened, else null. */
  get backend(): BackendName | null {
    return this.#opened?.backend ?? null;
  }

  get isOpen(): boolean {
    return this.#opened !== null;
  }

  /** The session's devices once opened (CPU:0, plus GPUs on a GPU backend), else []. */
  get devices(): DeviceSpec[] {
    return this.#opened ? [...this.#opened.devices] : [];
  }

  /** The enforced budget for live tensor bytes, if any. */
  get memoryBudgetBytes(): number | undefined {
    return this.#opened?.budgetBytes;
  }

  /**
   * Chooses and activates the backend and installs the hooks. Idempotent while open. Throws
   * (changing nothing) when the backend or a device is missing and soft placement is off.
   */
  async open(): Promise<this> {
    if (this.#opened) return this;
    const soft = this.config.allowSoftPlacement;
    const auto = this.backendRequest === 'auto';
    // 'auto' walks the whole order by definition; an explicit request only under soft placement.
    const chain =
      soft || auto ? FALLBACK_ORDER[this.backendRequest] : [this.backendRequest as BackendName];
    let firstFailure: string | null = null;
    for (const name of chain) {
      const loaded = await loadBackend(name, {
        config: this.config,
        importModule: this.#importModule,
        env: this.#env,
        warn: this.#warn,
      });
      if (!loaded.ok) {
        firstFailure ??= `backend '${name}' is not available (${loaded.reason})`;
        continue;
      }
      const deviceFailure = this.#checkDevices(name, loaded.gpu);
      if (deviceFailure !== null && !soft) {
        // The backend is there (under 'auto', after others were skipped): the device is the miss.
        firstFailure = deviceFailure;
        break;
      }
      if (!(await activateBackend(name))) {
        loaded.release?.();
        firstFailure ??= `backend '${name}' failed to initialise`;
        continue;
      }
      // A missing device keeps the backend, on the devices it has.
      const fellBack = auto ? null : firstFailure;
      const failure = fellBack ?? deviceFailure;
      if (failure !== null) this.#warn(this.#placementMessage(failure, { name, gpu: loaded.gpu }));
      this.#finishOpen(name, loaded.gpu);
      return this;
    }
    throw new Error(this.#placementMessage(firstFailure ?? 'no backend could start', null));
  }

  /** Removes this session's hooks (placement log, memory budget). Tensors are left alone. */
  close(): void {
    if (!this.#opened) return;
    for (const undo of this.#opened.uninstall.reverse()) undo();
    this.#opened = null;
  }

  /** Null when every visibleDeviceList GPU exists on `backend`, else what is missing. */
  #checkDevices(backend: BackendName, gpu: boolean): string | null {
    const wanted = this.config.gpuOptions.visibleDeviceIndices();
    if (wanted.length === 0) return null;
    // CUDA_VISIBLE_DEVICES does the choosing for tfjs-node-gpu; the process cannot count GPUs.
    if (backend === 'tensorflow' && gpu) return null;
    const available = gpu ? 1 : 0;
    const missing = wanted.filter((i) => i >= available);
    if (missing.length === 0) return null;
    const names = missing.map((i) => shortDeviceName('GPU', i)).join(', ');
    return `device ${names} (visibleDeviceList='${this.config.gpuOptions.visibleDeviceList}') is not available on backend '${backend}', which has ${available === 0 ? 'no GPU' : `${available} GPU (/device:GPU:0)`}`;
  }

  #placementMessage(failure: string, used: { name: BackendName; gpu: boolean } | null): string {
    const asked = this.backendRequest;
    const hintFor: BackendName = asked === 'auto' ? 'tensorflow' : asked;
    const missingBackend = failure.startsWith('backend ');
    const install = missingBackend ? INSTALL_HINT[hintFor] : INSTALL_HINT.tensorflow;
    if (used === null) {
      return `Session asked for backend '${asked}' but ${failure}, and allowSoftPlacement is false. To fix: ${install}, or set config.allowSoftPlacement = true to fall back (order: ${FALLBACK_ORDER[asked].join(' -> ')}).`;
    }
    return `Soft placement: asked for backend '${asked}', but ${failure}; using '${used.name}' (${shortDeviceName(used.gpu ? 'GPU' : 'CPU', 0)}) instead. To get what was asked: ${install}.`;
  }

  #finishOpen(name: BackendName, gpu: boolean): void {
    const visible = this.config.gpuOptions.visibleDeviceIndices();
    const gpuCount = !gpu ? 0 : name === 'tensorflow' && visible.length > 0 ? visible.length : 1;
    const layout = { backend: name, gpu, gpuCount };
    const compute = computeDevice(layout);
    const uninstall: (() => void)[] = [];
    this.#warnUnhonoured(name);
    const budget = this.#budget(name);
    if (budget !== undefined) {
      uninstall.push(
        installMemoryBudget({
          backendName: name,
          budgetBytes: budget.bytes,
          budgetSource: budget.source,
          device: shortDeviceName(compute.type, compute.index),
          // tfjs-node allocates kernel outputs natively, past `write`.
          checkKernelOutputs: name === 'tensorflow',
        }),
      );
    }
    if (this.config.logDevicePlacement) {
      uninstall.push(
        installPlacementLog({
          backendName: name,
          device: fullDeviceName(compute.type, compute.index),
          ...(this.#logger ? { logger: this.#logger } : {}),
        }),
      );
    }
    this.#opened = {
      backend: name,
      gpu,
      devices: listDevicesFor(layout),
      budgetBytes: budget?.bytes,
      uninstall,
    };
  }

  #budget(name: BackendName): { bytes: number; source: string } | undefined {
    const limit = this.config.memoryLimitBytes;
    const fraction = this.config.gpuOptions.perProcessGpuMemoryFraction;
    const candidates: { bytes: number; source: string }[] = [];
    if (limit !== undefined) candidates.push({ bytes: limit, source: `memoryLimitBytes=${limit}` });
    if (fraction !== undefined) {
      const total = deviceMemoryBytes(name);
      if (total === undefined) {
        this.#warn(
          `perProcessGpuMemoryFraction=${fraction} cannot be honoured by the '${name}' backend: it does not report its device's memory size. Set config.memoryLimitBytes to a byte budget instead${limit === undefined ? '' : ` (memoryLimitBytes=${limit} is enforced)`}.`,
        );
      } else {
        candidates.push({
          bytes: Math.floor(total * fraction),
          source: `perProcessGpuMemoryFraction=${fraction} of ${total} bytes`,
        });
      }
    }
    return candidates.sort((a, b) => a.bytes - b.bytes)[0];
  }

  /** One warning per option the chosen backend cannot apply. */
  #warnUnhonoured(name: BackendName): void {
    if (name === 'tensorflow') return; // every option maps to an environment variable there
    const why =
      name === 'webgpu'
        ? 'WebGPU schedules work on the GPU queue; there are no CPU thread pools to size'
        : `tfjs runs the '${name}' backend on one thread in Node; use worker replicas (@keras-ts/multi-gpu, devices ['/cpu:0', '/cpu:1']) for more cores`;
    for (const option of ['intraOpParallelismThreads', 'interOpParallelismThreads'] as const) {
      const value = this.config[option];
      if (value > 0) {
        this.#warn(`${option}=${value} cannot be honoured by the '${name}' backend: ${why}.`);
      }
    }
    if (this.config.gpuOptions.allocatorType !== 'BFC') {
      this.#warn(
        `allocatorType='${this.config.gpuOptions.allocatorType}' cannot be honoured by the '${name}' backend: it is a TF GPU allocator (TF_GPU_ALLOCATOR), used only by the 'tensorflow' backend.`,
      );
    }
  }
}
