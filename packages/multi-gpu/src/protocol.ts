import type { AllReduceBuffers } from './allreduce.js';
import type { HostArray } from './codec.js';

/** What the main thread asks a replica to do. */
export type ReplicaRequest =
  | {
      type: 'init';
      id: number;
      modelJSON: string;
      weights: HostArray[];
      rank: number;
      device: string;
      /** Modules to import first (where custom layers register themselves). */
      modules: string[];
    }
  | {
      type: 'compile';
      id: number;
      compile: SerializedCompile;
      /** Thread replicas: the shared memory of the all-reduce. */
      buffers?: AllReduceBuffers;
      /** Process replicas: the length of the vector each step sends to the parent to sum. */
      reduceLength?: number;
    }
  | {
      type: 'train';
      id: number;
      x: HostArray[];
      y: HostArray[];
      sampleWeight: HostArray | null;
      scale: number;
      /** Send the slice's training-mode predictions back (the host computes metrics on them). */
      wantOutputs?: boolean;
    }
  | { type: 'predict'; id: number; x: HostArray[]; batchSize: number }
  | { type: 'getWeights'; id: number }
  | { type: 'setWeights'; id: number; weights: HostArray[] };

/** A request before the pool numbers it (Omit distributed over the union). */
export type RequestBody = ReplicaRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

/** The reply of a request that succeeded. */
export type OkReply = ReplicaReply & { type: 'ok' };

export type ReplicaReply =
  | {
      type: 'ok';
      id: number;
      loss?: number;
      /** Per-output losses of a multi-output model (`<output>_loss`), scaled like `loss`. */
      outputLosses?: Record<string, number>;
      outputs?: HostArray[];
      weights?: HostArray[];
    }
  | { type: 'error'; id: number; message: string; stack?: string; aborted?: boolean };

/** compile() arguments in a form that crosses threads (no functions). */
export interface SerializedCompile {
  optimizer: Record<string, unknown>;
  loss: unknown;
  lossWeights?: unknown;
}

export type { AllReduceBuffers, HostArray };

/**
 * The all-reduce of process replicas, over IPC beside the requests: a child sends its scaled
 * vector for a step, the parent answers with the sum over all replicas, or with an abort when
 * another replica failed.
 */
export type ReduceUp = { type: 'contribute'; step: number; data: Float32Array };
export type ReduceDown = { type: 'reduced'; step: number; sum: Float32Array } | { type: 'abort' };
