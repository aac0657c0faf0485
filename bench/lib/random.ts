/** Deterministic randomness for benchmark data, so two runs send the same traffic. */

/** A seeded PRNG (mulberry32) returning uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly chosen element of a non-empty array. */
export function pick<T>(random: () => number, values: readonly T[]): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error('pick from an empty array');
  return value;
}

/**
 * A sampler over `values` with the given relative weights (binary search over the cumulative
 * weights, so large Zipf tables stay cheap to sample).
 */
export function weighted<T>(
  random: () => number,
  entries: readonly { value: T; weight: number }[],
): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const entry of entries) {
    total += entry.weight;
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return (entries[lo] ?? entries[entries.length - 1]!).value;
  };
}

/** Zipf weights 1/(rank+1)^s for `values` in rank order (the first is the most popular). */
export function zipf<T>(values: readonly T[], s = 1): { value: T; weight: number }[] {
  return values.map((value, rank) => ({ value, weight: 1 / Math.pow(rank + 1, s) }));
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(random: () => number, values: readonly T[]): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
