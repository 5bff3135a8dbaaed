/** @jest-environment ./test/onnx/ort-environment.js */
// The exported ONNX graphs (tools/onnx-export) against the tfjs reference on wasm — the engine's own forward pass or
// face-api itself, through the tfjs backend — on the same input batches (inference/pixels/, which test/pixels holds
// equal to the tfjs ops they replace) built from real faces of the shared fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import * as ort from 'onnxruntime-node';
import { facesDir } from '@deepface/fixtures';
import { initBackend } from '../../src/inference/backends/index';
import type { CropSize, PixelBatch } from '../../src/inference/backends/nets';
import { addLandmarks, type Face } from '../../src/inference/detect';
import { locateFaces } from '../../src/inference/detection';
import { TfjsNets } from '../../src/inference/backends/tfjs/nets';
import { alignedChips, chipGeometry, euclidean, type ChipGeometry } from '../../src/inference/recognize';
import { EXPORTERS, type OnnxModelName } from '../../tools/onnx-export/exporters/index';
import { EXPRESSION_LABELS, toCropPoints } from '../../src/inference/backends/onnx/outputs';
import { presentationCrop } from '../../src/inference/liveness';
import { cropAndResizeBatch, type NormalisedBox } from '../../src/inference/pixels/crop-resize';
import { faceInputBatch } from '../../src/inference/pixels/face-input';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';

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
  image: RgbImage;
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

async function runOnnx(name: OnnxModelName, input: PixelBatch): Promise<Record<string, ort.Tensor>> {
  return (await session(name)).run({ input: new ort.Tensor('float32', input.data, input.shape) });
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
    const image = { rgb: new Uint8Array(data), width: info.width, height: info.height };
    const faces = await locateFaces(models, image, { mode: 'ssd-first' });
    await addLandmarks(models, image, faces);
    fixtures.push({ name: path.relative(FIXTURES, file), image, faces });
  }
  // Every fixture has a face; the scenes several.
  expect(fixtures.every((f) => f.faces.length > 0)).toBe(true);
}, 300_000);

afterAll(async () => {
  await Promise.all([...sessions.values()].map((s) => s.release()));
});

/** face-api's 112 × 112 input batch of the detector boxes or the landmark boxes (what both backends read). */
function cropsOf(f: Fixture, boxes: 'detector' | 'landmarks'): { batch: PixelBatch; crops: CropSize[] } {
  return faceInputBatch(
    f.image,
    f.faces.map((face) => {
      if (boxes === 'detector') return face.box;
      // As attributes.ts: the landmarks' bounding box grown by 20 %.
      const xs = (face.landmarks ?? []).map((p) => p.x);
      const ys = (face.landmarks ?? []).map((p) => p.y);
      const [x0, y0] = [Math.min(...xs), Math.min(...ys)];
      const [w, h] = [Math.max(...xs) - x0, Math.max(...ys) - y0];
      return { x: x0 - 0.1 * w, y: y0 - 0.1 * h, w: 1.2 * w, h: 1.2 * h };
    }),
  );
}

