import { describe, expect, it } from 'vitest';
import { formatMetricValue, Progbar } from './progbar.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { stream: { isTTY, write: (s: string) => out.push(s) }, out };
}

describe('Progbar', () => {
  it('prints one line at the end when not a TTY', () => {
    const { stream, out } = sink(false);
    let t = 0;
    const bar = new Progbar({ target: 4, stream, now: () => t, statefulMetrics: 'all' });
    for (let i = 1; i <= 4; i++) {
      t += 0.5;
      bar.update(i, { loss: 1 / i });
    }
    expect(out).toEqual(['4/4 - 2s - 500ms/step - loss: 0.2500\n']);
  });

  it('redraws a live bar on a TTY, reading lazy values only when it draws', () => {
    const { stream, out } = sink(true);
    let t = 0;
    let reads = 0;
    const bar = new Progbar({
      target: 10,
      stream,
      now: () => t,
      interval: 1,
      statefulMetrics: 'all',
    });
    for (let i = 1; i <= 10; i++) {
      t += 0.25;
      bar.update(i, () => {
        reads += 1;
        return { loss: i };
      });
    }
    // Draws at t=1, 2 (interval 1 s) and the final step: never once per step.
    expect(reads).toBeLessThan(5);
    const last = out.at(-1) as string;
    expect(last.startsWith('\r10/10 ')).toBe(true);
    expect(last).toMatch(/ - loss: 10\.0000 *\n$/);
    expect(out[0]).toContain('ETA:');
  });

  it('averages non-stateful values over steps (Keras Progbar)', () => {
    const { stream, out } = sink(false);
    const bar = new Progbar({ target: 2, stream, now: () => 0 });
    bar.update(1, { acc: 1 });
    bar.update(2, { acc: 0 });
    expect(out[0]).toContain('acc: 0.5000');
  });

  it('is silent at verbose 0 and formats tiny values in scientific notation', () => {
    const { stream, out } = sink(true);
    const bar = new Progbar({ target: 1, stream, verbose: 0 });
    bar.update(1, { loss: 1 });
    expect(out).toEqual([]);
    expect(formatMetricValue(0.00001234)).toBe('1.2340e-5');
    expect(formatMetricValue(0.5)).toBe('0.5000');
  });
});
