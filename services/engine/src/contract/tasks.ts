// The messages between the gRPC layer (main thread) and the inference workers.
// Results are the proto's response shapes, so the gRPC layer forwards them without reshaping.
import type {
  Action__Output,
  AnalyzeResponse,
  CompareResponse,
  DetectResponse,
  ReadDocumentResponse,
  RepresentResponse,
  VerifyResponse,
} from '@deepface/proto';
import type { BackendChoice } from './backend';
import type { DocumentOptions } from './document';
import type { ImageEvidence, PairRef } from './evidence';
import type { TaskFailure } from './failure';
import type { LivenessOption } from './liveness';
import type { FaceBatch, SharePort } from './share';

export type Task =
  | {
      op: 'verify';
      img1: Uint8Array;
      img2: Uint8Array;
      threshold?: number;
      /** Answer the document data (its personal fields only when asked for). */
      document?: DocumentOptions;
      quality?: QualityMode;
      /** Presentation-attack signals on the selfie (absent: 'report'). */
      liveness?: LivenessOption;
    }
  | { op: 'compare'; img1: Uint8Array; img2: Uint8Array }
  | {
      op: 'analyze';
      image: Uint8Array;
      actions: Action__Output[];
      /** Given when another worker is idle: the worker may offer it part of the faces' work (contract/share.ts). */
      share?: SharePort;
    }
  | { op: 'detect'; image: Uint8Array; skipLandmarks: boolean }
  | { op: 'represent'; image: Uint8Array; allFaces: boolean }
  // What a document's machine-readable zone says (no face needed).
  | { op: 'readDocument'; image: Uint8Array; document: DocumentOptions }
  // One image of a Verify (roles: true) or Compare, when the pool runs the two images on two workers at once.
  | ({ op: 'evidence' } & EvidenceInput)
  // GEAR on face crops another worker built: the faces of an Analyze it shared (contract/share.ts).
  | { op: 'race'; input: FaceBatch }
  // Runs every network once on a built-in image so the first real call is not slow.
  | { op: 'warmup' };

/** One image of a Verify or Compare to examine on its own (inference/ops/evidence.ts), and what for. */
export interface EvidenceInput {
  image: Uint8Array;
  ref: PairRef;
  /** Verify's role evidence (document score features, clear faces of a possible selfie). */
  roles: boolean;
  /** Verify: the presentation-attack networks on a possible selfie's main face (not on a document). */
  liveness?: boolean;
  /** Verify: the main face's quality measures, which the pair decision judges against the face's role. */
  quality?: boolean;
  /** Verify with document data: a possible selfie's estimated age, for the document's age check. */
  age?: boolean;
}

export type TaskOp = Task['op'];

/** Verify's face quality gate: refuse below the limits (default), only answer the measures, or neither. */
export type QualityMode = 'require' | 'report' | 'off';

/** The two-image tasks, which the scheduler may split into one `evidence` task per image. */
export type PairTask = Extract<Task, { op: 'verify' | 'compare' }>;

export interface TaskResults {
  verify: VerifyResponse;
  compare: CompareResponse;
  analyze: AnalyzeResponse;
  detect: DetectResponse;
  represent: RepresentResponse;
  readDocument: ReadDocumentResponse;
  evidence: ImageEvidence;
  /** GEAR's 5 probabilities per face, in the input's order. */
  race: { race: number[][] };
  warmup: { backend: string };
}

export type TaskOutcome<K extends TaskOp = TaskOp> =
  { ok: true; value: TaskResults[K] } | { ok: false; error: TaskFailure };

/** Data every worker receives at start (structured-cloned from the main thread's config). */
export interface WorkerInit {
  backend: BackendChoice;
  /** onnxruntime intra-op threads per session: cores / workers (default: every core, for one in-process engine). */
  intraOpThreads?: number;
  maxImagePixels: number;
  workMaxSide: number;
  logLevel: string;
}
