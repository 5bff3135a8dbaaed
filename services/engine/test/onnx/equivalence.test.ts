/** @jest-environment ./test/onnx/ort-environment.js */
// The exported ONNX graphs (tools/onnx-export) against the tfjs reference on wasm — the engine's own forward pass or
// face-api itself — on the same input tensors built from real faces of the shared fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { facesDir } from '@deepface/fixtures';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { initBackend } from '../../src/inference/backends/index';
import { addLandmarks, asFaceApiTensor, type Face } from '../../src/inference/detect';
import { locateFaces } from '../../src/inference/detection';
import { TfjsNets } from '../../src/inference/backends/tfjs/nets';
import {
  faceDescriptors,
  faceRecognitionNetParams,
} from '../../src/inference/backends/tfjs/face-recognition-net';
import { alignedChips, chipGeometry, euclidean, type ChipGeometry } from '../../src/inference/recognize';
import { EXPORTERS, type OnnxModelName } from '../../tools/onnx-export/exporters/index';
import { toCropPoints } from '../../src/inference/backends/onnx/outputs';
import { presentationCrop } from '../../src/inference/liveness';

const FIXTURES = facesDir();
const DESCRIPTOR_DISTANCE = 0.01;
const LANDMARK_PX_AT_112 = 1;
const AGE_YEARS = 0.5;
const PROBABILITY = 0.01;

const fixtureFiles = [
  ...fs.readdirSync(path.join(FIXTURES, 'emotions')).map((f) => path.join(FIXTURES, 'emotions', f)),
  path.join(FIXTURES, 'scenes', 'bbt1.jpg'),
  path.join(FIXTURES, 'scenes', 'sample2.jpg'),
].sort();

interface Fixture {
  name: string;
  image: tf.Tensor3D;
  faces: Face[];
}

const fixtures: Fixture[] = [];
let models: TfjsNets;
const sessions = new Map<OnnxModelName, ort.InferenceSession>();

async function session(name: OnnxModelName): Promise<ort.InferenceSession> {
  let s = sessions.get(name);
  if (!s) {
    const exporter = EXPORTERS[name];
    s = await ort.InferenceSession.create(exporter.export(exporter.modelDir), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
    sessions.set(name, s);
  }
  return s;
}

async function runOnnx(name: OnnxModelName, input: tf.Tensor4D): Promise<Record<string, ort.Tensor>> {
  const data = (await input.data()) as Float32Array;
  const tensor = new ort.Tensor('float32', data, input.shape);
  return (await session(name)).run({ input: tensor });
}

const rows = (t: ort.Tensor, n: number): Float32Array[] => {
  const data = t.data as Float32Array;
  const size = data.length / n;
  return Array.from({ length: n }, (_, i) => data.slice(i * size, (i + 1) * size));
};
const argmax = (v: ArrayLike<number>): number =>
  Array.from(v).reduce((b, x, i, a) => (x > (a[b] ?? -Infinity) ? i : b), 0);
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number =>
  Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - (b[i] ?? NaN))), 0);

beforeAll(async () => {
  await initBackend('wasm');
  models = await TfjsNets.load();
  for (const file of fixtureFiles) {
    const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const image = tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
    const pixels = { rgb: new Uint8Array(data), width: info.width, height: info.height };
    const faces = await locateFaces(models, pixels, { mode: 'ssd-first' });
    await addLandmarks(models, image, faces);
    fixtures.push({ name: path.relative(FIXTURES, file), image, faces });
  }
  // Every fixture has a face; the scenes several.
  expect(fixtures.every((f) => f.faces.length > 0)).toBe(true);
}, 300_000);

afterAll(async () => {
  fixtures.forEach((f) => f.image.dispose());
  await Promise.all([...sessions.values()].map((s) => s.release()));
});

