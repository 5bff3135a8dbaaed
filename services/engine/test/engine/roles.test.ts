// The role decision on hand-made features: an image is a document only on positive evidence of one.
import {
  assignRoles,
  documentScore,
  documentSignals,
  needsPersonCheck,
  roleEvidence,
} from '../../src/inference/document/roles';
import type { RoleFeatures } from '../../src/contract/evidence';

const PLAIN: RoleFeatures = {
  faces: 1,
  faceRatio: 0.4,
  textLines: 0,
  fieldLines: 0,
  column: 0,
  mrz: false,
  card: false,
  ghost: false,
};
const PASSPORT: RoleFeatures = {
  ...PLAIN,
  faceRatio: 0.27,
  textLines: 33,
  fieldLines: 30,
  column: 9,
  mrz: true,
};
// An ID card without an MRZ, photographed on a desk: its boundary and a few fields.
const CARD: RoleFeatures = { ...PLAIN, faceRatio: 0.12, textLines: 6, fieldLines: 3, column: 2, card: true };
// Lettering around a person — a press wall, fur read as glyphs — can stack like fields, but the person under the
// face runs on out of the frame, as no printed portrait does.
const PRESS_WALL: RoleFeatures = {
  ...PLAIN,
  textLines: 15,
  fieldLines: 7,
  column: 2,
  personOutOfFrame: true,
};
const FUR: RoleFeatures = { ...PLAIN, textLines: 40, fieldLines: 10, column: 3, personOutOfFrame: true };

describe('documentSignals', () => {
  it.each([
    ['a passport page', PASSPORT, ['mrz', 'fields']],
    ['a photographed card', CARD, ['card']],
    ['fields alone', { ...PLAIN, fieldLines: 5, column: 2 }, ['fields']],
    [
      'fields, the portrait cut by its frame',
      { ...PLAIN, fieldLines: 5, column: 2, personOutOfFrame: false },
      ['fields'],
    ],
    ['a press wall', PRESS_WALL, []],
    ['fur and armour', FUR, []],
    ['a plain selfie', PLAIN, []],
    // A frame around a face with nothing printed in it is not a card.
    ['a bare frame', { ...PLAIN, card: true, fieldLines: 1 }, []],
    ['a stack too short', { ...PLAIN, fieldLines: 12, column: 1 }, []],
    ['too few fields', { ...PLAIN, fieldLines: 4, column: 3 }, []],
    // An MRZ or a card boundary are evidence enough whatever the person check says.
    ['an MRZ before a person', { ...PRESS_WALL, mrz: true }, ['mrz']],
    ['a card around a person', { ...PRESS_WALL, card: true }, ['card']],
  ] as const)('%s → %p', (_name, f, expected) => {
    expect(documentSignals(f)).toEqual(expected);
  });

  it('scores at or above 0.5 exactly with a signal, higher with more of them', () => {
    for (const f of [PASSPORT, CARD]) expect(documentScore(f)).toBeGreaterThanOrEqual(0.5);
    for (const f of [PRESS_WALL, FUR, PLAIN]) expect(documentScore(f)).toBeLessThan(0.5);
    expect(documentScore(PASSPORT)).toBeGreaterThan(documentScore(CARD));
    expect(documentScore(FUR)).toBeGreaterThan(documentScore(PLAIN));
  });

  it('reports the evidence with its signals', () => {
    expect(roleEvidence(PASSPORT, 'DOCUMENT')).toMatchObject({
      role: 'DOCUMENT',
      mrz: true,
      card_boundary: false,
      field_lines: 30,
      field_column: 9,
      signals: ['SIGNAL_MRZ', 'SIGNAL_FIELDS'],
    });
  });
});

describe('needsPersonCheck', () => {
  it('asks only when fields would be the only evidence', () => {
    expect(needsPersonCheck({ ...PLAIN, fieldLines: 5, column: 2 })).toBe(true);
    expect(needsPersonCheck(PASSPORT)).toBe(false);
    expect(needsPersonCheck({ ...CARD, fieldLines: 6, column: 2 })).toBe(false);
    expect(needsPersonCheck(PLAIN)).toBe(false);
  });
});

describe('assignRoles', () => {
  it.each([
    [PASSPORT, PLAIN, 'in-order'],
    [PLAIN, PASSPORT, 'swapped'],
    [CARD, PRESS_WALL, 'in-order'],
    [PRESS_WALL, CARD, 'swapped'],
    [PASSPORT, CARD, 'two-documents'],
    // No evidence on either side: two selfies, whichever looks busier.
    [PRESS_WALL, PLAIN, 'two-selfies'],
    [PLAIN, FUR, 'two-selfies'],
    [FUR, PRESS_WALL, 'two-selfies'],
  ] as const)('%#: → %s', (f1, f2, expected) => {
    expect(assignRoles(f1, f2)).toBe(expected);
  });
});
