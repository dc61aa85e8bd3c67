import type { Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicTensor } from '../engine/symbolic-tensor.js';
import type { CallArgs, Config, ConfigValue, Shape } from '../engine/types.js';
import { configToArgs } from '../serialization/config-keys.js';
import {
  type DeserializeOptions,
  deserializeKerasObject,
  serializeKerasObject,
} from '../serialization/registry.js';
import { RNN } from './rnn.js';
import { stateSizesOf } from './rnn-cell.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways; Bidirectional runs copies named forward_/backward_. */
  layer: RNN;
  /** How the two directions combine (Keras default 'concat'); null returns both. */
  mergeMode?: MergeMode;
  /** A different layer for the backward direction (must have goBackwards: true). */
  backwardLayer?: RNN | null;
}

type AnyTensor = Tensor | SymbolicTensor;

/** Copies an RNN layer from its config, with some keys changed. */
function cloneRnn(layer: RNN, changes: Config): RNN {
  const cls = layer.constructor as unknown as {
    fromConfig(config: Config, opts?: DeserializeOptions): RNN;
  };
  return cls.fromConfig({ ...layer.getConfig(), ...changes });
}

/**
 * Keras's Bidirectional wrapper: runs an RNN forwards and a copy backwards over the same
 * sequence and merges the outputs (backward sequences are flipped back into time order first).
 * With returnState, the output(s) are followed by the forward states then the backward ones.
 */
export class Bidirectional extends Layer {
  static override className = 'Bidirectional';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;

  constructor(args: BidirectionalArgs) {
    super(args);
    const { layer } = args;
    if (!(layer instanceof RNN)) {
      throw new Error(
        `Please initialize \`Bidirectional\` layer with a recurrent layer (RNN, LSTM, GRU, ...). Received: ${String(layer)}`,
      );
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!['sum', 'mul', 'ave', 'concat', null].includes(mergeMode)) {
      throw new Error(
        `Invalid merge mode. Received: ${String(mergeMode)}. Merge mode should be one of {"sum", "mul", "ave", "concat", None}`,
      );
    }
    this.mergeMode = mergeMode;
    const strip = (name: string, prefix: string) =>
      name.startsWith(prefix) ? name.slice(prefix.length) : name;
    // Keras masks padded steps with zeros inside a Bidirectional that returns sequences.
    const zero = { zero_output_for_mask: layer.returnSequences };
    this.forwardLayer = cloneRnn(layer, {
      ...zero,
      name: `forward_${strip(layer.name, 'forward_')}`,
    });
    this.backwardLayer = args.backwardLayer
      ? cloneRnn(args.backwardLayer, { ...zero, name: args.backwardLayer.name })
      : cloneRnn(layer, {
          ...zero,
          go_backwards: !layer.goBackwards,
          name: `backward_${strip(layer.name, 'backward_')}`,
        });
    if (this.forwardLayer.goBackwards === this.backwardLayer.goBackwards) {
      throw new Error(
        'Forward layer and backward layer should have different `go_backwards` value. Received: ' +
          `forward_layer.go_backwards=${this.forwardLayer.goBackwards}, backward_layer.go_backwards=${this.backwardLayer.goBackwards}`,
      );
    }
    for (const a of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (this.forwardLayer[a] !== this.backwardLayer[a]) {
        throw new Error(
          `Forward layer and backward layer are expected to have the same value for attribute "${a}", ` +
            `got "${this.forwardLayer[a]}" for forward layer and "${this.backwardLayer[a]}" for backward layer`,
        );
      }
    }
    this.stateful = layer.stateful;
    this.returnSequences = layer.returnSequences;
    this.returnState = layer.returnState;
    this.supportsMasking = true;
  }

