import { type Unzipped, unzipSync, type Zippable, zipSync } from 'fflate';

export const ZIP_MAGIC = Uint8Array.from([0x50, 0x4b, 0x03, 0x04]);

export interface ZipLimits {
  /** Largest uncompressed size accepted for one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed/compressed ratio accepted for entries above `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  maxEntries: number;
}

const DEFAULT_LIMITS: ZipLimits = {
  maxEntryBytes: 4 * 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 1024 ** 2,
  maxEntries: 10_000,
};

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Reads every entry of a zip archive. Entries whose declared size is absurd (beyond the limit, or
 * expanding more than `maxRatio` times) are refused from the central directory, before any byte
 * is inflated, as Keras's loader does.
 */
export function readZip(
  bytes: Uint8Array,
  options: { source: string; limits?: Partial<ZipLimits> },
): Map<string, Uint8Array> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source } = options;
  let count = 0;
  let refused: string | undefined;
  let entries: Unzipped;
  try {
    entries = unzipSync(bytes, {
      filter(file) {
        count += 1;
        if (count > limits.maxEntries) {
          refused ??= `more than ${limits.maxEntries} entries`;
          return false;
        }
        const ratio = file.size > 0 ? file.originalSize / file.size : Number.POSITIVE_INFINITY;
        if (
          file.originalSize > limits.maxEntryBytes ||
          (file.originalSize > limits.ratioFloorBytes && ratio > limits.maxRatio)
        ) {
          refused ??= `entry "${file.name}" declares ${file.originalSize} bytes from ${file.size} compressed (size bomb)`;
          return false;
        }
        return true;
      },
    });
  } catch (err) {
    throw new Error(
      `Cannot read zip archive "${source}": the archive is corrupt or truncated (${(err as Error).message})`,
    );
  }
  if (refused !== undefined) throw new Error(`Cannot read zip archive "${source}": ${refused}.`);
  return new Map(Object.entries(entries));
}

/** Writes entries in the given order, every one STORED (no compression), like Python's zipfile. */
export function writeZip(entries: [string, Uint8Array][]): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, data] of entries) zippable[name] = [data, { level: 0 }];
  return zipSync(zippable, { level: 0 });
}
