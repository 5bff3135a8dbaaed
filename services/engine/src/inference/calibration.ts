import type { SimilarityLabel__Output } from '@deepface/proto';

// Every number here was measured by `pnpm eval` (bench/src/eval-pairs.ts) on the fixture identities and the
// synthetic documents; the README's "Thresholds" section reports the figures behind them.

/** Euclidean distance between 128-d descriptors at or below which two faces are the same person. */
export const THRESHOLD = 0.58;
/** Bounds of the optional per-request threshold (stricter or looser, never absurd). */
export const MIN_THRESHOLD = 0.4;
export const MAX_THRESHOLD = 0.65;

/**
 * Distance → confidence (0-100) that the faces are the same person: a logistic curve centred on the threshold
 * (50 at the threshold); its slope was fitted to the same/different-person distances.
 */
export const CONFIDENCE_SLOPE = 37;

export function confidence(distance: number, threshold = THRESHOLD): number {
  const p = 1 / (1 + Math.exp(CONFIDENCE_SLOPE * (distance - threshold)));
  return Math.round(p * 10000) / 100;
}

/**
 * Similarity scale for look-alike: piecewise linear in distance through measured anchors.
 * 100 at a distance of two photos of the same moment; 75 at the identity threshold (very_high = same person);
 * 50 at the 5th percentile of different-person distances (closer than 95 % of strangers: high);
 * 25 at their median (medium); 0 at their 99th percentile.
 */
export const SIMILARITY_ANCHORS: readonly (readonly [distance: number, similarity: number])[] = [
  [0.3, 100],
  [THRESHOLD, 75],
  [0.685, 50],
  [0.826, 25],
  [0.969, 0],
];

export function similarity(distance: number): number {
  const first = SIMILARITY_ANCHORS[0];
  const last = SIMILARITY_ANCHORS[SIMILARITY_ANCHORS.length - 1];
  if (!first || !last) return 0;
  if (distance <= first[0]) return first[1];
  if (distance >= last[0]) return last[1];
  for (let i = 1; i < SIMILARITY_ANCHORS.length; i++) {
    const [d1, s1] = SIMILARITY_ANCHORS[i] ?? last;
    const [d0, s0] = SIMILARITY_ANCHORS[i - 1] ?? first;
    if (distance <= d1) return Math.round((s0 + ((distance - d0) / (d1 - d0)) * (s1 - s0)) * 100) / 100;
  }
  return last[1];
}

/** Lowest similarity of each label; VERY_HIGH starts exactly at the identity threshold. */
export const LABEL_CUTS: readonly { label: SimilarityLabel__Output; min_similarity: number }[] = [
  { label: 'VERY_HIGH', min_similarity: 75 },
  { label: 'HIGH', min_similarity: 50 },
  { label: 'MEDIUM', min_similarity: 25 },
  { label: 'LOW', min_similarity: 0 },
];

function labelOf(sim: number): SimilarityLabel__Output {
  for (const cut of LABEL_CUTS) if (sim >= cut.min_similarity) return cut.label;
  return 'LOW';
}

/** Similarity and label of a distance, consistent with the same-person decision at the threshold. */
export function resemblance(distance: number): {
  similarity: number;
  label: SimilarityLabel__Output;
  same: boolean;
} {
  const same = distance <= THRESHOLD;
  // Rounding must not lift a different-person pair into the same-person band.
  const sim = same ? similarity(distance) : Math.min(similarity(distance), 74.99);
  return { similarity: sim, label: labelOf(sim), same };
}
