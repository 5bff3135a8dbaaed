// The messages between the gRPC layer (main thread) and the inference workers.
// Results are the proto's response shapes, so the gRPC layer forwards them without reshaping.
import type {
  Action__Output,
  AnalyzeResponse,
  CompareResponse,
  DetectResponse,
  ImageRef__Output,
  Reason__Output,
  RepresentResponse,
  RoleEvidence,
  VerifyResponse,
} from '@deepface/proto';
import type { ImageEvidence, PairRef } from '../engine/ops/pair';

export type Task =
  | { op: 'verify'; img1: Uint8Array; img2: Uint8Array; threshold?: number }
  | { op: 'compare'; img1: Uint8Array; img2: Uint8Array }
  | { op: 'analyze'; image: Uint8Array; actions: Action__Output[] }
  | { op: 'detect'; image: Uint8Array; skipLandmarks: boolean }
  | { op: 'represent'; image: Uint8Array; allFaces: boolean }
  // One image of a Verify (roles: true) or Compare, when the pool runs the two images on two workers at once.
  | { op: 'evidence'; image: Uint8Array; ref: PairRef; roles: boolean }
  // Runs every network once on a built-in image so the first real call is not slow.
  | { op: 'warmup' };

export type TaskOp = Task['op'];

export interface TaskResults {
  verify: VerifyResponse;
  compare: CompareResponse;
  analyze: AnalyzeResponse;
  detect: DetectResponse;
  represent: RepresentResponse;
  evidence: ImageEvidence;
  warmup: { backend: string };
}

/** Each image's role evidence behind a Verify refused on roles (two selfies, two documents, a crowded selfie). */
export interface RoleRefusal {
  img1: RoleEvidence;
  img2: RoleEvidence;
}

/** A client-visible failure decided by the engine (no face, two selfies, ...), never a crash. */
export interface TaskFailure {
  reason: Reason__Output;
  message: string;
  image?: ImageRef__Output;
  roles?: RoleRefusal;
}

export type TaskOutcome<K extends TaskOp = TaskOp> =
  { ok: true; value: TaskResults[K] } | { ok: false; error: TaskFailure };

/** Data every worker receives at start (structured-cloned from the main thread's config). */
export interface WorkerInit {
  backend: 'auto' | 'onnx' | 'tensorflow' | 'wasm' | 'cpu';
  /** onnxruntime intra-op threads per session: cores / workers (default: every core, for one in-process engine). */
  intraOpThreads?: number;
  maxImagePixels: number;
  workMaxSide: number;
  logLevel: string;
}
