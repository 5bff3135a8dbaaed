// The plain face-api baseline of bench:backends: @vladmandic/face-api used as documented for Node on tfjs-wasm
// (SIMD, one thread: tfjs-backend-wasm has no threads in Node), with none of the engine's changes: SSD MobileNet v1
// (face-api's default options), the 68-point landmarks and the 128-d descriptor of the best face of each image, then
// the Euclidean distance. Per pair, one pair at a time, in process: decoding both photos (sharp to raw RGB, as
// there is no tfjs-node here) and both examinations. It runs in a worker thread, so its tfjs heap goes when it ends.
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { Inputs } from './engine-process';
import { percentile } from './metrics';

export interface PlainFigures {
  pairs: number;
  /** Wall ms per pair: decoding and examining both photos. */
  p50: number;
  p95: number;
  /** The decoding's share of the pair (ms, p50). */
  decodeP50: number;
  /** Descriptor distance of the pair and whether each photo gave a face (a sanity check, not a figure). */
  distance: number;
  faces: [boolean, boolean];
  simd: boolean;
}

interface Job {
  role: 'plain-face-api';
  document: Uint8Array;
  selfie: Uint8Array;
  pairs: number;
  warmup: number;
}

async function baseline(job: Job): Promise<PlainFigures> {
  const faceapi = await import('@vladmandic/face-api/dist/face-api.node-wasm.js');
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  // The tfjs module face-api's node-wasm build requires (one copy in the workspace).
  const tf = await import('@tensorflow/tfjs');
  // The package's own .wasm files from disk (face-api's README points at a CDN; the machine may have no internet).
  setWasmPaths(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) +
      path.sep,
  );
  await tf.setBackend('wasm');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs runs on ${tf.getBackend()}, not wasm`);
  const model = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await Promise.all([
    faceapi.nets.ssdMobilenetv1.loadFromDisk(model),
    faceapi.nets.faceLandmark68Net.loadFromDisk(model),
    faceapi.nets.faceRecognitionNet.loadFromDisk(model),
  ]);
  const photos = [Buffer.from(job.document), Buffer.from(job.selfie)];
  const options = new faceapi.SsdMobilenetv1Options();

  const decode = async (jpeg: Buffer) => {
    const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return tf.tensor3d(data, [info.height, info.width, 3], 'int32');
  };
  const pair = async () => {
    const t0 = performance.now();
    const images = await Promise.all(photos.map(decode));
    const decodeMs = performance.now() - t0;
    const found = [];
    for (const image of images) {
      found.push(await faceapi.detectSingleFace(image, options).withFaceLandmarks().withFaceDescriptor());
      image.dispose();
    }
    const [a, b] = found;
    const distance = a && b ? faceapi.euclideanDistance(a.descriptor, b.descriptor) : NaN;
    return { ms: performance.now() - t0, decodeMs, distance, faces: [!!a, !!b] as [boolean, boolean] };
  };

  for (let k = 0; k < job.warmup; k++) await pair();
  const runs = [];
  for (let k = 0; k < job.pairs; k++) runs.push(await pair());
  const last = runs[runs.length - 1];
  return {
    pairs: runs.length,
    p50: percentile(
      runs.map((r) => r.ms),
      50,
    ),
    p95: percentile(
      runs.map((r) => r.ms),
      95,
    ),
    decodeP50: percentile(
      runs.map((r) => r.decodeMs),
      50,
    ),
    distance: last?.distance ?? NaN,
    faces: last?.faces ?? [false, false],
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
  };
}

/** Runs the baseline in a worker thread of this process: `pairs` timed pairs after `warmup` untimed ones. */
export async function plainFaceApi(i: Inputs, pairs: number, warmup = 2): Promise<PlainFigures> {
  const job: Job = { role: 'plain-face-api', document: i.document, selfie: i.selfie, pairs, warmup };
  // This file is TypeScript: the thread registers tsx's require hook before loading it.
  const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(__filename)});`, {
    eval: true,
    workerData: job,
  });
  try {
    return await new Promise<PlainFigures>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the face-api baseline thread exited (${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}

if (!isMainThread && (workerData as Partial<Job> | null)?.role === 'plain-face-api') {
  baseline(workerData as Job).then(
    (figures) => parentPort?.postMessage(figures),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
