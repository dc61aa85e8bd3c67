import { InputLayer, type Layer, type SymbolicTensor } from '@keras-ts/layers';
import type { Model } from './model.js';

export interface SummaryOptions {
  /** Total width (Keras: 88 for sequential-like models, 108 otherwise). */
  lineLength?: number;
  /** Column ends as fractions of the width. */
  positions?: number[];
  printFn?: (line: string) => void;
}

function shapeText(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** Keras's readable_memory_size: 1024-based units, two decimals. */
export function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  for (const unit of units) {
    if (v / 1024 < 1) return `${v.toFixed(2)} ${unit}`;
    v /= 1024;
  }
  return `${v.toFixed(2)} PB`;
}

function bytesOf(dtype: string): number {
  if (dtype === 'float16' || dtype === 'bfloat16' || dtype === 'int16' || dtype === 'uint16')
    return 2;
  if (dtype === 'float64' || dtype === 'int64') return 8;
  if (dtype === 'int8' || dtype === 'uint8' || dtype === 'bool') return 1;
  return 4;
}

function weightStats(vars: { size: number; dtype: string }[]): [number, number] {
  let count = 0;
  let bytes = 0;
  for (const v of vars) {
    count += v.size;
    bytes += v.size * bytesOf(v.dtype);
  }
  return [count, bytes];
}

interface Row {
  cells: string[][];
}

/** Whether the model reads as a chain: Keras then drops the "Connected to" column. */
function isSequential(model: Model): boolean {
  return (model.constructor as { className?: string }).className === 'Sequential';
}

function isSequentialLike(model: Model): boolean {
  if (isSequential(model) || !model.graph) return true;
  const g = model.graph;
  if (g.inputs.length !== 1 || g.outputs.length !== 1) return false;
  const uses = new Map<number, number>();
  for (const node of g.nodes) {
    if (node.inputTensors.length !== 1) return false;
    for (const t of node.inputTensors) uses.set(t.id, (uses.get(t.id) ?? 0) + 1);
  }
  for (const nodes of g.layerNodes.values()) if (nodes.length > 1) return false;
  return [...uses.values()].every((n) => n === 1);
}

function outputShapeOf(model: Model, layer: Layer): string {
  const nodes = model.graph?.layerNodes.get(layer) ?? layer.inboundNodes;
  const node = nodes[0];
  if (!node) return '?';
  const shapes = node.outputTensors.map((t: SymbolicTensor) => shapeText(t.shape));
  return shapes.length === 1 ? (shapes[0] as string) : `[${shapes.join(', ')}]`;
}

function connectionsOf(model: Model, layer: Layer): string[] {
  if (layer instanceof InputLayer) return ['-'];
  const nodes = model.graph?.layerNodes.get(layer) ?? [];
  const out: string[] = [];
  for (const node of nodes) {
    for (const t of node.inputTensors) {
      const h = t.kerasHistory;
      if (!h) continue;
      const kept = model.graph?.layerNodes.get(h.layer) ?? [];
      const idx = Math.max(kept.indexOf(h.layer.inboundNodes[h.nodeIndex] as never), 0);
      out.push(`${h.layer.name}[${idx}][${h.tensorIndex}]`);
    }
  }
  return out.length ? out : ['-'];
}

/** Wraps text to a width (long names break across lines, as rich does). */
function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

/** Keras 3's model summary: a boxed table, then totals with sizes. */
export function printSummary(model: Model, opts: SummaryOptions = {}): void {
  const print = opts.printFn ?? ((line: string) => console.log(line));
  const seqLike = isSequentialLike(model);
  const lineLength = opts.lineLength ?? (seqLike ? 88 : 108);
  const positions = opts.positions ?? (seqLike ? [0.45, 0.84, 1.0] : [0.3, 0.56, 0.74, 1.0]);
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(
    0,
    positions.length,
  );
  const align: ('left' | 'right')[] = ['left', 'left', 'right', 'left'];
  const widths: number[] = [];
  let current = 0;
  for (const p of positions) {
    const w = Math.floor(p * lineLength) - current;
    if (w < 4)
      throw new Error(`Insufficient console width to print summary: column of width ${w}.`);
    widths.push(w - 3);
    current += w;
  }
  // Each column has a border and a space each side: the table is exactly `lineLength` wide.
  widths[widths.length - 1] = (widths[widths.length - 1] as number) - 1;
  const rows: Row[] = model.layers
    .filter((l) => !(seqLike && l instanceof InputLayer && isSequential(model)))
    .map((layer) => {
      const cls = (layer.constructor as { className?: string }).className ?? layer.constructor.name;
      const params = layer.built ? String(safeCount(layer)) : '0 (unbuilt)';
      const cells = [`${layer.name} (${cls})`, outputShapeOf(model, layer), params];
      if (!seqLike) cells.push(connectionsOf(model, layer).join('\n'));
      return {
        cells: cells.map((c, i) =>
          c.split('\n').flatMap((part) => wrap(part, widths[i] as number)),
        ),
      };
    });
  const bar = (l: string, fill: string, mid: string, r: string) =>
    l + widths.map((w) => fill.repeat(w + 2)).join(mid) + r;
  const line = (cells: string[], sep: string) =>
    sep +
    cells
      .map((c, i) => {
        const w = widths[i] as number;
        return ` ${align[i] === 'right' ? c.padStart(w) : c.padEnd(w)} `;
      })
      .join(sep) +
    sep;
  print(`Model: "${model.name}"`);
  print(bar('┏', '━', '┳', '┓'));
  print(line(header, '┃'));
  print(bar('┡', '━', '╇', '┩'));
  rows.forEach((row, r) => {
    const height = Math.max(...row.cells.map((c) => c.length));
    for (let k = 0; k < height; k++)
      print(
        line(
          row.cells.map((c) => c[k] ?? ''),
          '│',
        ),
      );
    if (r < rows.length - 1) print(bar('├', '─', '┼', '┤'));
  });
  print(bar('└', '─', '┴', '┘'));
  const [trainable, tBytes] = weightStats(model.trainableWeights);
  const [nonTrainable, nBytes] = weightStats(model.nonTrainableWeights);
  const opt = model.optimizer;
  const optVars = opt?.built ? opt.variables : [];
  const [optCount, oBytes] = weightStats(
    optVars.map((v) => ({ size: v.value.size, dtype: v.dtype })),
  );
  print(
    ` Total params: ${trainable + nonTrainable + optCount} (${readableSize(tBytes + nBytes + oBytes)})`,
  );
  print(` Trainable params: ${trainable} (${readableSize(tBytes)})`);
  print(` Non-trainable params: ${nonTrainable} (${readableSize(nBytes)})`);
  if (optVars.length > 0) print(` Optimizer params: ${optCount} (${readableSize(oBytes)})`);
}

function safeCount(layer: Layer): number {
  return layer.weights.reduce((n, v) => n + v.size, 0);
}
