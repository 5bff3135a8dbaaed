// `pnpm eval`: the accuracy figures behind the engine's calibrated decisions (README "Thresholds").
// Prints; never fails the build. Runs the engine in-process, on the backend ENGINE_BACKEND selects (auto).
import { createEngine } from '@deepface/engine';
import { evalEmotions } from './eval-emotions';
import { evalPairs } from './eval-pairs';
import { evalKyc, evalMultiFace, evalRoles } from './eval-roles';
import { verificationPairs } from '@deepface/fixtures';

async function main(): Promise<void> {
  const only = new Set(process.argv.slice(2));
  const want = (section: string): boolean => only.size === 0 || only.has(section);
  const engine = await createEngine({
    backend: (process.env.ENGINE_BACKEND as 'auto' | undefined) ?? 'auto',
    maxImagePixels: 40e6,
    detectMaxSide: 640,
    workMaxSide: 1600,
    logLevel: 'warn',
  });
  console.log(
    `# DeepFace engine evaluation — backend ${engine.backend.name}${engine.backend.note ? ` (${engine.backend.note})` : ''}`,
  );
  if (want('pairs')) await evalPairs(engine);
  if (want('emotions')) await evalEmotions(engine);
  if (want('roles')) await evalRoles(engine);
  if (want('multi')) await evalMultiFace(engine);
  if (want('kyc')) await evalKyc(engine, await verificationPairs(60, 23));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
