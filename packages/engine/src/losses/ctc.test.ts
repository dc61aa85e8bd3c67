import { ensureBackend } from '@keras-ts/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { CTC, ctc } from './ctc.js';
import { get } from './registry.js';

beforeAll(() => ensureBackend());

/** A second implementation: sum the probability of every path that collapses to the label. */
function bruteForceCtc(logits: number[][], label: number[]): number {
  const probs = logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
  const T = probs.length;
  const C = (probs[0] as number[]).length;
  let total = 0;
  const path: number[] = [];
  const walk = (t: number, p: number) => {
    if (t === T) {
      const collapsed: number[] = [];
      path.forEach((c, i) => {
        if (c !== 0 && (i === 0 || path[i - 1] !== c)) collapsed.push(c);
      });
      if (collapsed.join(',') === label.join(',')) total += p;
      return;
    }
    for (let c = 0; c < C; c++) {
      path.push(c);
      walk(t + 1, p * ((probs[t] as number[])[c] as number));
      path.pop();
    }
  };
  walk(0, 1);
  return -Math.log(total);
}

describe('ctc', () => {
  const logits = [0, 1].map((b) =>
    [0, 1, 2, 3].map((t) => [0, 1, 2].map((c) => (b * 12 + t * 3 + c - 12) / 100)),
  );
  it('matches a brute-force sum over alignments, with padded labels', () => {
    const yTrue = [
      [1, 2, 1, 0],
      [2, 2, 0, 0],
    ];
    const out = ctc(yTrue, logits);
    expect(out).toBeAllclose(
      [
        bruteForceCtc(logits[0] as number[][], [1, 2, 1]),
        bruteForceCtc(logits[1] as number[][], [2, 2]),
      ],
      { atol: 1e-4, rtol: 1e-4 },
    );
  });
  it('the class reduces over the batch', () => {
    const yTrue = [
      [1, 0, 0, 0],
      [2, 1, 0, 0],
    ];
    const mean =
      (bruteForceCtc(logits[0] as number[][], [1]) +
        bruteForceCtc(logits[1] as number[][], [2, 1])) /
      2;
    expect(new CTC().call(yTrue, logits)).toBeAllclose(mean, { atol: 1e-4, rtol: 1e-4 });
  });
  it("resolves by name ('ctc', 'CTC')", () => {
    const yTrue = [
      [1, 0, 0, 0],
      [2, 1, 0, 0],
    ];
    expect(get('ctc').call(yTrue, logits)).toBeAllclose(new CTC().call(yTrue, logits));
    expect(get('CTC')).toBeInstanceOf(CTC);
  });
  it('rejects labels of the wrong rank, echoing the shape', () => {
    expect(() => ctc([1, 2], logits)).toThrow(/Received: y_true.shape=\[2\]/);
  });
});
