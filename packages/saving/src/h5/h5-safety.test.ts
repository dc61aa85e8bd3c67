import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readH5 } from './h5-read.js';

const DATA = `${import.meta.dirname}/../../test-data`;

async function read(name: string) {
  return readH5(readFileSync(`${DATA}/${name}`), { source: name });
}

describe('readH5 refuses hostile HDF5 files', () => {
  it('refuses a dataset whose raw data lives in an external host file', async () => {
    await expect(read('external-dataset.h5')).rejects.toThrow(/external-dataset\.h5" at "\/d"/);
  });
  it('refuses virtual datasets', async () => {
    await expect(read('virtual-dataset.h5')).rejects.toThrow(/virtual datasets are refused/);
  });
  it('refuses external links', async () => {
    await expect(read('external-link.h5')).rejects.toThrow(
      /external links are refused .*\/etc\/passwd/,
    );
  });
  it('refuses soft links', async () => {
    await expect(read('soft-link.h5')).rejects.toThrow(/soft links are refused/);
  });
  it('refuses a shape bomb before allocating it', async () => {
    await expect(read('shape-bomb.h5')).rejects.toThrow(
      /shape \[100000,100000\] declares 40000000000 bytes/,
    );
  });
  it('stops on a hard-link cycle', async () => {
    await expect(read('hard-link-cycle.h5')).rejects.toThrow(/nest deeper than 64 levels/);
  });
  it('turns a file that sends libhdf5 into an endless loop into a time-limit error', async () => {
    // Six bytes of Keras's model.h5 changed (found by the fuzz test): reading the root's
    // variable-length `backend` attribute then never returns inside libhdf5.
    const bytes = new Uint8Array(
      readFileSync(`${import.meta.dirname}/../../../../../shared/fixtures/keras3/a_mlp/model.h5`),
    );
    const edits: [number, number][] = [
      [18, 72],
      [59, 231],
      [149, 125],
      [209, 159],
      [4952, 4],
      [12373, 212],
    ];
    for (const [at, value] of edits) bytes[at] = value;
    await expect(readH5(bytes, { source: 'loop.h5', limits: { timeoutMs: 2000 } })).rejects.toThrow(
      /"loop.h5" at "\/": parsing did not finish within 2000 ms/,
    );
    // The parser is replaced: the next file reads normally.
    const good = readFileSync(
      `${import.meta.dirname}/../../../../../shared/fixtures/keras3/a_mlp/model.h5`,
    );
    expect((await readH5(good, { source: 'good.h5' })).children.has('model_weights')).toBe(true);
  });

  it('names the file when the bytes are not HDF5 or are truncated', async () => {
    await expect(readH5(new Uint8Array(10), { source: 'junk.h5' })).rejects.toThrow(
      /"junk.h5".*HDF5 signature/,
    );
    const good = readFileSync(
      `${import.meta.dirname}/../../../../../shared/fixtures/keras3/a_mlp/model.h5`,
    );
    await expect(readH5(good.subarray(0, 900), { source: 'cut.h5' })).rejects.toThrow(
      /Cannot read HDF5 file "cut.h5"/,
    );
  });
});
