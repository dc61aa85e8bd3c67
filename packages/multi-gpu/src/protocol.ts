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
    }
  | {
      type: 'train';
      id: number;
      x: HostArray[];
      y: HostArray[];
      sampleWeight: HostArray | null;
      scale: number;
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

export type ReplicaReply =
  | { type: 'ok'; id: number; loss?: number; outputs?: HostArray[]; weights?: HostArray[] }
  | { type: 'error'; id: number; message: string; stack?: string; aborted?: boolean };

/** compile() arguments in a form that crosses threads (no functions). */
export interface SerializedCompile {
  optimizer: Record<string, unknown>;
  loss: unknown;
  lossWeights?: unknown;
}

export type { AllReduceBuffers, HostArray };
