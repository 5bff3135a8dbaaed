// The document stage's outputs on fixture images, pinned to the values the engine gave before its loops were made
// faster (2026-12-07, issue 15): the role features, the machine-readable zone handed to the reader, and the reading.
// A change to the document analysis that is meant to be only faster must leave every one of them as it is; one
// meant to change them updates them here, with its evaluation (bench `eval roles realworld mrz`).
import { makeDocument, makeSelfie } from '@deepface/fixtures';
import { readMrzZone } from '../../src/inference/document/ocr/document-mrz';
import { roleAnalysis } from '../../src/inference/document/roles';
import { decodeImage } from '../../src/inference/image/decode';
import type { Face } from '../../src/inference/detect';

const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };

const CASES = [
  {
    name: 'a passport page (TD3), scanned',
    make: () =>
      makeDocument({ seed: 1, person: 'leonard', layout: 'passport-td3', capture: 'scan', mrzFont: 'ocrb' }),
    features: {
      faces: 1,
      faceRatio: 0.2507547569533151,
      textLines: 20,
      fieldLines: 19,
      column: 6,
      mrz: true,
      card: false,
      ghost: false,
    },
    zone: {
      rows: [
        { box: { x: 66, y: 592, w: 960, h: 40 }, capHeight: 24 },
        { box: { x: 66, y: 672, w: 958, h: 40 }, capHeight: 26 },
      ],
      chars: 45,
    },
    mrz: {
      status: 'read',
      reading: {
        format: 'TD3',
        lines: [
          'P<FRDERIKSSON<<LEONARD<<<<<<<<<<<<<<<<<<<<<<',
          'ZW95301296FRD8507228M321202477202043130<<<74',
        ],
        checkDigitsValid: true,
        invalidFields: ['issuingState', 'nationality'],
        documentCode: 'P',
        issuingState: 'FRD',
        nationality: 'FRD',
        documentNumber: 'ZW9530129',
        birthDate: '850722',
        expiryDate: '321202',
        sex: 'M',
        surname: 'ERIKSSON',
        givenNames: 'LEONARD',
      },
    },
  },
  {
    name: 'a selfie',
    make: () => makeSelfie({ seed: 3, person: 'raj', photoIndex: 1 }),
    features: {
      faces: 1,
      faceRatio: 0.348681604815647,
      textLines: 0,
      fieldLines: 0,
      column: 0,
      mrz: false,
      card: false,
      ghost: false,
    },
    zone: null,
    mrz: null,
  },
  {
    name: 'an ID card without a zone on a desk (the card search runs)',
    make: () => makeDocument({ seed: 5, layout: 'id1-left', capture: 'desk-wood' }),
    features: {
      faces: 1,
      faceRatio: 0.08067754839243149,
      textLines: 7,
      fieldLines: 5,
      column: 3,
      mrz: false,
      card: true,
      ghost: false,
    },
    zone: null,
    mrz: null,
  },
  {
    name: 'an ID card with a zone (TD1) on a desk',
    make: () => makeDocument({ seed: 7, layout: 'id1-left-mrz', capture: 'desk-wood', mrzFont: 'ocrb' }),
    features: {
      faces: 1,
      faceRatio: 0.0480625977822518,
      textLines: 16,
      fieldLines: 16,
      column: 6,
      mrz: true,
      card: false,
      ghost: false,
    },
    zone: {
      rows: [
        { box: { x: 369, y: 836, w: 418, h: 18 }, capHeight: 18 },
        { box: { x: 371, y: 870, w: 416, h: 17 }, capHeight: 17 },
      ],
      chars: 27,
    },
    mrz: {
      status: 'read',
      reading: {
        format: 'TD1',
        lines: [
          'I<FRDST1945888278274998429<<<<',
          '8506209F2310082FRD<<<<<<<<<<<3',
          'NOWAK<<AMY<MARIA<<<<<<<<<<<<<<',
        ],
        checkDigitsValid: true,
        invalidFields: ['issuingState', 'nationality'],
        documentCode: 'I',
        issuingState: 'FRD',
        nationality: 'FRD',
        documentNumber: 'ST1945888',
        birthDate: '850620',
        expiryDate: '231008',
        sex: 'F',
        surname: 'NOWAK',
        givenNames: 'AMY MARIA',
      },
    },
  },
  {
    name: 'the benchmark card photo (1600×1200, turned 3°; a zone read with failing check digits)',
    make: () =>
      makeDocument({
        seed: 101,
        person: 'leonard',
        photoIndex: 1,
        layout: 'id1-left-mrz',
        capture: 'desk-wood',
        portrait: 'colour',
        plan: { frameWidth: 1600, frameHeight: 1200, cardWidth: 1000, rotation: 3, blur: 0 },
      }),
    features: {
      faces: 1,
      faceRatio: 0.12568651650102075,
      textLines: 16,
      fieldLines: 14,
      column: 6,
      mrz: true,
      card: false,
      ghost: false,
    },
    zone: {
      rows: [
        { box: { x: 552, y: 853, w: 820, h: 76 }, capHeight: 38 },
        { box: { x: 548, y: 917, w: 822, h: 64 }, capHeight: 38 },
      ],
      chars: 28,
    },
    mrz: {
      status: 'read',
      reading: {
        format: 'TD1',
        lines: [
          'IONVRYV0708I59460450I60<<<<<<<',
          '8506740M2902770NVR<<<<<<<<<<<<',
          'ERIKSSON<<LEONARO<<<<<<<<<<<<<',
        ],
        checkDigitsValid: false,
        invalidFields: [
          'issuingState',
          'documentNumberCheckDigit',
          'birthDate',
          'birthDateCheckDigit',
          'expirationDate',
          'expirationDateCheckDigit',
          'nationality',
          'compositeCheckDigit',
        ],
        documentCode: 'IO',
        issuingState: 'NVR',
        nationality: 'NVR',
        documentNumber: 'YV0708I59',
        birthDate: '850674',
        expiryDate: '290277',
        sex: 'M',
        surname: 'ERIKSSON',
        givenNames: 'LEONARO',
      },
    },
  },
];

describe('the document stage on fixture images', () => {
  it.each(CASES)(
    'gives the pinned features, zone and reading ($name)',
    async ({ make, features, zone, mrz }) => {
      const g = await make();
      const image = await decodeImage(new Uint8Array(g.buffer), LIMITS);
      // The fixture's own face box, in working-copy pixels (no detector: the stage alone).
      const k = image.workWidth / g.width;
      const b = g.faces[0]!.box;
      const face = { box: { x: b.x * k, y: b.y * k, w: b.width * k, h: b.height * k } } as Face;
      const analysis = roleAnalysis(image, [face]);
      expect(analysis.features).toEqual(features);
      expect(analysis.mrzZone ?? null).toEqual(zone);
      expect(analysis.mrzZone ? readMrzZone(image, analysis.mrzZone) : null).toEqual(mrz);
    },
  );
});
