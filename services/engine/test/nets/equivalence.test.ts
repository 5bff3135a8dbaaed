// src/inference/backends/tfjs against face-api itself, both on the real models and the wasm backend, on the shared fixtures.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { facesDir } from '@deepface/fixtures';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { initBackend } from '../../src/inference/backends/index';
import { FACE_API_MODEL_DIR } from '../../src/inference/models';
import { decodeImage } from '../../src/inference/image/decode';
import type { Detection } from '../../src/inference/backends/tfjs/common';
import {
  faceDescriptors,
  faceRecognitionNetParams,
  releaseFaceRecognitionNet,
  type FaceRecognitionNetParams,
} from '../../src/inference/backends/tfjs/face-recognition-net';
import {
  releaseSsdMobilenetv1,
  ssdMobilenetv1Detect,
  ssdMobilenetv1Params,
  type SsdMobilenetv1Params,
} from '../../src/inference/backends/tfjs/ssd-mobilenet';
import {
  releaseTinyFaceDetector,
  tinyFaceDetect,
  tinyFaceDetectorParams,
  type TinyFaceDetectorParams,
} from '../../src/inference/backends/tfjs/tiny-face-detector';

/** face-api declares its own copy of the tfjs types; at run time both are the same tfjs instance. */
type FaTensor3D = Parameters<typeof faceapi.extractFaceTensors>[0] & { rank: 3 };
const asFaceApiTensor = (t: tf.Tensor3D): FaTensor3D => t as unknown as FaTensor3D;

const FIXTURES = facesDir();
// Achieved on these fixtures: boxes within 2.5e-4 px, scores within 2.5e-6 (float rounding of the fused ops).
const BOX_TOLERANCE_PX = 0.01;
const SCORE_TOLERANCE = 2e-5;
// Achieved: descriptor components within 7e-7, Euclidean distance to face-api's descriptor within 2.5e-6.
const DESCRIPTOR_TOLERANCE = 1e-5;

/** A fixture: how to get its bytes, decoded later by the engine's own decode. */
interface Source {
  name: string;
  bytes: () => Promise<Uint8Array>;
  float32?: boolean;
}

