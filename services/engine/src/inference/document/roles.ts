// Which image of a Verify is the identity document: positive evidence of a document's structure around its
// portrait (README: "How Verify tells a document from a selfie").
import type { DocumentSignal__Output, RoleEvidence } from '@deepface/proto';
import type { RoleFeatures } from '../../contract/evidence';
import type { DecodedImage } from '../../contract/image';
import type { Face } from '../detect';
import type { Box } from '../geometry';
import { findCard } from './card';
import { fieldLayout } from './fields';
import { toGray, toOpponent, type Gray, type Region } from './gray';
import { findMrz, zoneOf, type MrzZone } from './mrz';
import { withScratch, type Scratch } from './scratch';
import { findTextLines } from './textlines';

// Text analysis runs on a copy whose long side is at most this: card text stays 8+ px tall.
const ANALYSIS_SIDE = 1024;
// Edges need less: a card's sides are hundreds of pixels long.
const CARD_SIDE = 512;

// Where a document around a portrait can reach, in face boxes: a passport page's fields reach ~4.5 face widths to
// the right of the face and its MRZ ~3 face heights below; an ID card's are closer; some put the portrait on the
// right. The card search looks a little further, to find the card's edges beyond its text.
const TEXT_REACH = { left: 4.5, right: 5.5, up: 2, down: 3 };
const CARD_REACH = { left: 6.5, right: 7.5, up: 2.5, down: 4 };

