import { isHdf5 } from '../h5/h5-read.js';
import { isZip } from './zip.js';

export type FileKind = 'zip' | 'hdf5' | 'json';

/**
 * What a file is, from its first bytes only: a `.keras` file written by tf.keras 2.11 is HDF5,
 * and a TF.js model may be called anything, so names are never trusted.
 */
export function sniffFormat(bytes: Uint8Array, source: string): FileKind {
  if (isZip(bytes)) return 'zip';
  if (isHdf5(bytes)) return 'hdf5';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  ) {
    i += 1;
  }
  if (bytes[i] === 0x7b) return 'json';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(
    `Cannot tell the format of "${source}": expected a zip archive (.keras, starts with "PK\\x03\\x04"), ` +
      `an HDF5 file (starts with "\\x89HDF"), or a TF.js model.json (a JSON object). Received first bytes: ${head || '(empty file)'}`,
  );
}
