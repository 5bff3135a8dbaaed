// The networks the inference layer runs, behind one interface: a backend (tfjs/ or onnx/) implements every one of
// them, is chosen once per worker (backends/index.ts) and is carried in the EngineContext. Callers hand over plain
// pixels (the detectors, the person mask) or float batches (the face nets; inference/pixels/ builds both) and read
// the outputs the same way, so both backends get identical inputs and a backend changes speed, never results
// (test/onnx/equivalence.test.ts).
import type { PixelBatch, RgbImage } from '../pixels/rgb-image';
import type { Detection } from './decode/boxes';
import type { SsdMobilenetv1Options } from './decode/ssd';
import type { TinyFaceDetectorOptions } from './decode/tiny-face';

export type { Detection, PixelBatch, RgbImage, SsdMobilenetv1Options, TinyFaceDetectorOptions };

/** A face crop's size in the pixels it was cut from. */
export interface CropSize {
  width: number;
  height: number;
}

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
  /**
   * face-api's FaceLandmark68Net on face-api's input batch of face crops ([n, 112, 112, 3], 0-255: pixels/
   * face-input.ts): 68 points per face, in the pixels of its crop (`crops[i]`, the size before the batch).
   */
  landmarks(batch: PixelBatch, crops: readonly CropSize[]): Promise<{ x: number; y: number }[][]>;
  /** face-api's FaceRecognitionNet: a 128-d descriptor per aligned chip ([n, 150, 150, 3], 0-255). */
  descriptors(chips: PixelBatch): Promise<Float32Array[]>;
  /** face-api's AgeGenderNet: age and the male probability per face ([n, 112, 112, 3], 0-255). */
  ageGender(batch: PixelBatch): Promise<AgeGenderOutput[]>;
  /** face-api's FaceExpressionNet: probability per face-api expression label, per face ([n, 112, 112, 3], 0-255). */
  expressions(batch: PixelBatch): Promise<Record<string, number>[]>;
  /** GEAR's race head for its input batch [n, 198, 198, 3] in [0, 1]: 5 probabilities per face. */
  race(input: PixelBatch): Promise<number[][]>;
  /** human-models' antispoof for face crops [n, 128, 128, 3] in [0, 1]: P(real face) per face. */
  antispoof(input: PixelBatch): Promise<number[]>;
  /** human-models' liveness for face crops [n, 32, 32, 3] in [0, 1]: its 2 softmax outputs per face. */
  liveness(input: PixelBatch): Promise<number[][]>;
  /**
   * human-models' selfie segmentation for one image resized to [1, 256, 256, 3] in [0, 1] (plain floats): the
   * probability that each pixel shows a person, 256 × 256 row-major.
   */
  personMask(input: Float32Array): Promise<Float32Array>;
}
