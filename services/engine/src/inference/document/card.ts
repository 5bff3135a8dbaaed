// The card or page around a portrait: four straight edges forming a quadrilateral of a document's proportions
// (ID-1 card 85.6 × 54 mm, 1.59; passport page 125 × 88 mm, 1.42; visa sticker ~1.3–1.45) that holds the face at
// a document portrait's scale. A person in a photo is not inside such a frame: the body breaks any rectangle
// behind them, and the frames around a head (a window, a picture) are not the face's card-sized surround.
// Method: Sobel edges, a Hough transform voting only along each edge pixel's gradient direction, then pairs of
// near-parallel lines on either side of the face, checked for proportions, scale and edge support along all four
// sides (a card partly cut by the image border is not found: the fields and MRZ still count without it).
import type { Box, Pt } from '../geometry';
import type { Gray } from './gray';
import { FRESH, type Scratch } from './scratch';

export interface CardQuad {
  /** Corners in the gray image's pixels: top-left, top-right, bottom-right, bottom-left (as the lines meet). */
  corners: [Pt, Pt, Pt, Pt];
  /** Long side / short side, averaged over opposite sides. */
  aspect: number;
  /** Fraction of the four sides' length that lies on detected edges (the weakest side's). */
  support: number;
}

// Document proportions, with room for perspective (a card photographed at an angle looks squatter or longer).
const ASPECT = { min: 1.22, max: 1.8 } as const;
// A document portrait's face is 15–50 % of the card's short side (passport: ~20–25 mm of 88; ID-1: ~13–20 of 54).
const FACE_TO_SHORT_SIDE = { min: 0.14, max: 0.5 } as const;
const MIN_SIDE_SUPPORT = 0.5;
const MAX_LINES = 28;
const DEG = Math.PI / 180;

interface Edges {
  width: number;
  height: number;
  /** Edge pixels' gradient direction in [0, π) (the normal of the edge), or -1 where there is no edge. */
  angle: Float32Array;
}

/**
 * Edge pixels and their normals: per pixel, the channel with the strongest Sobel gradient (a pale card on a white
 * desk shows in colour more than in luma), kept where that gradient is among the strongest fifth of the image's
 * and never below a visible step.
 */
export function edges(channels: readonly Gray[], scratch: Scratch = FRESH): Edges {
  const { width: w, height: h } = channels[0]!;
  const gxs = scratch.f32(w * h);
  const gys = scratch.f32(w * h);
  const mags = scratch.f32(w * h);
  const rows = scratch.f32(w * h);
  const s = scratch.f32(w * h);
  for (const { data } of channels) {
    // 3×3 box blur first (separable): paper texture and JPEG noise make short, randomly oriented edges.
    for (let y = 0; y < h; y++) {
      const r = y * w;
      for (let x = 1; x < w - 1; x++) rows[r + x] = data[r + x - 1]! + data[r + x]! + data[r + x + 1]!;
    }
    for (let y = 1; y < h - 1; y++) {
      const r = y * w;
      for (let x = 1; x < w - 1; x++) s[r + x] = (rows[r - w + x]! + rows[r + x]! + rows[r + w + x]!) / 9;
    }
    for (let y = 2; y < h - 2; y++) {
      for (let x = 2; x < w - 2; x++) {
        const i = y * w + x;
        const gx =
          s[i - w + 1]! + 2 * s[i + 1]! + s[i + w + 1]! - s[i - w - 1]! - 2 * s[i - 1]! - s[i + w - 1]!;
        const gy =
          s[i + w - 1]! + 2 * s[i + w]! + s[i + w + 1]! - s[i - w - 1]! - 2 * s[i - w]! - s[i - w + 1]!;
        const m = gx * gx + gy * gy;
        if (m > mags[i]!) {
          mags[i] = m;
          gxs[i] = gx;
          gys[i] = gy;
        }
      }
    }
  }
  const levels = new Uint32Array(256);
  for (let y = 2; y < h - 2; y++)
    for (let x = 2, i = y * w + 2; x < w - 2; x++, i++) levels[magnitudeLevel(mags[i]!)]!++;
  let seen = 0;
  let level = 255;
  const n = (w - 4) * (h - 4);
  while (level > 0 && seen + levels[level]! < 0.2 * n) seen += levels[level--]!;
  const threshold = 16 * Math.max(12, level) ** 2;
  const angle = scratch.f32(w * h).fill(-1);
  for (let i = 0; i < w * h; i++) {
    if (mags[i]! < threshold) continue;
    let a = Math.atan2(gys[i]!, gxs[i]!);
    if (a < 0) a += Math.PI;
    if (a >= Math.PI) a -= Math.PI;
    angle[i] = a;
  }
  return { width: w, height: h, angle };
}

/**
 * A squared gradient magnitude's level, min(255, Math.round(√m / 4)), for a float32 m ≥ 0, as a truncation of
 * (√m + 2) / 4 (no Math.round per pixel): √m is never within 2⁻²⁵ (relative) of a half level unless exactly on
 * it, so the sum's rounding cannot carry it across one.
 */
