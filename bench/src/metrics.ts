// Verification metrics over distances of same-person (positive) and different-person (negative) pairs.

export interface Rates {
  threshold: number;
  /** Different-person pairs accepted (distance ≤ threshold) / all different-person pairs. */
  far: number;
  /** Same-person pairs rejected / all same-person pairs. */
  frr: number;
  accuracy: number;
}

export function ratesAt(same: number[], diff: number[], threshold: number): Rates {
  const fr = same.filter((d) => d > threshold).length;
  const fa = diff.filter((d) => d <= threshold).length;
  return {
    threshold,
    far: fa / Math.max(1, diff.length),
    frr: fr / Math.max(1, same.length),
    accuracy: (same.length - fr + diff.length - fa) / Math.max(1, same.length + diff.length),
  };
}

/** Area under the ROC curve = P(a random same-person distance < a random different-person one); ties count half. */
export function rocAuc(same: number[], diff: number[]): number {
  let wins = 0;
  for (const s of same) for (const d of diff) wins += s < d ? 1 : s === d ? 0.5 : 0;
  return wins / Math.max(1, same.length * diff.length);
}

/** Equal error rate: sweep thresholds over every observed distance, take where FAR and FRR cross. */
export function eer(same: number[], diff: number[]): { eer: number; threshold: number } {
  const candidates = [...same, ...diff].sort((a, b) => a - b);
  let best = { eer: 1, threshold: 0, gap: Infinity };
  for (const t of candidates) {
    const r = ratesAt(same, diff, t);
    const gap = Math.abs(r.far - r.frr);
    if (gap < best.gap) best = { eer: (r.far + r.frr) / 2, threshold: t, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.round((p / 100) * (s.length - 1))));
  return s[i] ?? NaN;
}

export const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
export const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;
