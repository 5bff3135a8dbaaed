import * as fs from 'node:fs/promises';
import { people } from '@deepface/fixtures';
import { THRESHOLD } from '../../src/inference/calibration';
import { ok, testEngine } from '../support/engine';

// A fixed sample of the identity pairs (the evaluation runs all 780): each person's first photo against their
// third (same person), and against the next person's first (different people).
describe('Compare on the fixture identities', () => {
  beforeAll(async () => {
    await testEngine();
  });

  const list = people();

  it.each(list.map((p, i) => [p.name, list[(i + 1) % list.length]?.name ?? '']))(
    '%s: same person matches, %s does not',
    async (name, other) => {
      const me = list.find((p) => p.name === name);
      const them = list.find((p) => p.name === other);
      if (!me?.paths[0] || !me.paths[2] || !them?.paths[0]) throw new Error('fixture photos missing');
      const [a, b, c] = await Promise.all(
        [me.paths[0], me.paths[2], them.paths[0]].map(async (f) => new Uint8Array(await fs.readFile(f))),
      );
      const same = await ok({ op: 'compare', img1: a!, img2: b! });
      const diff = await ok({ op: 'compare', img1: a!, img2: c! });
      expect(same.same_person).toBe(true);
      expect(Number(same.distance)).toBeLessThanOrEqual(THRESHOLD);
      expect(same.label).toBe('VERY_HIGH');
      expect(diff.same_person).toBe(false);
      expect(Number(diff.distance)).toBeGreaterThan(THRESHOLD);
      expect(diff.label).not.toBe('VERY_HIGH');
      expect(Number(same.similarity)).toBeGreaterThan(Number(diff.similarity));
    },
  );
});
