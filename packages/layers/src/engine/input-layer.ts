import { floatx } from '@keras-ts/backend';
import type * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layer.js';
import { toSnakeCase, uniqueName } from './naming.js';
import { Node } from './node.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import { type CallArgs, type Config, checkDType, type DType, type Shape } from './types.js';

export interface InputLayerArgs {
  /** Shape of one sample (without the batch). */
  shape?: Shape;
  batchSize?: number | null;
  /** Full shape with the batch; Keras 3 `batch_shape`, Keras 2 `batch_input_shape`. */
  batchShape?: Shape;
  batchInputShape?: Shape;
  inputShape?: Shape;
  dtype?: DType | string | Record<string, unknown> | null;
  name?: string;
  sparse?: boolean;
  ragged?: boolean;
  optional?: boolean;
}

/** The entry point of a functional graph; `Input()` makes one and returns its output. */
export class InputLayer extends Layer {
  static override className = 'InputLayer';
  readonly batchShape: Shape;
  readonly sparse: boolean;
  readonly optional: boolean;
  readonly inputDtype: DType;

  constructor(args: InputLayerArgs = {}) {
    const dtypeArg = args.dtype;
    const dtypeName =
      dtypeArg !== null && typeof dtypeArg === 'object'
        ? (dtypeArg as { config?: { name?: unknown } }).config?.name
        : dtypeArg;
    const dtype = checkDType(dtypeName ?? floatx());
    super({ name: args.name ?? uniqueName(toSnakeCase('InputLayer')), dtype });
    const batchShape = args.batchShape ?? args.batchInputShape;
    const shape = args.shape ?? args.inputShape;
    if (batchShape && shape) {
      throw new Error(
        `InputLayer "${this.name}" takes "shape" or "batchShape", not both. ` +
          `Received: shape=${JSON.stringify(shape)}, batchShape=${JSON.stringify(batchShape)}`,
      );
    }
    if (!batchShape && !shape) {
      throw new Error(
        `InputLayer "${this.name}" needs a "shape" (or "batchShape"). Received: shape=undefined`,
      );
    }
    const full = batchShape ? [...batchShape] : [args.batchSize ?? null, ...(shape as Shape)];
    for (const d of full) {
      if (d !== null && !(Number.isInteger(d) && d >= 0)) {
        throw new Error(
          `Received an invalid value for "shape", expected non-negative integers or null. ` +
            `Received: shape=${JSON.stringify(full)}`,
        );
      }
    }
    this.batchShape = full;
    this.batchInputShape = full;
    this.inputDtype = dtype;
    this.sparse = args.sparse ?? false;
    this.optional = args.optional ?? false;
    this.built = true;
    const output = new SymbolicTensor({ shape: full, dtype, name: this.name });
    const node = new Node({ outboundLayer: this, inputTensors: [], outputTensors: [output] });
    output.kerasHistory = {
      layer: this,
      nodeIndex: this.inboundNodes.indexOf(node),
      tensorIndex: 0,
    };
  }

  /** Passes concrete data through (a model whose output is its input returns the data). */
  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override computeOutputDtype(): DType {
    return this.inputDtype;
  }

  /** Keras 3's InputLayer config: `batch_shape`, dtype as a plain name. */
  override getConfig(): Config {
    return {
      batch_shape: this.batchShape,
      dtype: this.inputDtype,
      sparse: this.sparse,
      ragged: false,
      name: this.name,
      optional: this.optional,
    };
  }

  override getBuildConfig(): Config | null {
    return null;
  }
}

/** Keras's `Input()`: a symbolic tensor to start a functional model from. */
export function Input(args: {
  shape?: Shape;
  batchSize?: number | null;
  batchShape?: Shape;
  dtype?: DType;
  name?: string;
  sparse?: boolean;
  optional?: boolean;
}): SymbolicTensor {
  const layer = new InputLayer(args);
  return layer.inboundNodes[0]?.outputTensors[0] as SymbolicTensor;
}
