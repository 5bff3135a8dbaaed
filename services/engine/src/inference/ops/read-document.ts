// ReadDocument: what an identity document's machine-readable zone says, for internal callers. No face is needed:
// the zone is searched over the whole image by its geometry (as `pnpm eval mrz` measures it), then read.
import type { ReadDocumentResponse } from '@deepface/proto';
import type { EngineContext } from '../context';
import { ENGINE_VERSION } from '../about';
import { readDocumentMrz } from '../document/ocr/document-mrz';
import { documentData } from '../document/ocr/document-data';
import { decodeAbout } from '../pipeline';
import { Timer } from '../timer';
import type { DocumentOptions } from '../../contract/document';

export const MRZ_READER = 'MRZ: zone geometry, OCR-B glyph models, ICAO 9303 check digits';

export async function readDocument(
  ctx: EngineContext,
  input: { image: Uint8Array; document: DocumentOptions },
): Promise<ReadDocumentResponse> {
  const timer = new Timer();
  const image = await decodeAbout(input.image, 'IMG1', ctx.limits, timer);
  const outcome = await timer.time('document', () => readDocumentMrz(image));
  return {
    document: documentData(outcome, input.document),
    model: {
      recognition_model: MRZ_READER,
      detector: '',
      backend: ctx.backend,
      engine_version: ENGINE_VERSION,
    },
    timings: timer.timings(),
  };
}
