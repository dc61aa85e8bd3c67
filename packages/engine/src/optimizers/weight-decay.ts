import type * as tf from '@tensorflow/tfjs-core';
import { unwrapVariable, type VariableLike, variableName } from './variable.js';

/** Which variables decoupled weight decay skips (Keras `exclude_from_weight_decay`). */
export class WeightDecayExclusions {
  private vars = new Set<tf.Variable>();
  private pattern: RegExp | null = null;

  /** Variables by identity, and names matching any of `varNames` (substring match, as Keras). */
  set(args: { varList?: VariableLike[]; varNames?: string[] }): void {
    this.vars = new Set((args.varList ?? []).map(unwrapVariable));
    const names = args.varNames ?? [];
    this.pattern = names.length
      ? new RegExp(
          [...new Set(names)].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
        )
      : null;
  }

  excludes(ref: VariableLike): boolean {
    if (this.vars.has(unwrapVariable(ref))) return true;
    return this.pattern?.test(variableName(ref)) ?? false;
  }
}
