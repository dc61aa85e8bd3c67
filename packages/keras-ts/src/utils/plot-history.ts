import { writeAtomically } from './plot-model.js';
import { escapeXml, svgDocument } from './svg.js';

/** A keras-ts History (or any `{history: {name: number[]}}`). */
export interface HistoryLike {
  history: Record<string, number[]>;
}

export interface PlotHistoryOptions {
  /** Series to draw (default: every key of the history). */
  metrics?: string[];
  toFile?: string;
  width?: number;
  height?: number;
  title?: string;
}

const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
];

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (lo === hi) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * The curves of a training History (loss, val_loss, metrics per epoch) as an SVG line chart,
 * the picture Keras users draw with matplotlib after `fit`.
 */
export function plotHistory(history: HistoryLike, options: PlotHistoryOptions = {}): string {
  const { width = 640, height = 400, title = 'Training history' } = options;
  const names = options.metrics ?? Object.keys(history.history);
  for (const n of names) {
    if (!(n in history.history)) {
      throw new Error(
        `Unknown history key '${n}'. Available: ${Object.keys(history.history).join(', ')}`,
      );
    }
  }
  const series = names.map((n) => ({ name: n, values: history.history[n] as number[] }));
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  const epochs = Math.max(1, ...series.map((s) => s.values.length));
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  const [y0, y1] = [lo - pad, hi + pad];
  const left = 64;
  const right = 150;
  const top = 36;
  const bottom = 44;
  const pw = width - left - right;
  const ph = height - top - bottom;
  const sx = (e: number) => left + (epochs === 1 ? pw / 2 : (e * pw) / (epochs - 1));
  const sy = (v: number) => top + ((y1 - v) / (y1 - y0)) * ph;
  const body: string[] = [
    `<text x="${width / 2}" y="22" font-size="15" text-anchor="middle">${escapeXml(title)}</text>`,
    `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
  ];
  for (const t of niceTicks(y0, y1)) {
    const y = sy(t).toFixed(1);
    body.push(`<line x1="${left}" x2="${left + pw}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    body.push(
      `<text x="${left - 6}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle">${t}</text>`,
    );
  }
  for (const e of niceTicks(1, epochs).filter((v) => Number.isInteger(v))) {
    const x = sx(e - 1).toFixed(1);
    body.push(
      `<text x="${x}" y="${top + ph + 16}" font-size="11" text-anchor="middle">${e}</text>`,
    );
  }
  body.push(
    `<text x="${left + pw / 2}" y="${height - 8}" font-size="12" text-anchor="middle">epoch</text>`,
  );
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length] as string;
    const pts = s.values
      .map((v, e) => (Number.isFinite(v) ? `${sx(e).toFixed(1)},${sy(v).toFixed(1)}` : null))
      .filter((p): p is string => p !== null);
    const dashed = s.name.startsWith('val_') ? ' stroke-dasharray="6 4"' : '';
    body.push(
      `<polyline class="series" data-name="${escapeXml(s.name)}" points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"${dashed}/>`,
    );
    const ly = top + 14 + k * 18;
    body.push(
      `<line x1="${left + pw + 12}" x2="${left + pw + 36}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dashed}/>`,
    );
    body.push(
      `<text x="${left + pw + 42}" y="${ly}" font-size="12" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  const svg = svgDocument(width, height, body);
  if (options.toFile) writeAtomically(options.toFile, svg);
  return svg;
}
