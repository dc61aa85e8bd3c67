import type { Layer } from './layer.js';
import type { SymbolicTensor } from './symbolic-tensor.js';

/**
 * One call of a layer on symbolic inputs: the edge of the functional graph that connects the
 * layers that produced the inputs to the layer that consumed them.
 */
export class Node {
  readonly outboundLayer: Layer;
  readonly inboundLayers: Layer[];
  /** For each input: the index of the producing layer's node that made it. */
  readonly nodeIndices: number[];
  /** For each input: which output of that node it was. */
  readonly tensorIndices: number[];
  readonly inputTensors: SymbolicTensor[];
  readonly outputTensors: SymbolicTensor[];
  /** The non-tensor keyword arguments of the call (`training`, custom flags). */
  readonly callArgs: Record<string, unknown>;
  /** Whether the layer was called with a list (so `call` receives an array even of one). */
  readonly inputsAreList: boolean;
  /** Whether the layer returned a list (so the outputs stay an array even of one). */
  readonly outputsAreList: boolean;

  constructor(args: {
    outboundLayer: Layer;
    inputTensors: SymbolicTensor[];
    outputTensors: SymbolicTensor[];
    callArgs?: Record<string, unknown>;
    inputsAreList?: boolean;
    outputsAreList?: boolean;
  }) {
    this.outboundLayer = args.outboundLayer;
    this.inputTensors = args.inputTensors;
    this.outputTensors = args.outputTensors;
    this.callArgs = args.callArgs ?? {};
    this.inputsAreList = args.inputsAreList ?? args.inputTensors.length !== 1;
    this.outputsAreList = args.outputsAreList ?? args.outputTensors.length !== 1;
    this.inboundLayers = [];
    this.nodeIndices = [];
    this.tensorIndices = [];
    for (const t of args.inputTensors) {
      const h = t.kerasHistory;
      if (h === null) {
        throw new Error(
          `Layer "${args.outboundLayer.name}" was called on a symbolic tensor without Keras history ` +
            `(${t.name}). Expected a tensor made by Input() or by another layer. Received: ${t}`,
        );
      }
      this.inboundLayers.push(h.layer);
      this.nodeIndices.push(h.nodeIndex);
      this.tensorIndices.push(h.tensorIndex);
    }
    for (const layer of this.inboundLayers) layer.outboundNodes.push(this);
    args.outboundLayer.inboundNodes.push(this);
  }

  /** An input node (an InputLayer's) has no inbound layers. */
  get isInput(): boolean {
    return this.inboundLayers.length === 0;
  }

  get inputShapes(): (number | null)[][] {
    return this.inputTensors.map((t) => [...t.shape]);
  }

  get outputShapes(): (number | null)[][] {
    return this.outputTensors.map((t) => [...t.shape]);
  }
}
