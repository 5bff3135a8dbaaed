import type {
  AnalyzeResponse__Output,
  ClassResult__Output,
  CompareResponse__Output,
  DocumentData__Output,
  FaceAnalysis__Output,
  FacialArea__Output,
  QualitySummary__Output,
  LivenessMode,
  LivenessResult__Output,
  VerifyResponse__Output,
} from '@deepface/proto';

import { presentRoles } from '../../clients/engine-roles';
import { round } from '../../platform/lib/round';

/** Engine results → the published JSON shapes. Pure functions: the contract lives here. */

export type Region = {
  x: number;
  y: number;
  w: number;
  h: number;
  left_eye: [number, number] | null;
  right_eye: [number, number] | null;
};

export function region(area: FacialArea__Output | null | undefined): Region | null {
  if (!area) return null;
  const eye = (p: { x: number; y: number } | null) =>
    p ? ([Math.round(p.x), Math.round(p.y)] as [number, number]) : null;
  return {
    x: area.x,
    y: area.y,
    w: area.w,
    h: area.h,
    left_eye: eye(area.left_eye),
    right_eye: eye(area.right_eye),
  };
}

// ---- verify ---------------------------------------------------------------------------------------------------

/** One face's quality as the engine's gate judged it (the limits of the role the image was recognised in). */
export function presentQuality(q: QualitySummary__Output) {
  const s = q.scores;
  return {
    role: q.judged_as === 'DOCUMENT' ? 'document' : 'selfie',
    acceptable: q.acceptable,
    issues: q.issues,
    score: Math.round(q.score),
    scores: {
      resolution: Math.round(s?.resolution ?? 0),
      sharpness: Math.round(s?.sharpness ?? 0),
      exposure: Math.round(s?.exposure ?? 0),
      glare: Math.round(s?.glare ?? 0),
      pose: Math.round(s?.pose ?? 0),
    },
    measures: {
      eye_distance_px: round(q.eye_distance_px, 1),
      face_px: q.face_px,
      sharpness: round(q.sharpness_ratio, 4),
      brightness: round(q.brightness, 1),
      glare: round(q.glare, 3),
      yaw: round(q.yaw, 1),
      pitch: round(q.pitch, 1),
      roll: round(q.roll, 1),
    },
  };
}

/** The REST request option for Verify's presentation-attack signals. */
export const LIVENESS_OPTIONS = ['off', 'report', 'require'] as const;
export type LivenessOption = (typeof LIVENESS_OPTIONS)[number];

export const LIVENESS_MODES: Record<LivenessOption, LivenessMode> = {
  off: 'LIVENESS_OFF',
  report: 'LIVENESS_REPORT',
  require: 'LIVENESS_REQUIRE',
};

const LIVENESS_DECISIONS: Record<LivenessResult__Output['decision'], 'live' | 'spoof' | 'undecided'> = {
  LIVE: 'live',
  SPOOF: 'spoof',
  UNDECIDED: 'undecided',
  LIVENESS_DECISION_UNSPECIFIED: 'undecided',
};

/** The selfie's presentation-attack signal: score (higher = likelier live), decision, and the network behind it. */
export function presentLiveness(l: LivenessResult__Output) {
  return {
    score: round(l.score, 4),
    decision: LIVENESS_DECISIONS[l.decision],
    threshold: round(l.threshold, 4),
    model: l.model,
  };
}

export type MrzStatus = 'read' | 'absent' | 'too_small' | 'unreadable';

const MRZ_STATUS: Record<DocumentData__Output['mrz'], MrzStatus> = {
  MRZ_READ: 'read',
  MRZ_ABSENT: 'absent',
  MRZ_TOO_SMALL: 'too_small',
  MRZ_UNREADABLE: 'unreadable',
  MRZ_STATUS_UNSPECIFIED: 'absent',
};

/**
 * The document's machine-readable zone. Every key is always present (null when the zone was not read), so a client
 * tests `mrz === "read"` once. `fields` (personal data) only when the request asked for it: the gateway drops
 * them otherwise, whatever the engine sent.
 */
