import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Callback, type Logs } from './callback.js';

export interface CSVLoggerOptions {
  separator?: string;
  append?: boolean;
}

/** keras.callbacks.CSVLogger: one row per epoch, header `epoch` + sorted log keys. */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private appendHeader = true;

  constructor(filename: string, opts: CSVLoggerOptions = {}) {
    super();
    if (typeof filename !== 'string' || filename === '') {
      throw new Error(`CSVLogger expects a file name. Received: filename=${String(filename)}`);
    }
    this.filename = filename;
    this.separator = opts.separator ?? ',';
    this.append = opts.append ?? false;
  }

  override onTrainBegin(): void {
    mkdirSync(dirname(this.filename), { recursive: true });
    this.keys = null;
    if (this.append && existsSync(this.filename)) {
      this.appendHeader = readFileSync(this.filename, 'utf8').trim().length === 0;
    } else {
      writeFileSync(this.filename, '');
      this.appendHeader = true;
    }
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (this.keys === null) this.keys = Object.keys(logs).sort();
    const sep = this.separator;
    let text = '';
    if (this.appendHeader) {
      text += ['epoch', ...this.keys].join(sep) + '\n';
      this.appendHeader = false;
    }
    const row = [String(epoch), ...this.keys.map((k) => cell(logs[k]))];
    text += row.join(sep) + '\n';
    appendFileSync(this.filename, text);
  }
}

function cell(v: number | undefined): string {
  if (v === undefined) return 'NA';
  return String(v);
}
