// A document whose portrait has faded (a worn print, a pale scan): the ordinary detection passes miss it, and
// Verify's second look on a document page (contrast equalised, then turned a few degrees) finds it.
import sharp from 'sharp';
import { makeDocument, makeSelfie, type Generated } from '@deepface/fixtures';
import { decodeImage } from '../../src/inference/image/decode';
import { prepareDecoded } from '../../src/inference/pipeline';
import { Timer } from '../../src/inference/timer';
import { isDocument } from '../../src/inference/document/roles';
import { ok, testEngine } from '../support/engine';
import { examine } from '../support/pairs';

/** The document with its portrait washed out towards the card's light tone (20 % of its contrast left). */
async function faded(doc: Generated): Promise<Uint8Array> {
  const box = doc.faces[0]!.box;
  const left = Math.max(0, Math.round(box.x - 0.6 * box.width));
  const top = Math.max(0, Math.round(box.y - 0.6 * box.height));
  const width = Math.min(doc.width - left, Math.round(2.2 * box.width));
  const height = Math.min(doc.height - top, Math.round(2.4 * box.height));
  const region = await sharp(doc.buffer)
    .extract({ left, top, width, height })
    .linear(0.2, 0.8 * 235)
    .toBuffer();
  return new Uint8Array(
    await sharp(doc.buffer)
      .composite([{ input: region, left, top }])
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
}

const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };

beforeAll(async () => {
  await testEngine();
});

describe('a faint document portrait', () => {
  it.each([
    [2, 'id1-left-mrz'],
    [5, 'passport-td3'],
  ] as const)('is found by the second look (seed %p, %s)', async (seed, layout) => {
    const doc = await makeDocument({
      seed,
      layout,
      capture: 'scan',
      portrait: 'grey',
      person: 'howard',
      photoIndex: 1,
    });
    const image = await faded(doc);
    // The ordinary passes see no face at all: the case the second look exists for.
    const { nets } = (await testEngine()).context;
    const prepared = await prepareDecoded(await decodeImage(image, LIMITS), nets, new Timer(), {
      mode: 'cascade',
    });
    expect(prepared.faces).toHaveLength(0);

    const e = await examine(image);
    expect(e.failure).toBeUndefined();
    expect(e.roles && isDocument(e.roles.features)).toBe(true);
    // Its face box lies on the portrait.
    const scale = (e.face?.area.w ?? 0) / doc.faces[0]!.box.width;
    expect(scale).toBeGreaterThan(0.6);
    expect(scale).toBeLessThan(1.8);

    const selfie = await makeSelfie({
      seed: 7,
      person: 'howard',
      photoIndex: 3,
      background: 'wall',
      faceFraction: 0.45,
    });
    const r = await ok({ op: 'verify', img1: image, img2: new Uint8Array(selfie.buffer) });
    expect(r.img1_role?.role).toBe('DOCUMENT');
  });
});
