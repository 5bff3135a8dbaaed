// `pnpm eval`: the accuracy figures behind the engine's calibrated decisions (README "Thresholds").
// Prints; never fails the build. Runs the engine in-process, on the backend ENGINE_BACKEND selects (auto).
import { createEngine } from '@deepface/engine';
import { evalEmotions } from './eval-emotions';
import { evalPairs, type PairDistances } from './eval-pairs';
import { fitSlope, fmt, percentile, ratesAt, pct } from './metrics';
import { calibration } from '@deepface/engine';
import { evalHardRoles, evalKyc, evalMultiFace, evalRoles } from './eval-roles';
import { evalRealWorld } from './eval-realworld';
import { evalQuality } from './eval-quality';
import { evalMrz } from './eval-mrz';
import { evalLiveness } from './eval-liveness';
import { evalAge } from './eval-age';
import { verificationPairs } from '@deepface/fixtures';

/** The figures behind calibration.ts: threshold rates on both sets, confidence slope, similarity anchors. */
function calibrate(pairs: PairDistances, kyc: PairDistances): void {
  const same = [...pairs.same, ...kyc.same];
  const diff = [...pairs.diff, ...kyc.diff];
  console.log(`\n## Calibration (identity pairs + KYC pairs: ${same.length} same, ${diff.length} different)`);
  for (const t of [0.5, 0.54, 0.56, 0.58, 0.6, 0.62, 0.65]) {
    const a = ratesAt(pairs.same, pairs.diff, t);
    const k = ratesAt(kyc.same, kyc.diff, t);
    console.log(
      `threshold ${t.toFixed(2)}  identity pairs FAR ${pct(a.far)} FRR ${pct(a.frr)}   KYC pairs FAR ${pct(k.far)} FRR ${pct(k.frr)}`,
    );
  }
  console.log(
    `confidence slope (ML fit at THRESHOLD ${calibration.THRESHOLD}): ${fmt(fitSlope(same, diff, calibration.THRESHOLD), 1)}  (in use: ${calibration.CONFIDENCE_SLOPE})`,
  );
  console.log(
    `similarity anchors from different-person distances: p5 ${fmt(percentile(diff, 5))}  p50 ${fmt(percentile(diff, 50))}  p99 ${fmt(percentile(diff, 99))}  (in use: ${calibration.SIMILARITY_ANCHORS.map(([d, s]) => `${s}@${d}`).join(' ')})`,
  );
}

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const want = (section: string): boolean => only.size === 0 || only.has(section);
  const engine = await createEngine({
    backend: (process.env.ENGINE_BACKEND as 'auto' | undefined) ?? 'auto',
    maxImagePixels: 40e6,
    workMaxSide: 1600,
    logLevel: 'warn',
  });
  console.log(
    `# DeepFace engine evaluation — backend ${engine.backend.name}${engine.backend.note ? ` (${engine.backend.note})` : ''}`,
  );
  const pairs = want('pairs') || want('calibrate') ? await evalPairs(engine) : undefined;
  if (want('emotions')) await evalEmotions(engine);
  if (want('roles')) await evalRoles(engine);
  if (want('roles-hard')) await evalHardRoles(engine);
  if (want('multi')) await evalMultiFace(engine);
  if (want('realworld')) await evalRealWorld(engine);
  if (want('quality')) await evalQuality(engine);
  if (want('mrz')) await evalMrz();
  if (want('liveness')) await evalLiveness(engine);
  if (want('age')) await evalAge(engine);
  const kyc =
    want('kyc') || want('calibrate') ? await evalKyc(engine, await verificationPairs(120, 23)) : undefined;
  if (pairs && kyc) calibrate(pairs, kyc);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
