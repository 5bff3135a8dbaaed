import sharp from 'sharp';
import type { FaceMeasures } from '../../src/contract/evidence';
import { DOCUMENT_LIMITS, qualityIssues, SELFIE_LIMITS } from '../../src/inference/quality';
import { ok, refused, testEngine } from '../support/engine';
import { bytes, idCard, selfie } from '../support/kyc';

/** The selfie defocused: Gaussian blur of 3 % of the face height, where the detector still finds the face. */
async function blurred(): Promise<Buffer> {
  const me = await selfie();
  return sharp(me.buffer)
    .blur(0.03 * 0.45 * me.height)
    .jpeg({ quality: 92 })
    .toBuffer();
}

beforeAll(async () => {
  await testEngine();
});

describe('Verify: the face quality gate (real models)', () => {
  it('passes a genuine document and selfie, reporting each face judged as its role', async () => {
    const [doc, me] = await Promise.all([idCard(), selfie()]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(me.buffer) });
    expect(r.verified).toBe(true);
    expect(r.img1_quality).toMatchObject({ judged_as: 'DOCUMENT', acceptable: true, issues: [] });
    expect(r.img2_quality).toMatchObject({ judged_as: 'SELFIE', acceptable: true, issues: [] });
    // Measured in pixels of the image as sent: the selfie's face is large, the printed portrait smaller.
    expect(Number(r.img2_quality?.eye_distance_px)).toBeGreaterThan(Number(r.img1_quality?.eye_distance_px));
    expect(Number(r.img1_quality?.eye_distance_px)).toBeGreaterThan(DOCUMENT_LIMITS.minEyePx);
    expect(Number(r.img2_quality?.score)).toBeGreaterThan(0);
    expect(r.timings?.quality_ms).toBeGreaterThan(0);
  });

  it('refuses a blurred selfie as LOW_QUALITY, naming the image and the problem, before matching', async () => {
    const [doc, soft] = await Promise.all([idCard(), blurred()]);
    const e = await refused({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(soft) });
    expect(e).toMatchObject({ reason: 'LOW_QUALITY', image: 'IMG2', qualityIssues: ['blurry'] });
    expect(e.message).toMatch(/selfie.*blurry/);
    // Swapped, the same selfie is still the one refused, in its own slot.
    const s = await refused({ op: 'verify', img1: bytes(soft), img2: bytes(doc.buffer) });
    expect(s).toMatchObject({ reason: 'LOW_QUALITY', image: 'IMG1' });
  });

  it('with quality "report" answers the measures instead of refusing; with "off" neither', async () => {
    const [doc, soft] = await Promise.all([idCard(), blurred()]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(soft), quality: 'report' });
    expect(r.img2_quality).toMatchObject({ judged_as: 'SELFIE', acceptable: false, issues: ['blurry'] });
    expect(Number(r.img2_quality?.scores?.sharpness)).toBeLessThan(50);
    const off = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(soft), quality: 'off' });
    expect(off.img1_quality).toBeUndefined();
    expect(off.img2_quality).toBeUndefined();
    // Off, nothing is measured at all.
    expect(off.timings?.quality_ms).toBe(0);
  });

  it('Compare reports nothing and refuses nothing on quality (look-alike)', async () => {
    const [me, soft] = await Promise.all([selfie(), blurred()]);
    const r = await ok({ op: 'compare', img1: bytes(me.buffer), img2: bytes(soft) });
    expect(r.similarity).toBeGreaterThanOrEqual(0);
    expect(r.timings?.quality_ms).toBe(0);
  });
});

describe('quality limits by role', () => {
  const fine: FaceMeasures = {
    facePx: 160,
    eyePx: 58,
    brightness: 140,
    contrast: 40,
    laplacian: 800,
    sharpness: 0.4,
    glare: 0,
    yaw: 5,
    pitch: 3,
    roll: 2,
  };
  it('a clear face has no issue as either role', () => {
    expect(qualityIssues(fine, SELFIE_LIMITS)).toEqual([]);
    expect(qualityIssues(fine, DOCUMENT_LIMITS)).toEqual([]);
  });
  it('names each problem', () => {
    expect(qualityIssues({ ...fine, eyePx: 4 }, DOCUMENT_LIMITS)).toEqual(['too_small']);
    expect(qualityIssues({ ...fine, sharpness: 0.001 }, SELFIE_LIMITS)).toEqual(['blurry']);
    expect(qualityIssues({ ...fine, brightness: 5 }, SELFIE_LIMITS)).toEqual(['too_dark']);
    expect(qualityIssues({ ...fine, brightness: 252 }, SELFIE_LIMITS)).toContain('too_bright');
    expect(qualityIssues({ ...fine, glare: 0.6 }, SELFIE_LIMITS)).toEqual(['glare']);
    expect(qualityIssues({ ...fine, yaw: 80 }, SELFIE_LIMITS)).toEqual(['pose']);
    expect(qualityIssues({ ...fine, roll: -70 }, SELFIE_LIMITS)).toEqual(['pose']);
  });
  it('a small printed portrait passes as a document where a selfie that small is refused', () => {
    const small = { ...fine, eyePx: (DOCUMENT_LIMITS.minEyePx + SELFIE_LIMITS.minEyePx) / 2 };
    expect(qualityIssues(small, DOCUMENT_LIMITS)).toEqual([]);
    expect(qualityIssues(small, SELFIE_LIMITS)).toEqual(['too_small']);
  });
});
