// The networks the inference layer runs, behind one interface: a backend (tfjs/ or onnx/) implements every one of
// them, is chosen once per worker (backends/index.ts) and is carried in the EngineContext. Callers hand over
// tensors (the detectors: plain pixels) prepared the same way for both backends and read the outputs the same way,
// so a backend changes speed, never results (test/onnx/equivalence.test.ts holds the two equal).
import type * as tf from '@tensorflow/tfjs';
import type * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type { RgbImage } from '../pixels/rgb-image';
import type { Detection } from './decode/boxes';
import type { SsdMobilenetv1Options } from './decode/ssd';
import type { TinyFaceDetectorOptions } from './decode/tiny-face';

export type { Detection, RgbImage, SsdMobilenetv1Options, TinyFaceDetectorOptions };

/** face-api's tensors are typed against its own copy of tfjs; at run time it is the one tfjs instance. */
export type FaceCrop = faceapi.tf.Tensor3D;

export interface AgeGenderOutput {
  age: number;
  /** Probability of face-api's `male` class. */
  male: number;
}

export interface Nets {
  /** face-api's TinyFaceDetector: faces in the pixels of `image`, decreasing score. */
  tinyFaceDetect(image: RgbImage, options: TinyFaceDetectorOptions): Promise<Detection[]>;
  /** face-api's SsdMobilenetv1: faces in the pixels of `image`, decreasing score. */
  ssdMobilenetv1Detect(image: RgbImage, options: SsdMobilenetv1Options): Promise<Detection[]>;
  /** face-api's FaceLandmark68Net: 68 points per face crop, in the crop's pixels. */
  landmarks(crops: readonly FaceCrop[]): Promise<{ x: number; y: number }[][]>;
  /** face-api's FaceRecognitionNet: a 128-d descriptor per aligned 150 × 150 chip (the chips are not disposed). */
  descriptors(chips: tf.Tensor4D): Promise<Float32Array[]>;
  /** face-api's AgeGenderNet: age and the male probability per face crop. */
  ageGender(crops: readonly FaceCrop[]): Promise<AgeGenderOutput[]>;
  /** face-api's FaceExpressionNet: probability per face-api expression label, per face crop. */
  expressions(crops: readonly FaceCrop[]): Promise<Record<string, number>[]>;
  /** GEAR's race head for its input batch [n, 198, 198, 3] in [0, 1] (not disposed): 5 probabilities per face. */
  race(input: tf.Tensor4D): Promise<number[][]>;
  /** human-models' antispoof for face crops [n, 128, 128, 3] in [0, 1] (not disposed): P(real face) per face. */
  antispoof(input: tf.Tensor4D): Promise<number[]>;
  /** human-models' liveness for face crops [n, 32, 32, 3] in [0, 1] (not disposed): its 2 softmax outputs per face. */
  liveness(input: tf.Tensor4D): Promise<number[][]>;
  /**
   * human-models' selfie segmentation for one image resized to [1, 256, 256, 3] in [0, 1] (plain floats): the
   * probability that each pixel shows a person, 256 × 256 row-major.
   */
  personMask(input: Float32Array): Promise<Float32Array>;
}
