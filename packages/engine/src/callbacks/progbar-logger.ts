import { Progbar, type ProgbarStream } from '../progbar.js';
import { resolveLogs } from '../utils/lazy-logs.js';
import { Callback, type Logs } from './callback.js';

export interface ProgbarLoggerOptions {
  /** Output stream (process.stdout by default); a TTY gets the live bar. */
  stream?: ProgbarStream;
  /** Minimum seconds between redraws (Keras refreshes about every 0.05-0.1 s). */
  interval?: number;
}

/**
 * keras.callbacks.ProgbarLogger. Verbose 1: a live bar with ETA, rate and metrics on a TTY, one
 * line per epoch otherwise; verbose 2: one line per epoch. Logs from the fit loop are already
 * running epoch means, so they are shown as is and read at most once per redraw.
 */
export class ProgbarLogger extends Callback {
  private progbar: Progbar | null = null;
  private seen = 0;
  private target: number | null = null;
  private verbose = 1;
  private epochs = 1;
  private readonly stream: ProgbarStream;
  private readonly interval: number;

  constructor(opts: ProgbarLoggerOptions = {}) {
    super();
    this.stream = opts.stream ?? process.stdout;
    this.interval = opts.interval ?? 0.1;
  }

  override setParams(params: Record<string, unknown>): void {
    super.setParams(params);
    this.verbose = typeof params.verbose === 'number' ? params.verbose : 1;
    this.epochs = typeof params.epochs === 'number' ? params.epochs : 1;
    this.target = typeof params.steps === 'number' ? params.steps : null;
  }

  private reset(): void {
    this.seen = 0;
    this.progbar = null;
  }

  private ensureBar(): Progbar {
    if (!this.progbar) {
      this.progbar = new Progbar({
        target: this.target,
        verbose: this.verbose,
        interval: this.interval,
        stream: this.stream,
        statefulMetrics: 'all',
      });
    }
    return this.progbar;
  }

  /** A validation pass inside fit must not print its own bar. */
  private inFit = false;

  override onTrainBegin(): void {
    this.inFit = true;
  }

  override onTrainEnd(): void {
    this.inFit = false;
  }

  override onEpochBegin(epoch: number): void {
    this.reset();
    if (this.verbose > 0 && this.epochs > 1)
      this.stream.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    return this.updateBar(batch, logs);
  }

  override onTestBegin(): void {
    if (!this.inFit) this.reset();
  }

  override async onTestBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (!this.inFit) await this.updateBar(batch, logs);
  }

  override onPredictBegin(): void {
    this.reset();
  }

  override onPredictBatchEnd(batch: number): Promise<void> {
    return this.updateBar(batch, undefined);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    return this.finish(logs);
  }

  override async onTestEnd(logs?: Logs): Promise<void> {
    if (!this.inFit) await this.finish(logs);
  }

  override onPredictEnd(): Promise<void> {
    return this.finish(undefined);
  }

  private async updateBar(batch: number, logs: Logs | undefined): Promise<void> {
    if (this.verbose === 0) return;
    this.seen = batch + 1;
    // Only the live bar redraws per batch; logs are read (one awaited download) only for a
    // redraw, which keeps the other steps free of host syncs.
    const bar = this.ensureBar();
    const values = logs && bar.willDraw(this.seen, false) ? await resolveLogs(logs) : undefined;
    bar.update(this.seen, values, false);
  }

  private async finish(logs: Logs | undefined): Promise<void> {
    if (this.verbose === 0) return;
    const bar = this.ensureBar();
    if (this.target === null) this.target = this.seen;
    bar.update(this.seen, logs ? await resolveLogs(logs) : undefined, true);
  }
}
