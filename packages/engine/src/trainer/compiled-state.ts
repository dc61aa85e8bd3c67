import { CompileLoss, type LossWeightsSpec } from './compile-loss.js';
import { CompileMetrics, type MetricsSpec } from './compile-metrics.js';
import type { MeanTracker } from './mean-tracker.js';
import { resolveLoss, resolveMetric } from './resolvers.js';

export interface CompileSpec {
  loss: unknown;
  lossWeights?: LossWeightsSpec;
  metrics?: MetricsSpec;
  weightedMetrics?: MetricsSpec;
}

/**
 * What `compile` set up. The loss and metric containers need the output names, which a
 * subclassed model only knows after its first call, so they are made on first use (a
 * functional model makes them at compile, so bad names fail there).
 */
export class CompiledState {
  readonly spec: CompileSpec;
  private built: { names: string[]; loss: CompileLoss; metrics: CompileMetrics } | null = null;

  constructor(spec: CompileSpec) {
    this.spec = spec;
  }

  ensure(outputNames: string[]): { loss: CompileLoss; metrics: CompileMetrics } {
    if (this.built && this.built.names.join('\u0000') === outputNames.join('\u0000')) {
      return this.built;
    }
    this.built?.loss.dispose();
    const loss = new CompileLoss({
      loss: this.spec.loss,
      lossWeights: this.spec.lossWeights,
      outputNames,
      resolve: resolveLoss,
    });
    const lossNames = outputNames.map((_, i) => {
      const l = Array.isArray(this.spec.loss)
        ? this.spec.loss[i]
        : typeof this.spec.loss === 'object' &&
            this.spec.loss !== null &&
            !('call' in this.spec.loss)
          ? (this.spec.loss as Record<string, unknown>)[outputNames[i] as string]
          : this.spec.loss;
      return typeof l === 'string' ? l : (loss.losses[i]?.name ?? null);
    });
    const metrics = new CompileMetrics({
      metrics: this.spec.metrics,
      weightedMetrics: this.spec.weightedMetrics,
      outputNames,
      lossNames,
      resolve: resolveMetric,
    });
    this.built = { names: [...outputNames], loss, metrics };
    return this.built;
  }

  get current(): { loss: CompileLoss; metrics: CompileMetrics } | null {
    return this.built;
  }

  /** Loss trackers then metric names, in Keras's `metrics_names` order. */
  get metricsNames(): string[] {
    if (!this.built) return ['loss'];
    return [
      ...this.built.loss.trackers.map((t: MeanTracker) => t.name),
      ...this.built.metrics.names,
    ];
  }

  reset(): void {
    this.built?.loss.reset();
    this.built?.metrics.reset();
  }

  dispose(): void {
    this.built?.loss.dispose();
    this.built = null;
  }
}
