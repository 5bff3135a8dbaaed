// Profiling aid: `pnpm --filter @deepface/bench exec tsx src/profile-analyze.ts [calls]`: Analyze (all four
// actions) on the benchmark's group photo and selfie in-process on one onnx thread (no gRPC, no pool): per image,
// wall p50, CPU per call and the stage p50s; then the decode alone (sharp's part of it). CPU time counts every
// thread of the process (libvips' too) and is less inflated than wall time on a busy machine. For a profile:
// `node --cpu-prof --import tsx src/profile-analyze.ts`. `--json` prints each image's Analyze output instead (to
// compare outputs before and after a change: timings left out).
import { createEngine, decodeImage } from '@deepface/engine';
import { cpuMsSince, inProcessEngine } from './in-process';
import { inputs } from './engine-process';
import { fmt, percentile } from './metrics';

const { init: INIT, limits: LIMITS } = inProcessEngine();

const ACTIONS = ['AGE', 'GENDER', 'RACE', 'EMOTION'] as const;

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const n = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 30);
  const engine = await createEngine(INIT);
  const i = await inputs();
  const images = [
    ['group', i.scene],
    ['selfie', i.selfie],
  ] as const;
  const analyze = async (image: Uint8Array) => {
    const out = await engine.run({ op: 'analyze', image, actions: [...ACTIONS] });
    if (!out.ok) throw new Error(JSON.stringify(out.error));
    return out.value;
  };
  if (json) {
    for (const [name, image] of images) {
      const { timings: _, ...rest } = await analyze(image);
      console.log(JSON.stringify({ name, ...rest }));
    }
    return;
  }
  // Each network's wall time (its session run and the output's read-out), summed per call.
  const netMs: Record<string, number> = {};
  const nets = engine.context.nets as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of [
    'ssdMobilenetv1Detect',
    'tinyFaceDetect',
    'landmarks',
    'ageGender',
    'expressions',
    'race',
  ]) {
    const original = nets[name]?.bind(nets);
    if (!original) continue;
    nets[name] = async (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return await original(...args);
      } finally {
        netMs[name] = (netMs[name] ?? 0) + performance.now() - t0;
      }
    };
  }
  for (const [, image] of images) for (let k = 0; k < 3; k++) await analyze(image);
  for (const [name, image] of images) {
    const per: Record<string, number[]> = {};
    for (const key of Object.keys(netMs)) delete netMs[key];
    const walls: number[] = [];
    let faces = 0;
    const cpuA = process.cpuUsage();
    for (let k = 0; k < n; k++) {
      const s = performance.now();
      const out = await analyze(image);
      walls.push(performance.now() - s);
      faces = out.faces?.length ?? 0;
      for (const [key, v] of Object.entries(out.timings ?? {})) (per[key] ??= []).push(Number(v));
    }
    const cpu = cpuMsSince(cpuA) / n;
    console.log(
      `${name} (${faces} faces): wall p50 ${fmt(percentile(walls, 50), 1)} ms, CPU ${fmt(cpu, 1)} ms per call ` +
        `(${fmt(cpu / Math.max(1, faces), 1)} per face); stage p50 ms:`,
    );
    console.log(
      '  ' +
        Object.entries(per)
          .filter(([k, v]) => k !== 'total_ms' && percentile(v, 50) > 0)
          .map(([k, v]) => `${k.replace('_ms', '')} ${fmt(percentile(v, 50), 1)}`)
          .join(', '),
    );
    console.log(
      '  nets mean ms: ' +
        Object.entries(netMs)
          .map(([k, v]) => `${k} ${fmt(v / n, 1)}`)
          .join(', '),
    );
  }
  // The decode alone: libvips' share of the decode stage (its threads count in the CPU figure).
  for (const [name, image] of images) {
    const walls: number[] = [];
    const cpuA = process.cpuUsage();
    for (let k = 0; k < n; k++) {
      const s = performance.now();
      await decodeImage(image, LIMITS);
      walls.push(performance.now() - s);
    }
    const cpu = cpuMsSince(cpuA) / n;
    console.log(`decode ${name}: wall p50 ${fmt(percentile(walls, 50), 1)} ms, CPU ${fmt(cpu, 1)} ms`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
