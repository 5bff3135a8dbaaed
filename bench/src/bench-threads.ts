// `pnpm --filter @deepface/bench bench:threads [workers]`: where a verification's CPU goes, per thread group of
// the engine process (inference workers, gRPC main thread, libuv, libvips, V8 platform), under load.
// It explains the 2-worker scaling figure: what runs outside the inference workers competes for the same cores.
import { call, inputs, startEngine, type Unary } from './engine-process';
import { cpuPerUnit, splitCpu, threadTicks } from './thread-cpu';

async function main(): Promise<void> {
  const workers = Number(process.argv[2] ?? 1);
  const engine = await startEngine({ workers });
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
  const threads = cpuPerUnit(before, threadTicks(pid), n);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `# CPU per verification by thread (${workers} worker(s), 4 in flight): ${(n / seconds).toFixed(2)} verifications/s`,
  );
  for (const t of threads.filter((x) => x.ms > 0.5))
    console.log(`${t.name.padEnd(16)} #${t.tid.padEnd(8)} ${t.ms.toFixed(1).padStart(6)} ms`);
  const { inference, other } = splitCpu(threads, workers);
  console.log(
    `inference workers ${inference.toFixed(0)} ms; everything else ${other.toFixed(0)} ms per verification`,
  );
  await engine.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
