// `pnpm --filter @deepface/bench bench:refusals`: what a refused image costs the engine, the figures behind the
// README's cost model. In one process, as one pool worker runs it (the engine's own config, one onnx thread):
// CPU time (all threads: JS, onnxruntime, libvips) of decoding and of the examination Verify runs on each image
// (cascade detection, role evidence, main face), for images with a face and for the worst refused ones, 40-MP
// images without a face, the largest the gateway and the engine accept. Medians of several runs.
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { createEngine, decodedEvidence, decodeImage } from '@deepface/engine';
import { cpuMsSince, inProcessEngine } from './in-process';
import { inputs } from './engine-process';

const { init: INIT, limits: LIMITS } = inProcessEngine();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MiB = 1024 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** A wall-like scene without a face: a gradient with mild noise (noise makes JPEG and PNG data dearer to decode). */
function scene(width: number, height: number, noise: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = noise ? ((seed >> 16) % noise) - noise / 2 : 0;
      const i = (y * width + x) * 3;
      raw[i] = Math.round((x * 200) / width + 30 + n);
      raw[i + 1] = Math.round((y * 180) / height + 40 + n);
      raw[i + 2] = 150 + n;
    }
  }
  return raw;
}

async function jpegUnder(raw: Buffer, width: number, height: number, maxBytes: number): Promise<Buffer> {
  for (const quality of [92, 85, 75, 60]) {
    const out = await sharp(raw, { raw: { width, height, channels: 3 } })
      .jpeg({ quality })
      .toBuffer();
    if (out.length <= maxBytes) return out;
  }
  throw new Error('no JPEG quality fits');
}

async function main(): Promise<void> {
  const engine = await createEngine(INIT);
  const ctx = engine.context;
  const i = await inputs();
  const [W, H] = [7300, 5479]; // 40.0 MP: IMAGE_MAX_PIXELS and ENGINE_MAX_IMAGE_PIXELS
  process.stdout.write('building the 40-MP images…\n');
  const smooth = scene(W, H, 0);
  const noisy = scene(W, H, 12);
  const png40 = await sharp(smooth, { raw: { width: W, height: H, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toBuffer();
  const jpeg40 = await jpegUnder(noisy, W, H, 5 * MiB);
  const wall2 = await jpegUnder(scene(1600, 1200, 12), 1600, 1200, 5 * MiB);
  const cases: Array<[string, Buffer]> = [
    ['selfie with a face, 1080×1440 JPEG', i.selfie],
    ['ID card photo, 1600×1200 JPEG', i.document],
    ['no face, 1600×1200 JPEG', wall2],
    [`no face, 40 MP JPEG (${(jpeg40.length / MiB).toFixed(1)} MiB)`, jpeg40],
    [`no face, 40 MP PNG (${(png40.length / MiB).toFixed(1)} MiB)`, png40],
  ];

  process.stdout.write(
    `\nengine ${engine.backend.name}, 1 onnx thread; CPU ms per image (median of ${RUNS}); ` +
      'examine = what Verify runs per image after decoding\n',
  );
  process.stdout.write(
    `${'image'.padEnd(38)} ${'decode'.padStart(7)} ${'examine'.padStart(8)} ${'total'.padStart(6)} ${'wall'.padStart(6)}  outcome\n`,
  );
  for (const [name, bytes] of cases) {
    const decode: number[] = [];
    const examine: number[] = [];
    const wall: number[] = [];
    let outcome = '';
    for (let run = 0; run <= RUNS; run++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const decoded = await decodeImage(bytes, LIMITS);
      const c1 = process.cpuUsage();
      const d = cpuMsSince(c0);
      const evidence = await decodedEvidence(ctx, { ref: 'IMG1', roles: true, quality: true }, decoded);
      const e = cpuMsSince(c1);
      if (run === 0) continue; // warm-up
      decode.push(d);
      examine.push(e);
      wall.push(performance.now() - t0);
      outcome = evidence.failure ? `refused ${evidence.failure.error.reason}` : 'face found';
    }
    const [md, me] = [median(decode), median(examine)];
    process.stdout.write(
      `${name.padEnd(38)} ${md.toFixed(0).padStart(7)} ${me.toFixed(0).padStart(8)} ${(md + me).toFixed(0).padStart(6)} ${median(wall).toFixed(0).padStart(6)}  ${outcome}\n`,
    );
  }

  // JPEG shrink-on-load: libjpeg decodes at 1/2, 1/4 or 1/8 scale when the pipeline resizes (sharp's default).
  const full: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const c0 = process.cpuUsage();
    await sharp(jpeg40).raw().toBuffer();
    if (run > 0) full.push(cpuMsSince(c0));
  }
  process.stdout.write(
    `\n40 MP JPEG decoded in full (no shrink-on-load), for comparison: ${median(full).toFixed(0)} ms CPU\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
