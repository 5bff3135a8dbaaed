// Valid canned answers in the proto's shapes, as a healthy engine gives them.
import type {
  AnalyzeResponse,
  CompareResponse,
  QualitySummary,
  DocumentData,
  DocumentFields,
  ReadDocumentResponse,
  RoleEvidence,
  VerifyResponse,
} from '@deepface/proto';

export const FAKE_MODEL = {
  recognition_model: 'face-api FaceRecognitionNet (ResNet-34, 128-d)',
  detector: 'face-api SsdMobilenetv1',
  backend: 'wasm',
  engine_version: '0.0.0-fake',
};

/** An ID card with an MRZ and a stack of fields, as Verify reports its role evidence. */
export const DOCUMENT_EVIDENCE: RoleEvidence = {
  role: 'DOCUMENT',
  document_score: 0.89,
  text_lines: 13,
  mrz: true,
  card_boundary: false,
  face_ratio: 0.225,
  faces: 1,
  field_lines: 13,
  field_column: 4,
  signals: ['SIGNAL_MRZ', 'SIGNAL_FIELDS'],
  person_out_of_frame: false,
};

/** A selfie: no document signal. */
export const SELFIE_EVIDENCE: RoleEvidence = {
  role: 'SELFIE',
  document_score: 0,
  text_lines: 1,
  mrz: false,
  card_boundary: false,
  face_ratio: 0.43,
  faces: 1,
  field_lines: 0,
  field_column: 0,
  signals: [],
  person_out_of_frame: false,
};

/** A face that passes the quality gate, as Verify reports it for one image. */
export const fakeQuality = (role: 'DOCUMENT' | 'SELFIE', eyes: number): QualitySummary => ({
  face_px: Math.round(eyes * 2.8),
  brightness: 141.27,
  sharpness: 812.4,
  glare: 0,
  issues: [],
  eye_distance_px: eyes,
  yaw: 6.24,
  pitch: -3.1,
  roll: 1.43,
  scores: { resolution: 100, sharpness: 100, exposure: 100, glare: 100, pose: 88 },
  score: 88,
  judged_as: role,
  acceptable: true,
  sharpness_ratio: 0.4123,
});
/** A passport's MRZ, read and valid, as Verify and ReadDocument answer it without personal fields. */
export const PASSPORT_DOCUMENT: DocumentData = {
  mrz: 'MRZ_READ',
  format: 'TD3',
  document_type: 'passport',
  issuing_country: 'UTO',
  nationality: 'UTO',
  check_digits_valid: true,
  invalid_fields: [],
  expired: false,
  age: 51,
};

/** Its personal fields: answered only when the request sets document_fields (ICAO 9303's specimen). */
export const PASSPORT_FIELDS: DocumentFields = {
  surname: 'ERIKSSON',
  given_names: 'ANNA MARIA',
  document_number: 'L898902C3',
  birth_date: '1974-08-12',
  expiry_date: '2032-04-15',
  sex: 'F',
};

export const VERIFIED: VerifyResponse = {
  verified: true,
  decision: 'PASSED',
  distance: 0.312345678,
  threshold: 0.5,
  confidence: 97.456,
  img1_area: {
    x: 380,
    y: 1127,
    w: 1380,
    h: 1380,
    left_eye: { x: 1313.4, y: 1647.2 },
    right_eye: { x: 798, y: 1705 },
  },
  img2_area: { x: 40, y: 50, w: 120, h: 120, left_eye: { x: 130, y: 90 }, right_eye: { x: 70, y: 91 } },
  img1_role: DOCUMENT_EVIDENCE,
  img2_role: SELFIE_EVIDENCE,
  roles_swapped: false,
  model: FAKE_MODEL,
  timings: { total_ms: 1234.5, liveness_ms: 1.5, document_ms: 12.5 },
  img1_quality: fakeQuality('DOCUMENT', 516.2),
  img2_quality: fakeQuality('SELFIE', 60),
  // The engine's default (liveness REPORT); the fake drops it when a request asks for LIVENESS_OFF.
  liveness: { score: 0.9912, decision: 'LIVE', threshold: 0.5, model: 'fake liveness' },
  // Verify also judges the selfie's estimated age against the document's (ReadDocument has no selfie).
  document: { ...PASSPORT_DOCUMENT, age_check: { estimated_age: 47, margin: 23, consistent: true } },
};

export const NOT_VERIFIED: VerifyResponse = {
  ...VERIFIED,
  verified: false,
  decision: 'FAILED',
  distance: 1.061641,
  confidence: 0,
  img2_area: { x: 40, y: 50, w: 120, h: 120, left_eye: null, right_eye: { x: 70, y: 91 } },
};

export const SAME_PERSON: CompareResponse = {
  distance: 0.2,
  similarity: 100,
  label: 'VERY_HIGH',
  same_person: true,
  threshold: 0.5,
  model: FAKE_MODEL,
  timings: { total_ms: 900 },
};

export const LOW_RESEMBLANCE: CompareResponse = {
  ...SAME_PERSON,
  distance: 1.1,
  similarity: 0,
  label: 'LOW',
  same_person: false,
};

export const ONE_FACE_ANALYSIS: AnalyzeResponse = {
  faces: [
    {
      region: { x: 102, y: 279, w: 329, h: 329, left_eye: { x: 325, y: 402 }, right_eye: { x: 191, y: 417 } },
      face_confidence: 0.9412,
      age: { age: 25.4, model: 'age' },
      gender: {
        dominant: 'male',
        scores: [
          { label: 'male', percent: 99.514 },
          { label: 'female', percent: 0.486 },
        ],
      },
      race: {
        dominant: 'black',
        scores: [
          { label: 'asian', percent: 0 },
          { label: 'black', percent: 100 },
          { label: 'indian', percent: 0 },
          { label: 'latino hispanic', percent: 0 },
          { label: 'middle eastern', percent: 0 },
          { label: 'white', percent: 0 },
        ],
      },
      emotion: {
        dominant: 'neutral',
        scores: [
          { label: 'angry', percent: 5.36 },
          { label: 'disgusted', percent: 0.33 },
          { label: 'fearful', percent: 7.49 },
          { label: 'happy', percent: 0.7 },
          { label: 'neutral', percent: 78.5 },
          { label: 'sad', percent: 6.8 },
          { label: 'surprised', percent: 0.82 },
        ],
      },
    },
  ],
  model: FAKE_MODEL,
  timings: { total_ms: 500 },
};

/** ReadDocument's answer: the passport's zone (personal fields added only when asked, as by the engine). */
export const DOCUMENT_READ: ReadDocumentResponse = {
  document: PASSPORT_DOCUMENT,
  model: {
    recognition_model: 'MRZ: zone geometry, OCR-B glyph models, ICAO 9303 check digits',
    detector: '',
    backend: 'onnx',
    engine_version: 'fake',
  },
  timings: { decode_ms: 4, document_ms: 60, total_ms: 65 },
};
