// The document's age check (inference/age-consistency.ts, issue 16): the margin from the age network's published
// error, and the pair decision judging the selfie's estimate, never the document portrait's, against the
// document's age. Hand-made evidence; the real networks' side is in test/document/verify-document.test.ts.
import { ageCheck, ageMargin, FALSE_FLAG_RATE, PUBLISHED_MAE } from '../../src/inference/age-consistency';
import { verifyPair } from '../../src/inference/ops/pair';
import type { ImageEvidence, PairRef, RoleFeatures } from '../../src/contract/evidence';
import type { MrzOutcome } from '../../src/contract/document';

import { CARD, SELFIE } from '../support/role-features';

// A TD3 zone read with a birth date of 1 January 1980.
const READ: MrzOutcome = {
  status: 'read',
  reading: {
    format: 'TD3',
    lines: [],
    checkDigitsValid: true,
    invalidFields: [],
    documentCode: 'P',
    issuingState: 'UTO',
    nationality: 'UTO',
    documentNumber: 'L898902C3',
    birthDate: '800101',
    expiryDate: '300101',
    sex: 'F',
    surname: 'ERIKSSON',
    givenNames: 'ANNA MARIA',
  },
};
const asOf = { year: 2026, month: 12, day: 7 }; // the holder is 46

function evidence(ref: PairRef, features: RoleFeatures, extra: Partial<ImageEvidence> = {}): ImageEvidence {
  return {
    ref,
    backend: 'onnx',
    roles: { features, ...(features === CARD ? {} : { clearFaces: 1 }) },
    face: {
      area: { x: 1, y: 2, w: 3, h: 4, left_eye: null, right_eye: null },
      detector: 'tiny',
      descriptor: new Float32Array(128),
    },
    timings: { total_ms: 1 },
    ...extra,
  };
}

const verify = (e1: ImageEvidence, e2: ImageEvidence) =>
  verifyPair(e1, e2, undefined, { fields: false, asOf }, 'off', 'off');

describe('ageMargin', () => {
  it('is the published error of the age band times ln(1 / false-flag rate), rounded up', () => {
    const adult = PUBLISHED_MAE.find((b) => b.upTo === 60);
    expect(adult).toBeDefined();
    expect(ageMargin(46)).toBe(Math.ceil((adult?.mae ?? 0) * Math.log(1 / FALSE_FLAG_RATE)));
    expect(ageMargin(46)).toBe(23);
    expect(ageMargin(35)).toBe(26);
    expect(ageMargin(70)).toBe(29);
    expect(ageMargin(90)).toBe(46);
  });

  it('never falls below the floor for children (their bands’ small errors come from babies)', () => {
    expect(ageMargin(2)).toBe(ageMargin(5));
    expect(ageMargin(2)).toBeGreaterThanOrEqual(20);
  });
});

describe('ageCheck', () => {
  it('rounds the estimate and calls a difference up to the margin consistent', () => {
    expect(ageCheck(46, 23.4)).toEqual({ estimated_age: 23, margin: 23, consistent: true });
    expect(ageCheck(46, 22.4)).toEqual({ estimated_age: 22, margin: 23, consistent: false });
    expect(ageCheck(46, 69.5)).toEqual({ estimated_age: 70, margin: 23, consistent: false });
  });
});

describe('verifyPair with the document’s age', () => {
  it('judges the selfie’s estimate against the document’s age, whichever slot the selfie came in', () => {
    const doc = (ref: PairRef) => evidence(ref, CARD, { document: READ, estimatedAge: 10 });
    const selfie = (ref: PairRef, age: number) => evidence(ref, SELFIE, { estimatedAge: age });
    expect(verify(doc('IMG1'), selfie('IMG2', 44.6)).document?.age_check).toEqual({
      estimated_age: 45,
      margin: 23,
      consistent: true,
    });
    const swapped = verify(selfie('IMG1', 15), doc('IMG2'));
    expect(swapped.roles_swapped).toBe(true);
    expect(swapped.document?.age).toBe(46);
    expect(swapped.document?.age_check).toEqual({ estimated_age: 15, margin: 23, consistent: false });
  });

  it('reports and never refuses or changes the decision', () => {
    const r = verify(
      evidence('IMG1', CARD, { document: READ }),
      evidence('IMG2', SELFIE, { estimatedAge: 5 }),
    );
    expect(r.verified).toBe(true);
    expect(r.document?.age_check?.consistent).toBe(false);
  });

  it('has no age check without the document’s age or without the selfie’s estimate', () => {
    const absent = verify(
      evidence('IMG1', CARD, { document: { status: 'absent' } }),
      evidence('IMG2', SELFIE, { estimatedAge: 30 }),
    );
    expect(absent.document?.age).toBeUndefined();
    expect(absent.document?.age_check).toBeUndefined();
    const unestimated = verify(evidence('IMG1', CARD, { document: READ }), evidence('IMG2', SELFIE));
    expect(unestimated.document?.age).toBe(46);
    expect(unestimated.document?.age_check).toBeUndefined();
  });
});