/** The part of the image a document around this face would occupy (the whole image when there is no face). */
function around(image: DecodedImage, face: Face | undefined, reach: typeof TEXT_REACH): Region {
  if (!face) return { x: 0, y: 0, w: image.workWidth, h: image.workHeight };
  const b = face.box;
  const x0 = Math.max(0, Math.floor(b.x - reach.left * b.w));
  const y0 = Math.max(0, Math.floor(b.y - reach.up * b.h));
  const x1 = Math.min(image.workWidth, Math.ceil(b.x + reach.right * b.w));
  const y1 = Math.min(image.workHeight, Math.ceil(b.y + reach.down * b.h));
  return { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
}

/** A box in working-copy pixels, in the pixels of a gray copy of `region` downscaled by `factor`. */
const inRegion = (b: Box, region: Region, factor: number): Box => ({
  x: (b.x - region.x) / factor,
  y: (b.y - region.y) / factor,
  w: b.w / factor,
  h: b.h / factor,
});

/**
 * The page check's gray copy of the whole image, for the role analysis of the same image once the faint portrait
 * is found (the same copy, when the document's reach around the face covers the image). Held only as long as the
 * decoded image itself: one task.
 */
const pageGrays = new WeakMap<DecodedImage, { gray: Gray; factor: number }>();

export function roleFeatures(image: DecodedImage, faces: Face[]): RoleFeatures {
  return roleAnalysis(image, faces).features;
}

/** The role features, and the machine-readable zone when one was found (handed to the reader, not searched again). */
export function roleAnalysis(
  image: DecodedImage,
  faces: Face[],
): { features: RoleFeatures; mrzZone?: MrzZone } {
  // The gray copy, mask and labels are scratch: only counts and boxes leave the scope.
  return withScratch((scratch) => analyse(image, faces, scratch));
}

function analyse(
  image: DecodedImage,
  faces: Face[],
  scratch: Scratch,
): { features: RoleFeatures; mrzZone?: MrzZone } {
  const main = faces[0];
  const second = faces[1];
  // Around a small face (a card photographed from afar) the region is small: it is read at full resolution.
  const region = around(image, main, TEXT_REACH);
  const whole =
    region.x === 0 && region.y === 0 && region.w === image.workWidth && region.h === image.workHeight;
  const { gray, factor } =
    (whole ? pageGrays.get(image) : undefined) ??
    toGray(image.rgb, image.workWidth, image.workHeight, ANALYSIS_SIDE, region, scratch);
  // Hair, eyes and mouth make glyph-like blobs: leave out the heads (the face box grown over the hair).
  const heads: Box[] = faces.map(({ box: b }) =>
    inRegion({ x: b.x - 0.25 * b.w, y: b.y - 0.5 * b.h, w: 1.5 * b.w, h: 1.65 * b.h }, region, factor),
  );
  const text = findTextLines(gray, heads, scratch);
  const face = main ? inRegion(main.box, region, factor) : undefined;
  const layout = face ? fieldLayout(text.lines, face) : { fields: [], column: 0 };
  const band = findMrz(text.lines, face);
  const mrz = !!band;
  const features: RoleFeatures = {
    faces: faces.length,
    faceRatio: main ? main.box.h / image.workHeight : 0,
    textLines: text.lines.length,
    fieldLines: layout.fields.length,
    column: layout.column,
    mrz,
    // The edge search is half of this analysis' cost: it runs only where a card can change the decision (an MRZ
    // decides alone; without field lines on it a card is no signal), so most selfies and passports skip it.
    card: !!main && !mrz && layout.fields.length >= CARD_FIELD_LINES && hasCard(image, main, scratch),
    ghost: !!main && !!second && (second.box.w * second.box.h) / (main.box.w * main.box.h) < 0.45,
  };
  return band ? { features, mrzZone: zoneOf(band, factor, region) } : { features };
}

/**
 * Whether an image in which no face was found looks like a document page all the same (an MRZ, or a page of
 * print): worth a second look for a faint portrait.
 */
export function looksLikeDocumentPage(image: DecodedImage): boolean {
  const copy = toGray(image.rgb, image.workWidth, image.workHeight, ANALYSIS_SIDE);
  pageGrays.set(image, copy);
  return withScratch((scratch) => {
    const text = findTextLines(copy.gray, [], scratch);
    return !!findMrz(text.lines) || text.lines.length >= PAGE_LINES;
  });
}

// A document page without its portrait still shows a dozen lines of print (specimens here show 11–41).
const PAGE_LINES = 10;

function hasCard(image: DecodedImage, main: Face, scratch: Scratch): boolean {
  const region = around(image, main, CARD_REACH);
  const { channels, factor } = toOpponent(
    image.rgb,
    image.workWidth,
    image.workHeight,
    CARD_SIDE,
    region,
    scratch,
  );
  return !!findCard(channels, inRegion(main.box, region, factor), scratch);
}

/** What makes an image a document; an image showing none of these is never taken for one. */
export type DocumentSignal = 'mrz' | 'fields' | 'card';

// A document prints several fields one under the other beside its portrait: three aligned lines (a label and its
// value, and the next field) and five field lines in all, which lettering around a person does not arrange.
const FIELD_COLUMN = 2;
const FIELD_LINES = 5;
// A card boundary around the portrait needs some print on the card (a plain frame around a face is not one).
const CARD_FIELD_LINES = 2;

/** Document signals from the print and edges alone, before the person check. */
function layoutSignals(f: RoleFeatures): DocumentSignal[] {
  const signals: DocumentSignal[] = [];
  if (f.mrz) signals.push('mrz');
  if (f.column >= FIELD_COLUMN && f.fieldLines >= FIELD_LINES) signals.push('fields');
  if (f.card && f.fieldLines >= CARD_FIELD_LINES) signals.push('card');
  return signals;
}

/**
 * Whether the image's document evidence rests on its fields alone, which a person standing beside a poster can
 * also show: then whether the person runs on out of the frame decides. An MRZ's monospace rows, or a card boundary
 * around the face (its lower edge would cross a photographed person's body), are evidence enough by themselves.
 */
export const needsPersonCheck = (f: RoleFeatures): boolean =>
  !f.mrz && !(f.card && f.fieldLines >= CARD_FIELD_LINES) && layoutSignals(f).includes('fields');

export function documentSignals(f: RoleFeatures): DocumentSignal[] {
  const signals = layoutSignals(f);
  return f.personOutOfFrame ? signals.filter((s) => s !== 'fields') : signals;
}

/**
 * How document-like an image is, 0..1, for audits: at or above 0.5 exactly when it shows a document signal (more
 * signals and more fields score higher); below 0.5, the partial evidence (some aligned or field lines, a bare
 * card-like frame).
 */
export function documentScore(f: RoleFeatures): number {
  const signals = documentSignals(f);
  const fields = Math.min(f.fieldLines, 20) / 20;
  const column = Math.min(f.column, 8) / 8;
  if (signals.length > 0)
    return round3(Math.min(0.99, 0.5 + 0.15 * signals.length + 0.1 * fields + 0.05 * column));
  const partial =
    0.25 * Math.min(1, f.column / FIELD_COLUMN) +
    0.15 * Math.min(1, f.fieldLines / FIELD_LINES) +
    (f.card ? 0.05 : 0);
  return round3(Math.min(0.45, partial));
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export const isDocument = (f: RoleFeatures): boolean => documentSignals(f).length > 0;

const SIGNAL_NAMES = {
  mrz: 'SIGNAL_MRZ',
  fields: 'SIGNAL_FIELDS',
  card: 'SIGNAL_CARD',
} as const satisfies Record<DocumentSignal, DocumentSignal__Output>;

/** An image's role evidence as the proto carries it (in answers and in role refusals). */
export function roleEvidence(f: RoleFeatures, role: 'DOCUMENT' | 'SELFIE'): RoleEvidence {
  return {
    role,
    document_score: documentScore(f),
    text_lines: f.textLines,
    mrz: f.mrz,
    card_boundary: f.card,
    face_ratio: round3(f.faceRatio),
    faces: f.faces,
    field_lines: f.fieldLines,
    field_column: f.column,
    signals: documentSignals(f).map((s) => SIGNAL_NAMES[s]),
    person_out_of_frame: f.personOutOfFrame ?? false,
  };
}

/**
 * Roles from each image's own evidence. A document is an image with positive evidence of one (documentSignals);
 * the declared order (img1 the document) holds unless only img2 carries such evidence. Neither: two selfies,
 * however the images compare. Both: two documents.
 */
export function assignRoles(
  f1: RoleFeatures,
  f2: RoleFeatures,
): 'in-order' | 'swapped' | 'two-documents' | 'two-selfies' {
  const d1 = isDocument(f1);
  const d2 = isDocument(f2);
  if (d1 && d2) return 'two-documents';
  if (!d1 && !d2) return 'two-selfies';
  return d1 ? 'in-order' : 'swapped';
}