/** tf.image.cropAndResize / 255 of the boxes (in pixels) as attributes.ts and liveness.ts build their inputs. */
function cropsResized(
  f: Fixture,
  boxes: { x: number; y: number; w: number; h: number }[],
  size: number,
): PixelBatch {
  const { width: w, height: h } = f.image;
  return cropAndResizeBatch(
    f.image,
    boxes.map((b): NormalisedBox => [b.y / h, b.x / w, (b.y + b.h) / h, (b.x + b.w) / w]),
    size,
    255,
  );
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
      const reference = await models.descriptors(chips);
      const ours = rows((await runOnnx('faceRecognitionNet', chips)).descriptors!, geometries.length);
      reference.forEach((d, i) => {
        const distance = euclidean(d, ours[i]!);
        worst.descriptor = Math.max(worst.descriptor, distance);
        expect(distance).toBeLessThan(DESCRIPTOR_DISTANCE);
        count++;
      });
    }
    expect(count).toBe(faceCount());
  });

  it(`faceLandmark68Net: every point within ${LANDMARK_PX_AT_112} px at the 112 px input`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const c = cropsOf(f, 'detector');
      const refs = await models.landmarks(c.batch, c.crops);
      count += refs.length;
      const ours = rows((await runOnnx('faceLandmark68Net', c.batch)).landmarks!, c.crops.length);
      refs.forEach((lm, i) => {
        const { width, height } = c.crops[i]!;
        const toInput = 112 / Math.max(width, height);
        const points = toCropPoints(ours[i]!, width, height);
        expect(lm).toHaveLength(68);
        lm.forEach((p, j) => {
          const q = points[j]!;
          const gap = Math.hypot(p.x - q.x, p.y - q.y) * toInput;
          worst.landmarkPx = Math.max(worst.landmarkPx, gap);
          expect(gap).toBeLessThan(LANDMARK_PX_AT_112);
        });
      });
    }
    expect(count).toBe(faceCount());
  });

  it(`ageGenderNet: age within ${AGE_YEARS} year, gender probabilities within ${PROBABILITY}, same gender`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const c = cropsOf(f, 'landmarks');
      const reference = await models.ageGender(c.batch);
      const out = await runOnnx('ageGenderNet', c.batch);
      const age = out.age!.data as Float32Array;
      const gender = rows(out.gender!, c.crops.length);
      count += gender.length;
      gender.forEach((g, i) => {
        const ref = reference[i]!;
        const pair = [ref.male, 1 - ref.male];
        worst.age = Math.max(worst.age, Math.abs(age[i]! - ref.age));
        worst.gender = Math.max(worst.gender, maxAbs(g, pair));
        expect(Math.abs(age[i]! - ref.age)).toBeLessThan(AGE_YEARS);
        expect(maxAbs(g, pair)).toBeLessThan(PROBABILITY);
        expect(argmax(g)).toBe(argmax(pair));
      });
    }
    expect(count).toBe(faceCount());
  });

  it(`faceExpressionNet: probabilities within ${PROBABILITY}, same dominant expression`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const c = cropsOf(f, 'landmarks');
      const reference = (await models.expressions(c.batch)).map((e) =>
        EXPRESSION_LABELS.map((l) => e[l] ?? NaN),
      );
      const ours = rows((await runOnnx('faceExpressionNet', c.batch)).expressions!, c.crops.length);
      count += ours.length;
      ours.forEach((p, i) => {
        worst.expression = Math.max(worst.expression, maxAbs(p, reference[i]!));
        expect(maxAbs(p, reference[i]!)).toBeLessThan(PROBABILITY);
        expect(argmax(p)).toBe(argmax(reference[i]!));
      });
    }
    expect(count).toBe(faceCount());
  });

  it(`gear race head: probabilities within ${PROBABILITY}, same dominant race`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const input = cropsResized(
        f,
        f.faces.map((face) => face.box),
        198,
      );
      const ref = await models.race(input);
      const ours = rows((await runOnnx('gear', input)).race_output!, f.faces.length);
      count += ours.length;
      ours.forEach((p, i) => {
        worst.race = Math.max(worst.race, maxAbs(p, ref[i]!));
        expect(maxAbs(p, ref[i]!)).toBeLessThan(PROBABILITY);
        expect(argmax(p)).toBe(argmax(ref[i]!));
      });
    }
    expect(count).toBe(faceCount());
  });

  it(`antispoof and liveness: probabilities within ${PROBABILITY} on the crops liveness.ts feeds them`, async () => {
    let count = 0;
    for (const f of fixtures) {
      const boxes = f.faces.map(presentationCrop);
      const big = cropsResized(f, boxes, 128);
      const small = cropsResized(f, boxes, 32);
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
    }
    expect(count).toBe(faceCount());
  });
});
