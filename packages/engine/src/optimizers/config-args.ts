import { snakeToCamel } from './naming.js';
import { InverseTimeDecay } from './schedules/decay-schedules.js';
import type { SerializedKerasObject } from './schedules/learning-rate-schedule.js';
import { deserialize as deserializeSchedule } from './schedules/serialization.js';

/** Keys Keras 2 (and tf.keras 2.11+) configs carry that Keras 3 dropped. */
const KERAS2_ONLY = new Set(['decay', 'is_legacy_optimizer', 'jit_compile', 'schedule_decay']);

/**
 * Turns a config's snake_case keys into constructor options. Keras 2's `lr` becomes
 * `learning_rate`; a Keras 2 `decay` > 0 becomes the schedule Keras 2 computed,
 * `lr / (1 + decay * iterations)` (an InverseTimeDecay with decay_steps 1).
 */
export function configToArgs(
  config: Record<string, unknown>,
  customObjects: Record<string, unknown> = {},
): Record<string, unknown> {
  const c: Record<string, unknown> = { ...config };
  if ('lr' in c) {
    if (!('learning_rate' in c)) c.learning_rate = c.lr;
    delete c.lr;
  }
  const lr = c.learning_rate;
  if (lr && typeof lr === 'object') {
    c.learning_rate = deserializeSchedule(lr as SerializedKerasObject, customObjects);
  }
  const decay = c.decay;
  if (typeof decay === 'number' && decay > 0 && typeof c.learning_rate === 'number') {
    c.learning_rate = new InverseTimeDecay({
      initialLearningRate: c.learning_rate,
      decaySteps: 1,
      decayRate: decay,
    });
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (KERAS2_ONLY.has(k)) continue;
    // Keras 2 wrote `epsilon: null` for "use the backend default".
    if (v === null && k === 'epsilon') continue;
    args[snakeToCamel(k)] = v;
  }
  return args;
}
