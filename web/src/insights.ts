/**
 * Pure helpers behind the "beyond" features (DASHBOARD.md §17): which values explain a change
 * (§17.1) and whether two conversion rates really differ (§17.4).
 */

export interface DimensionRows {
  /** Label of the dimension ("Browser") and its filter parameter (`browser`). */
  label: string;
  param: string;
  /** Response field holding the value (`browser`). */
  field: string;
  name?: (value: string) => string;
  current: Record<string, unknown>[];
  previous: Record<string, unknown>[];
}

export interface Contribution {
  dimension: string;
  param: string;
  value: string;
  label: string;
  current: number;
  previous: number;
  delta: number;
  /** Share of the total change (can exceed 1 when other values moved the other way). */
  share: number;
}

/** Rank the values of every dimension by how much of `change` (in visitors) they explain. */
export function rankContributions(change: number, lists: DimensionRows[]): Contribution[] {
  const out: Contribution[] = [];
  for (const list of lists) {
    const visitors = (rows: Record<string, unknown>[]) => {
      const map = new Map<string, number>();
      for (const r of rows) map.set(String(r[list.field] ?? ''), Number(r.visitors ?? 0));
      return map;
    };
    const now = visitors(list.current);
    const before = visitors(list.previous);
    for (const value of new Set([...now.keys(), ...before.keys()])) {
      const c = now.get(value) ?? 0;
      const p = before.get(value) ?? 0;
      const delta = c - p;
      // Only values that moved the same way as the total explain it.
      if (delta === 0 || Math.sign(delta) !== Math.sign(change)) continue;
      out.push({
        dimension: list.label,
        param: list.param,
        value,
        label: value === '' ? 'none / unknown' : (list.name?.(value) ?? value),
        current: c,
        previous: p,
        delta,
        share: delta / change,
      });
    }
  }
  return out.sort(
    (a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.label.localeCompare(b.label),
  );
}

/** Wilson score interval (95 %) of `successes` out of `n`. */
export function wilson(successes: number, n: number, z = 1.96): [low: number, high: number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - margin), Math.min(1, centre + margin)];
}

export interface RateComparison {
  verdict: 'better' | 'worse' | 'unclear' | 'too-few';
  /** Two-sided p-value of the two-proportion z-test. */
  p: number;
  current: [number, number];
  previous: [number, number];
  /** Rough number of further visitors per period needed to tell the observed difference apart. */
  moreNeeded: number;
}

/** Standard normal cumulative distribution (Abramowitz–Stegun 7.1.26 via erf). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Compare two conversion rates (converted of n visitors): a two-proportion z-test at 95 %
 * and Wilson intervals; samples under 30 visitors are flagged instead of judged.
 */
export function compareRates(c1: number, n1: number, c2: number, n2: number): RateComparison {
  const current = wilson(c1, n1);
  const previous = wilson(c2, n2);
  const p1 = n1 ? c1 / n1 : 0;
  const p2 = n2 ? c2 / n2 : 0;
  const pooled = n1 + n2 ? (c1 + c2) / (n1 + n2) : 0;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(n1, 1) + 1 / Math.max(n2, 1)));
  const z = se === 0 ? 0 : (p1 - p2) / se;
  const p = 2 * (1 - normalCdf(Math.abs(z)));
  // Visitors per group to detect the observed difference (95 % confidence, 80 % power).
  const diff = Math.abs(p1 - p2);
  const needed =
    diff === 0
      ? Infinity
      : (1.96 * Math.sqrt(2 * pooled * (1 - pooled)) +
          0.8416 * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) **
          2 /
        diff ** 2;
  const moreNeeded = Number.isFinite(needed)
    ? Math.max(0, Math.ceil(needed - Math.min(n1, n2)))
    : Infinity;
  const verdict =
    Math.min(n1, n2) < 30 ? 'too-few' : p < 0.05 ? (p1 > p2 ? 'better' : 'worse') : 'unclear';
  return { verdict, p, current, previous, moreNeeded };
}
