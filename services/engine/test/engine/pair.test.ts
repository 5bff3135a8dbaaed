// ops/pair.ts on hand-made evidence: the order in which Verify and Compare report failures, whichever worker
// examined which image, and the decision itself.
import type { Reason__Output } from '@deepface/proto';
import { EngineFailure } from '../../src/contract/failure';
import { comparePair, verifyPair } from '../../src/inference/ops/pair';
import type { EvidenceStage, ImageEvidence, PairRef, RoleFeatures } from '../../src/contract/evidence';

import { CARD, SELFIE } from '../support/role-features';
const area = { x: 1, y: 2, w: 3, h: 4, left_eye: null, right_eye: null };

function evidence(ref: PairRef, features: RoleFeatures, fields: Partial<ImageEvidence> = {}): ImageEvidence {
  const descriptor = new Float32Array(128);
  descriptor[0] = features === CARD ? 0 : 0.5;
  return {
    ref,
    backend: 'onnx',
    roles: { features, ...(features === CARD ? {} : { clearFaces: 1 }) },
    face: { area: { ...area, x: ref === 'IMG1' ? 1 : 2 }, detector: 'tiny', descriptor },
    timings: { decode_ms: 1, detect_ms: 2, queue_ms: 0, total_ms: 10 },
    ...fields,
  };
}

function failed(stage: EvidenceStage, reason: Reason__Output, image: PairRef): Partial<ImageEvidence> {
  return { failure: { stage, error: { reason, message: `${reason} ${image}`, image } } };
}

