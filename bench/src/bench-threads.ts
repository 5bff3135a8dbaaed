// `pnpm --filter @deepface/bench bench:threads [workers]`: where a verification's CPU goes, per thread group of
// the engine process (inference workers, gRPC main thread, libuv, libvips, V8 platform), under load.
// It explains the 2-worker scaling figure: what runs outside the inference workers competes for the same cores.
import * as fs from 'node:fs';
import { call, inputs, startEngine, type Unary } from './engine-process';

/** CPU ticks (1/100 s) per thread of a process, by thread id. */
function threadTicks(pid: number): Map<string, { name: string; ticks: number }> {
  const out = new Map<string, { name: string; ticks: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return out;
}

async function main(): Promise<void> {
  const workers = Number(process.argv[2] ?? 1);
  const engine = await startEngine(workers);
  const i = await inputs();
  const method = engine.client.Verify.bind(engine.client) as Unary<object, object>;
  const verify = (): Promise<object> => call(method, engine.client, { img1: i.document, img2: i.selfie });
  for (let k = 0; k < 5; k++) await verify();
  const pid = engine.child.pid ?? 0;
  const before = threadTicks(pid);
  const t0 = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() - t0 < 10_000) {
        await verify();
        n++;
      }
    }),
  );
  const after = threadTicks(pid);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `# CPU per verification by thread (${workers} worker(s), 4 in flight): ${(n / seconds).toFixed(2)} verifications/s`,
  );
  const rows = [...after].map(([tid, a]) => ({
    tid,
    name: a.name,
    ms: ((a.ticks - (before.get(tid)?.ticks ?? 0)) * 10) / n,
  }));
  for (const r of rows.filter((x) => x.ms > 0.5).sort((a, b) => b.ms - a.ms))
    console.log(`${r.name.padEnd(16)} #${r.tid.padEnd(8)} ${r.ms.toFixed(1).padStart(6)} ms`);
  const top = Math.max(...rows.map((r) => r.ms));
  const rest = rows.reduce((a, r) => a + r.ms, 0) - top * workers;
  console.log(`busiest thread ${top.toFixed(0)} ms; everything else ${rest.toFixed(0)} ms per verification`);
  await engine.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
