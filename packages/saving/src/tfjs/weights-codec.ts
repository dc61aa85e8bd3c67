/** One entry of a TF.js weights manifest (`tfjs-core/src/io/types.ts`). */
export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  group?: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

export interface ManifestGroup {
  paths: string[];
  weights: ManifestEntry[];
}

export interface DecodedWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: Float32Array | Int32Array | Uint8Array;
  group?: string;
}

const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** IEEE 754 half -> number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/**
 * Decodes the concatenated little-endian buffer of one manifest group, entry after entry, as
 * tfjs-core's `decodeWeights` does, quantized entries included (`q * scale + min`, or float16).
 */
export function decodeWeights(
  buffer: Uint8Array,
  entries: ManifestEntry[],
  source: string,
): DecodedWeight[] {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let offset = 0;
  return entries.map((entry) => {
    if (!Array.isArray(entry.shape) || entry.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(
        `Cannot decode weight "${entry.name}" of "${source}": invalid shape ${JSON.stringify(entry.shape)}.`,
      );
    }
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const stored = entry.quantization?.dtype ?? entry.dtype;
    const width = BYTES[stored];
    if (width === undefined || !['float32', 'int32', 'bool'].includes(entry.dtype)) {
      throw new Error(
        `Cannot decode weight "${entry.name}" of "${source}": expected dtype float32, int32 or bool ` +
          `(optionally quantized as uint8, uint16 or float16). Received: dtype=${entry.dtype}, stored as ${stored}`,
      );
    }
    const bytes = size * width;
    if (offset + bytes > buffer.byteLength) {
      throw new Error(
        `Cannot decode weight "${entry.name}" of "${source}": the weight files hold ${buffer.byteLength} bytes, ` +
          `expected at least ${offset + bytes} (truncated shard?).`,
      );
    }
    const values = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const at = offset + i * width;
      switch (stored) {
        case 'float32':
          values[i] = view.getFloat32(at, true);
          break;
        case 'int32':
          values[i] = view.getInt32(at, true);
          break;
        case 'bool':
        case 'uint8':
          values[i] = view.getUint8(at);
          break;
        case 'uint16':
          values[i] = view.getUint16(at, true);
          break;
        case 'float16':
          values[i] = halfToFloat(view.getUint16(at, true));
          break;
      }
    }
    offset += bytes;
    const q = entry.quantization;
    if (q !== undefined && (q.dtype === 'uint8' || q.dtype === 'uint16')) {
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      for (let i = 0; i < size; i++) values[i] = (values[i] as number) * scale + min;
    }
    const dtype = entry.dtype as DecodedWeight['dtype'];
    const data =
      dtype === 'float32'
        ? Float32Array.from(values)
        : dtype === 'int32'
          ? Int32Array.from(values, (v) => Math.round(v))
          : Uint8Array.from(values);
    return {
      name: entry.name,
      shape: entry.shape,
      dtype,
      data,
      ...(entry.group ? { group: entry.group } : {}),
    };
  });
}

/** Encodes float32/int32/bool arrays back to back, little-endian (the tfjs-layers writer). */
export function encodeWeights(weights: { data: ArrayLike<number>; dtype: string }[]): Uint8Array {
  const total = weights.reduce((n, w) => n + w.data.length * (w.dtype === 'bool' ? 1 : 4), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const w of weights) {
    for (let i = 0; i < w.data.length; i++) {
      const v = w.data[i] as number;
      if (w.dtype === 'int32') view.setInt32(offset, v, true);
      else if (w.dtype === 'bool') view.setUint8(offset, v ? 1 : 0);
      else view.setFloat32(offset, v, true);
      offset += w.dtype === 'bool' ? 1 : 4;
    }
  }
  return out;
}
