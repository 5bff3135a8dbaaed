// An image's document evidence for Verify: the layout analysis (document/roles.ts), and, when fields
// would be its only evidence, whether the person under the face runs on out of the frame (a photographed person
// before a poster, not a printed portrait).
import type { EngineContext } from '../context';
import { needsPersonCheck, roleAnalysis } from '../document/roles';
import type { MrzZone } from '../document/mrz';
import { personRunsOutOfFrame } from '../document/person';
import { segmentPerson } from '../document/selfie-segmentation';
import type { Prepared } from '../pipeline';
import type { RoleFeatures } from '../../contract/evidence';

export async function documentFeatures(ctx: EngineContext, prepared: Prepared): Promise<RoleFeatures> {
  return (await documentAnalysis(ctx, prepared)).features;
}

/** The features and the machine-readable zone the layout analysis found (for the reader). */
export async function documentAnalysis(
  ctx: EngineContext,
  prepared: Prepared,
): Promise<{ features: RoleFeatures; mrzZone?: MrzZone }> {
  const analysis = roleAnalysis(prepared.image, prepared.faces);
  const { features } = analysis;
  const main = prepared.faces[0];
  if (!main || !needsPersonCheck(features)) return analysis;
  // The detection copy (at most 832 px) holds more than the 256-px mask needs.
  const mask = await segmentPerson(prepared.nets, prepared.detection);
  const k = 1 / prepared.image.detectScale;
  const { width, height } = prepared.detection;
  const face = { x: main.box.x * k, y: main.box.y * k, w: main.box.w * k, h: main.box.h * k };
  return {
    ...analysis,
    features: { ...features, personOutOfFrame: personRunsOutOfFrame(mask, face, width, height) },
  };
}
