// The tfjs backend's networks: our fused forward passes for the detectors and the recognition net (same weights
// and outputs as face-api's, test/nets/equivalence.test.ts), face-api's own nets for landmarks and attributes, and
// GEAR, the presentation-attack nets and the selfie segmentation as tfjs graph models. Loaded once per worker,
// after the tfjs backend is set. They get the same pixels and float batches as the onnx backend (inference/
// pixels/), wrapped in tensors here.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { rgbTensor } from './image-tensor';
import { FACE_API_MODEL_DIR, HUMAN_MODEL_DIR, loadGraphModelFromDisk } from '../../models';
import { assertRgbImage, type RgbImage } from '../../pixels/rgb-image';
import type { AgeGenderOutput, CropSize, Detection, Nets, PixelBatch } from '../nets';
import { faceDescriptors, faceRecognitionNetParams } from './face-recognition-net';
import { ssdMobilenetv1Detect, ssdMobilenetv1Params, type SsdMobilenetv1Options } from './ssd-mobilenet';
import { tinyFaceDetect, tinyFaceDetectorParams, type TinyFaceDetectorOptions } from './tiny-face-detector';

/** Runs `run` on the pixels as a tfjs tensor [h, w, 3] (bytes as int32, floats as float32), then frees it. */
async function onTensor<T>(image: RgbImage, run: (t: tf.Tensor3D) => Promise<T>): Promise<T> {
  assertRgbImage(image);
  const { rgb, width, height } = image;
  const t =
    rgb instanceof Uint8Array
      ? rgbTensor(rgb, height, width)
      : tf.tensor3d(rgb, [height, width, 3], 'float32');
  try {
    return await run(t);
  } finally {
    t.dispose();
  }
}

/** A float batch as a tensor (the caller disposes it). */
const tensorOf = (b: PixelBatch): tf.Tensor4D => tf.tensor4d(b.data, b.shape, 'float32');

/**
 * face-api's NetInput over a batch already at the net's input size: toBatchTensor(112, true) finds each image
 * square and of that size, so it only stacks them back (no pad, no resize). Frees its tensors after `run`.
 */
async function withNetInput<T>(b: PixelBatch, run: (input: faceapi.NetInput) => Promise<T>): Promise<T> {
  const images = tf.tidy(() => tf.unstack(tensorOf(b))) as tf.Tensor3D[];
  try {
    return await run(new faceapi.NetInput(images, true));
  } finally {
    tf.dispose(images);
  }
}

/** Runs a graph model on a float batch and reads its single output. */
async function execute(model: tf.GraphModel, b: PixelBatch, output?: string): Promise<tf.Tensor> {
  const input = tensorOf(b);
  try {
    return model.execute(input, output) as tf.Tensor;
  } finally {
    input.dispose();
  }
}

export class TfjsNets implements Nets {
  /** face-api's module, whose module-level `nets` load() filled (benchmarks run them alone). */
  readonly faceapi = faceapi;

  private constructor(
    /** GEAR: age/gender/race graph model; we use its race head only. */
    readonly gear: tf.GraphModel,
    /** Presentation-attack networks (inference/liveness.ts). */
    readonly antispoofModel: tf.GraphModel,
    readonly livenessModel: tf.GraphModel,
    /** MediaPipe's selfie segmentation (document/selfie-segmentation.ts). */
    readonly selfieModel: tf.GraphModel,
  ) {}

