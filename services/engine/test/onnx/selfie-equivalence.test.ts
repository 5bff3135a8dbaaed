/** @jest-environment ./test/onnx/ort-environment.js */
// The exported selfie segmentation (tools/onnx-export/exporters/selfie-segmentation.ts) on onnxruntime against
// human-models' tfjs graph model on wasm, on the inputs document/selfie-segmentation.ts builds from real fixtures:
// the same person probabilities, pixel for pixel. And through the Nets of both backends.
import * as path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { facesDir } from '@deepface/fixtures';
import { initBackend } from '../../src/inference/backends/index';
import { OnnxNets } from '../../src/inference/backends/onnx/nets';
import { loadOrt } from '../../src/inference/backends/onnx/runtime';
import { TfjsNets } from '../../src/inference/backends/tfjs/nets';
import { segmentPerson } from '../../src/inference/document/selfie-segmentation';
import { HUMAN_MODEL_DIR, loadGraphModelFromDisk } from '../../src/inference/models';
import { resizeBilinear } from '../../src/inference/pixels/resize-bilinear';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';
import { EXPORTERS } from '../../tools/onnx-export/exporters/index';

// Forty layers of float rounding apart (ORT fuses and reorders): about 1.5e-4 at most on the fixtures.
const PROBABILITY = 1e-3;
const FIXTURES = facesDir();
const FILES = ['scenes/bbt1.jpg', 'scenes/sample2.jpg', 'emotions/happy.jpg'];

const images: { name: string; image: RgbImage }[] = [];
let session: ort.InferenceSession;
let model: tf.GraphModel;

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

beforeAll(async () => {
  await initBackend('wasm');
  const exporter = EXPORTERS.selfie;
  session = await ort.InferenceSession.create(exporter.export(exporter.modelDir), { intraOpNumThreads: 1 });
  model = await loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'selfie');
  for (const name of FILES) {
    const { data, info } = await sharp(path.join(FIXTURES, name))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    images.push({ name, image: { rgb: new Uint8Array(data), width: info.width, height: info.height } });
  }
}, 300_000);

afterAll(async () => {
  model.dispose();
  await session.release();
});

describe('selfie segmentation on onnxruntime', () => {
  it('gives the tfjs model’s person probabilities on real images', async () => {
    let worst = 0;
    for (const { name, image } of images) {
      const input = resizeBilinear(image.rgb, image.width, image.height, 256, 256).map((v) => v / 255);
      const want = tf.tidy(() => model.predict(tf.tensor4d(input, [1, 256, 256, 3])) as tf.Tensor);
      const expected = (await want.data()) as Float32Array;
      want.dispose();
      const out = await session.run({ input: new ort.Tensor('float32', input, [1, 256, 256, 3]) });
      expect(out.mask?.dims).toEqual([1, 256, 256, 1]);
      const d = maxAbs(out.mask?.data as Float32Array, expected);
      // A mask that is not all background: the comparison reads a person.
      expect(Math.max(...expected)).toBeGreaterThan(0.5);
      if (d > PROBABILITY) throw new Error(`${name}: max abs diff ${d}`);
      worst = Math.max(worst, d);
    }
    console.log(`selfie segmentation onnx vs tfjs: max abs diff ${worst}`);
    expect(worst).toBeLessThanOrEqual(PROBABILITY);
  });

  it('through both backends’ Nets: the same mask', async () => {
    const loaded = loadOrt();
    if ('error' in loaded) throw loaded.error;
    const onnx = await OnnxNets.create(loaded.ort, { intraOpThreads: 1, preferCuda: false });
    const tfjs = await TfjsNets.load();
    try {
      const image = images[0]?.image as RgbImage;
      const before = tf.memory().numTensors;
      const a = await segmentPerson(onnx, image);
      expect(tf.memory().numTensors).toBe(before);
      const b = await segmentPerson(tfjs, image);
      expect(tf.memory().numTensors).toBe(before);
      expect(a.size).toBe(256);
      expect(a.data).toHaveLength(256 * 256);
      expect(maxAbs(a.data, b.data)).toBeLessThanOrEqual(PROBABILITY);
    } finally {
      await onnx.release();
    }
  });
});
