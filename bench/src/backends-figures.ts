// What bench:backends measures for one backend (NaN or absent when its section did not run).
import type { RssRun } from './backends-memory';

export interface Figures {
  backend: string;
  /** detect + landmarks + descriptor ms per image (p50), 1 worker, 1 thread, engine pinned to one CPU. */
  netsMs: number;
  /** Verify over gRPC, one call at a time, 2 workers (ms). */
  verifyP50: number;
  verifyP95: number;
  /** Through the gateway, one call at a time (ms). */
  httpVerifyP50: number;
  httpLookalikeP50: number;
  /** POST /v1/verify per second through the gateway, 4 in flight, 2 workers. */
  httpVerifyPerSecond: number;
  /** Represent images/s and Verify/s over gRPC, 4 in flight, 2 workers on both CPUs. */
  imagesPerSecond: number;
  verifyPerSecond: number;
  /** Verify/s over gRPC, 4 in flight, 1 worker (1 thread) with the engine pinned to one CPU. */
  pinnedVerifyPerSecond: number;
  /**
   * Engine CPU ms (all threads) per Verify during those two windows: steadier than the rates when other work
   * shares the machine; with equal CPU per Verify, two workers on two CPUs can reach 2× one pinned worker.
   */
  verifyCpuMs: number;
  pinnedVerifyCpuMs: number;
  /** Analyze (all four actions) over gRPC, one call at a time, 2 workers: p50 ms on the selfie, on the group photo. */
  analyzeSelfieMs: number;
  analyzeGroupMs: number;
  analyzeGroupFaces: number;
  /** The group photo's attributes stage (engine timings) per face, p50 ms. */
  analyzeAttributesPerFace: number;
  /** RSS (MB) of the 1-worker pinned engine after the warm-up calls. */
  oneWorkerRss: number;
  /** RSS of the 2-worker engine over the mixed calls. */
  rss?: RssRun;
}

export const noFigures = (backend: string): Figures => ({
  backend,
  netsMs: NaN,
  verifyP50: NaN,
  verifyP95: NaN,
  httpVerifyP50: NaN,
  httpLookalikeP50: NaN,
  httpVerifyPerSecond: NaN,
  imagesPerSecond: NaN,
  verifyPerSecond: NaN,
  pinnedVerifyPerSecond: NaN,
  verifyCpuMs: NaN,
  pinnedVerifyCpuMs: NaN,
  analyzeSelfieMs: NaN,
  analyzeGroupMs: NaN,
  analyzeGroupFaces: NaN,
  analyzeAttributesPerFace: NaN,
  oneWorkerRss: NaN,
});

/** Two workers' Verify/s over one pinned worker's. */
export const scaling = (f: Figures): number => f.verifyPerSecond / f.pinnedVerifyPerSecond;

/** Analyze ms per face on the group photo (the whole call over its faces). */
export const analyzePerFace = (f: Figures): number => f.analyzeGroupMs / f.analyzeGroupFaces;

/** RSS one worker adds: the 2-worker engine at the end of its run minus the 1-worker engine after warm-up. */
export const rssPerWorker = (f: Figures): number => (f.rss?.at100 ?? NaN) - f.oneWorkerRss;
