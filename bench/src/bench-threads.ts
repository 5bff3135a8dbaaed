// `pnpm --filter @deepface/bench bench:threads [workers]`: where a verification's CPU goes, per thread group of
// the engine process (inference workers, gRPC main thread, libuv, libvips, V8 platform), under load.
// It explains the 2-worker scaling figure: what runs outside the inference workers competes for the same cores.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadEngineProto, type FaceEngineClient } from '@deepface/proto';
import { makeDocument, makeSelfie } from '@deepface/fixtures';

const ENGINE_MAIN = path.resolve(__dirname, '..', '..', 'services', 'engine', 'dist', 'main.js');

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
  const workers = process.argv[2] ?? '1';
  const port = '50997';
  const child = spawn(process.execPath, ['--single-threaded-gc', ENGINE_MAIN], {
    env: {
      ...process.env,
      ENGINE_PORT: port,
      ENGINE_HOST: '127.0.0.1',
      ENGINE_WORKERS: workers,
      LOG_LEVEL: 'warn',
    },
    stdio: 'inherit',
  });
  const { FaceEngine } = loadEngineProto();
  const client: FaceEngineClient = new FaceEngine(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const document = (
    await makeDocument({
      seed: 101,
      person: 'leonard',
      photoIndex: 1,
      layout: 'id1-left-mrz',
      capture: 'desk-wood',
      portrait: 'colour',
      plan: { frameWidth: 1600, frameHeight: 1200, cardWidth: 1000, rotation: 3, blur: 0 },
    })
  ).buffer;
  const selfie = (
    await makeSelfie({
      seed: 102,
      person: 'leonard',
      photoIndex: 3,
      background: 'indoor',
      width: 1080,
      height: 1440,
      faceFraction: 0.4,
    })
  ).buffer;
  const verify = (): Promise<void> =>
    new Promise((resolve, reject) =>
      client.Verify({ img1: document, img2: selfie }, (e) => (e ? reject(e) : resolve())),
    );
  for (;;) {
    try {
      await verify();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  for (let i = 0; i < 5; i++) await verify();
  const pid = child.pid ?? 0;
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
  const rest = rows.reduce((a, r) => a + r.ms, 0) - top * Number(workers);
  console.log(`busiest thread ${top.toFixed(0)} ms; everything else ${rest.toFixed(0)} ms per verification`);
  child.kill('SIGTERM');
  client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
