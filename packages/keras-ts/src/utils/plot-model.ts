import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { escapeXml, svgDocument, textWidth } from './svg.js';

/** The parts of a model the plot reads (a keras-ts Model satisfies it). */
export interface PlottableLayer {
  name: string;
  constructor: { name: string };
  inboundNodes: {
    inboundLayers: PlottableLayer[];
    inputShapes?: (number | null)[][];
    outputShapes?: (number | null)[][];
  }[];
  trainable?: boolean;
}

export interface PlottableModel {
  layers: PlottableLayer[];
  name?: string;
}

export interface PlotModelOptions {
  /** Write the SVG there (atomically); the SVG text is returned either way. */
  toFile?: string;
  showShapes?: boolean;
  showLayerNames?: boolean;
  showLayerActivations?: boolean;
  showTrainable?: boolean;
  /** 'TB' top to bottom (Keras's default) or 'LR' left to right. */
  rankdir?: 'TB' | 'LR';
}

const FONT = 13;
const PAD = 10;
const GAP_MAIN = 46;
const GAP_CROSS = 30;

function shapeText(shapes: (number | null)[][] | undefined): string {
  if (!shapes || shapes.length === 0) return '?';
  const one = (s: (number | null)[]) =>
    `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  return shapes.length === 1
    ? one(shapes[0] as (number | null)[])
    : `[${shapes.map(one).join(', ')}]`;
}

function nodeLabel(layer: PlottableLayer, opts: PlotModelOptions): string[] {
  const cls = layer.constructor.name;
  const lines = [opts.showLayerNames === false ? cls : `${layer.name} (${cls})`];
  const cfg = (layer as unknown as { getConfig?: () => Record<string, unknown> }).getConfig;
  if (opts.showLayerActivations && cfg) {
    try {
      const act = cfg.call(layer).activation;
      if (typeof act === 'string') lines.push(`activation: ${act}`);
    } catch {
      // Layers without a config simply show no activation.
    }
  }
  if (opts.showShapes) {
    const node = layer.inboundNodes[0];
    lines.push(
      `input: ${shapeText(node?.inputShapes)}`,
      `output: ${shapeText(node?.outputShapes)}`,
    );
  }
  if (opts.showTrainable) lines.push(`trainable: ${layer.trainable === false ? 'N' : 'Y'}`);
  return lines;
}

/**
 * `keras.utils.plot_model`: the layer graph as an SVG (no Graphviz needed). Layers are ranked
 * by their longest distance from an input; edges follow inbound nodes, so shared layers and
 * merges show as in Keras.
 */
export function plotModel(model: PlottableModel, options: PlotModelOptions = {}): string {
  const rankdir = options.rankdir ?? 'TB';
  const layers = model.layers;
  const index = new Map(layers.map((l, i) => [l, i]));
  const edges: [number, number][] = [];
  for (const [i, layer] of layers.entries()) {
    for (const node of layer.inboundNodes) {
      for (const src of node.inboundLayers) {
        const j = index.get(src);
        if (j !== undefined && !edges.some(([a, b]) => a === j && b === i)) edges.push([j, i]);
      }
    }
  }
  const rank = new Array<number>(layers.length).fill(0);
  // Model.layers is in topological order, so one pass gives the longest path.
  for (let pass = 0; pass < layers.length; pass++) {
    let changed = false;
    for (const [a, b] of edges) {
      if ((rank[b] as number) < (rank[a] as number) + 1) {
        rank[b] = (rank[a] as number) + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const labels = layers.map((l) => nodeLabel(l, options));
  const boxW = labels.map((ls) => Math.max(...ls.map((t) => textWidth(t, FONT))) + 2 * PAD);
  const boxH = labels.map((ls) => ls.length * (FONT + 4) + 2 * PAD - 4);
  const ranks = Math.max(0, ...rank) + 1;
  const byRank: number[][] = Array.from({ length: ranks }, () => []);
  for (const [i, r] of rank.entries()) byRank[r]?.push(i);
  const pos: { x: number; y: number }[] = new Array(layers.length);
  let main = PAD;
  let extentCross = 0;
  const rows = byRank.map((members) => {
    const sizes = members.map((i) =>
      rankdir === 'TB' ? (boxW[i] as number) : (boxH[i] as number),
    );
    const cross = sizes.reduce((s, v) => s + v, 0) + GAP_CROSS * Math.max(0, members.length - 1);
    extentCross = Math.max(extentCross, cross);
    return { members, sizes, cross };
  });
  for (const row of rows) {
    const depth = Math.max(
      ...row.members.map((i) => (rankdir === 'TB' ? (boxH[i] as number) : (boxW[i] as number))),
    );
    let c = PAD + (extentCross - row.cross) / 2;
    row.members.forEach((i, k) => {
      pos[i] = rankdir === 'TB' ? { x: c, y: main } : { x: main, y: c };
      c += (row.sizes[k] as number) + GAP_CROSS;
    });
    main += depth + GAP_MAIN;
  }
  const width = rankdir === 'TB' ? extentCross + 2 * PAD : main - GAP_MAIN + PAD;
  const height = rankdir === 'TB' ? main - GAP_MAIN + PAD : extentCross + 2 * PAD;
  const body: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
  ];
  for (const [a, b] of edges) {
    const pa = pos[a] as { x: number; y: number };
    const pb = pos[b] as { x: number; y: number };
    const [x1, y1, x2, y2] =
      rankdir === 'TB'
        ? [
            pa.x + (boxW[a] as number) / 2,
            pa.y + (boxH[a] as number),
            pb.x + (boxW[b] as number) / 2,
            pb.y,
          ]
        : [
            pa.x + (boxW[a] as number),
            pa.y + (boxH[a] as number) / 2,
            pb.x,
            pb.y + (boxH[b] as number) / 2,
          ];
    body.push(
      `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"/>`,
    );
  }
  layers.forEach((layer, i) => {
    const p = pos[i] as { x: number; y: number };
    body.push(
      `<g class="layer" data-name="${escapeXml(layer.name)}"><rect x="${p.x.toFixed(1)}" y="${p.y.toFixed(1)}" width="${(boxW[i] as number).toFixed(1)}" height="${(boxH[i] as number).toFixed(1)}" rx="4" fill="#f3f6fb" stroke="#333"/>`,
    );
    (labels[i] as string[]).forEach((line, k) => {
      const ty = p.y + PAD + FONT + k * (FONT + 4) - 2;
      body.push(
        `<text x="${(p.x + PAD).toFixed(1)}" y="${ty.toFixed(1)}" font-size="${FONT}">${escapeXml(line)}</text>`,
      );
    });
    body.push('</g>');
  });
  const svg = svgDocument(width, height, body);
  if (options.toFile) writeAtomically(options.toFile, svg);
  return svg;
}

export function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
