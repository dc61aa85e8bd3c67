import {
  type Config,
  type ConfigValue,
  type CustomObjects,
  deserializeKerasObject,
  InputLayer,
  type Layer,
  type Node,
  type SymbolicTensor,
  serializeKerasObject,
} from '@keras-ts/layers';
import type { FunctionalGraph } from './functional-graph.js';

type History = [string, number, number];

/** Node index of `node` among the nodes of its layer that belong to this graph (Keras remaps). */
function localNodeIndex(graph: FunctionalGraph, layer: Layer, globalIndex: number): number {
  const node = layer.inboundNodes[globalIndex] as Node;
  const kept = graph.layerNodes.get(layer) ?? [];
  const i = kept.indexOf(node);
  return i < 0 ? globalIndex : i;
}

function historyOf(graph: FunctionalGraph, t: SymbolicTensor): History {
  const h = t.kerasHistory as NonNullable<SymbolicTensor['kerasHistory']>;
  return [h.layer.name, localNodeIndex(graph, h.layer, h.nodeIndex), h.tensorIndex];
}

function kerasTensor(graph: FunctionalGraph, t: SymbolicTensor): Config {
  return {
    class_name: '__keras_tensor__',
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: historyOf(graph, t) },
  };
}

function jsonSafe(v: unknown): v is ConfigValue {
  if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every(jsonSafe);
  return false;
}

/** Keras 3's functional `get_config()`: layers with inbound nodes, input and output layers. */
export function functionalConfig(args: {
  name: string;
  trainable: boolean;
  graph: FunctionalGraph;
  inputKeys: string[] | null;
  outputKeys: string[] | null;
  outputsAreList: boolean;
}): Config {
  const { graph } = args;
  const layers: Config[] = graph.layers.map((layer) => {
    const entry = serializeKerasObject(layer) as Config;
    const build = layer instanceof InputLayer ? null : layer.getBuildConfig();
    if (build !== null) entry.build_config = build;
    entry.name = layer.name;
    const nodes = layer instanceof InputLayer ? [] : (graph.layerNodes.get(layer) ?? []);
    entry.inbound_nodes = nodes.map((node) => {
      const tensors = node.inputTensors.map((t) => kerasTensor(graph, t));
      const kwargs: Config = {};
      for (const [k, v] of Object.entries(node.callArgs))
        if (v !== undefined && jsonSafe(v)) kwargs[k] = v;
      return { args: node.inputsAreList ? [tensors] : tensors, kwargs };
    });
    return entry;
  });
  const ends = (tensors: SymbolicTensor[], keys: string[] | null, list: boolean): ConfigValue => {
    const hs = tensors.map((t) => historyOf(graph, t));
    if (keys) {
      const out: Config = {};
      keys.forEach((k, i) => {
        out[k] = hs[i] as History;
      });
      return out;
    }
    return hs.length === 1 && !list ? (hs[0] as History) : hs;
  };
  return {
    name: args.name,
    trainable: args.trainable,
    layers,
    input_layers: ends(graph.inputs, args.inputKeys, graph.inputs.length > 1),
    output_layers: ends(graph.outputs, args.outputKeys, args.outputsAreList),
  };
}

interface NodeRef {
  name: string;
  nodeIndex: number;
  tensorIndex: number;
}

/** Reads one inbound node in either dialect: input refs (flat), list-ness and kwargs. */
function parseNode(data: unknown): {
  refs: NodeRef[];
  isList: boolean;
  kwargs: Record<string, unknown>;
} {
  const refFromHistory = (h: unknown): NodeRef => {
    const [name, nodeIndex, tensorIndex] = h as [string, number, number];
    return { name, nodeIndex, tensorIndex };
  };
  const isKerasTensor = (v: unknown): v is { config: { keras_history: unknown } } =>
    typeof v === 'object' &&
    v !== null &&
    (v as { class_name?: unknown }).class_name === '__keras_tensor__';
  if (Array.isArray(data)) {
    // Keras 2: [["name", nodeIndex, tensorIndex, {kwargs}], ...]
    const refs = data.map((e) => refFromHistory(e));
    const kw = (data[0] as unknown[] | undefined)?.[3];
    return {
      refs,
      isList: data.length > 1,
      kwargs: kw && typeof kw === 'object' ? { ...(kw as Record<string, unknown>) } : {},
    };
  }
  const d = data as { args?: unknown[]; kwargs?: Record<string, unknown> };
  const args = d.args ?? [];
  const refs: NodeRef[] = [];
  let isList = false;
  if (args.length === 1 && Array.isArray(args[0])) {
    isList = true;
    for (const v of args[0] as unknown[])
      if (isKerasTensor(v)) refs.push(refFromHistory(v.config.keras_history));
  } else {
    for (const v of args) if (isKerasTensor(v)) refs.push(refFromHistory(v.config.keras_history));
    isList = refs.length > 1;
  }
  const kwargs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d.kwargs ?? {})) if (!isKerasTensor(v)) kwargs[k] = v;
  return { refs, isList, kwargs };
}

