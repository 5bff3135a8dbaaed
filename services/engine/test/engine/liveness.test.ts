// Presentation-attack signals with the real networks: Verify's liveness modes end to end, the networks' outputs
// on real faces, and the recaptures the evaluation uses (README "Liveness" has the measured rates).
import * as fs from 'node:fs';
import { realWorldSet, screenRecapture } from '@deepface/fixtures';
import { ok, refused, testEngine } from '../support/engine';
import { bytes, idCard, selfie } from '../support/kyc';

beforeAll(async () => {
  await testEngine();
});

describe('Verify: liveness', () => {
  it('reports the selfie’s liveness by default, timed', async () => {
    const [doc, me] = await Promise.all([idCard(), selfie()]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(me.buffer) });
    expect(r.verified).toBe(true);
    expect(r.liveness?.decision).toBe('LIVE');
    expect(Number(r.liveness?.score)).toBeGreaterThanOrEqual(0.5);
    expect(Number(r.liveness?.score)).toBeLessThanOrEqual(1);
    expect(r.liveness?.model).toMatch(/human-models liveness/);
    expect(Number(r.timings?.liveness_ms)).toBeGreaterThan(0);
  });

  it('skips the networks when off', async () => {
    const [doc, me] = await Promise.all([idCard(), selfie()]);
    const r = await ok({ op: 'verify', img1: bytes(doc.buffer), img2: bytes(me.buffer), liveness: 'off' });
    expect(r.liveness).toBeUndefined();
    expect(Number(r.timings?.liveness_ms ?? 0)).toBe(0);
  });

  it('lets a live selfie through under require', async () => {
    const [doc, me] = await Promise.all([idCard(), selfie()]);
    const r = await ok({
      op: 'verify',
      img1: bytes(doc.buffer),
      img2: bytes(me.buffer),
      liveness: 'require',
    });
    expect(r.liveness?.decision).toBe('LIVE');
  });

  it('both networks answer probabilities for a face', async () => {
    const me = await selfie();
    const p = await (await testEngine()).presentation(bytes(me.buffer), 'both');
    expect(p.scores).toBeDefined();
    expect(p.scores!.liveness).toBeGreaterThan(0.5);
    expect(p.scores!.antispoof).toBeGreaterThanOrEqual(0);
    expect(p.scores!.antispoof).toBeLessThanOrEqual(1);
  });
});

// Refusing a spoof needs a selfie the network scores under 0.5: screen recaptures of the real photos give some.
const set = realWorldSet();
const describeReal = 'missing' in set ? describe.skip : describe;
if ('missing' in set) console.warn(`liveness refusal on real recaptures skipped: ${set.missing}`);

describeReal('Verify: liveness require on a screen recapture of a real photo', () => {
  it('refuses the first recapture the network decides SPOOF, naming the selfie; report answers it', async () => {
    if ('missing' in set) return;
    const engine = await testEngine();
    const doc = await idCard();
    let attack: Uint8Array | undefined;
    for (const photo of set.images.filter((i) => i.category === 'people')) {
      const candidate = bytes(await screenRecapture(fs.readFileSync(photo.path)));
      const p = await engine.presentation(candidate, 'liveness');
      if (p.scores && p.scores.liveness < 0.5) {
        attack = candidate;
        break;
      }
    }
    // The evaluation measured APCER ~85 % on these: some, not all, are caught.
    expect(attack).toBeDefined();
    const img2 = attack!;
    const error = await refused({ op: 'verify', img1: bytes(doc.buffer), img2, liveness: 'require' });
    expect(error).toMatchObject({ reason: 'LIVENESS_FAILED', image: 'IMG2' });
    const report = await engine.run({ op: 'verify', img1: bytes(doc.buffer), img2 });
    expect(report.ok && report.value.liveness?.decision).toBe('SPOOF');
  }, 300_000);
});
