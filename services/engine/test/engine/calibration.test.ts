import { confidence, LABEL_CUTS, resemblance, similarity, THRESHOLD } from '../../src/inference/calibration';
import { toPercentages } from '../../src/inference/attributes';

describe('calibration', () => {
  it('similarity falls monotonically from 100 to 0 and is 75 at the threshold', () => {
    let last = Infinity;
    for (let d = 0; d <= 1.2; d += 0.005) {
      const s = similarity(d);
      expect(s).toBeLessThanOrEqual(last);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(100);
      last = s;
    }
    expect(similarity(0)).toBe(100);
    expect(similarity(THRESHOLD)).toBe(75);
    expect(similarity(2)).toBe(0);
  });

  it('very_high exactly when the faces are the same person, whatever the rounding', () => {
    for (let d = THRESHOLD - 0.01; d <= THRESHOLD + 0.01; d += 0.0001) {
      const r = resemblance(d);
      expect(r.label === 'VERY_HIGH').toBe(r.same);
      expect(r.same).toBe(d <= THRESHOLD);
    }
    expect(resemblance(0.75).label).toBe('MEDIUM');
    expect(resemblance(0.65).label).toBe('HIGH');
    expect(resemblance(1.1)).toMatchObject({ label: 'LOW', similarity: 0, same: false });
    expect(LABEL_CUTS.map((c) => c.label)).toEqual(['VERY_HIGH', 'HIGH', 'MEDIUM', 'LOW']);
  });

  it('confidence is 50 at the threshold, near 100 for identical faces and near 0 far beyond', () => {
    expect(confidence(THRESHOLD)).toBe(50);
    expect(confidence(0)).toBeGreaterThan(99.9);
    expect(confidence(1.06)).toBeLessThan(0.01);
    expect(confidence(0.5, 0.45)).toBeLessThan(50);
  });

  it('percentages sum to exactly 100 with two decimals', () => {
    const p = toPercentages(['a', 'b', 'c'], [1, 1, 1]);
    expect(p.reduce((s, x) => s + Math.round(Number(x.percent) * 100), 0)).toBe(10000);
    expect(p.map((x) => x.percent)).toEqual([33.34, 33.33, 33.33]);
  });
});
