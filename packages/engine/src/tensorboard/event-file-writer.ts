import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from './crc32c.js';
import { ProtoWriter } from './protobuf.js';

/** A histogram as tensorboard's HistogramProto holds it. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimit: number[];
  bucket: number[];
}

/** TFRecord framing: length, masked CRC of the length, payload, masked CRC of the payload. */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + payload.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(payload.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(payload, 12);
  view.setUint32(12 + payload.length, maskedCrc32c(payload), true);
  return out;
}

function encodeHistogram(h: Histogram): Uint8Array {
  return new ProtoWriter()
    .double(1, h.min)
    .double(2, h.max)
    .double(3, h.num)
    .double(4, h.sum)
    .double(5, h.sumSquares)
    .packedDoubles(6, h.bucketLimit)
    .packedDoubles(7, h.bucket)
    .finish();
}

/** Event { wall_time = 1; step = 2; file_version = 3 | summary = 5 }. */
export function encodeEvent(args: {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars?: Record<string, number>;
  histograms?: Record<string, Histogram>;
}): Uint8Array {
  const w = new ProtoWriter().double(1, args.wallTime).int64(2, args.step);
  if (args.fileVersion !== undefined) w.string(3, args.fileVersion);
  const values: Uint8Array[] = [];
  for (const [tag, v] of Object.entries(args.scalars ?? {})) {
    // Summary.Value { tag = 1; simple_value = 2 }
    values.push(new ProtoWriter().string(1, tag).float(2, v).finish());
  }
  for (const [tag, h] of Object.entries(args.histograms ?? {})) {
    // Summary.Value { tag = 1; histo = 5 }
    values.push(new ProtoWriter().string(1, tag).bytes(5, encodeHistogram(h)).finish());
  }
  if (values.length > 0) {
    const summary = new ProtoWriter();
    for (const v of values) summary.bytes(1, v);
    w.bytes(5, summary.finish());
  }
  return w.finish();
}

/** Keras/TensorFlow-style histogram: 30 equal buckets between min and max. */
export function histogramOf(values: ArrayLike<number>, buckets = 30): Histogram {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (values.length === 0) {
    return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  }
  const counts = new Array<number>(buckets).fill(0);
  const width = (max - min) / buckets || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const b = Math.min(Math.floor((v - min) / width), buckets - 1);
    counts[b] = (counts[b] as number) + 1;
  }
  const bucketLimit = counts.map((_, i) => (i === buckets - 1 ? max : min + (i + 1) * width));
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket: counts };
}

/**
 * Writes `events.out.tfevents.<time>.<host>` files that TensorBoard reads: a file_version event
 * first, then one event per `add` call, appended synchronously so a crash loses nothing.
 */
export class EventFileWriter {
  readonly path: string;

  constructor(logDir: string, opts: { now?: () => number } = {}) {
    mkdirSync(logDir, { recursive: true });
    const now = (opts.now ?? Date.now)() / 1000;
    this.path = join(logDir, `events.out.tfevents.${Math.floor(now)}.${hostname()}`);
    writeFileSync(
      this.path,
      frameRecord(encodeEvent({ wallTime: now, step: 0, fileVersion: 'brain.Event:2' })),
    );
  }

  addScalars(step: number, scalars: Record<string, number>): void {
    this.append(encodeEvent({ wallTime: Date.now() / 1000, step, scalars }));
  }

  addHistograms(step: number, histograms: Record<string, Histogram>): void {
    this.append(encodeEvent({ wallTime: Date.now() / 1000, step, histograms }));
  }

  private append(event: Uint8Array): void {
    appendFileSync(this.path, frameRecord(event));
  }
}
