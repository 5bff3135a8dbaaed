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

/**
 * Slope k of P(same | d) = 1 / (1 + exp(k (d − t))) with the centre t fixed at the threshold: the maximum-likelihood
 * fit over the labelled distances (golden-section search on the convex negative log-likelihood).
 */
export function fitSlope(same: number[], diff: number[], t: number): number {
  const nll = (k: number): number => {
    let s = 0;
    for (const d of same) s += Math.log1p(Math.exp(k * (d - t)));
    for (const d of diff) s += Math.log1p(Math.exp(-k * (d - t)));
    return s;
  };
  let lo = 1;
  let hi = 200;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

/**
 * L2-regularised logistic regression by Newton's method (a handful of features, a few hundred samples):
 * returns [bias, ...weights] for P(y=1 | x) = sigmoid(bias + w·x).
 */
export function fitLogistic(xs: number[][], ys: number[], l2 = 0.1, iterations = 50): number[] {
  const d = (xs[0]?.length ?? 0) + 1;
  let w = new Array<number>(d).fill(0);
  const row = (x: number[]): number[] => [1, ...x];
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    xs.forEach((x0, n) => {
      const x = row(x0);
      const p = 1 / (1 + Math.exp(-x.reduce((a, v, i) => a + v * (w[i] ?? 0), 0)));
      const e = p - (ys[n] ?? 0);
      for (let i = 0; i < d; i++) {
        grad[i] = (grad[i] ?? 0) + e * (x[i] ?? 0);
        for (let j = 0; j < d; j++)
          (hess[i] as number[])[j] =
            ((hess[i] as number[])[j] ?? 0) + p * (1 - p) * (x[i] ?? 0) * (x[j] ?? 0);
      }
    });
    for (let i = 1; i < d; i++) {
      grad[i] = (grad[i] ?? 0) + l2 * (w[i] ?? 0);
      (hess[i] as number[])[i] = ((hess[i] as number[])[i] ?? 0) + l2;
    }
    const step = solve(hess, grad);
    w = w.map((v, i) => v - (step[i] ?? 0));
  }
  return w;
}

/** Gaussian elimination with partial pivoting: A x = b. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((r, i) => [...r, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = m[c]?.[c] ?? 1;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = (m[r]?.[c] ?? 0) / pivot;
      for (let k = c; k <= n; k++) (m[r] as number[])[k] = (m[r]?.[k] ?? 0) - f * (m[c]?.[k] ?? 0);
    }
  }
  return m.map((r, i) => (r[n] ?? 0) / (r[i] ?? 1));
}
