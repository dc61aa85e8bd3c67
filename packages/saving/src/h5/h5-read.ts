import { Worker } from 'node:worker_threads';
import type { H5Group } from './tree.js';

export const HDF5_MAGIC = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Limits that keep a hostile file from exhausting memory, looping, or hanging the process. */
export interface H5ReadLimits {
  maxDepth: number;
  maxObjects: number;
  /** A compressed (chunked) dataset may expand to at most this multiple of the file size. */
  maxExpansion: number;
  maxDatasetBytes: number;
  /** Time allowed for parsing; default 20 s plus 1 s per MiB. */
  timeoutMs?: number;
}

const DEFAULT_LIMITS: H5ReadLimits = {
  maxDepth: 64,
  maxObjects: 200_000,
  maxExpansion: 1100,
  maxDatasetBytes: 2 ** 31,
};

export class H5FormatError extends Error {
  constructor(source: string, part: string, reason: string) {
    super(`Cannot read HDF5 file "${source}" at "${part}": ${reason}`);
    this.name = 'H5FormatError';
  }
}

export function isHdf5(bytes: Uint8Array): boolean {
  if (bytes.length < HDF5_MAGIC.length) return false;
  return HDF5_MAGIC.every((b, i) => bytes[i] === b);
}

type Reply =
  | { id: number; ok: true; tree: H5Group }
  | { id: number; ok: false; part: string; reason: string };

interface Pending {
  resolve: (tree: H5Group) => void;
  reject: (err: Error) => void;
  source: string;
  timer: NodeJS.Timeout;
  /** The worker serving this job: a terminated worker fails only its own jobs. */
  worker: Worker;
}

/**
 * One parser worker (h5wasm in its MEMFS build) serves all reads, one at a time; it is
 * unreferenced while idle so it never keeps the process alive, and replaced after a timeout.
 */
let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();
let queue: Promise<unknown> = Promise.resolve();

function getWorker(): Worker {
  if (worker !== undefined) return worker;
  const w = new Worker(new URL('./h5-worker.js', import.meta.url));
  w.unref();
  w.on('message', (reply: Reply) => {
    const job = pending.get(reply.id);
    if (job === undefined) return;
    pending.delete(reply.id);
    clearTimeout(job.timer);
    if (reply.ok) job.resolve(reply.tree);
    else job.reject(new H5FormatError(job.source, reply.part, reply.reason));
  });
  w.on('error', (err) => failAll(w, `the parser stopped (${err.message})`));
  w.on('exit', () => failAll(w, 'the parser exited'));
  worker = w;
  return w;
}

function failAll(w: Worker, reason: string): void {
  if (worker === w) worker = undefined;
  for (const [id, job] of pending) {
    if (job.worker !== w) continue;
    pending.delete(id);
    clearTimeout(job.timer);
    job.reject(new H5FormatError(job.source, '/', reason));
  }
}

function runInWorker(bytes: Uint8Array, source: string, limits: H5ReadLimits): Promise<H5Group> {
  const timeoutMs = limits.timeoutMs ?? 20_000 + bytes.length / 1024;
  return new Promise<H5Group>((resolve, reject) => {
    const w = getWorker();
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      worker = undefined;
      void w.terminate();
      if (pending.size === 0) w.unref();
      reject(
        new H5FormatError(
          source,
          '/',
          `parsing did not finish within ${Math.round(timeoutMs)} ms (the file is corrupt or hostile)`,
        ),
      );
    }, timeoutMs);
    pending.set(id, {
      resolve: (tree) => {
        w.unref();
        resolve(tree);
      },
      reject: (err) => {
        w.unref();
        reject(err);
      },
      source,
      timer,
      worker: w,
    });
    w.ref();
    // A copy with its own buffer (Buffer.slice would share, and transferring would detach it).
    const copy = new Uint8Array(bytes);
    w.postMessage({ id, bytes: copy, source, limits }, [copy.buffer]);
  });
}

/**
 * Parses a whole HDF5 file into an {@link H5Group} tree. Refuses soft and external links,
 * virtual datasets, datasets whose declared size the file cannot hold, files that take too long
 * to parse, and HDF5 errors (external raw data files included: they are never reachable from
 * the parser's in-memory file system).
 */
export async function readH5(
  bytes: Uint8Array,
  options: { source: string; limits?: Partial<H5ReadLimits> },
): Promise<H5Group> {
  const { source } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!isHdf5(bytes)) {
    throw new H5FormatError(
      source,
      '/',
      'the file does not start with the HDF5 signature \\x89HDF\\r\\n\\x1a\\n',
    );
  }
  // Reads are serialised: one parser, one file at a time.
  const run = queue.then(() => runInWorker(bytes, source, limits));
  queue = run.catch(() => undefined);
  return run;
}