const files = (dir: string, ext: string): string[] =>
  fs
    .readdirSync(path.join(FIXTURES, dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(FIXTURES, dir, f));

/** A 150×150 face crop centred on a grey canvas of `side` pixels. */
function onCanvas(file: string, side: number): () => Promise<Uint8Array> {
  const before = Math.floor((side - 150) / 2);
  const after = side - 150 - before;
  return () =>
    sharp(file)
      .extend({ top: before, bottom: after, left: before, right: after, background: '#b0b0b0' })
      .png()
      .toBuffer();
}

const people = fs.readdirSync(path.join(FIXTURES, 'people')).sort();
const crop = (person: string, n: number): string =>
  path.join(FIXTURES, 'people', person, `${person}${n}.png`);
const portrait = (): Promise<Uint8Array> =>
  sharp(path.join(FIXTURES, 'scenes', 'bbt1.jpg'))
    .extract({ left: 300, top: 0, width: 500, height: 768 })
    .png()
    .toBuffer();

const SOURCES: Source[] = [
  ...[...files('scenes', '.jpg'), ...files('emotions', '.jpg')].map((file) => ({
    name: path.relative(FIXTURES, file),
    bytes: async () => fs.readFileSync(file),
  })),
  // One crop per identity on a 450×450 canvas; one on 416 and 512 (tiny's and SSD's input sizes: no resize).
  ...people.map((person) => ({
    name: `people/${person}1.png on 450×450`,
    bytes: onCanvas(crop(person, 1), 450),
  })),
  ...[416, 512].map((side) => ({
    name: `people/${people[0]}2.png on ${side}×${side}`,
    bytes: onCanvas(crop(people[0]!, 2), side),
  })),
  // Portrait: the padding goes to the right.
  { name: 'scenes/bbt1.jpg portrait crop', bytes: portrait },
  { name: 'scenes/bbt1.jpg portrait crop, float32', bytes: portrait, float32: true },
];

const images = new Map<string, tf.Tensor3D>();
const imageOf = (name: string): tf.Tensor3D => {
  const image = images.get(name);
  if (!image) throw new Error(`fixture ${name} not loaded`);
  return image;
};
let tinyParams: TinyFaceDetectorParams;
let ssdParams: SsdMobilenetv1Params;
let recognitionParams: FaceRecognitionNetParams;

beforeAll(async () => {
  await initBackend('wasm');
  await Promise.all([
    faceapi.nets.tinyFaceDetector.loadFromDisk(FACE_API_MODEL_DIR),
    faceapi.nets.ssdMobilenetv1.loadFromDisk(FACE_API_MODEL_DIR),
    faceapi.nets.faceRecognitionNet.loadFromDisk(FACE_API_MODEL_DIR),
  ]);
  tinyParams = tinyFaceDetectorParams();
  ssdParams = ssdMobilenetv1Params();
  recognitionParams = faceRecognitionNetParams();
  for (const source of SOURCES) {
    // The engine's decode (working copy at most 1600 px) into an int32 tensor, as the engine's pipeline does.
    const img = await decodeImage(await source.bytes(), { maxPixels: 40e6, workMaxSide: 1600 });
    const image = tf.tensor3d(img.rgb, [img.workHeight, img.workWidth, 3], 'int32');
    images.set(source.name, source.float32 ? tf.tidy(() => tf.cast(image, 'float32')) : image);
    if (source.float32) image.dispose();
  }
}, 300_000);

afterAll(() => {
  images.forEach((image) => image.dispose());
});

interface Gap {
  box: number;
  score: number;
}

/** Pairs each reference detection with the nearest unused one of ours; the largest coordinate and score gaps. */
function compare(reference: Detection[], ours: Detection[]): Gap {
  expect(ours).toHaveLength(reference.length);
  const unused = [...ours];
  const gap: Gap = { box: 0, score: 0 };
  for (const r of reference) {
    const distance = (d: Detection): number =>
      Math.max(
        Math.abs(d.box.x - r.box.x),
        Math.abs(d.box.y - r.box.y),
        Math.abs(d.box.width - r.box.width),
        Math.abs(d.box.height - r.box.height),
      );
    unused.sort((a, b) => distance(a) - distance(b));
    const match = unused.shift()!;
    gap.box = Math.max(gap.box, distance(match));
    gap.score = Math.max(gap.score, Math.abs(match.score - r.score));
  }
  return gap;
}

const plain = (
  dets: readonly { score: number; box: { x: number; y: number; width: number; height: number } }[],
): Detection[] =>
  dets.map((d) => ({
    score: d.score,
    box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
  }));

/** Runs `fn`, checking it leaves the tensor count as it found it. */
async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return result;
}

describe('cached weights', () => {
  it('are built once per params object at first use and freed by release', async () => {
    const image = imageOf(SOURCES[0]!.name);
    const start = tf.memory().numTensors;
    await tinyFaceDetect(image, tinyParams, { inputSize: 416 });
    // conv0 with the normalisation folded in: filter and bias.
    expect(tf.memory().numTensors).toBe(start + 2);
    await ssdMobilenetv1Detect(image, ssdParams);
    // 13 depthwise layers with batch norm folded in: filter and bias each.
    expect(tf.memory().numTensors).toBe(start + 2 + 26);
    await noLeak(() => tinyFaceDetect(image, tinyParams, { inputSize: 416 }));
    await noLeak(() => ssdMobilenetv1Detect(image, ssdParams));
    releaseTinyFaceDetector(tinyParams);
    releaseSsdMobilenetv1(ssdParams);
    expect(tf.memory().numTensors).toBe(start);
    // Rebuilt on the next call.
    await tinyFaceDetect(image, tinyParams, { inputSize: 416 });
    await ssdMobilenetv1Detect(image, ssdParams);
    expect(tf.memory().numTensors).toBe(start + 28);
  });
});

