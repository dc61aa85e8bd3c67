/**
 * A small seeded uniform generator in [0, 1) (mulberry32): host-side draws (shuffles, the
 * Orthogonal initializer's normal matrix) that must be the same for a seed in every thread and
 * process, which Math.random cannot give.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