export function magnitudeLevel(m: number): number {
  const level = ((Math.sqrt(m) + 2) * 0.25) | 0;
  return level < 255 ? level : 255;
}

interface Line {
  /** Normal direction in [0, π) and distance from the origin: x cos θ + y sin θ = ρ. */
  theta: number;
  rho: number;
  votes: number;
}

const THETA_BINS = 180;
// Each edge pixel votes for lines within this many degrees of its own normal.
const VOTE_SPREAD = 2;

/** Straight lines through many edge pixels, strongest first (non-maximum suppressed in θ and ρ). */
function houghLines(e: Edges, minVotes: number, scratch: Scratch): Line[] {
  // Whole numbers as int32 (`| 0`): a Math.ceil or Math.round result may be held as a double, which V8 would carry
  // into the accumulator's index arithmetic (float64, slower).
  const diag = Math.ceil(Math.hypot(e.width, e.height)) | 0;
  const rhoBins = 2 * diag + 1;
  const acc = scratch.u32(THETA_BINS * rhoBins);
  const cos = Float64Array.from({ length: THETA_BINS }, (_, t) => Math.cos(t * DEG));
  const sin = Float64Array.from({ length: THETA_BINS }, (_, t) => Math.sin(t * DEG));
  for (let y = 0; y < e.height; y++) {
    for (let x = 0; x < e.width; x++) {
      const a = e.angle[y * e.width + x]!;
      if (a < 0) continue;
      const t0 = Math.round(a / DEG);
      for (let dt = -VOTE_SPREAD; dt <= VOTE_SPREAD; dt++) {
        let t = t0 + dt;
        let flip = 1;
        // θ wraps at 180°: the line at θ + 180° is the one at θ with ρ negated.
        if (t < 0) {
          t += THETA_BINS;
          flip = -1;
        } else if (t >= THETA_BINS) {
          t -= THETA_BINS;
          flip = -1;
        }
        const rho = (Math.round(flip * (x * cos[t]! + y * sin[t]!)) + diag) | 0;
        acc[t * rhoBins + rho]!++;
      }
    }
  }
  // Local maxima only (3×3 in θ and ρ): a strong line's neighbouring bins would otherwise flood the list.
  const peaks: Line[] = [];
  for (let t = 0; t < THETA_BINS; t++) {
    const prev = ((t + THETA_BINS - 1) % THETA_BINS) * rhoBins;
    const next = ((t + 1) % THETA_BINS) * rhoBins;
    const row = t * rhoBins;
    for (let r = 1; r < rhoBins - 1; r++) {
      const v = acc[row + r]!;
      if (v < minVotes) continue;
      if (v < acc[row + r - 1]! || v < acc[row + r + 1]!) continue;
      if (v < acc[prev + r]! || v < acc[next + r]! || v < acc[prev + r - 1]! || v < acc[next + r + 1]!)
        continue;
      if (v < acc[prev + r + 1]! || v < acc[next + r - 1]!) continue;
      peaks.push({ theta: t * DEG, rho: r - diag, votes: v });
    }
  }
  peaks.sort((a, b) => b.votes - a.votes);
  const kept: Line[] = [];
  for (const p of peaks) {
    const near = kept.some((k) => {
      let dt = Math.abs(k.theta - p.theta);
      let dr = Math.abs(k.rho - p.rho);
      if (dt > Math.PI / 2) {
        dt = Math.PI - dt;
        dr = Math.abs(k.rho + p.rho);
      }
      return dt <= 4 * DEG && dr <= 6;
    });
    if (!near) kept.push(p);
    if (kept.length >= MAX_LINES) break;
  }
  return kept;
}

function intersect(a: Line, b: Line): Pt | undefined {
  const det = Math.cos(a.theta) * Math.sin(b.theta) - Math.sin(a.theta) * Math.cos(b.theta);
  if (Math.abs(det) < 1e-6) return undefined;
  return {
    x: (a.rho * Math.sin(b.theta) - b.rho * Math.sin(a.theta)) / det,
    y: (b.rho * Math.cos(a.theta) - a.rho * Math.cos(b.theta)) / det,
  };
}

/** Signed distance of a point from a line (positive on the side the normal points to). */
const side = (l: Line, p: Pt): number => p.x * Math.cos(l.theta) + p.y * Math.sin(l.theta) - l.rho;

/** Angle between two lines' normals, 0..90°. */
function angleBetween(a: Line, b: Line): number {
  const d = Math.abs(a.theta - b.theta) % Math.PI;
  return Math.min(d, Math.PI - d);
}

/**
 * Where along a line its pixels are edges with a matching normal, as a prefix sum over unit steps: the support of
 * any segment of the line is then two lookups (the quadrilateral search measures thousands of segments).
 */
interface Profile {
  /** Position along the line (t, from the foot of the normal) of the first step. */
  t0: number;
  prefix: Uint32Array;
}

