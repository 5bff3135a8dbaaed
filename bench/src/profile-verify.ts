// Profiling aid: `pnpm --filter @deepface/bench exec tsx src/profile-verify.ts [calls]`: the benchmark's document and
// selfie in-process on one onnx thread (no gRPC, no pool): each image's stage timings and CPU per image, then whole
// Verify calls. CPU time counts every thread of the process (libvips' too) and is less inflated than wall time on a
// busy machine. For a profile: `node --cpu-prof --import tsx src/profile-verify.ts`.
import { createEngine } from '@deepface/engine';
import { cpuMsSince, inProcessEngine } from './in-process';
import { inputs } from './engine-process';
import { fmt, percentile } from './metrics';

const { init: INIT } = inProcessEngine();

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 40);
  const engine = await createEngine(INIT);
  const i = await inputs();
  const task = { op: 'verify' as const, img1: i.document, img2: i.selfie };
  for (let k = 0; k < 3; k++) await engine.run(task);
  // Each image alone (the evidence task a split Verify runs): per-stage timings per role.
  for (const [name, image] of [
    ['document', i.document],
    ['selfie', i.selfie],
  ] as const) {
    const per: Record<string, number[]> = {};
    const cpuA = process.cpuUsage();
    for (let k = 0; k < n; k++) {
      const out = await engine.run({ op: 'evidence', image, ref: 'IMG1', roles: true, liveness: true });
      if (!out.ok) throw new Error(JSON.stringify(out.error));
      for (const [key, v] of Object.entries(out.value.timings ?? {})) (per[key] ??= []).push(Number(v));
    }
    console.log(`${name}: CPU ${fmt(cpuMsSince(cpuA) / n, 1)} ms per image; stage p50 ms:`);
    console.log(
      '  ' +
        Object.entries(per)
          .filter(([, v]) => percentile(v, 50) > 0)
          .map(([k, v]) => `${k.replace('_ms', '')} ${fmt(percentile(v, 50), 1)}`)
          .join(', '),
    );
  }
  const walls: number[] = [];
  const stages: Record<string, number[]> = {};
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < n; k++) {
    const s = performance.now();
    const out = await engine.run(task);
    walls.push(performance.now() - s);
    if (!out.ok) throw new Error(JSON.stringify(out.error));
    for (const [key, v] of Object.entries(out.value.timings ?? {})) (stages[key] ??= []).push(Number(v));
  }
  const cpu = cpuMsSince(cpu0) / n;
  console.log(
    `backend ${engine.backend.name}: ${n} Verify, wall p50 ${fmt(percentile(walls, 50), 1)} ms, mean ${fmt((performance.now() - t0) / n, 1)} ms, CPU ${fmt(cpu, 1)} ms per Verify`,
  );
  for (const [k, v] of Object.entries(stages))
    if (percentile(v, 50) > 0) console.log(`  ${k.padEnd(24)} p50 ${fmt(percentile(v, 50), 1)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
