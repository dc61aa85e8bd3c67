import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from './crc32c.js';
import { EventFileWriter, encodeEvent, frameRecord, histogramOf } from './event-file-writer.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches the CRC-32C check values (RFC 3720 B.4 and the standard check string)', () => {
    expect(crc32c(enc('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
  });

  it('masks like TensorFlow (rotate right 15, add 0xa282ead8)', () => {
    const crc = 0xe3069283;
    const expected = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(enc('123456789'))).toBe(expected);
  });
});

describe('event files', () => {
  it('frames records as length, masked crc, payload, masked crc', () => {
    const payload = enc('hello');
    const rec = frameRecord(payload);
    const view = new DataView(rec.buffer);
    expect(Number(view.getBigUint64(0, true))).toBe(5);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(rec.subarray(0, 8)));
    expect(new TextDecoder().decode(rec.subarray(12, 17))).toBe('hello');
    expect(view.getUint32(17, true)).toBe(maskedCrc32c(payload));
  });

  it('encodes a scalar summary with the protobuf wire layout of Event/Summary', () => {
    const bytes = encodeEvent({ wallTime: 1.5, step: 3, scalars: { epoch_loss: 0.25 } });
    // wall_time: field 1, wire 1 (0x09) + 8 bytes of 1.5
    expect(bytes[0]).toBe(0x09);
    expect(new DataView(bytes.buffer, 1, 8).getFloat64(0, true)).toBe(1.5);
    // step: field 2, varint (0x10), 3
    expect([bytes[9], bytes[10]]).toEqual([0x10, 3]);
    // summary: field 5, length-delimited (0x2a)
    expect(bytes[11]).toBe(0x2a);
    const summary = bytes.subarray(13);
    expect(summary[0]).toBe(0x0a); // Summary.value
    const value = summary.subarray(2);
    expect(value[0]).toBe(0x0a); // Value.tag
    expect(new TextDecoder().decode(value.subarray(2, 2 + 10))).toBe('epoch_loss');
    expect(value[12]).toBe(0x15); // simple_value: field 2, wire 5
    expect(new DataView(value.buffer, value.byteOffset + 13, 4).getFloat32(0, true)).toBe(0.25);
  });

  it('writes a file_version record first, then appended events', () => {
    const dir = join(tmpdir(), `tb-${process.pid}-${Date.now()}`);
    try {
      const w = new EventFileWriter(dir);
      w.addScalars(0, { epoch_loss: 1 });
      w.addHistograms(0, { 'dense/kernel/histogram': histogramOf([1, 2, 3, 4]) });
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^events\.out\.tfevents\.\d+\./);
      const buf = readFileSync(join(dir, files[0] as string));
      const records: Uint8Array[] = [];
      let off = 0;
      while (off < buf.length) {
        const len = Number(buf.readBigUInt64LE(off));
        const payload = new Uint8Array(buf.subarray(off + 12, off + 12 + len));
        expect(buf.readUInt32LE(off + 12 + len)).toBe(maskedCrc32c(payload));
        records.push(payload);
        off += 16 + len;
      }
      expect(records).toHaveLength(3);
      expect(new TextDecoder().decode(records[0])).toContain('brain.Event:2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('histograms count every value once', () => {
    const h = histogramOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.num).toBe(10);
    expect(h.sum).toBe(45);
    expect(h.sumSquares).toBe(285);
    expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(10);
    expect(h.bucketLimit.at(-1)).toBe(9);
  });
});
