/** Where progress output goes: a stream-like object (process.stdout by default). */
export interface ProgbarStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgbarOptions {
  /** Total number of steps, or null when unknown (a generator without stepsPerEpoch). */
  target: number | null;
  /** Bar width in characters. */
  width?: number;
  /** 1: live bar on a TTY, one line at the end otherwise; 2: one line at the end; 0: silent. */
  verbose?: number;
  /** Minimum seconds between two redraws of the live bar. */
  interval?: number;
  /** Metrics shown as given instead of averaged over steps (`'all'`: every metric). */
  statefulMetrics?: Iterable<string> | 'all';
  unitName?: string;
  stream?: ProgbarStream;
  /** Clock in seconds, injectable for tests. */
  now?: () => number;
}

/** Formats a metric value the way Keras does: 4 significant decimals, scientific when tiny. */
export function formatMetricValue(v: number): string {
  if (Math.abs(v) > 1e-3 || v === 0 || !Number.isFinite(v)) return v.toFixed(4);
  return v.toExponential(4);
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 3600) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }
  if (s >= 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

function formatRate(secondsPerStep: number, unit: string): string {
  if (secondsPerStep >= 1 || secondsPerStep === 0) return `${Math.round(secondsPerStep)}s/${unit}`;
  if (secondsPerStep >= 1e-3) return `${Math.round(secondsPerStep * 1e3)}ms/${unit}`;
  return `${Math.round(secondsPerStep * 1e6)}us/${unit}`;
}

/**
 * keras.utils.Progbar. Non-stateful values are averaged over the steps seen (weighted by the
 * step count they cover), stateful ones are shown as given. Values are read only when a line is
 * drawn, so a caller may pass lazy logs and pay the device sync at most once per `interval`.
 */
export class Progbar {
  readonly target: number | null;
  private readonly width: number;
  private readonly verbose: number;
  private readonly interval: number;
  private readonly stateful: Set<string>;
  private readonly allStateful: boolean;
  private readonly unit: string;
  private readonly stream: ProgbarStream;
  private readonly now: () => number;
  private readonly dynamic: boolean;
  private readonly start: number;
  private lastUpdate = 0;
  private seenSoFar = 0;
  private totalWidth = 0;
  private readonly sums = new Map<string, [number, number]>();
  private readonly order: string[] = [];

  constructor(opts: ProgbarOptions) {
    this.target = opts.target;
    this.width = opts.width ?? 30;
    this.verbose = opts.verbose ?? 1;
    this.interval = opts.interval ?? 0.1;
    this.allStateful = opts.statefulMetrics === 'all';
    this.stateful = new Set(opts.statefulMetrics === 'all' ? [] : (opts.statefulMetrics ?? []));
    this.unit = opts.unitName ?? 'step';
    this.stream = opts.stream ?? process.stdout;
    this.now = opts.now ?? (() => performance.now() / 1000);
    this.dynamic = Boolean(this.stream.isTTY);
    this.start = this.now();
  }

  /**
   * Moves the bar to `current`. `values` are read only when a line is written (lazily).
   * `finalize` forces the closing line.
   */
  /** Whether `update(current, ..., finalize)` would write a line now (so its values are read). */
  willDraw(current: number, finalize?: boolean): boolean {
    if (this.verbose === 0) return false;
    const isFinal = finalize ?? (this.target !== null && current >= this.target);
    const due = this.now() - this.lastUpdate >= this.interval;
    return isFinal || (this.verbose === 1 && this.dynamic && due);
  }

  update(
    current: number,
    values?: Record<string, number> | (() => Record<string, number>),
    finalize?: boolean,
  ): void {
    if (this.verbose === 0) return;
    const isFinal = finalize ?? (this.target !== null && current >= this.target);
    const stepsCovered = current - this.seenSoFar;
    this.seenSoFar = current;
    const now = this.now();
    const due = now - this.lastUpdate >= this.interval;
    const willDraw = isFinal || (this.verbose === 1 && this.dynamic && due);
    if (!willDraw && !values) return;
    const resolved = typeof values === 'function' ? (willDraw ? values() : undefined) : values;
    if (resolved) this.accumulate(resolved, stepsCovered);
    if (!willDraw) return;
    this.lastUpdate = now;
    const elapsed = now - this.start;
    const perStep = current > 0 ? elapsed / current : 0;
    if (this.verbose === 1 && this.dynamic) {
      this.drawLive(current, elapsed, perStep, isFinal);
    } else if (isFinal) {
      const steps = this.target ?? current;
      const line = `${steps}/${steps} - ${formatDuration(elapsed)} - ${formatRate(perStep, this.unit)}${this.metricsText()}`;
      this.stream.write(`${line}\n`);
    }
  }

  private accumulate(values: Record<string, number>, steps: number): void {
    for (const key of Object.keys(values)) {
      const v = values[key] as number;
      if (!this.sums.has(key)) this.order.push(key);
      if (this.allStateful || this.stateful.has(key)) {
        this.sums.set(key, [v, 1]);
      } else {
        const prev = this.sums.get(key) ?? [0, 0];
        const w = Math.max(steps, 1);
        this.sums.set(key, [prev[0] + v * w, prev[1] + w]);
      }
    }
  }

  private metricsText(): string {
    let out = '';
    for (const key of this.order) {
      const [sum, count] = this.sums.get(key) ?? [0, 1];
      out += ` - ${key}: ${formatMetricValue(sum / Math.max(count, 1))}`;
    }
    return out;
  }

  private drawLive(current: number, elapsed: number, perStep: number, isFinal: boolean): void {
    let line: string;
    if (this.target !== null) {
      const digits = String(this.target).length;
      const frac = Math.min(current / this.target, 1);
      const done = Math.floor(this.width * frac);
      const bar = '━'.repeat(done) + (done < this.width ? '─'.repeat(this.width - done) : '');
      line = `${String(current).padStart(digits)}/${this.target} ${bar}`;
      if (isFinal) {
        line += ` ${formatDuration(elapsed)} ${formatRate(perStep, this.unit)}`;
      } else {
        line += ` ETA: ${formatDuration(perStep * (this.target - current))} ${formatRate(perStep, this.unit)}`;
      }
    } else {
      line = `${current} ${formatDuration(elapsed)} ${formatRate(perStep, this.unit)}`;
    }
    line += this.metricsText();
    const pad = Math.max(this.totalWidth - line.length, 0);
    this.totalWidth = line.length;
    this.stream.write(`\r${line}${' '.repeat(pad)}${isFinal ? '\n' : ''}`);
  }
}
