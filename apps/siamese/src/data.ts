/**
 * Pairs for a similarity task: points drawn around a few class centres in 16-D, paired so that
 * half the pairs share a class (label 1) and half do not (label 0). The encoder must map
 * same-class points close together, whatever the noise.
 */
export const FEATURES = 16;

/** mulberry32: a small seeded generator so every run draws the same pairs. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draw (Box-Muller). */
function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export interface Pairs {
  left: Float32Array;
  right: Float32Array;
  same: Float32Array;
  count: number;
}

export function makeCentres(classes: number, random: () => number): Float32Array[] {
  return Array.from({ length: classes }, () =>
    Float32Array.from({ length: FEATURES }, () => gaussian(random)),
  );
}

function sample(centre: Float32Array, noise: number, random: () => number): Float32Array {
  return centre.map((c) => c + noise * gaussian(random));
}

export function makePairs(opts: {
  count: number;
  centres: Float32Array[];
  noise: number;
  random: () => number;
}): Pairs {
  const { count, centres, noise, random } = opts;
  const k = centres.length;
  const left = new Float32Array(count * FEATURES);
  const right = new Float32Array(count * FEATURES);
  const same = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const a = Math.floor(random() * k);
    const isSame = i % 2 === 0;
    const b = isSame ? a : (a + 1 + Math.floor(random() * (k - 1))) % k;
    left.set(sample(centres[a] as Float32Array, noise, random), i * FEATURES);
    right.set(sample(centres[b] as Float32Array, noise, random), i * FEATURES);
    same[i] = isSame ? 1 : 0;
  }
  return { left, right, same, count };
}
