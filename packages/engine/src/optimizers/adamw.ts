import { Adam, type AdamArgs } from './adam.js';

/** Adam with decoupled weight decay (Keras 3 `AdamW`, default `weightDecay` 0.004). */
export class AdamW extends Adam {
  static override className = 'AdamW';

  constructor(args: AdamArgs = {}) {
    const weightDecay = 'weightDecay' in args ? args.weightDecay : 0.004;
    if (weightDecay === null || weightDecay === undefined) {
      throw new Error('Argument `weight_decay` must be a float. Received: weight_decay=None');
    }
    super({ ...args, weightDecay });
  }
}
