// The tfjs backend's face nets on the pixel batches (inference/pixels/) against face-api's own calls on the tfjs
// crops they replace (extractFaceTensors, then the net's detectLandmarks / predictAgeAndGender /
// predictExpressions): the same numbers, and no tensor left behind.
import * as path from 'node:path';
import sharp from 'sharp';
import { facesDir } from '@deepface/fixtures';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { initBackend } from '../../src/inference/backends/index';
import { TfjsNets } from '../../src/inference/backends/tfjs/nets';
import { locateFaces } from '../../src/inference/detection';
import type { Box } from '../../src/inference/geometry';
import { faceInputBatch } from '../../src/inference/pixels/face-input';
import type { RgbImage } from '../../src/inference/pixels/rgb-image';

// Equal inputs (test/pixels) through the same ops: only float noise of batch order could differ.
const TOLERANCE = 1e-5;

let nets: TfjsNets;
const scenes: { image: RgbImage; tensor: tf.Tensor3D; boxes: Box[] }[] = [];

beforeAll(async () => {
  await initBackend('wasm');
  nets = await TfjsNets.load();
  for (const file of ['scenes/bbt1.jpg', 'emotions/surprised.jpg']) {
    const { data, info } = await sharp(path.join(facesDir(), file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const image = { rgb: new Uint8Array(data), width: info.width, height: info.height };
    const tensor = tf.tensor3d(Int32Array.from(image.rgb), [info.height, info.width, 3], 'int32');
    const faces = await locateFaces(nets, image, { mode: 'ssd-first' });
    // The detector boxes, and one past the image's top-left corner.
    const boxes = [...faces.map((f) => f.box), { x: -20.5, y: -10.2, w: 80.3, h: 95.7 }];
    scenes.push({ image, tensor, boxes });
  }
}, 120_000);
afterAll(() => scenes.forEach((s) => s.tensor.dispose()));

async function faceApiCrops(s: (typeof scenes)[number]): Promise<faceapi.tf.Tensor3D[]> {
  return faceapi.extractFaceTensors(
    s.tensor as unknown as faceapi.tf.Tensor3D,
    s.boxes.map((b) => new faceapi.Rect(b.x, b.y, b.w, b.h)),
  );
}

const gap = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? NaN))));

it('landmarks, age/gender and expressions equal face-api on its own crops', async () => {
  let worst = 0;
  let faces = 0;
  for (const s of scenes) {
    const crops = await faceApiCrops(s);
    try {
      const before = tf.memory().numTensors;
      const { batch, crops: sizes } = faceInputBatch(s.image, s.boxes);
      const points = await nets.landmarks(batch, sizes);
      const ageGender = await nets.ageGender(batch);
      const expressions = await nets.expressions(batch);
      expect(tf.memory().numTensors).toBe(before);

      const refPoints = (await faceapi.nets.faceLandmark68Net.detectLandmarks(
        crops,
      )) as faceapi.FaceLandmarks68[];
      const refAgeGender = (await faceapi.nets.ageGenderNet.predictAgeAndGender(
        crops,
      )) as faceapi.AgeAndGenderPrediction[];
      const refExpressions = (await faceapi.nets.faceExpressionNet.predictExpressions(
        crops,
      )) as faceapi.FaceExpressions[];
      expect(points).toHaveLength(s.boxes.length);
      points.forEach((p, i) => {
        const ref = refPoints[i]!.positions;
        worst = Math.max(
          worst,
          gap(
            p.flatMap((q) => [q.x, q.y]),
            ref.flatMap((q) => [q.x, q.y]),
          ),
        );
        const ag = refAgeGender[i]!;
        const male = String(ag.gender) === 'male' ? ag.genderProbability : 1 - ag.genderProbability;
        worst = Math.max(worst, gap([ageGender[i]!.age, ageGender[i]!.male], [ag.age, male]));
        const labels = Object.keys(expressions[i]!);
        expect(labels).toHaveLength(7);
        const ref7 = refExpressions[i]! as unknown as Record<string, number>;
        worst = Math.max(
          worst,
          gap(
            labels.map((l) => expressions[i]![l]!),
            labels.map((l) => ref7[l]!),
          ),
        );
        faces++;
      });
    } finally {
      crops.forEach((c) => c.dispose());
    }
  }
  console.log(
    `tfjs face nets on pixel batches vs face-api on its crops: ${faces} faces, max |diff| ${worst}`,
  );
  expect(faces).toBeGreaterThan(4);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
});
