// The liveness option in the pair decision (ops/pair.ts) on hand-made evidence: what each mode answers and refuses,
// and which image a refusal names, whichever slot the selfie was sent in.
import { EngineFailure } from '../../src/contract/failure';
import { verifyPair } from '../../src/inference/ops/pair';
import { LIVENESS_THRESHOLD } from '../../src/inference/liveness-decision';
import type { ImageEvidence, PairRef, RoleFeatures } from '../../src/contract/evidence';

import { CARD, SELFIE } from '../support/role-features';

function evidence(ref: PairRef, features: RoleFeatures, liveness?: number): ImageEvidence {
  const descriptor = new Float32Array(128);
  descriptor[0] = features === CARD ? 0 : 0.3;
  return {
    ref,
    backend: 'onnx',
    roles: { features, ...(features === CARD ? {} : { clearFaces: 1 }) },
    face: { area: { x: 1, y: 2, w: 3, h: 4, left_eye: null, right_eye: null }, detector: 'tiny', descriptor },
    ...(liveness !== undefined ? { presentation: { liveness } } : {}),
    // The networks run on the selfie only.
    timings: { decode_ms: 1, liveness_ms: features === CARD ? 0 : 2, total_ms: 10 },
  };
}

function refusal(run: () => unknown): { reason: string; image?: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineFailure)
      return { reason: error.reason, ...(error.image ? { image: error.image } : {}) };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('verifyPair with a liveness mode', () => {
  it('reports the selfie’s score and decision by default, never refusing on it', () => {
    const r = verifyPair(evidence('IMG1', CARD), evidence('IMG2', SELFIE, 0.1));
    expect(r.liveness).toMatchObject({ score: 0.1, decision: 'SPOOF', threshold: LIVENESS_THRESHOLD });
    expect(r.liveness?.model).toMatch(/liveness/);
    expect(r.verified).toBe(true);
    expect(r.timings?.liveness_ms).toBe(2);
    const live = verifyPair(
      evidence('IMG1', CARD),
      evidence('IMG2', SELFIE, 0.9),
      undefined,
      undefined,
      undefined,
      'report',
    );
    expect(live.liveness?.decision).toBe('LIVE');
  });

  it('answers nothing about liveness when off', () => {
    const r = verifyPair(
      evidence('IMG1', CARD),
      evidence('IMG2', SELFIE, 0.1),
      undefined,
      undefined,
      undefined,
      'off',
    );
    expect(r.liveness).toBeUndefined();
  });

  it('refuses a spoof under require, naming the selfie in either slot', () => {
    expect(
      refusal(() =>
        verifyPair(
          evidence('IMG1', CARD),
          evidence('IMG2', SELFIE, 0.2),
          undefined,
          undefined,
          undefined,
          'require',
        ),
      ),
    ).toEqual({ reason: 'LIVENESS_FAILED', image: 'IMG2' });
    expect(
      refusal(() =>
        verifyPair(
          evidence('IMG1', SELFIE, 0.2),
          evidence('IMG2', CARD),
          undefined,
          undefined,
          undefined,
          'require',
        ),
      ),
    ).toEqual({ reason: 'LIVENESS_FAILED', image: 'IMG1' });
  });

  it('lets a live selfie through under require, and a selfie the network never judged is UNDECIDED, not refused', () => {
    const r = verifyPair(
      evidence('IMG1', CARD),
      evidence('IMG2', SELFIE, 0.8),
      undefined,
      undefined,
      undefined,
      'require',
    );
    expect(r.liveness?.decision).toBe('LIVE');
    const u = verifyPair(
      evidence('IMG1', CARD),
      evidence('IMG2', SELFIE),
      undefined,
      undefined,
      undefined,
      'require',
    );
    expect(u.liveness?.decision).toBe('UNDECIDED');
  });

  it('judges the cut at the network’s own 0.5: at it is live, just under it is a spoof', () => {
    const at = verifyPair(evidence('IMG1', CARD), evidence('IMG2', SELFIE, 0.5));
    const under = verifyPair(evidence('IMG1', CARD), evidence('IMG2', SELFIE, 0.4999));
    expect([at.liveness?.decision, under.liveness?.decision]).toEqual(['LIVE', 'SPOOF']);
  });
});