describe('the same faces as face-api', () => {
  const worst = { tiny: { box: 0, score: 0 }, ssd: { box: 0, score: 0 } };
  const faces = { tiny: 0, ssd: 0 };

  beforeAll(async () => {
    // Warm-up: builds the cached weights, so every later call must leave the tensor count unchanged.
    await tinyFaceDetect(imageOf(SOURCES[0]!.name), tinyParams, { inputSize: 416 });
    await ssdMobilenetv1Detect(imageOf(SOURCES[0]!.name), ssdParams);
  }, 60_000);

  it.each(SOURCES.map((s) => s.name))(
    '%s',
    async (name) => {
      const image = imageOf(name);

      const tinyOptions = { inputSize: 416, scoreThreshold: 0.5 };
      const tinyRef = plain(
        await faceapi.nets.tinyFaceDetector.locateFaces(
          asFaceApiTensor(image),
          new faceapi.TinyFaceDetectorOptions(tinyOptions),
        ),
      );
      const tiny = compare(tinyRef, await noLeak(() => tinyFaceDetect(image, tinyParams, tinyOptions)));

      const ssdRef = plain(
        await faceapi.nets.ssdMobilenetv1.locateFaces(
          asFaceApiTensor(image),
          new faceapi.SsdMobilenetv1Options(),
        ),
      );
      const ssd = compare(ssdRef, await noLeak(() => ssdMobilenetv1Detect(image, ssdParams)));

      for (const [k, gap] of [
        ['tiny', tiny],
        ['ssd', ssd],
      ] as const) {
        expect(gap.box).toBeLessThanOrEqual(BOX_TOLERANCE_PX);
        expect(gap.score).toBeLessThanOrEqual(SCORE_TOLERANCE);
        worst[k] = { box: Math.max(worst[k].box, gap.box), score: Math.max(worst[k].score, gap.score) };
      }
      faces.tiny += tinyRef.length;
      faces.ssd += ssdRef.length;
    },
    60_000,
  );

  it('found faces in the fixtures', () => {
    expect(faces.tiny).toBeGreaterThan(40);
    expect(faces.ssd).toBeGreaterThan(40);
    if (process.env.NETS_REPORT)
      console.log('worst gaps', JSON.stringify(worst), 'faces', JSON.stringify(faces));
  });
});

describe('more candidates through NMS', () => {
  it.each(['scenes/bbt1.jpg', 'scenes/bbt4.jpg', 'scenes/sample1.jpg'])(
    '%s at low thresholds and other input sizes',
    async (name) => {
      const image = imageOf(name);
      for (const options of [
        { inputSize: 608, scoreThreshold: 0.2 },
        { inputSize: 320, scoreThreshold: 0.1 },
      ]) {
        const ref = plain(
          await faceapi.nets.tinyFaceDetector.locateFaces(
            asFaceApiTensor(image),
            new faceapi.TinyFaceDetectorOptions(options),
          ),
        );
        const gap = compare(ref, await noLeak(() => tinyFaceDetect(image, tinyParams, options)));
        expect(gap.box).toBeLessThanOrEqual(BOX_TOLERANCE_PX);
        expect(gap.score).toBeLessThanOrEqual(SCORE_TOLERANCE);
      }
      // The second one stops at maxResults.
      for (const options of [
        { minConfidence: 0.05, maxResults: 20 },
        { minConfidence: 0.01, maxResults: 30 },
      ]) {
        const ref = plain(
          await faceapi.nets.ssdMobilenetv1.locateFaces(
            asFaceApiTensor(image),
            new faceapi.SsdMobilenetv1Options(options),
          ),
        );
        const gap = compare(ref, await noLeak(() => ssdMobilenetv1Detect(image, ssdParams, options)));
        expect(gap.box).toBeLessThanOrEqual(BOX_TOLERANCE_PX);
        expect(gap.score).toBeLessThanOrEqual(SCORE_TOLERANCE);
        if (options.minConfidence === 0.01) expect(ref).toHaveLength(30);
      }
    },
    60_000,
  );
});

