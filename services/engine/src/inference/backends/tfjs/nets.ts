// The tfjs backend's networks: our fused forward passes for the detectors and the recognition net (same weights
// and outputs as face-api's, test/nets/equivalence.test.ts), face-api's own nets for landmarks and attributes, and
// GEAR, the presentation-attack nets and the selfie segmentation as tfjs graph models. Loaded once per worker, after the tfjs backend is set.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import { rgbTensor } from '../../image-tensor';
import { FACE_API_MODEL_DIR, HUMAN_MODEL_DIR, loadGraphModelFromDisk } from '../../models';
import { assertRgbImage, type RgbImage } from '../../pixels/rgb-image';
import type { AgeGenderOutput, Detection, FaceCrop, Nets } from '../nets';
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

  async landmarks(crops: readonly FaceCrop[]): Promise<{ x: number; y: number }[][]> {
    const result = await faceapi.nets.faceLandmark68Net.detectLandmarks([...crops]);
    return (Array.isArray(result) ? result : [result]).map((lm) =>
      lm.positions.map((p) => ({ x: p.x, y: p.y })),
    );
  }

  descriptors(chips: tf.Tensor4D): Promise<Float32Array[]> {
    return faceDescriptors(chips, faceRecognitionNetParams());
  }

  async ageGender(crops: readonly FaceCrop[]): Promise<AgeGenderOutput[]> {
    const out = await faceapi.nets.ageGenderNet.predictAgeAndGender([...crops]);
    return (Array.isArray(out) ? out : [out]).map((p) => ({
      age: p.age,
      male: String(p.gender) === 'male' ? p.genderProbability : 1 - p.genderProbability,
    }));
  }

  async expressions(crops: readonly FaceCrop[]): Promise<Record<string, number>[]> {
    const out = await faceapi.nets.faceExpressionNet.predictExpressions([...crops]);
    // FaceExpressions holds one number property per label.
    return (Array.isArray(out) ? out : [out]).map(
      (e) =>
        Object.fromEntries(Object.entries(e).filter(([, v]) => typeof v === 'number')) as Record<
          string,
          number
        >,
    );
  }

  async race(input: tf.Tensor4D): Promise<number[][]> {
    const race = this.gear.execute(input, 'race_output') as tf.Tensor2D;
    try {
      return await race.array();
    } finally {
      race.dispose();
    }
  }

  async antispoof(input: tf.Tensor4D): Promise<number[]> {
    const out = this.antispoofModel.execute(input) as tf.Tensor2D;
    try {
      return Array.from(await out.data());
    } finally {
      out.dispose();
    }
  }

  async liveness(input: tf.Tensor4D): Promise<number[][]> {
    const out = this.livenessModel.execute(input) as tf.Tensor2D;
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