function refusal(run: () => unknown): { reason: string; image?: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineFailure)
      return { reason: error.reason, ...(error.image ? { image: error.image } : {}) };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('verifyPair', () => {
  it('decides a card and a selfie in order, stage times summed', () => {
    const r = verifyPair(evidence('IMG1', CARD), evidence('IMG2', SELFIE), 0.58);
    expect(r).toMatchObject({ verified: true, decision: 'PASSED', distance: 0.5, roles_swapped: false });
    expect(r.img1_role?.role).toBe('DOCUMENT');
    expect(r.img2_area?.x).toBe(2);
    expect(r.timings).toMatchObject({ decode_ms: 2, detect_ms: 4, total_ms: 20 });
    expect(verifyPair(evidence('IMG1', CARD), evidence('IMG2', SELFIE), 0.4).verified).toBe(false);
  });

  it('never verifies two selfies: a busy selfie beside a plain one is not a document, whatever the scores', () => {
    // Lettering behind a real person (a press wall) yields many text lines but no document structure.
    const busy: RoleFeatures = {
      ...SELFIE,
      faceRatio: 0.28,
      textLines: 15,
      fieldLines: 7,
      column: 2,
      personOutOfFrame: true,
    };
    for (const [a, b] of [
      [busy, SELFIE],
      [SELFIE, busy],
      [busy, busy],
    ] as const) {
      const e1 = evidence('IMG1', a, { roles: { features: a, clearFaces: 1 } });
      const e2 = evidence('IMG2', b, { roles: { features: b, clearFaces: 1 } });
      expect(refusal(() => verifyPair(e1, e2, 0.58))).toEqual({ reason: 'ID_REQUIRED' });
    }
  });

  it('shows each image’s role evidence in a refusal decided on roles', () => {
    let failure: EngineFailure | undefined;
    try {
      verifyPair(evidence('IMG1', CARD), evidence('IMG2', CARD));
    } catch (error) {
      failure = error as EngineFailure;
    }
    expect(failure?.toTaskFailure()).toMatchObject({
      reason: 'SELFIE_REQUIRED',
      roles: {
        img1: { role: 'DOCUMENT', mrz: true, signals: ['SIGNAL_MRZ', 'SIGNAL_FIELDS', 'SIGNAL_CARD'] },
        img2: { role: 'DOCUMENT', field_column: 4 },
      },
    });
  });

  it('accepts a swapped pair and keeps each area with its image', () => {
    const r = verifyPair(evidence('IMG1', SELFIE), evidence('IMG2', CARD));
    expect(r).toMatchObject({
      roles_swapped: true,
      img1_role: { role: 'SELFIE' },
      img2_role: { role: 'DOCUMENT' },
    });
    expect(r.img1_area?.x).toBe(1);
  });

  it('ranks failures: decode, then no face, then roles, then the selfie’s faces, then describing', () => {
    const card = (f: Partial<ImageEvidence> = {}) => evidence('IMG1', CARD, f);
    const selfie = (f: Partial<ImageEvidence> = {}) => evidence('IMG2', SELFIE, f);
    // A later image's earlier-stage failure wins over an earlier image's later one.
    expect(
      refusal(() =>
        verifyPair(
          card(failed('detect', 'NO_FACE', 'IMG1')),
          selfie(failed('decode', 'INVALID_IMAGE', 'IMG2')),
        ),
      ),
    ).toEqual({ reason: 'INVALID_IMAGE', image: 'IMG2' });
    // Same stage: the first image.
    expect(
      refusal(() =>
        verifyPair(
          card(failed('decode', 'IMAGE_TOO_LARGE', 'IMG1')),
          selfie(failed('decode', 'INVALID_IMAGE', 'IMG2')),
        ),
      ),
    ).toEqual({ reason: 'IMAGE_TOO_LARGE', image: 'IMG1' });
    // Two selfies are refused before either image's describing failure is looked at.
    expect(
      refusal(() => verifyPair(evidence('IMG1', SELFIE, failed('describe', 'NO_FACE', 'IMG1')), selfie())),
    ).toEqual({ reason: 'ID_REQUIRED' });
    expect(refusal(() => verifyPair(card(), evidence('IMG2', CARD)))).toEqual({ reason: 'SELFIE_REQUIRED' });
    // A crowded selfie before the card's describing failure.
    const crowded = evidence('IMG2', SELFIE, { roles: { features: SELFIE, clearFaces: 2 } });
    expect(refusal(() => verifyPair(card(failed('describe', 'NO_FACE', 'IMG1')), crowded))).toEqual({
      reason: 'MULTIPLE_FACES',
      image: 'IMG2',
    });
    // Describing: the document's failure first, whatever the order of the images.
    expect(
      refusal(() =>
        verifyPair(
          evidence('IMG1', SELFIE, failed('describe', 'NO_FACE', 'IMG1')),
          evidence('IMG2', CARD, failed('describe', 'FACE_TOO_SMALL', 'IMG2')),
        ),
      ),
    ).toEqual({ reason: 'FACE_TOO_SMALL', image: 'IMG2' });
  });

  it('refuses a threshold out of bounds before anything else', () => {
    expect(
      refusal(() =>
        verifyPair(
          evidence('IMG1', CARD, failed('decode', 'INVALID_IMAGE', 'IMG1')),
          evidence('IMG2', SELFIE),
          0.9,
        ),
      ),
    ).toEqual({
      reason: 'BAD_REQUEST',
    });
  });

  it('treats a selfie without its clear-face count as a bug, not a client error', () => {
    const uncounted = evidence('IMG2', SELFIE, { roles: { features: SELFIE } });
    expect(() => verifyPair(evidence('IMG1', CARD), uncounted)).toThrow(/clear-face count/);
  });
});

describe('comparePair', () => {
  it('compares the main faces on the similarity scale', () => {
    const r = comparePair(evidence('IMG1', CARD, { roles: undefined }), evidence('IMG2', SELFIE));
    expect(r).toMatchObject({
      distance: 0.5,
      label: expect.any(String),
      img1_area: { x: 1 },
      img2_area: { x: 2 },
    });
    expect(r.same_person).toBe(true);
  });

  it('reports decode failures first, then each image’s own failure in order', () => {
    expect(
      refusal(() =>
        comparePair(
          evidence('IMG1', CARD, failed('detect', 'NO_FACE', 'IMG1')),
          evidence('IMG2', SELFIE, failed('decode', 'INVALID_IMAGE', 'IMG2')),
        ),
      ),
    ).toEqual({ reason: 'INVALID_IMAGE', image: 'IMG2' });
    expect(
      refusal(() =>
        comparePair(
          evidence('IMG1', CARD, failed('describe', 'NO_FACE', 'IMG1')),
          evidence('IMG2', SELFIE, failed('detect', 'NO_FACE', 'IMG2')),
        ),
      ),
    ).toEqual({ reason: 'NO_FACE', image: 'IMG1' });
  });
});