  /** `initialState`: the forward layer's states, then the backward layer's. */
  override apply(
    inputs: SymbolicTensor | SymbolicTensor[],
    args?: CallArgs,
  ): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | Tensor[], args?: CallArgs): Tensor | Tensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[],
    args?: CallArgs,
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[],
    args: CallArgs = {},
  ): Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[] {
    const { initialState, ...rest } = args as CallArgs & { initialState?: AnyTensor[] | null };
    if (!initialState || initialState.length === 0) return super.apply(inputs as Tensor, rest);
    const seq = Array.isArray(inputs) ? inputs : [inputs];
    return super.apply([...seq, ...initialState] as Tensor[], rest);
  }

  override build(inputShape: Shape | Shape[]): void {
    const seqShape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.forwardLayer.maybeBuild(seqShape);
    this.backwardLayer.maybeBuild(seqShape);
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], args: CallArgs = {}): Tensor | Tensor[] {
    const [sequences, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    const forwardCount = stateSizesOf(this.forwardLayer.cell).length;
    if (
      states.length > 0 &&
      states.length !== forwardCount + stateSizesOf(this.backwardLayer.cell).length
    ) {
      throw new Error(
        `Bidirectional "${this.name}" expects ${forwardCount} forward and ` +
          `${stateSizesOf(this.backwardLayer.cell).length} backward initial states. Received: ${states.length}`,
      );
    }
    const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
    const sub: CallArgs = { training: args.training, mask };
    const run = (layer: RNN, init: Tensor[]) =>
      layer.call(init.length > 0 ? [sequences as Tensor, ...init] : (sequences as Tensor), sub);
    const fw = run(this.forwardLayer, states.slice(0, forwardCount));
    const bw = run(this.backwardLayer, states.slice(forwardCount));
    return tf.tidy(() => {
      const fwList = Array.isArray(fw) ? fw : [fw];
      const bwList = Array.isArray(bw) ? bw : [bw];
      const y = fwList[0] as Tensor;
      let yRev = bwList[0] as Tensor;
      if (this.returnSequences) yRev = tf.reverse(yRev, 1);
      let output: Tensor | Tensor[];
      switch (this.mergeMode) {
        case 'concat':
          output = tf.concat([y, yRev], -1);
          break;
        case 'sum':
          output = tf.add(y, yRev);
          break;
        case 'ave':
          output = tf.mul(tf.add(y, yRev), 0.5);
          break;
        case 'mul':
          output = tf.mul(y, yRev);
          break;
        default:
          output = [y, yRev];
      }
      if (!this.returnState) return output;
      const outs = Array.isArray(output) ? output : [output];
      return [...outs, ...fwList.slice(1), ...bwList.slice(1)];
    });
  }

  override resetStates(): void {
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const seqShape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const fw = this.forwardLayer.computeOutputShape(seqShape);
    const bw = this.backwardLayer.computeOutputShape(seqShape);
    const fwList = (this.returnState ? fw : [fw]) as Shape[];
    const bwList = (this.returnState ? bw : [bw]) as Shape[];
    const yf = fwList[0] as Shape;
    const yb = bwList[0] as Shape;
    let output: Shape[];
    if (this.mergeMode === 'concat') {
      const last = (s: Shape) => s[s.length - 1];
      const a = last(yf);
      const b = last(yb);
      output = [
        [...yf.slice(0, -1), a === null || b === null ? null : (a as number) + (b as number)],
      ];
    } else if (this.mergeMode === null) {
      output = [yf, yb];
    } else {
      output = [yf];
    }
    if (!this.returnState) return output.length === 1 ? (output[0] as Shape) : output;
    return [...output, ...fwList.slice(1), ...bwList.slice(1)];
  }

  override computeMask(
    _inputs: Tensor | Tensor[],
    mask?: Tensor | (Tensor | null)[] | null,
  ): Tensor | (Tensor | null)[] | null {
    const seqMask = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const outputMask = this.returnSequences ? seqMask : null;
    const outputs = this.mergeMode === null ? [outputMask, outputMask] : [outputMask];
    if (!this.returnState) return outputs.length === 1 ? (outputs[0] ?? null) : outputs;
    const stateCount =
      stateSizesOf(this.forwardLayer.cell).length + stateSizesOf(this.backwardLayer.cell).length;
    return [...outputs, ...Array.from({ length: stateCount }, () => null)];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      merge_mode: this.mergeMode,
      layer: serializeKerasObject(this.forwardLayer),
      backward_layer: serializeKerasObject(this.backwardLayer),
    };
  }

  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    opts: DeserializeOptions = {},
  ): T {
    const { layer, backward_layer: backward, ...rest } = config;
    const load = (c: ConfigValue | undefined) =>
      c === undefined || c === null
        ? null
        : (deserializeKerasObject(c, { ...opts, kind: 'layers' }) as RNN);
    const Ctor = this as unknown as new (args: Record<string, unknown>) => T;
    return new Ctor({ ...configToArgs(rest), layer: load(layer), backwardLayer: load(backward) });
  }
}