/** face-api's crops of the detector boxes and their NetInput (the 112 × 112 batch both backends read). */
async function cropsOf(
  f: Fixture,
  boxes: 'detector' | 'landmarks',
): Promise<{
  crops: tf.Tensor3D[];
  netInput: faceapi.NetInput;
  batch: tf.Tensor4D;
}> {
  const rects = f.faces.map((face) => {
    if (boxes === 'detector') return new faceapi.Rect(face.box.x, face.box.y, face.box.w, face.box.h);
    // As attributes.ts: the landmarks' bounding box grown by 20 %.
    const xs = (face.landmarks ?? []).map((p) => p.x);
    const ys = (face.landmarks ?? []).map((p) => p.y);
    const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
    const [w, h] = [Math.max(...xs) - x0, Math.max(...ys) - y0];
    return new faceapi.Rect(x0 - 0.1 * w, y0 - 0.1 * h, 1.2 * w, 1.2 * h);
  });
  const crops = (await faceapi.extractFaceTensors(
    asFaceApiTensor(f.image),
    rects,
  )) as unknown as tf.Tensor3D[];
  const netInput = await faceapi.toNetInput(crops);
  const batch = netInput.toBatchTensor(112, true) as unknown as tf.Tensor4D;
  return { crops, netInput, batch };
}

function release(c: { crops: tf.Tensor3D[]; batch: tf.Tensor4D }): void {
  c.crops.forEach((t) => t.dispose());
  c.batch.dispose();
}

const faceCount = (): number => fixtures.reduce((n, f) => n + f.faces.length, 0);

const worst = {
  descriptor: 0,
  landmarkPx: 0,
  age: 0,
  gender: 0,
  expression: 0,
  race: 0,
  antispoof: 0,
  liveness: 0,
};
afterAll(() => {
  // The gaps achieved, for the record (the tolerances above are the contract).
  console.log(`onnx vs tfjs, largest gaps: ${JSON.stringify(worst)}`);
});

