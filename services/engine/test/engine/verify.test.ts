import sharp from 'sharp';
import { hostile, makeMultiFaceSelfie } from '@deepface/fixtures';
import { THRESHOLD } from '../../src/inference/calibration';
import { ok, refused, testEngine } from '../support/engine';
import { bytes, idCard, passport, selfie } from '../support/kyc';

beforeAll(async () => {
  await testEngine();
});

describe('Verify: KYC rules', () => {
  it('verifies an ID card against a selfie of the same person', async () => {
    const [doc, me] = await Promise.all([idCard('leonard', 1), selfie('leonard', 3)]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(me.buffer) });
    expect(r.verified).toBe(true);
    expect(r.decision).toBe('PASSED');
    expect(Number(r.distance)).toBeLessThanOrEqual(THRESHOLD);
    expect(Number(r.confidence)).toBeGreaterThan(50);
    expect(r.img1_role?.role).toBe('DOCUMENT');
    expect(r.img2_role?.role).toBe('SELFIE');
    expect(r.roles_swapped).toBe(false);
    // Facial areas are in pixels of the images as sent, eyes included.
    expect(r.img2_area?.w).toBeGreaterThan(0.2 * me.width);
    expect(r.img2_area?.left_eye?.x).toBeGreaterThan(Number(r.img2_area?.right_eye?.x));
    expect(r.model?.recognition_model).toMatch(/FaceRecognitionNet/);
    expect(r.model?.backend).toBe((await testEngine()).backend.name);
  });

  it('refuses to match different people', async () => {
    const [doc, other] = await Promise.all([idCard('leonard', 1), selfie('penny', 2)]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(other.buffer) });
    expect(r.verified).toBe(false);
    expect(r.decision).toBe('FAILED');
    expect(Number(r.distance)).toBeGreaterThan(THRESHOLD);
    expect(Number(r.confidence)).toBeLessThan(50);
  });

  it('handles a passport page photographed on a desk, with a grey portrait and a ghost image', async () => {
    const [doc, me] = await Promise.all([passport('sheldon', 2), selfie('sheldon', 4)]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(me.buffer) });
    expect(r.img1_role?.role).toBe('DOCUMENT');
    expect(r.img1_role?.mrz).toBe(true);
    expect(r.verified).toBe(true);
  });

  it('accepts swapped roles and says so', async () => {
    const [doc, me] = await Promise.all([idCard('howard', 2), selfie('howard', 5)]);
    const r = await ok({ op: 'verify', img1: bytes(me.buffer), img2: bytes(doc.buffer) });
    expect(r.roles_swapped).toBe(true);
    expect(r.img1_role?.role).toBe('SELFIE');
    expect(r.img2_role?.role).toBe('DOCUMENT');
    expect(r.verified).toBe(true);
  });

  it('two selfies → ID_REQUIRED', async () => {
    const [a, b] = await Promise.all([selfie('raj', 1), selfie('raj', 2, 9)]);
    expect((await refused({ op: 'verify', img1: bytes(a.buffer), img2: bytes(b.buffer) })).reason).toBe(
      'ID_REQUIRED',
    );
  });

  it('two documents → SELFIE_REQUIRED', async () => {
    const [a, b] = await Promise.all([idCard('amy', 1), passport('amy', 3)]);
    expect((await refused({ op: 'verify', img1: bytes(a.buffer), img2: bytes(b.buffer) })).reason).toBe(
      'SELFIE_REQUIRED',
    );
  });

  it('a selfie with two people → MULTIPLE_FACES about that image', async () => {
    const [doc, group] = await Promise.all([idCard('stuart', 1), makeMultiFaceSelfie({ seed: 5 })]);
    const e = await refused({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(group.buffer) });
    expect(e).toMatchObject({ reason: 'MULTIPLE_FACES', image: 'IMG2' });
  });

  it('no face → NO_FACE about that image', async () => {
    const doc = await idCard('bernadette', 2);
    const blank = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8c0b0' } })
      .jpeg()
      .toBuffer();
    const e = await refused({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(blank) });
    expect(e).toMatchObject({ reason: 'NO_FACE', image: 'IMG2' });
  });

  it('an unreadable image → INVALID_IMAGE about that image, before any detection', async () => {
    const me = await selfie('penny', 1);
    const e = await refused({
      op: 'verify',
      img1: bytes(hostile.randomBytes(4096, 3)),
      img2: bytes(me.buffer),
    });
    expect(e).toMatchObject({ reason: 'INVALID_IMAGE', image: 'IMG1' });
  });

  it('a per-request threshold outside the bounds → BAD_REQUEST', async () => {
    const me = await selfie('penny', 1);
    const e = await refused({
      op: 'verify',
      img1: bytes(me.buffer),
      img2: bytes(me.buffer),
      threshold: 0.99,
    });
    expect(e.reason).toBe('BAD_REQUEST');
  });
});