  /** Loads face-api's networks (into face-api's module-level `nets`, one set per thread) and GEAR. */
  static async load(): Promise<TfjsNets> {
    const nets = faceapi.nets;
    const [gear, antispoof, liveness, selfie] = await Promise.all([
      loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'gear'),
      loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'antispoof'),
      loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'liveness'),
      loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'selfie'),
      nets.tinyFaceDetector.loadFromDisk(FACE_API_MODEL_DIR),
      nets.ssdMobilenetv1.loadFromDisk(FACE_API_MODEL_DIR),
      nets.faceLandmark68Net.loadFromDisk(FACE_API_MODEL_DIR),
      nets.faceRecognitionNet.loadFromDisk(FACE_API_MODEL_DIR),
      nets.ageGenderNet.loadFromDisk(FACE_API_MODEL_DIR),
      nets.faceExpressionNet.loadFromDisk(FACE_API_MODEL_DIR),
    ]);
    return new TfjsNets(gear, antispoof, liveness, selfie);
  }

  tinyFaceDetect(image: RgbImage, options: TinyFaceDetectorOptions): Promise<Detection[]> {
    return onTensor(image, (t) => tinyFaceDetect(t, tinyFaceDetectorParams(), options));
  }

  ssdMobilenetv1Detect(image: RgbImage, options: SsdMobilenetv1Options): Promise<Detection[]> {
    return onTensor(image, (t) => ssdMobilenetv1Detect(t, ssdMobilenetv1Params(), options));
  }

  async landmarks(batch: PixelBatch, crops: readonly CropSize[]): Promise<{ x: number; y: number }[][]> {
    if (batch.shape[0] === 0) return [];
    const net = faceapi.nets.faceLandmark68Net;
    // detectLandmarks' steps, with the crops' own sizes (the NetInput only knows the 112-px batch).
    const out = await withNetInput(batch, async (input) => {
      const t = tf.tidy(
        () =>
          net.postProcess(
            net.runNet(input),
            batch.shape[1],
            crops.map((c) => ({ width: c.width, height: c.height })),
          ) as unknown as tf.Tensor2D,
      );
      try {
        return (await t.data()) as Float32Array;
      } finally {
        t.dispose();
      }
    });
    // FaceLandmarks68: relative positions × the crop's size.
    return crops.map((c, i) =>
      Array.from({ length: 68 }, (_, k) => ({
        x: (out[i * 136 + 2 * k] as number) * c.width,
        y: (out[i * 136 + 2 * k + 1] as number) * c.height,
      })),
    );
  }

  async descriptors(chips: PixelBatch): Promise<Float32Array[]> {
    if (chips.shape[0] === 0) return [];
    const input = tensorOf(chips);
    try {
      return await faceDescriptors(input, faceRecognitionNetParams());
    } finally {
      input.dispose();
    }
  }

  async ageGender(batch: PixelBatch): Promise<AgeGenderOutput[]> {
    if (batch.shape[0] === 0) return [];
    const out = await withNetInput(batch, (input) => faceapi.nets.ageGenderNet.predictAgeAndGender(input));
    return (Array.isArray(out) ? out : [out]).map((p) => ({
      age: p.age,
      male: String(p.gender) === 'male' ? p.genderProbability : 1 - p.genderProbability,
    }));
  }

  async expressions(batch: PixelBatch): Promise<Record<string, number>[]> {
    if (batch.shape[0] === 0) return [];
    const out = await withNetInput(batch, (input) =>
      faceapi.nets.faceExpressionNet.predictExpressions(input),
    );
    // FaceExpressions holds one number property per label.
    return (Array.isArray(out) ? out : [out]).map(
      (e) =>
        Object.fromEntries(Object.entries(e).filter(([, v]) => typeof v === 'number')) as Record<
          string,
          number
        >,
    );
  }

  async race(input: PixelBatch): Promise<number[][]> {
    const race = (await execute(this.gear, input, 'race_output')) as tf.Tensor2D;
    try {
      return await race.array();
    } finally {
      race.dispose();
    }
  }

  async antispoof(input: PixelBatch): Promise<number[]> {
    const out = await execute(this.antispoofModel, input);
    try {
      return Array.from(await out.data());
    } finally {
      out.dispose();
    }
  }

  async liveness(input: PixelBatch): Promise<number[][]> {
    const out = (await execute(this.livenessModel, input)) as tf.Tensor2D;
    try {
      return await out.array();
    } finally {
      out.dispose();
    }
  }

  async personMask(input: Float32Array): Promise<Float32Array> {
    const size = Math.round(Math.sqrt(input.length / 3));
    const out = tf.tidy(() => this.selfieModel.predict(tf.tensor4d(input, [1, size, size, 3])) as tf.Tensor);
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }
}
