import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export type ColorMode = 'grayscale' | 'rgb' | 'rgba';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

function startsWith(buf: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => buf[i] === b);
}

/** Decodes a PNG or JPEG (told apart by magic bytes) into float [h, w, c] pixels in 0..255. */
export function decodeImage(
  bytes: Uint8Array,
  colorMode: ColorMode,
): { data: Float32Array; height: number; width: number } {
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  if (startsWith(bytes, PNG_MAGIC)) {
    const png = PNG.sync.read(Buffer.from(bytes));
    rgba = png.data;
    width = png.width;
    height = png.height;
  } else if (startsWith(bytes, JPEG_MAGIC)) {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 512,
    });
    rgba = img.data;
    width = img.width;
    height = img.height;
  } else {
    throw new Error('not a PNG or JPEG file (unknown magic bytes)');
  }
  const c = colorMode === 'grayscale' ? 1 : colorMode === 'rgba' ? 4 : 3;
  const out = new Float32Array(width * height * c);
  for (let i = 0; i < width * height; i++) {
    const r = rgba[i * 4] as number;
    const g = rgba[i * 4 + 1] as number;
    const b = rgba[i * 4 + 2] as number;
    if (c === 1) {
      // PIL's convert('L'): ITU-R 601-2 luma, rounded down as PIL does.
      out[i] = Math.floor((r * 299 + g * 587 + b * 114) / 1000);
    } else {
      out[i * c] = r;
      out[i * c + 1] = g;
      out[i * c + 2] = b;
      if (c === 4) out[i * c + 3] = rgba[i * 4 + 3] as number;
    }
  }
  return { data: out, height, width };
}

/** Nearest-neighbour resize (Keras's default `interpolation='nearest'`, as PIL does it). */
export function resizeNearest(
  data: Float32Array,
  [h, w, c]: [number, number, number],
  [th, tw]: [number, number],
): Float32Array {
  if (h === th && w === tw) return data;
  const out = new Float32Array(th * tw * c);
  for (let r = 0; r < th; r++) {
    const sr = Math.min(h - 1, Math.floor(((r + 0.5) * h) / th));
    for (let col = 0; col < tw; col++) {
      const sc = Math.min(w - 1, Math.floor(((col + 0.5) * w) / tw));
      for (let k = 0; k < c; k++)
        out[(r * tw + col) * c + k] = data[(sr * w + sc) * c + k] as number;
    }
  }
  return out;
}
