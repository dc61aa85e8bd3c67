import type { Logs } from '../callbacks/callback.js';

/**
 * Builds a logs object whose values are computed on first read and then cached. The fit loop
 * hands these to callbacks, so a step costs no device-to-host sync unless a callback (a progress
 * bar, History at epoch end) actually reads a value.
 */
export function lazyLogs(entries: Iterable<[string, () => number]>): Logs {
  const logs: Logs = {};
  for (const [key, read] of entries) {
    let cached: number | undefined;
    Object.defineProperty(logs, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (cached === undefined) cached = read();
        return cached;
      },
      set(v: number) {
        cached = v;
      },
    });
  }
  return logs;
}

/** A plain snapshot of (possibly lazy) logs: reads every value once. */
export function resolveLogs(logs: Logs | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!logs) return out;
  for (const key of Object.keys(logs)) out[key] = logs[key] as number;
  return out;
}