export function presentDocument(d: DocumentData__Output, withFields: boolean) {
  const read = d.mrz === 'MRZ_READ';
  const text = (s: string) => (read && s ? s : null);
  const f = d.fields;
  return {
    mrz: MRZ_STATUS[d.mrz],
    format: text(d.format),
    document_type: text(d.document_type),
    issuing_country: text(d.issuing_country),
    nationality: text(d.nationality),
    check_digits_valid: read ? d.check_digits_valid : null,
    invalid_fields: read ? d.invalid_fields : [],
    expired: read && d.expired !== undefined ? d.expired : null,
    age: read && d.age !== undefined ? d.age : null,
    age_check:
      read && d.age_check
        ? {
            estimated_age: d.age_check.estimated_age,
            margin: d.age_check.margin,
            consistent: d.age_check.consistent,
          }
        : null,
    ...(withFields
      ? {
          fields:
            read && f
              ? {
                  surname: f.surname || null,
                  given_names: f.given_names || null,
                  document_number: f.document_number || null,
                  birth_date: f.birth_date || null,
                  expiry_date: f.expiry_date || null,
                  sex: f.sex || null,
                }
              : null,
        }
      : {}),
  };
}

/**
 * What a verify answer says about the document's holder rather than the document (with `fields`, the personal
 * fields). A stored copy of the answer, an idempotent replay or a batch item's result, keeps none of it: the
 * document's type, format and validity stay, the holder's country, nationality and age (with the age check, which
 * holds the selfie's estimated age) are null.
 */
const HOLDER_FACTS = ['issuing_country', 'nationality', 'age', 'age_check'] as const;

/** A verify body as it may be stored: `details.document` without personal fields or holder facts. */
export function storableVerifyBody(body: Record<string, unknown>): Record<string, unknown> {
  const engine = body.engine_response as { details?: { document?: Record<string, unknown> } } | undefined;
  const details = engine?.details;
  if (!details?.document) return body;
  const { fields: _fields, ...document } = details.document;
  for (const fact of HOLDER_FACTS) document[fact] = null;
  return { ...body, engine_response: { ...engine, details: { ...details, document } } };
}

export const VERIFIED_MESSAGE = 'Face verification successful. ID matches the selfie.';
export const NOT_VERIFIED_MESSAGE = 'Face verification failed. ID does not match the selfie.';

export function presentVerify(
  res: VerifyResponse__Output,
  charged: number,
  options: { documentFields?: boolean } = {},
) {
  const verified = res.verified;
  const message = verified ? VERIFIED_MESSAGE : NOT_VERIFIED_MESSAGE;
  const decision =
    res.decision === 'PASSED'
      ? 'passed'
      : res.decision === 'FAILED'
        ? 'failed'
        : verified
          ? 'passed'
          : 'failed';
  return {
    status: verified ? 'success' : 'failed',
    result: verified ? 'verified' : 'not_verified',
    message,
    engine_response: {
      verified,
      confidence: round(res.confidence, 2),
      decision,
      threshold: round(res.threshold, 6),
      status: 'success',
      reason: message,
      details: {
        detector_backend: res.model?.detector ?? null,
        distance: round(res.distance, 6),
        model: res.model?.recognition_model ?? null,
        processing_time: round((res.timings?.total_ms ?? 0) / 1000, 2),
        facial_areas: { img1: region(res.img1_area), img2: region(res.img2_area) },
        ...(res.img1_role && res.img2_role ? { roles: presentRoles(res.img1_role, res.img2_role) } : {}),
        ...(res.img1_quality && res.img2_quality
          ? { quality: { img1: presentQuality(res.img1_quality), img2: presentQuality(res.img2_quality) } }
          : {}),
        ...(res.liveness ? { liveness: presentLiveness(res.liveness) } : {}),
        ...(res.document ? { document: presentDocument(res.document, options.documentFields === true) } : {}),
      },
    },
    billing: { charged, currency: 'USD' },
  };
}

// ---- look-alike -----------------------------------------------------------------------------------------------

export type SimilarityLabel = 'low' | 'medium' | 'high' | 'very_high';

/** UI hints per label; low and very_high are the published ones. */
export const UI_HINTS: Record<SimilarityLabel, { emoji: string; message: string }> = {
  very_high: { emoji: '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}', message: 'Strong resemblance' },
  high: { emoji: '\u{1F60A}', message: 'Clear resemblance' },
  medium: { emoji: '\u{1F914}', message: 'Some resemblance' },
  low: { emoji: '\u{1F605}', message: 'Low resemblance' },
};

