/**
 * `tf.ConfigProto` / `tf.GPUOptions` as plain validated objects. Field names are TF's in
 * camelCase; every setter checks its value at once so a bad option fails where it is written,
 * with the value echoed back.
 */

/** TF's GPUOptions.allocator_type; 'cuda_malloc_async' maps to TF_GPU_ALLOCATOR on tensorflow. */
export type AllocatorType = 'BFC' | 'cuda_malloc_async';

export interface GPUOptionsInit {
  allowGrowth?: boolean;
  perProcessGpuMemoryFraction?: number | undefined;
  visibleDeviceList?: string;
  allocatorType?: AllocatorType;
}

export interface ConfigProtoInit {
  gpuOptions?: GPUOptionsInit;
  logDevicePlacement?: boolean;
  allowSoftPlacement?: boolean;
  intraOpParallelismThreads?: number;
  interOpParallelismThreads?: number;
  memoryLimitBytes?: number | undefined;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new Error(`Expected a boolean for "${name}". Received: ${name}=${String(value)}`);
  }
  return value;
}

function checkThreads(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(
      `Expected a non-negative integer for "${name}" (0 lets the backend choose). Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

export class GPUOptions {
  #allowGrowth = false;
  #fraction: number | undefined = undefined;
  #visibleDeviceList = '';
  #allocatorType: AllocatorType = 'BFC';

  constructor(init: GPUOptionsInit = {}) {
    if (init.allowGrowth !== undefined) this.allowGrowth = init.allowGrowth;
    if (init.perProcessGpuMemoryFraction !== undefined)
      this.perProcessGpuMemoryFraction = init.perProcessGpuMemoryFraction;
    if (init.visibleDeviceList !== undefined) this.visibleDeviceList = init.visibleDeviceList;
    if (init.allocatorType !== undefined) this.allocatorType = init.allocatorType;
  }

  /** Grow device memory on demand instead of reserving it up front (TF default: false). */
  get allowGrowth(): boolean {
    return this.#allowGrowth;
  }
  set allowGrowth(value: boolean) {
    this.#allowGrowth = checkBoolean('allowGrowth', value);
  }

  /** Share of the device's memory this process may hold, in (0, 1]; undefined = no budget. */
  get perProcessGpuMemoryFraction(): number | undefined {
    return this.#fraction;
  }
  set perProcessGpuMemoryFraction(value: number | undefined) {
    if (value === undefined) {
      this.#fraction = undefined;
      return;
    }
    if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
      throw new Error(
        `Expected "perProcessGpuMemoryFraction" in (0, 1]. Received: perProcessGpuMemoryFraction=${String(value)}`,
      );
    }
    this.#fraction = value;
  }

  /** Comma-separated GPU indices the process may see, e.g. '0,1'; '' = all. */
  get visibleDeviceList(): string {
    return this.#visibleDeviceList;
  }
  set visibleDeviceList(value: string) {
    if (typeof value !== 'string' || (value !== '' && !/^\d+(,\d+)*$/.test(value.trim()))) {
      throw new Error(
        `Expected "visibleDeviceList" to be comma-separated GPU indices such as '0,1' (or '' for all). Received: visibleDeviceList=${JSON.stringify(value)}`,
      );
    }
    this.#visibleDeviceList = value.trim();
  }

  /** The GPU indices of `visibleDeviceList`, in order. */
  visibleDeviceIndices(): number[] {
    return this.#visibleDeviceList === '' ? [] : this.#visibleDeviceList.split(',').map(Number);
  }

  get allocatorType(): AllocatorType {
    return this.#allocatorType;
  }
  set allocatorType(value: AllocatorType) {
    if (value !== 'BFC' && value !== 'cuda_malloc_async') {
      throw new Error(
        `Expected "allocatorType" to be 'BFC' or 'cuda_malloc_async'. Received: allocatorType=${String(value)}`,
      );
    }
    this.#allocatorType = value;
  }

  toJSON(): Required<Omit<GPUOptionsInit, 'perProcessGpuMemoryFraction'>> & {
    perProcessGpuMemoryFraction: number | undefined;
  } {
    return {
      allowGrowth: this.allowGrowth,
      perProcessGpuMemoryFraction: this.perProcessGpuMemoryFraction,
      visibleDeviceList: this.visibleDeviceList,
      allocatorType: this.allocatorType,
    };
  }
}

export class ConfigProto {
  readonly gpuOptions: GPUOptions;
  #logDevicePlacement = false;
  #allowSoftPlacement = false;
  #intraOp = 0;
  #interOp = 0;
  #memoryLimitBytes: number | undefined = undefined;

  /** TF's defaults: no soft placement, no placement log, threads chosen by the backend. */
  constructor(init: ConfigProtoInit = {}) {
    this.gpuOptions = new GPUOptions(init.gpuOptions);
    if (init.logDevicePlacement !== undefined) this.logDevicePlacement = init.logDevicePlacement;
    if (init.allowSoftPlacement !== undefined) this.allowSoftPlacement = init.allowSoftPlacement;
    if (init.intraOpParallelismThreads !== undefined)
      this.intraOpParallelismThreads = init.intraOpParallelismThreads;
    if (init.interOpParallelismThreads !== undefined)
      this.interOpParallelismThreads = init.interOpParallelismThreads;
    if (init.memoryLimitBytes !== undefined) this.memoryLimitBytes = init.memoryLimitBytes;
  }

  /** Log the device of every kernel executed. */
  get logDevicePlacement(): boolean {
    return this.#logDevicePlacement;
  }
  set logDevicePlacement(value: boolean) {
    this.#logDevicePlacement = checkBoolean('logDevicePlacement', value);
  }

  /** Fall back to another backend/device when the requested one is missing, instead of throwing. */
  get allowSoftPlacement(): boolean {
    return this.#allowSoftPlacement;
  }
  set allowSoftPlacement(value: boolean) {
    this.#allowSoftPlacement = checkBoolean('allowSoftPlacement', value);
  }

  get intraOpParallelismThreads(): number {
    return this.#intraOp;
  }
  set intraOpParallelismThreads(value: number) {
    this.#intraOp = checkThreads('intraOpParallelismThreads', value);
  }

  get interOpParallelismThreads(): number {
    return this.#interOp;
  }
  set interOpParallelismThreads(value: number) {
    this.#interOp = checkThreads('interOpParallelismThreads', value);
  }

  /** A plain byte budget for live tensors, on any backend; combined with the fraction (min). */
  get memoryLimitBytes(): number | undefined {
    return this.#memoryLimitBytes;
  }
  set memoryLimitBytes(value: number | undefined) {
    if (value === undefined) {
      this.#memoryLimitBytes = undefined;
      return;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new Error(
        `Expected a positive integer number of bytes for "memoryLimitBytes". Received: memoryLimitBytes=${String(value)}`,
      );
    }
    this.#memoryLimitBytes = value;
  }

  toJSON(): Omit<Required<ConfigProtoInit>, 'gpuOptions' | 'memoryLimitBytes'> & {
    gpuOptions: ReturnType<GPUOptions['toJSON']>;
    memoryLimitBytes: number | undefined;
  } {
    return {
      gpuOptions: this.gpuOptions.toJSON(),
      logDevicePlacement: this.logDevicePlacement,
      allowSoftPlacement: this.allowSoftPlacement,
      intraOpParallelismThreads: this.intraOpParallelismThreads,
      interOpParallelismThreads: this.interOpParallelismThreads,
      memoryLimitBytes: this.memoryLimitBytes,
    };
  }
}

/**
 * The config of Keras 2.2.4's default session: soft placement on, intra-op threads from
 * OMP_NUM_THREADS when that is a positive integer.
 */
export function kerasDefaultConfig(
  env: Record<string, string | undefined> = processEnv(),
): ConfigProto {
  const config = new ConfigProto({ allowSoftPlacement: true });
  const omp = env.OMP_NUM_THREADS;
  if (omp !== undefined && /^\d+$/.test(omp.trim()) && Number(omp) > 0) {
    config.intraOpParallelismThreads = Number(omp);
  }
  return config;
}

/** `process.env` in Node, an empty record in browsers. */
export function processEnv(): Record<string, string | undefined> {
  return typeof process === 'undefined' ? {} : process.env;
}
