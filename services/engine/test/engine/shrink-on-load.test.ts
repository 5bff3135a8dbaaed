// What a refused 40-MP image costs (README, cost model) rests on JPEG shrink-on-load: libjpeg decodes at 1/2, 1/4
// or 1/8 scale when the working copy is that much smaller, so the huge image is never decoded in full (a full
// decode and resize of this image costs ~2–3× the CPU). A change to the decoding pipeline that defeats it
// (decoding in full before resizing, a step that makes libvips read every pixel first) makes such refusals dearer
// without failing anything else. Pinned by pixels, not by timing: a reduced-scale decode gives other values than
// a full decode resized with the same kernel, and the same values as sharp's own shrink-on-load resize.
import sharp from 'sharp';
import { decodeImage } from '../../src/inference/image/decode';

const LIMITS = { maxPixels: 40e6, workMaxSide: 1600 };
const WIDTH = 7300;
const HEIGHT = 5479;

/** A 40-MP JPEG of 10-px squares of noise (edges across most 8×8 blocks), on which the two decodes differ. */
async function textured(): Promise<Buffer> {
  const tile = await sharp({
    create: {
      width: WIDTH / 10,
      height: Math.round(HEIGHT / 10),
      channels: 3,
      background: '#808080', // unused: the noise sets every pixel (sharp's types ask for one)
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  return sharp(tile).resize(WIDTH, HEIGHT, { kernel: 'nearest' }).jpeg({ quality: 90 }).toBuffer();
}

describe('decoding a 40-megapixel JPEG', () => {
  it('reads it at a reduced scale (shrink-on-load), not decoded in full and then resized', async () => {
    const jpeg = await textured();
    const ours = await decodeImage(new Uint8Array(jpeg), LIMITS);
    expect([ours.width, ours.height, ours.workWidth]).toEqual([WIDTH, HEIGHT, 1600]);
    // The working copy's own resize (image/decode.ts): the long side to 1,600 px.
    const size = { width: LIMITS.workMaxSide, height: LIMITS.workMaxSide, fit: 'inside' as const };

    const full = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    expect([full.info.width, full.info.height]).toEqual([WIDTH, HEIGHT]);
    const fullThenResized = await sharp(full.data, { raw: full.info }).resize(size).raw().toBuffer();
    const shrunkOnLoad = await sharp(jpeg).resize(size).raw().toBuffer();

    const rgb = Buffer.from(ours.rgb.buffer, ours.rgb.byteOffset, ours.rgb.byteLength);
    // The two references differ on this image (else the test could not tell them apart) ...
    expect(shrunkOnLoad.equals(fullThenResized)).toBe(false);
    // ... and the working copy is the reduced-scale one.
    expect(rgb.equals(fullThenResized)).toBe(false);
    expect(rgb.equals(shrunkOnLoad)).toBe(true);
  });
});