export function similarityLabel(label: CompareResponse__Output['label']): SimilarityLabel {
  switch (label) {
    case 'VERY_HIGH':
      return 'very_high';
    case 'HIGH':
      return 'high';
    case 'MEDIUM':
      return 'medium';
    case 'LOW':
    case 'SIMILARITY_LABEL_UNSPECIFIED':
      return 'low';
  }
}

export function presentCompare(res: CompareResponse__Output, charged: number) {
  const label = similarityLabel(res.label);
  return {
    status: 'success',
    result: 'comparison_complete',
    message: 'Face comparison completed',
    similarity: round(Math.min(100, Math.max(0, res.similarity)), 2),
    similarity_label: label,
    verified: res.same_person,
    ui_hint: UI_HINTS[label],
    billing: { charged, currency: 'USD' },
  };
}

/** The playground's look-alike body: the public one plus the face boxes, the distance and the same-person cut. */
export function presentCompareWithBoxes(res: CompareResponse__Output, charged: number) {
  return {
    ...presentCompare(res, charged),
    facial_areas: { img1: region(res.img1_area), img2: region(res.img2_area) },
    // The same-person cut (face distance at or below it), so the page can state what "verified" means.
    distance: round(res.distance, 6),
    threshold: round(res.threshold, 6),
  };
}

// ---- analyze --------------------------------------------------------------------------------------------------

export const PUBLIC_ACTIONS = ['age', 'gender', 'race', 'emotion'] as const;
export type PublicAction = (typeof PUBLIC_ACTIONS)[number];

/** The API's vocabulary (deepface's), whatever spelling the engine's models use. */
const LABELS: Record<'gender' | 'race' | 'emotion', Record<string, string>> = {
  gender: { man: 'Man', male: 'Man', woman: 'Woman', female: 'Woman' },
  race: {
    asian: 'asian',
    black: 'black',
    indian: 'indian',
    'latino hispanic': 'latino hispanic',
    latino_hispanic: 'latino hispanic',
    'middle eastern': 'middle eastern',
    middle_eastern: 'middle eastern',
    white: 'white',
  },
  emotion: {
    angry: 'angry',
    disgust: 'disgust',
    disgusted: 'disgust',
    fear: 'fear',
    fearful: 'fear',
    happy: 'happy',
    neutral: 'neutral',
    sad: 'sad',
    surprise: 'surprise',
    surprised: 'surprise',
  },
};

function label(kind: 'gender' | 'race' | 'emotion', raw: string): string {
  return LABELS[kind][raw.toLowerCase()] ?? raw;
}

function scores(kind: 'gender' | 'race' | 'emotion', result: ClassResult__Output | null) {
  const out: Record<string, number> = {};
  for (const s of result?.scores ?? []) out[label(kind, s.label)] = round(s.percent, 2);
  return out;
}

function faceEntry(action: PublicAction, face: FaceAnalysis__Output) {
  const common = { face_confidence: round(face.face_confidence, 2), region: region(face.region) };
  switch (action) {
    case 'age':
      return { age: Math.round(face.age?.age ?? 0), ...common };
    case 'gender':
      return {
        dominant_gender: label('gender', face.gender?.dominant ?? ''),
        gender: scores('gender', face.gender),
        ...common,
      };
    case 'race':
      return {
        dominant_race: label('race', face.race?.dominant ?? ''),
        race: scores('race', face.race),
        ...common,
      };
    case 'emotion':
      return {
        dominant_emotion: label('emotion', face.emotion?.dominant ?? ''),
        emotion: scores('emotion', face.emotion),
        ...common,
      };
  }
}

export function presentAnalyze(
  res: AnalyzeResponse__Output,
  actions: readonly PublicAction[],
  charged: number,
) {
  return {
    status: 'success',
    result: 'analysis_complete',
    message: 'Facial analysis completed successfully',
    faces_detected: res.faces.length,
    results: actions.map((action) => ({ [action]: res.faces.map((face) => faceEntry(action, face)) })),
    billing: { charged, currency: 'USD' },
  };
}
