import { beforeAll, describe, it } from 'vitest';
import { ensureBackend } from '../runtime/ensure-backend.js';
import { expectWasmMatchesCpu } from './test-utils/versus-cpu.js';

beforeAll(() => ensureBackend());

const flags: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

describe('wasm matMul with explicit transposes', () => {
  it.each(flags)(
    'BatchMatMul transposeA=%s transposeB=%s, batched',
    async (transposeA, transposeB) => {
      await expectWasmMatchesCpu({
        kernel: 'BatchMatMul',
        inputs: { a: transposeA ? [2, 5, 3] : [2, 3, 5], b: transposeB ? [2, 4, 5] : [2, 5, 4] },
        attrs: { transposeA, transposeB },
      });
    },
  );

  it.each(flags)(
    '_FusedMatMul with bias and relu, transposeA=%s transposeB=%s',
    async (transposeA, transposeB) => {
      // The stock wasm kernel adds the bias along the wrong axis when transposeB is set.
      await expectWasmMatchesCpu({
        kernel: '_FusedMatMul',
        inputs: {
          a: transposeA ? [1, 5, 3] : [1, 3, 5],
          b: transposeB ? [1, 4, 5] : [1, 5, 4],
          bias: [4],
        },
        attrs: { transposeA, transposeB, activation: 'relu' },
      });
    },
  );

  it('a Dense-sized weight gradient (x^T dy) matches cpu', async () => {
    await expectWasmMatchesCpu(
      {
        kernel: 'BatchMatMul',
        inputs: { a: [1, 64, 96], b: [1, 64, 32] },
        attrs: { transposeA: true, transposeB: false },
      },
      1e-4,
      1e-4,
    );
  });
});