function lineProfile(e: Edges, l: Line): Profile {
  const nx = Math.cos(l.theta);
  const ny = Math.sin(l.theta);
  const span = Math.ceil(Math.hypot(e.width, e.height));
  const prefix = new Uint32Array(2 * span + 2);
  for (let k = 0; k <= 2 * span; k++) {
    const t = k - span;
    // The point at t along the line: foot of the normal plus t along the line's direction (−sin θ, cos θ).
    const cx = l.rho * nx - t * ny;
    const cy = l.rho * ny + t * nx;
    let hit = 0;
    if (cx >= -2 && cy >= -2 && cx < e.width + 2 && cy < e.height + 2) {
      for (let d = -2; d <= 2 && !hit; d++) {
        const x = Math.round(cx + d * nx);
        const y = Math.round(cy + d * ny);
        if (x < 0 || y < 0 || x >= e.width || y >= e.height) continue;
        const a = e.angle[(y * e.width + x) | 0]!;
        if (a < 0) continue;
        let da = Math.abs(a - l.theta) % Math.PI;
        da = Math.min(da, Math.PI - da);
        if (da <= 15 * DEG) hit = 1;
      }
    }
    prefix[k + 1] = prefix[k]! + hit;
  }
  return { t0: -span, prefix };
}

/** Fraction of the segment p→q (two points on the line) that runs along matching edge pixels. */
function segmentSupport(profile: Profile, l: Line, p: Pt, q: Pt): number {
  const along = (pt: Pt): number => -pt.x * Math.sin(l.theta) + pt.y * Math.cos(l.theta);
  const last = profile.prefix.length - 1;
  const k = (pt: Pt): number => Math.max(0, Math.min(last, Math.round(along(pt) - profile.t0)));
  const [a, b] = [k(p), k(q)].sort((x, y) => x - y) as [number, number];
  return b > a ? (profile.prefix[b]! - profile.prefix[a]!) / (b - a) : 0;
}

const dist = (a: Pt, b: Pt): number => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The best card-like quadrilateral around the face (face box in the gray image's pixels), if any: two pairs of
 * near-parallel lines (within 15°, the pairs 65–115° apart) on either side of the face, all four corners in the
 * image, document proportions, the face at a portrait's scale, and every side at least half on edges.
 */
export function findCard(
  channels: readonly Gray[],
  face: Box,
  scratch: Scratch = FRESH,
): CardQuad | undefined {
  const g = channels[0]!;
  const e = edges(channels, scratch);
  // A card side is at least ~2.5 face heights long; voting needs a good part of it.
  const lines = houghLines(e, Math.max(20, Math.round(1.2 * face.h)), scratch);
  const profiles = new Map(lines.map((l) => [l, lineProfile(e, l)]));
  const support = (l: Line, p: Pt, q: Pt): number => segmentSupport(profiles.get(l)!, l, p, q);
  const centre: Pt = { x: face.x + face.w / 2, y: face.y + face.h / 2 };
  const pairs: [Line, Line][] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i]!;
      const b = lines[j]!;
      if (angleBetween(a, b) > 15 * DEG) continue;
      // On opposite sides of the face, clear of it.
      const sa = side(a, centre);
      const sb = side(b, centre);
      const d = Math.hypot(face.w, face.h) / 2;
      if (Math.sign(sa) === Math.sign(sb) || Math.abs(sa) < 0.5 * d || Math.abs(sb) < 0.5 * d) continue;
      pairs.push([a, b]);
    }
  }
  let best: CardQuad | undefined;
  for (let i = 0; i < pairs.length; i++) {
    for (let j = i + 1; j < pairs.length; j++) {
      const [a1, a2] = pairs[i]!;
      const [b1, b2] = pairs[j]!;
      const cross = angleBetween(a1, b1);
      if (cross < 65 * DEG) continue;
      const c = [intersect(a1, b1), intersect(a1, b2), intersect(a2, b2), intersect(a2, b1)];
      if (c.some((p) => !p || p.x < -2 || p.y < -2 || p.x > g.width + 2 || p.y > g.height + 2)) continue;
      const [p0, p1, p2, p3] = c as [Pt, Pt, Pt, Pt];
      const s1 = (dist(p0, p1) + dist(p3, p2)) / 2;
      const s2 = (dist(p1, p2) + dist(p0, p3)) / 2;
      const long = Math.max(s1, s2);
      const short = Math.min(s1, s2);
      const aspect = long / Math.max(1, short);
      const scale = face.h / short;
      if (aspect < ASPECT.min || aspect > ASPECT.max) continue;
      if (scale < FACE_TO_SHORT_SIDE.min || scale > FACE_TO_SHORT_SIDE.max) continue;
      const weakest = Math.min(
        support(a1, p0, p1),
        support(b2, p1, p2),
        support(a2, p2, p3),
        support(b1, p3, p0),
      );
      if (weakest < MIN_SIDE_SUPPORT || (best && weakest <= best.support)) continue;
      // Corners in reading order: the top-left one first.
      const order = [p0, p1, p2, p3];
      const tl = order.reduce((m, p, k) => (p.x + p.y < order[m]!.x + order[m]!.y ? k : m), 0);
      const rotated = [...order.slice(tl), ...order.slice(0, tl)] as [Pt, Pt, Pt, Pt];
      best = { corners: rotated, aspect, support: weakest };
    }
  }
  return best;
}