/**
 * Rebuilds the layers and graph of a functional config (Keras 3 `{args, kwargs}` nodes or
 * Keras 2 `[[name, node, tensor, kwargs]]` nodes). Returns the inputs and outputs to build the
 * model from.
 */
export function graphFromConfig(
  config: Config,
  opts: { customObjects?: CustomObjects } = {},
): {
  inputs: SymbolicTensor[] | Record<string, SymbolicTensor>;
  outputs: SymbolicTensor | SymbolicTensor[] | Record<string, SymbolicTensor>;
  singleInput: boolean;
} {
  const layerConfigs = config.layers;
  if (!Array.isArray(layerConfigs)) {
    throw new Error(
      `A functional config needs a "layers" list. Received keys: ${Object.keys(config).join(', ')}`,
    );
  }
  const created = new Map<string, Layer>();
  const pending = new Map<string, unknown[]>();
  const order: string[] = [];
  for (const raw of layerConfigs) {
    const lc = raw as Config;
    const name = (lc.name ?? (lc.config as Config | undefined)?.name) as string;
    const { inbound_nodes: nodes, build_config: _b, name: _n, ...serialized } = lc;
    const layer = deserializeKerasObject(serialized as ConfigValue, {
      customObjects: opts.customObjects,
      kind: 'layers',
    }) as Layer;
    created.set(name, layer);
    order.push(name);
    pending.set(name, Array.isArray(nodes) ? [...nodes] : []);
  }
  const produced = new Map<string, SymbolicTensor[][]>();
  for (const [name, layer] of created) {
    if (layer instanceof InputLayer) produced.set(name, [[layer.output as SymbolicTensor]]);
    else produced.set(name, []);
  }
  const lookup = (r: NodeRef): SymbolicTensor | undefined =>
    produced.get(r.name)?.[r.nodeIndex]?.[r.tensorIndex];
  // Process nodes until none is left; each pass must make progress (Keras's unprocessed-node queue).
  let remaining = [...pending.values()].reduce((n, l) => n + l.length, 0);
  while (remaining > 0) {
    let progressed = false;
    for (const name of order) {
      const queue = pending.get(name) as unknown[];
      while (queue.length > 0) {
        const parsed = parseNode(queue[0]);
        const inputs = parsed.refs.map(lookup);
        if (inputs.some((t) => t === undefined)) break;
        queue.shift();
        remaining -= 1;
        progressed = true;
        const layer = created.get(name) as Layer;
        const ins = inputs as SymbolicTensor[];
        const out = layer.apply(parsed.isList ? ins : (ins[0] as SymbolicTensor), parsed.kwargs);
        (produced.get(name) as SymbolicTensor[][]).push(Array.isArray(out) ? out : [out]);
      }
    }
    if (!progressed) {
      const stuck = order.filter((n) => (pending.get(n) as unknown[]).length > 0);
      throw new Error(
        `Could not rebuild the functional graph: the inbound nodes of layers ${stuck.join(', ')} ` +
          'refer to layers or nodes that do not exist in the config.',
      );
    }
  }
  const resolveEnds = (spec: ConfigValue | undefined, what: string) => {
    const one = (h: unknown): SymbolicTensor => {
      const [name, nodeIndex, tensorIndex] = h as [string, number, number];
      const t = lookup({ name, nodeIndex, tensorIndex });
      if (!t)
        throw new Error(
          `The ${what} refer to layer "${name}" (node ${nodeIndex}), which is not in the config.`,
        );
      return t;
    };
    if (Array.isArray(spec) && typeof spec[0] === 'string')
      return { value: one(spec), single: true };
    if (Array.isArray(spec)) return { value: spec.map(one), single: false };
    if (spec && typeof spec === 'object') {
      const out: Record<string, SymbolicTensor> = {};
      for (const [k, v] of Object.entries(spec)) out[k] = one(v);
      return { value: out, single: false };
    }
    throw new Error(`A functional config needs "${what}". Received: ${JSON.stringify(spec)}`);
  };
  const ins = resolveEnds(config.input_layers, 'input_layers');
  const outs = resolveEnds(config.output_layers, 'output_layers');
  const inputs = ins.single
    ? [ins.value as SymbolicTensor]
    : (ins.value as SymbolicTensor[] | Record<string, SymbolicTensor>);
  // Keras 2 writes `[["out", 0, 0]]` for a single output: that model still has one output.
  const outputs =
    Array.isArray(outs.value) && outs.value.length === 1
      ? (outs.value[0] as SymbolicTensor)
      : outs.value;
  return { inputs, outputs, singleInput: ins.single };
}
