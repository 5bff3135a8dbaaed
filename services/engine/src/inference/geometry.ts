import type { FacialArea, Point } from '@deepface/proto';

export interface Pt {
  x: number;
  y: number;
}

/** Axis-aligned box in pixels of the working copy. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const area = (b: Box): number => Math.max(0, b.w) * Math.max(0, b.h);

export function intersection(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

export const iou = (a: Box, b: Box): number => {
  const i = intersection(a, b);
  return i === 0 ? 0 : i / (area(a) + area(b) - i);
};

export const center = (b: Box): Pt => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });

export function mean(points: readonly Pt[]): Pt {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / Math.max(1, points.length), y: y / Math.max(1, points.length) };
}

/** The smallest box holding the points (landmarks), in their pixels. */
export function pointsBox(points: readonly Pt[]): Box {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

/** A box scaled about its centre. */
export function grow(b: Box, factor: number): Box {
  const c = center(b);
  return { x: c.x - (b.w * factor) / 2, y: c.y - (b.h * factor) / 2, w: b.w * factor, h: b.h * factor };
}

export function clip(b: Box, width: number, height: number): Box {
  const x = Math.max(0, Math.min(b.x, width));
  const y = Math.max(0, Math.min(b.y, height));
  return {
    x,
    y,
    w: Math.max(0, Math.min(b.x + b.w, width) - x),
    h: Math.max(0, Math.min(b.y + b.h, height) - y),
  };
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

/** Working-copy coordinates → the proto's FacialArea in pixels of the image as sent. */
export function toFacialArea(
  box: Box,
  scale: number,
  leftEye?: Pt,
  rightEye?: Pt,
  width?: number,
  height?: number,
): FacialArea {
  const b = width && height ? clip(box, width / scale, height / scale) : box;
  const eye = (p?: Pt): Point | null => (p ? { x: round1(p.x * scale), y: round1(p.y * scale) } : null);
  return {
    x: Math.round(b.x * scale),
    y: Math.round(b.y * scale),
    w: Math.round(b.w * scale),
    h: Math.round(b.h * scale),
    left_eye: eye(leftEye),
    right_eye: eye(rightEye),
  };
}

/** Euclidean distance between two descriptors. */
export function euclidean(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    sum += d * d;
  }
  return Math.sqrt(sum);
}
