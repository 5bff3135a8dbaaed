// One image of a Verify or Compare examined on its own: decode, detect, role evidence (Verify), the main face's
// landmarks and descriptor. ops/pair.ts decides from two of them.
import type { EngineContext } from '../context';
import { isDocument, looksLikeDocumentPage } from '../document/roles';
import { documentAnalysis } from './document-check';
import { readMrzZone } from '../document/ocr/document-mrz';
import { EngineFailure } from '../../contract/failure';
import { faintPortraitFaces } from '../detection';
import { decodeAbout, facialArea, prepareDecoded } from '../pipeline';
import { measureFace } from '../quality';
import { Timer } from '../timer';
import { describeMainFace, NO_FACE_MESSAGE } from './main-face';
import { clearFacesInSelfie } from './selfie';
import type { EvidenceStage, ImageEvidence } from '../../contract/evidence';
import type { EvidenceInput } from '../../contract/tasks';
import type { DecodedImage } from '../../contract/image';

async function examine(
  ctx: EngineContext,
  input: Omit<EvidenceInput, 'image'>,
  timer: Timer,
  decoding: Promise<DecodedImage>,
): Promise<ImageEvidence> {
  let stage: EvidenceStage = 'decode';
  let roles: ImageEvidence['roles'];
  let document: ImageEvidence['document'];
  let presentation: ImageEvidence['presentation'];
  let estimatedAge: number | undefined;
  const evidence = (fields: Pick<ImageEvidence, 'failure' | 'face' | 'quality'>): ImageEvidence => ({
    ref: input.ref,
    backend: ctx.backend,
    ...(roles ? { roles } : {}),
    ...(document ? { document } : {}),
    ...(presentation ? { presentation } : {}),
    ...(estimatedAge !== undefined ? { estimatedAge } : {}),
    ...fields,
    timings: timer.timings(),
  });
  try {
    const decoded = await decoding;
    stage = 'detect';
    const prepared = await prepareDecoded(decoded, ctx.nets, timer, { mode: 'cascade' });
    // A document whose portrait is faint: one more look, with contrast equalised (Verify's images only).
    if (prepared.faces.length === 0 && input.roles && looksLikeDocumentPage(decoded))
      prepared.faces.push(
        ...(await timer.time('detect', () =>
          faintPortraitFaces(prepared.nets, prepared.image, { mode: 'cascade' }),
        )),
      );
    if (prepared.faces.length === 0) throw new EngineFailure('NO_FACE', NO_FACE_MESSAGE, input.ref);
    if (input.roles) {
      const { features, mrzZone } = await timer.time('classify', () => documentAnalysis(ctx, prepared));
      // Only a possible selfie needs its clear faces counted (a second look may run SSD).
      roles = isDocument(features)
        ? { features }
        : { features, clearFaces: await timer.time('detect', () => clearFacesInSelfie(prepared)) };
      // The zone the role analysis found, read (not searched again): only where there is one.
      if (mrzZone) document = await timer.time('document', () => readMrzZone(prepared.image, mrzZone));
    }
    stage = 'describe';
    // A document's portrait is a print by design, and its holder's age is the document's: only a possible
    // selfie is worth the presentation and age networks' time.
    const selfie = roles?.clearFaces !== undefined;
    const face = await describeMainFace(prepared, timer, input.ref, {
      ...(input.liveness === true && selfie ? { presentation: 'liveness' } : {}),
      age: input.age === true && selfie,
    });
    presentation = face.presentation;
    estimatedAge = face.estimatedAge;
    const quality = input.quality
      ? await timer.time('quality', () => measureFace(prepared.image, face))
      : undefined;
    return evidence({
      face: { area: facialArea(prepared, face), detector: face.detector, descriptor: face.descriptor },
      ...(quality ? { quality } : {}),
    });
  } catch (error) {
    if (!(error instanceof EngineFailure)) throw error;
    return evidence({ failure: { stage, error: error.toTaskFailure() } });
  }
}

/** One image, examined by itself: what a worker runs when the pool splits a Verify or Compare. */
export function imageEvidence(ctx: EngineContext, input: EvidenceInput): Promise<ImageEvidence> {
  const timer = new Timer();
  return examine(ctx, input, timer, decodeAbout(input.image, input.ref, ctx.limits, timer));
}

/** An image decoded beforehand: the examination alone (bench/ measures inference apart from decoding with it). */
export function decodedEvidence(
  ctx: EngineContext,
  input: Omit<EvidenceInput, 'image'>,
  decoded: DecodedImage,
): Promise<ImageEvidence> {
  return examine(ctx, input, new Timer(), Promise.resolve(decoded));
}

/** Both images in one worker: decoded at once (libvips works off the JS thread), then examined in turn. */
export async function pairEvidence(
  ctx: EngineContext,
  inputs: readonly [EvidenceInput, EvidenceInput],
): Promise<[ImageEvidence, ImageEvidence]> {
  const [a, b] = inputs;
  const [ta, tb] = [new Timer(), new Timer()];
  const [da, db] = [decodeAbout(a.image, a.ref, ctx.limits, ta), decodeAbout(b.image, b.ref, ctx.limits, tb)];
  // Settled later by examine; until then a rejection must not count as unhandled.
  db.catch(() => undefined);
  return [await examine(ctx, a, ta, da), await examine(ctx, b, tb, db)];
}
