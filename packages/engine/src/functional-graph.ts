import type { CallArgs, Layer, Node, SymbolicTensor } from '@keras-ts/layers';
import { InputLayer } from '@keras-ts/layers';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The graph of a functional model: the nodes between its inputs and outputs in an order that
 * runs every node after its inputs (deepest first, Keras's `nodes_by_depth`), and its layers in
 * Keras's order (by depth, then by a pre-order walk from the outputs).
 */
export class FunctionalGraph {
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Non-input nodes in execution order. */
  readonly nodes: Node[];
  readonly layers: Layer[];
  /** Nodes per layer that belong to this graph (for config export and summary). */
  readonly layerNodes = new Map<Layer, Node[]>();

  constructor(inputs: SymbolicTensor[], outputs: SymbolicTensor[]) {
    this.inputs = inputs;
    this.outputs = outputs;
    for (const t of [...inputs, ...outputs]) {
      if (t.kerasHistory === null) {
        throw new Error(
          `Expected the inputs and outputs of a functional Model to come from Input() and layer ` +
            `calls (tensors with Keras history). Received: ${t}`,
        );
      }
    }
    for (const t of inputs) {
      if (!(t.kerasHistory?.layer instanceof InputLayer)) {
        throw new Error(
          `Model inputs must come from \`Input()\` (be the output of an InputLayer). Received an ` +
            `input made by layer "${t.kerasHistory?.layer.name}": ${t}`,
        );
      }
    }
    const depth = new Map<Node, number>();
    const nodeOf = (t: SymbolicTensor): Node => {
      const h = t.kerasHistory as NonNullable<SymbolicTensor['kerasHistory']>;
      return h.layer.inboundNodes[h.nodeIndex] as Node;
    };
    const inputIds = new Set(inputs.map((t) => t.id));
    // Iterative longest-path depth from the outputs; revisit a node when a deeper path appears.
    const stack: [Node, number][] = outputs.map((t) => [nodeOf(t), 0]);
    while (stack.length > 0) {
      const [node, d] = stack.pop() as [Node, number];
      const prev = depth.get(node);
      if (prev !== undefined && prev >= d) continue;
      depth.set(node, d);
      for (const t of node.inputTensors) {
        if (inputIds.has(t.id)) {
          const inNode = nodeOf(t);
          if ((depth.get(inNode) ?? -1) < d + 1) {
            depth.set(inNode, d + 1);
          }
          continue;
        }
        const inNode = nodeOf(t);
        if (inNode.isInput) {
          throw new Error(
            `Graph disconnected: cannot obtain value for tensor ${t} at layer ` +
              `"${inNode.outboundLayer.name}". The following previous layers were accessed ` +
              `without issue: ${[...depth.keys()].map((n) => n.outboundLayer.name).join(', ')}. ` +
              `Expected every input to be listed in \`inputs\`.`,
          );
        }
        stack.push([inNode, d + 1]);
      }
    }
    for (const t of inputs) {
      const n = nodeOf(t);
      if (!depth.has(n)) {
        depth.set(n, Number.MAX_SAFE_INTEGER);
      }
    }
    // Keras orders same-depth layers by a pre-order walk from the outputs, inputs in order.
    const preorder = new Map<Layer, number>();
    const seenNodes = new Set<Node>();
    const walk = (t: SymbolicTensor): void => {
      const node = nodeOf(t);
      if (seenNodes.has(node)) return;
      seenNodes.add(node);
      if (!preorder.has(node.outboundLayer)) preorder.set(node.outboundLayer, preorder.size);
      if (node.isInput || inputIds.has(t.id)) return;
      for (const inner of node.inputTensors) walk(inner);
    };
    for (const t of outputs) walk(t);
    const rank = (n: Node) => preorder.get(n.outboundLayer) ?? Number.MAX_SAFE_INTEGER;
    const byDepth = [...depth.keys()].sort(
      (a, b) => (depth.get(b) as number) - (depth.get(a) as number) || rank(a) - rank(b),
    );
    this.nodes = byDepth.filter((n) => !n.isInput);
    // Keras lists input layers first (in `inputs` order), then the rest by depth.
    const layers: Layer[] = inputs.map((t) => nodeOf(t).outboundLayer);
    const layerDepth = new Map<Layer, number>();
    for (const n of byDepth) {
      const l = n.outboundLayer;
      layerDepth.set(l, Math.max(layerDepth.get(l) ?? -1, depth.get(n) as number));
      const list = this.layerNodes.get(l) ?? [];
      list.push(n);
      this.layerNodes.set(l, list);
    }
    const rest = [...layerDepth.keys()].filter((l) => !layers.includes(l));
    rest.sort(
      (a, b) =>
        (layerDepth.get(b) as number) - (layerDepth.get(a) as number) ||
        (preorder.get(a) ?? 0) - (preorder.get(b) ?? 0),
    );
    this.layers = [...layers, ...rest];
    for (const [layer, nodes] of this.layerNodes) {
      nodes.sort((a, b) => layer.inboundNodes.indexOf(a) - layer.inboundNodes.indexOf(b));
    }
  }

  /**
   * Runs the graph on concrete tensors (one per input, in order). Masks travel with the
   * tensors (layers attach them); `training` reaches every layer unless a call fixed it.
   */
  run(inputs: tf.Tensor[], args: CallArgs = {}): tf.Tensor[] {
    if (inputs.length !== this.inputs.length) {
      throw new Error(
        `Functional model expects ${this.inputs.length} input(s) ` +
          `(${this.inputs.map((t) => t.name).join(', ')}), but it received ${inputs.length} input tensors.`,
      );
    }
    const values = new Map<number, tf.Tensor>();
    this.inputs.forEach((sym, i) => {
      let t = inputs[i] as tf.Tensor;
      checkInputShape(sym, t);
      const want = sym.dtype === 'string' ? 'string' : tfDtype(sym.dtype);
      if (t.dtype !== want && want !== 'string' && t.dtype !== 'string') t = tf.cast(t, want);
      values.set(sym.id, t);
    });
    for (const node of this.nodes) {
      const ins = node.inputTensors.map((s) => {
        const v = values.get(s.id);
        if (v === undefined) {
          throw new Error(
            `Graph error: no value computed for ${s} before layer "${node.outboundLayer.name}".`,
          );
        }
        return v;
      });
      const callArgs: CallArgs = { ...node.callArgs };
      if (callArgs.training === undefined && args.training !== undefined) {
        callArgs.training = args.training;
      }
      const out = node.outboundLayer.apply(
        node.inputsAreList ? ins : (ins[0] as tf.Tensor),
        callArgs,
      );
      const outs = Array.isArray(out) ? out : [out];
      node.outputTensors.forEach((s, i) => {
        values.set(s.id, outs[i] as tf.Tensor);
      });
    }
    return this.outputs.map((s) => values.get(s.id) as tf.Tensor);
  }
}

function tfDtype(d: string): tf.DataType {
  if (d.startsWith('float') || d === 'bfloat16') return 'float32';
  if (d.startsWith('int') || d.startsWith('uint')) return 'int32';
  return d as tf.DataType;
}

function checkInputShape(sym: SymbolicTensor, t: tf.Tensor): void {
  const want = sym.shape;
  const ok = want.length === t.rank && want.every((d, i) => d === null || d === t.shape[i]);
  if (!ok) {
    const fmt = (s: readonly (number | null)[]) =>
      `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
    throw new Error(
      `Input "${sym.name}" of the model is incompatible: expected shape=${fmt(want)}, ` +
        `found shape=${fmt(t.shape)}`,
    );
  }
}
