// The presentation-attack networks on any one image's main face, document portraits included (Verify runs them
// on the selfie only): what `pnpm eval liveness` measures, in-process only.
import type { EngineContext } from '../context';
import { faintPortraitFaces } from '../detection';
import { looksLikeDocumentPage } from '../document/roles';
import { withPreparedImage } from '../pipeline';
import { Timer } from '../timer';
import { describeMainFace } from './main-face';
import type { PresentationNetworks, PresentationScores } from '../../contract/liveness';

export interface Presentation {
  /** Absent when no face was found. */
  scores?: PresentationScores;
  /** Time the networks took (crops included). */
  ms: number;
}

export async function presentation(
  ctx: EngineContext,
  bytes: Uint8Array,
  networks: PresentationNetworks = 'both',
): Promise<Presentation> {
  const timer = new Timer();
  return withPreparedImage(ctx, bytes, timer, { mode: 'cascade' }, async (prepared) => {
    // A document whose portrait is faint: the second look Verify takes.
    if (prepared.faces.length === 0 && looksLikeDocumentPage(prepared.image))
      prepared.faces.push(...(await faintPortraitFaces(prepared.nets, prepared.image, { mode: 'cascade' })));
    if (prepared.faces.length === 0) return { ms: 0 };
    const face = await describeMainFace(prepared, timer, 'IMG1', { presentation: networks });
    return {
      ...(face.presentation ? { scores: face.presentation } : {}),
      ms: Number(timer.timings().liveness_ms ?? 0),
    };
  });
}
