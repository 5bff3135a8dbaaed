import type { Timings } from '@deepface/proto';

export type Stage =
  | 'decode'
  | 'detect'
  | 'landmarks'
  | 'descriptor'
  | 'attributes'
  | 'classify'
  | 'document'
  | 'quality'
  | 'liveness';

/** Accumulates wall time per pipeline stage for the response's Timings and the benchmark. */
export class Timer {
  private readonly start = performance.now();
  private readonly spent: Record<Stage, number> = {
    decode: 0,
    detect: 0,
    landmarks: 0,
    descriptor: 0,
    attributes: 0,
    classify: 0,
    document: 0,
    quality: 0,
    liveness: 0,
  };

  async time<T>(stage: Stage, work: () => Promise<T> | T): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.spent[stage] += performance.now() - t0;
    }
  }

  timings(): Timings {
    const r = (v: number): number => Math.round(v * 100) / 100;
    return {
      decode_ms: r(this.spent.decode),
      detect_ms: r(this.spent.detect),
      landmarks_ms: r(this.spent.landmarks),
      descriptor_ms: r(this.spent.descriptor),
      attributes_ms: r(this.spent.attributes),
      classify_ms: r(this.spent.classify),
      document_ms: r(this.spent.document),
      quality_ms: r(this.spent.quality),
      liveness_ms: r(this.spent.liveness),
      queue_ms: 0,
      total_ms: r(performance.now() - this.start),
    };
  }
}