describe('face descriptors', () => {
  beforeAll(async () => {
    // Warm-up: builds the folded weights.
    const chips = tf.zeros<tf.Rank.R4>([1, 150, 150, 3]);
    await faceDescriptors(chips, recognitionParams);
    chips.dispose();
  });

  /** Face crops of an image at the SSD boxes, resized to `size` (150 × 150 is the net's input: no resize). */
  async function chipsOf(
    name: string,
    size: [number, number],
    dtype: 'float32' | 'int32',
  ): Promise<tf.Tensor4D> {
    const image = imageOf(name);
    const [h, w] = image.shape;
    const boxes = (await ssdMobilenetv1Detect(image, ssdParams)).map((d) => [
      d.box.y / h,
      d.box.x / w,
      (d.box.y + d.box.height) / h,
      (d.box.x + d.box.width) / w,
    ]);
    expect(boxes.length).toBeGreaterThan(0);
    return tf.tidy(() => {
      const source = tf.expandDims<tf.Tensor4D>(tf.cast(image, 'float32'), 0);
      const chips = tf.image.cropAndResize(
        source,
        boxes,
        boxes.map(() => 0),
        size,
      );
      return dtype === 'int32' ? tf.cast(tf.round(chips), 'int32') : chips;
    });
  }

  it.each([
    ['scenes/bbt4.jpg', [150, 150], 'float32'],
    ['scenes/sample2.jpg', [150, 150], 'float32'],
    ['emotions/happy.jpg', [150, 150], 'int32'],
    ['scenes/bbt3.jpg', [120, 160], 'float32'],
    ['scenes/bbt5.jpg', [161, 140], 'int32'],
  ] as const)(
    '%s, chips %j %s',
    async (name, size, dtype) => {
      const chips = await chipsOf(name, [size[0], size[1]], dtype);
      const list = tf.unstack(chips) as tf.Tensor3D[];
      try {
        const reference = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(
          list.map(asFaceApiTensor),
        );
        const ours = await noLeak(() => faceDescriptors(chips, recognitionParams));
        expect(Array.isArray(reference)).toBe(true);
        const refs = reference as Float32Array[];
        expect(ours).toHaveLength(refs.length);
        refs.forEach((r, i) => {
          const d = ours[i]!;
          expect(d).toHaveLength(128);
          let sum = 0;
          let worst = 0;
          r.forEach((v, j) => {
            worst = Math.max(worst, Math.abs(v - d[j]!));
            sum += (v - d[j]!) ** 2;
          });
          expect(worst).toBeLessThanOrEqual(DESCRIPTOR_TOLERANCE);
          expect(Math.sqrt(sum)).toBeLessThanOrEqual(DESCRIPTOR_TOLERANCE);
        });
      } finally {
        list.forEach((t) => t.dispose());
        chips.dispose();
      }
    },
    60_000,
  );

  it('builds its folded weights once, and handles an empty batch', async () => {
    const chips = tf.zeros<tf.Rank.R4>([1, 150, 150, 3]);
    releaseFaceRecognitionNet(recognitionParams);
    const start = tf.memory().numTensors;
    await faceDescriptors(chips, recognitionParams);
    // 29 convs with their scale layers folded in: filter and bias each.
    expect(tf.memory().numTensors).toBe(start + 58);
    await noLeak(() => faceDescriptors(chips, recognitionParams));
    const empty = tf.zeros<tf.Rank.R4>([0, 150, 150, 3]);
    await expect(noLeak(() => faceDescriptors(empty, recognitionParams))).resolves.toEqual([]);
    empty.dispose();
    chips.dispose();
  });
});

describe('failures', () => {
  it('reject bad input and options without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const gray = tf.zeros<tf.Rank.R3>([64, 64, 1], 'int32');
    await expect(tinyFaceDetect(gray, tinyParams)).rejects.toThrow(/RGB/);
    await expect(ssdMobilenetv1Detect(gray, ssdParams)).rejects.toThrow(/RGB/);
    gray.dispose();
    const image = imageOf(SOURCES[0]!.name);
    await expect(tinyFaceDetect(image, tinyParams, { inputSize: 400 })).rejects.toThrow(/divisible by 32/);
    await expect(tinyFaceDetect(image, tinyParams, { scoreThreshold: 1.5 })).rejects.toThrow(
      /between 0 and 1/,
    );
    await expect(ssdMobilenetv1Detect(image, ssdParams, { minConfidence: 2 })).rejects.toThrow(
      /between 0 and 1/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuse params that are not a loaded net', () => {
    expect(() => tinyFaceDetectorParams({ isLoaded: false, params: undefined })).toThrow(/load model/);
    expect(() => ssdMobilenetv1Params({ isLoaded: true, params: {} })).toThrow(/unexpected params/);
    expect(() => tinyFaceDetectorParams({ isLoaded: true, params: ssdParams })).toThrow(/unexpected params/);
    expect(() => faceRecognitionNetParams({ isLoaded: true, params: tinyParams })).toThrow(
      /unexpected params/,
    );
  });
});
