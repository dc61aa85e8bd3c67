import * as tf from '@tensorflow/tfjs-core';
import { alignTarget } from './loss-fn.js';

/** The Metric surface the engine uses (keras.metrics.Metric). */
export interface MetricLike {
  name: string;
  updateState(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor | null): void;
  result(): tf.Tensor;
  resetState(): void;
}

/** Resolves a metric identifier for one output, given its tensors (for 'accuracy'). */
export type MetricResolver = (
  id: unknown,
  ctx: { yTrue: tf.Tensor; yPred: tf.Tensor; lossName: string | null },
) => MetricLike;

export type MetricsSpec = unknown[] | Record<string, unknown | unknown[]> | null | undefined;

interface Entry {
  output: number;
  id: unknown;
  weighted: boolean;
  metric: MetricLike | null;
  name: string;
}

function isDict(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

function copyMetric(id: unknown): unknown {
  if (typeof id !== 'object' || id === null) return id;
  const m = id as { getConfig?: () => Record<string, unknown> };
  const cls = id.constructor as { fromConfig?: (c: Record<string, unknown>) => unknown };
  if (typeof m.getConfig !== 'function' || typeof cls.fromConfig !== 'function') return id;
  return cls.fromConfig(m.getConfig());
}

function displayName(id: unknown): string {
  if (typeof id === 'string') return id;
  if (typeof id === 'function') return id.name || 'metric';
  return (id as { name?: string })?.name ?? 'metric';
}

/**
 * Keras's compiled metrics: `metrics` and `weightedMetrics`, a list (every output, as Keras 2)
 * or a dict by output name. Metric objects are made at the first batch, when the shapes that
 * decide what 'accuracy' means are known; names get the output prefix when there are several.
 */
export class CompileMetrics {
  private readonly entries: Entry[] = [];
  private readonly resolve: MetricResolver;
  private readonly lossNames: (string | null)[];

  constructor(args: {
    metrics: MetricsSpec;
    weightedMetrics: MetricsSpec;
    outputNames: string[];
    lossNames: (string | null)[];
    resolve: MetricResolver;
  }) {
    const { outputNames } = args;
    this.resolve = args.resolve;
    this.lossNames = args.lossNames;
    const several = outputNames.length > 1;
    const add = (spec: MetricsSpec, weighted: boolean, what: string) => {
      if (spec === null || spec === undefined) return;
      const push = (output: number, id: unknown) => {
        const base = displayName(id);
        const prefixed = several ? `${outputNames[output]}_${base}` : base;
        this.entries.push({ output, id, weighted, metric: null, name: prefixed });
      };
      if (Array.isArray(spec)) {
        // A list applies to every output; a Metric object is copied per output (its state is
        // per output), as Keras 2 did.
        outputNames.forEach((_, o) => {
          for (const id of spec) push(o, o === 0 ? id : copyMetric(id));
        });
      } else if (isDict(spec)) {
        for (const [key, ids] of Object.entries(spec)) {
          const o = outputNames.indexOf(key);
          if (o < 0) {
            throw new Error(
              `In the dict argument \`${what}\`, key '${key}' does not correspond to any model ` +
                `output. Expected keys among: ${JSON.stringify(outputNames)}`,
            );
          }
          for (const id of Array.isArray(ids) ? ids : [ids]) push(o, id);
        }
      } else {
        throw new Error(
          `Expected \`${what}\` to be a list or a dict by output name. Received: ${what}=${String(spec)}`,
        );
      }
    };
    add(args.metrics, false, 'metrics');
    add(args.weightedMetrics, true, 'weighted_metrics');
    const seen = new Set<string>();
    for (const e of this.entries) {
      // A weighted metric that shares a plain metric's name gets Keras 2's `weighted_` prefix.
      if (seen.has(e.name)) e.name = e.weighted ? `weighted_${e.name}` : `${e.name}_1`;
      seen.add(e.name);
    }
  }

  get names(): string[] {
    return this.entries.map((e) => e.name);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Updates every metric (inside the step's tidy). */
  update(
    yTrue: (tf.Tensor | null)[],
    yPred: tf.Tensor[],
    sampleWeight: (tf.Tensor | null)[] | null,
  ): void {
    for (const e of this.entries) {
      const yt = yTrue[e.output];
      const yp = yPred[e.output];
      if (!yt || !yp) continue;
      if (e.metric === null) {
        e.metric = this.resolve(e.id, {
          yTrue: yt,
          yPred: yp,
          lossName: this.lossNames[e.output] ?? null,
        });
      }
      const sw = e.weighted ? (sampleWeight?.[e.output] ?? null) : null;
      e.metric.updateState(alignTarget(yt, yp), yp, sw);
    }
  }

  /** Readers for the lazy logs: one per metric, in order. */
  /** Each metric's current value as a scalar tensor the caller owns (read lazily by the logs). */
  readers(): [string, () => tf.Tensor | number][] {
    return this.entries.map((e) => [
      e.name,
      () => {
        const metric = e.metric;
        if (metric === null) return 0;
        // A metric may hand back one of its own variables: give a copy, never its state.
        return tf.tidy(() => tf.clone(metric.result()));
      },
    ]);
  }

  reset(): void {
    for (const e of this.entries) e.metric?.resetState();
  }
}
