import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { sniffFormat } from './sniff.js';
import { readZip, writeZip } from './zip.js';

const FIX = `${import.meta.dirname}/../../../../../shared/fixtures`;

describe('sniffFormat', () => {
  it('detects by magic bytes, not by file name', () => {
    // tf.keras 2.11 wrote HDF5 under a .keras name.
    expect(
      sniffFormat(
        readFileSync(`${FIX}/real/keras2_h5/tfk2.11_hdf5_named_dot_keras.keras`),
        'x.keras',
      ),
    ).toBe('hdf5');
    expect(sniffFormat(readFileSync(`${FIX}/keras3/a_mlp/model.keras`), 'model.h5')).toBe('zip');
    expect(
      sniffFormat(
        readFileSync(`${FIX}/real/tfjs_layers/tfjs_e2e_layers_model_embedding_gru/model.json`),
        'm',
      ),
    ).toBe('json');
  });
  it('names the file and echoes the first bytes when unknown', () => {
    expect(() => sniffFormat(Uint8Array.of(1, 2, 3), 'weird.bin')).toThrow(/"weird.bin".*01 02 03/);
  });
});

describe('zip', () => {
  it('reads a Keras 3 archive with its three members', () => {
    const entries = readZip(readFileSync(`${FIX}/keras3/a_mlp/model.keras`), {
      source: 'model.keras',
    });
    expect([...entries.keys()]).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
  });

  it('writes STORED entries in the given order', () => {
    const bytes = writeZip([
      ['metadata.json', new TextEncoder().encode('{"keras_version": "3.15.1"}')],
      ['config.json', new TextEncoder().encode('{}')],
      ['model.weights.h5', new Uint8Array(1000).fill(7)],
    ]);
    // Local file headers: method (offset 8) 0 = STORED, then the name at offset 30.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const names: string[] = [];
    let off = 0;
    while (view.getUint32(off, true) === 0x04034b50) {
      expect(view.getUint16(off + 8, true)).toBe(0);
      const nameLen = view.getUint16(off + 26, true);
      const extraLen = view.getUint16(off + 28, true);
      const size = view.getUint32(off + 18, true);
      names.push(new TextDecoder().decode(bytes.subarray(off + 30, off + 30 + nameLen)));
      off += 30 + nameLen + extraLen + size;
    }
    expect(names).toEqual(['metadata.json', 'config.json', 'model.weights.h5']);
    expect(readZip(bytes, { source: 'mem' }).get('model.weights.h5')?.length).toBe(1000);
  });

  it('refuses an entry whose declared size is absurd before inflating it', () => {
    const bytes = zipSync({ 'model.weights.h5': [new Uint8Array(4 * 1024 ** 2), { level: 9 }] });
    expect(() => readZip(bytes, { source: 'bomb.keras' })).toThrow(
      /"bomb.keras": entry "model.weights.h5" declares 4194304 bytes from \d+ compressed \(size bomb\)/,
    );
  });

  it('names the archive when it is truncated', () => {
    const good = readFileSync(`${FIX}/keras3/a_mlp/model.keras`);
    expect(() => readZip(good.subarray(0, good.length - 40), { source: 'cut.keras' })).toThrow(
      /Cannot read zip archive "cut.keras"/,
    );
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file in one rename and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-atomic-'));
    const target = join(dir, 'm.keras');
    writeFileSync(target, 'old');
    writeFileAtomic(target, new TextEncoder().encode('new'));
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['m.keras']);
  });

  it('keeps the old file intact when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-atomic-'));
    const target = join(dir, 'm.keras');
    writeFileSync(target, 'old');
    const fs = await import('node:fs');
    // A directory in place of the target makes the final rename fail after the data was written.
    const blocked = join(dir, 'blocked');
    fs.mkdirSync(join(blocked, 'child'), { recursive: true });
    expect(() => writeFileAtomic(blocked, new TextEncoder().encode('x'))).toThrow(
      /Could not write ".*blocked"/,
    );
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['blocked', 'm.keras']);
    expect(existsSync(join(blocked, 'child'))).toBe(true);
  });
});
