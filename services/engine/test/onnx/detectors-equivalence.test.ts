// The exported detectors (tools/onnx-export/exporters/ssd-mobilenet.ts, tiny-face-detector.ts) on onnxruntime against the
// engine's tfjs forward passes on wasm (src/inference/backends/tfjs), on the same decoded fixtures: the same faces, boxes within
// 1 px, scores within 0.01, at every input size the engine uses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { facesDir } from '@deepface/fixtures';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { initBackend } from '../../src/inference/backends/index';
import { FACE_API_MODEL_DIR } from '../../src/inference/models';
import type { Detection } from '../../src/inference/backends/tfjs/common';
import { ssdMobilenetv1Detect, ssdMobilenetv1Params } from '../../src/inference/backends/tfjs/ssd-mobilenet';
import { tinyFaceDetect, tinyFaceDetectorParams } from '../../src/inference/backends/tfjs/tiny-face-detector';
import { decodeImage } from '../../src/inference/image/decode';
import { OnnxNets } from '../../src/inference/backends/onnx/nets';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';
import { loadOrt } from '../../src/inference/backends/onnx/runtime';

const BOX_PX = 1;
const SCORE = 0.01;
const FIXTURES = facesDir();
const scenes = fs
  .readdirSync(path.join(FIXTURES, 'scenes'))
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .map((f) => path.join('scenes', f));
// bbt1.jpg is the multi-face group photo; the emotion crops are single tight faces.
const SOURCES = [...scenes, 'emotions/happy.jpg', 'emotions/surprised.jpg'];

// The tfjs nets read a tensor, the onnx backend the same pixels (its inputs built in plain TypeScript).
const images = new Map<string, tf.Tensor3D>();
const pixels = new Map<string, RgbImage>();
let onnx: OnnxNets;
// The largest gaps seen, printed at the end (the README quotes them).
const largest = { box: 0, score: 0, faces: 0 };

beforeAll(async () => {
  await initBackend('wasm');
  await Promise.all([
    faceapi.nets.tinyFaceDetector.loadFromDisk(FACE_API_MODEL_DIR),
    faceapi.nets.ssdMobilenetv1.loadFromDisk(FACE_API_MODEL_DIR),
  ]);
  const loaded = loadOrt();
  if ('error' in loaded) throw loaded.error;
  onnx = await OnnxNets.create(loaded.ort, { intraOpThreads: 1, preferCuda: false });
  for (const name of SOURCES) {
    const bytes = fs.readFileSync(path.join(FIXTURES, name));
    const img = await decodeImage(bytes, { maxPixels: 40e6, workMaxSide: 1600 });
    images.set(name, tf.tensor3d(img.rgb, [img.workHeight, img.workWidth, 3], 'int32'));
    pixels.set(name, { rgb: img.rgb, width: img.workWidth, height: img.workHeight });
  }
  // A small face on a large canvas: what the 800-px tiny pass is for.
  const small = await sharp(path.join(FIXTURES, 'emotions', 'neutral.jpg'))
    .resize(60)
    .extend({ top: 500, bottom: 400, left: 700, right: 500, background: '#808080' })
    .png()
    .toBuffer();
  const img = await decodeImage(small, { maxPixels: 40e6, workMaxSide: 1600 });
  images.set('small face', tf.tensor3d(img.rgb, [img.workHeight, img.workWidth, 3], 'int32'));
  pixels.set('small face', { rgb: img.rgb, width: img.workWidth, height: img.workHeight });
}, 300_000);

afterAll(async () => {
  console.log(`onnx vs tfjs detectors, largest gaps: ${JSON.stringify(largest)}`);
  images.forEach((image) => image.dispose());
  await onnx.release();
});

/** Pairs detections in order (both sorted by score), asserting the same count; returns the largest gaps. */
function gaps(reference: Detection[], ours: Detection[]): { box: number; score: number } {
  expect(ours).toHaveLength(reference.length);
  let box = 0;
  let score = 0;
  reference.forEach((r, i) => {
    const o = ours[i] as Detection;
    box = Math.max(
      box,
      Math.abs(o.box.x - r.box.x),
      Math.abs(o.box.y - r.box.y),
      Math.abs(o.box.width - r.box.width),
      Math.abs(o.box.height - r.box.height),
    );
    score = Math.max(score, Math.abs(o.score - r.score));
  });
  largest.box = Math.max(largest.box, box);
  largest.score = Math.max(largest.score, score);
  largest.faces = Math.max(largest.faces, reference.length);
  return { box, score };
}

const image = (name: string): tf.Tensor3D => {
  const t = images.get(name);
  if (!t) throw new Error(`fixture ${name} not loaded`);
  return t;
};

const rgb = (name: string): RgbImage => {
  const p = pixels.get(name);
  if (!p) throw new Error(`fixture ${name} not loaded`);
  return p;
};

describe('SSD MobileNet v1 on onnxruntime', () => {
  it.each([...SOURCES, 'small face'])('finds the same faces as the tfjs net in %s', async (name) => {
    for (const minConfidence of [0.5, 0.3]) {
      const options = { minConfidence, maxResults: 50 };
      const reference = await ssdMobilenetv1Detect(image(name), ssdMobilenetv1Params(), options);
      const ours = await onnx.ssdMobilenetv1Detect(rgb(name), options);
      const gap = gaps(reference, ours);
      expect(gap.box).toBeLessThan(BOX_PX);
      expect(gap.score).toBeLessThan(SCORE);
    }
  });

  it('finds every face of the group photo and honours maxResults', async () => {
    const all = await onnx.ssdMobilenetv1Detect(rgb('scenes/bbt1.jpg'), { minConfidence: 0.3 });
    expect(all.length).toBeGreaterThan(2);
    const two = await onnx.ssdMobilenetv1Detect(rgb('scenes/bbt1.jpg'), {
      minConfidence: 0.3,
      maxResults: 2,
    });
    expect(two).toEqual(all.slice(0, 2));
  });
});

describe('TinyFaceDetector on onnxruntime', () => {
  it.each([...SOURCES, 'small face'])('finds the same faces as the tfjs net in %s', async (name) => {
    for (const inputSize of [416, 800]) {
      const options = { inputSize, scoreThreshold: 0.5 };
      const reference = await tinyFaceDetect(image(name), tinyFaceDetectorParams(), options);
      const ours = await onnx.tinyFaceDetect(rgb(name), options);
      const gap = gaps(reference, ours);
      expect(gap.box).toBeLessThan(BOX_PX);
      expect(gap.score).toBeLessThan(SCORE);
    }
  });

  it('leaves no tfjs tensors behind', async () => {
    const before = tf.memory().numTensors;
    await onnx.tinyFaceDetect(rgb('scenes/bbt1.jpg'));
    await onnx.ssdMobilenetv1Detect(rgb('scenes/bbt1.jpg'));
    expect(tf.memory().numTensors).toBe(before);
  });
});