describe('onnx exports match the tfjs reference on the fixtures', () => {
  it(`faceRecognitionNet: descriptor distance < ${DESCRIPTOR_DISTANCE}`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const geometries = f.faces.map(chipGeometry).filter((g): g is ChipGeometry => g !== undefined);
      const chips = alignedChips(f.image, geometries, true);
      try {
        const reference = await faceDescriptors(chips, faceRecognitionNetParams());
        const out = await runOnnx('faceRecognitionNet', chips);
        const ours = rows(out.descriptors!, geometries.length);
        reference.forEach((d, i) => {
          const distance = euclidean(d, ours[i]!);
          worst.descriptor = Math.max(worst.descriptor, distance);
          expect(distance).toBeLessThan(DESCRIPTOR_DISTANCE);
          count++;
        });
      } finally {
        chips.dispose();
      }
    }
    expect(count).toBe(faceCount());
  });

  it(`faceLandmark68Net: every point within ${LANDMARK_PX_AT_112} px at the 112 px input`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const c = await cropsOf(f, 'detector');
      try {
        const reference = await faceapi.nets.faceLandmark68Net.detectLandmarks(c.netInput);
        const refs = Array.isArray(reference) ? reference : [reference];
        count += refs.length;
        const ours = rows((await runOnnx('faceLandmark68Net', c.batch)).landmarks!, c.crops.length);
        refs.forEach((lm, i) => {
          const [height, width] = c.crops[i]!.shape;
          const toInput = 112 / Math.max(width, height);
          const points = toCropPoints(ours[i]!, width, height);
          expect(lm.positions).toHaveLength(68);
          lm.positions.forEach((p, j) => {
            const q = points[j]!;
            const gap = Math.hypot(p.x - q.x, p.y - q.y) * toInput;
            worst.landmarkPx = Math.max(worst.landmarkPx, gap);
            expect(gap).toBeLessThan(LANDMARK_PX_AT_112);
          });
        });
      } finally {
        release(c);
      }
    }
    expect(count).toBe(faceCount());
  });

  it(`ageGenderNet: age within ${AGE_YEARS} year, gender probabilities within ${PROBABILITY}, same gender`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const c = await cropsOf(f, 'landmarks');
      try {
        const reference = faceapi.nets.ageGenderNet.forwardInput(c.netInput);
        const refAge = (await reference.age.data()) as Float32Array;
        const refGender = (await reference.gender.data()) as Float32Array;
        reference.age.dispose();
        reference.gender.dispose();
        const out = await runOnnx('ageGenderNet', c.batch);
        const age = out.age!.data as Float32Array;
        const gender = rows(out.gender!, c.crops.length);
        count += gender.length;
        gender.forEach((g, i) => {
          const ref = refGender.slice(2 * i, 2 * i + 2);
          worst.age = Math.max(worst.age, Math.abs(age[i]! - refAge[i]!));
          worst.gender = Math.max(worst.gender, maxAbs(g, ref));
          expect(Math.abs(age[i]! - refAge[i]!)).toBeLessThan(AGE_YEARS);
          expect(maxAbs(g, ref)).toBeLessThan(PROBABILITY);
          expect(argmax(g)).toBe(argmax(ref));
        });
      } finally {
        release(c);
      }
    }
    expect(count).toBe(faceCount());
  });

  it(`faceExpressionNet: probabilities within ${PROBABILITY}, same dominant expression`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const c = await cropsOf(f, 'landmarks');
      try {
        const reference = faceapi.nets.faceExpressionNet.forwardInput(c.netInput);
        const ref = rows(new ort.Tensor('float32', (await reference.data()) as Float32Array), c.crops.length);
        reference.dispose();
        const ours = rows((await runOnnx('faceExpressionNet', c.batch)).expressions!, c.crops.length);
        count += ours.length;
        ours.forEach((p, i) => {
          worst.expression = Math.max(worst.expression, maxAbs(p, ref[i]!));
          expect(maxAbs(p, ref[i]!)).toBeLessThan(PROBABILITY);
          expect(argmax(p)).toBe(argmax(ref[i]!));
        });
      } finally {
        release(c);
      }
    }
    expect(count).toBe(faceCount());
  });

  it(`gear race head: probabilities within ${PROBABILITY}, same dominant race`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const [h, w] = f.image.shape;
      const boxes = f.faces.map((face) => [
        face.box.y / h,
        face.box.x / w,
        (face.box.y + face.box.h) / h,
        (face.box.x + face.box.w) / w,
      ]);
      const input = tf.tidy(() =>
        tf.div<tf.Tensor4D>(
          tf.image.cropAndResize(
            tf.expandDims<tf.Tensor4D>(tf.cast(f.image, 'float32'), 0),
            boxes,
            boxes.map(() => 0),
            [198, 198],
          ),
          255,
        ),
      );
      try {
        const race = models.gear.execute(input, 'race_output') as tf.Tensor2D;
        const ref = rows(new ort.Tensor('float32', (await race.data()) as Float32Array), boxes.length);
        race.dispose();
        const ours = rows((await runOnnx('gear', input)).race_output!, boxes.length);
        count += ours.length;
        ours.forEach((p, i) => {
          worst.race = Math.max(worst.race, maxAbs(p, ref[i]!));
          expect(maxAbs(p, ref[i]!)).toBeLessThan(PROBABILITY);
          expect(argmax(p)).toBe(argmax(ref[i]!));
        });
      } finally {
        input.dispose();
      }
    }
    expect(count).toBe(faceCount());
  });

  it(`antispoof and liveness: probabilities within ${PROBABILITY} on the crops liveness.ts feeds them`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const [h, w] = f.image.shape;
      const boxes = f.faces.map((face) => {
        const c = presentationCrop(face);
        return [c.y / h, c.x / w, (c.y + c.h) / h, (c.x + c.w) / w];
      });
      const crop = (size: number): tf.Tensor4D =>
        tf.tidy(() =>
          tf.div<tf.Tensor4D>(
            tf.image.cropAndResize(
              tf.expandDims<tf.Tensor4D>(tf.cast(f.image, 'float32'), 0),
              boxes,
              boxes.map(() => 0),
              [size, size],
            ),
            255,
          ),
        );
      const big = crop(128);
      const small = crop(32);
      try {
        const real = await models.antispoof(big);
        const live = await models.liveness(small);
        const ours = rows((await runOnnx('antispoof', big)).real!, boxes.length);
        const oursLive = rows((await runOnnx('liveness', small)).live!, boxes.length);
        count += ours.length;
        ours.forEach((p, i) => {
          const gap = Math.abs((p[0] ?? NaN) - (real[i] ?? NaN));
          worst.antispoof = Math.max(worst.antispoof, gap);
          expect(gap).toBeLessThan(PROBABILITY);
        });
        oursLive.forEach((p, i) => {
          const gap = maxAbs(p, live[i]!);
          worst.liveness = Math.max(worst.liveness, gap);
          expect(gap).toBeLessThan(PROBABILITY);
          expect(argmax(p)).toBe(argmax(live[i]!));
        });
      } finally {
        big.dispose();
        small.dispose();
      }
    }
    expect(count).toBe(faceCount());
  });
});
