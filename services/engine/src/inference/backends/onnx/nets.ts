// The `onnx` backend's forward passes: every network runs on onnxruntime-node. The detectors' inputs are built from
// plain pixels (inference/pixels/, held equal to the tfjs ops by test/pixels/); the pre-processing of face crops
// (crops, alignment, face-api's input batches) stays in tfjs on wasm, unchanged, so both backends feed the networks
// the same values and read their outputs the same way.
import type * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';
import type * as Ort from 'onnxruntime-node';
import type { Detection } from '../decode/boxes';
import type { RgbImage } from '../../pixels/rgb-image';
import { withSquareInput } from '../../pixels/square-input';
import {
  SSD_INPUT_SIZE,
  ssdDetections,
  ssdMobilenetv1Options,
  type SsdMobilenetv1Options,
} from '../decode/ssd';
import {
  tinyFaceDetections,
  tinyFaceDetectorOptions,
  type TinyFaceDetectorOptions,
} from '../decode/tiny-face';
import type { AgeGenderOutput, Nets } from '../nets';
import { exportedModels, ONNX_MODEL_NAMES, type OnnxModelName } from './catalog';
import { EXPRESSION_LABELS, FACE_INPUT, toCropPoints } from './outputs';
import { createSession, cudaProviderPresent, type ExecutionProvider, type OrtModule } from './runtime';

type Session = Ort.InferenceSession;
/** face-api's tensors are typed against its own copy of tfjs; at run time it is the one tfjs instance. */
type FaTensor3D = faceapi.tf.Tensor3D;

export interface OnnxSettings {
  intraOpThreads: number;
  /** Use the CUDA provider when onnxruntime-node has it (GPU images); default true. */
  preferCuda?: boolean;
}

export class OnnxNets implements Nets {
  private constructor(
    private readonly ort: OrtModule,
    private readonly sessions: ReadonlyMap<OnnxModelName, Session>,
    readonly provider: ExecutionProvider,
    readonly cudaError: Error | undefined,
  ) {}

  /** Opens one session per network on the exported files (refuses when one lacks: see catalog.ts). */
  static async create(ort: OrtModule, settings: OnnxSettings): Promise<OnnxNets> {
    const files = exportedModels();
    const preferCuda = (settings.preferCuda ?? true) && cudaProviderPresent(ort);
    const sessions = new Map<OnnxModelName, Session>();
    let provider: ExecutionProvider = 'cpu';
    let cudaError: Error | undefined;
    for (const name of ONNX_MODEL_NAMES) {
      const made = await createSession(ort, files[name], {
        intraOpThreads: settings.intraOpThreads,
        // One provider for every net: once CUDA failed, do not retry it per session.
        preferCuda: preferCuda && !cudaError,
      });
      sessions.set(name, made.session);
      if (made.provider === 'cuda') provider = 'cuda';
      cudaError ??= made.cudaError;
    }
    return new OnnxNets(ort, sessions, provider, cudaError);
  }

  async release(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.release()));
  }

  private async run(
    name: OnnxModelName,
    feeds: Record<string, Ort.Tensor>,
  ): Promise<Ort.InferenceSession.ReturnType> {
    const session = this.sessions.get(name);
    if (!session) throw new Error(`onnx: no session for ${name}`);
    return session.run(feeds);
  }

  /** Reads a float tensor out of tfjs as an onnxruntime input (disposing it unless told otherwise). */
  private async input(t: tf.Tensor, dispose = true): Promise<Ort.Tensor> {
    try {
      return new this.ort.Tensor('float32', (await t.data()) as Float32Array, t.shape);
    } finally {
      if (dispose) t.dispose();
    }
  }

  private static floats(out: Ort.InferenceSession.ReturnType, name: string): Float32Array {
    const t = out[name];
    if (!t || t.type !== 'float32') throw new Error(`onnx: output ${name} missing or not float32`);
    return t.data as Float32Array;
  }

  /** face-api's square detector input of `image`, at `size`, fed to `name` with `extra` inputs (a lent buffer). */
  private runSquare(
    name: OnnxModelName,
    image: RgbImage,
    size: number,
    extra: Record<string, Ort.Tensor> = {},
  ): Promise<Ort.InferenceSession.ReturnType> {
    return withSquareInput(image, size, (data) =>
      this.run(name, { input: new this.ort.Tensor('float32', data, [1, size, size, 3]), ...extra }),
    );
  }

  /** nets/tiny-face-detector.ts `tinyFaceDetect` with the net on onnxruntime. */
  async tinyFaceDetect(image: RgbImage, options: TinyFaceDetectorOptions = {}): Promise<Detection[]> {
    const checked = tinyFaceDetectorOptions(options);
    const out = await this.runSquare('tinyFaceDetector', image, checked.inputSize);
    const output = out.output;
    if (!output) throw new Error('onnx: tiny face detector gave no output');
    return tinyFaceDetections(
      OnnxNets.floats(out, 'output'),
      Number(output.dims[1]),
      { width: image.width, height: image.height },
      checked,
    );
  }

  /** nets/ssd-mobilenet.ts `ssdMobilenetv1Detect` with the net, box decoding and NMS on onnxruntime. */
  async ssdMobilenetv1Detect(image: RgbImage, options: SsdMobilenetv1Options = {}): Promise<Detection[]> {
    const { minConfidence, maxResults } = ssdMobilenetv1Options(options);
    const out = await this.runSquare('ssdMobilenetv1', image, SSD_INPUT_SIZE, {
      min_score: new this.ort.Tensor('float32', Float32Array.of(minConfidence), [1]),
      max_results: new this.ort.Tensor('int64', BigInt64Array.of(BigInt(Math.floor(maxResults))), [1]),
    });
    const boxes = OnnxNets.floats(out, 'boxes');
    const scores = OnnxNets.floats(out, 'scores');
    const picks = Array.from(scores, (score, i) => ({
      box: [boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]] as [
        number,
        number,
        number,
        number,
      ],
      score,
    }));
    return ssdDetections(picks, image.width, image.height);
  }

  /** face-api's `toBatchTensor(112, true)` of the crops: each padded to a centred square, resized to 112. */
  private async faceBatch(crops: readonly FaTensor3D[]): Promise<Ort.Tensor> {
    const netInput = await faceapi.toNetInput([...crops]);
    return this.input(netInput.toBatchTensor(FACE_INPUT, true) as unknown as tf.Tensor4D);
  }

  /** face-api's `faceLandmark68Net.detectLandmarks(crops)`: 68 points per crop, in the crop's pixels. */
  async landmarks(crops: readonly FaTensor3D[]): Promise<{ x: number; y: number }[][]> {
    if (crops.length === 0) return [];
    const out = await this.run('faceLandmark68Net', { input: await this.faceBatch(crops) });
    const data = OnnxNets.floats(out, 'landmarks');
    return crops.map((crop, i) =>
      toCropPoints(data.subarray(i * 136, (i + 1) * 136), crop.shape[1], crop.shape[0]),
    );
  }

  /** nets/face-recognition-net.ts `faceDescriptors` for 150 × 150 chips [n, 150, 150, 3] (not disposed). */
  async descriptors(chips: tf.Tensor4D): Promise<Float32Array[]> {
    const n = chips.shape[0];
    if (n === 0) return [];
    const out = await this.run('faceRecognitionNet', { input: await this.input(chips, false) });
    const data = OnnxNets.floats(out, 'descriptors');
    return Array.from({ length: n }, (_, i) => data.slice(i * 128, (i + 1) * 128));
  }

  /** face-api's `ageGenderNet.predictAgeAndGender(crops)`: age and the male probability per crop. */
  async ageGender(crops: readonly FaTensor3D[]): Promise<AgeGenderOutput[]> {
    if (crops.length === 0) return [];
    const out = await this.run('ageGenderNet', { input: await this.faceBatch(crops) });
    const age = OnnxNets.floats(out, 'age');
    const gender = OnnxNets.floats(out, 'gender');
    return crops.map((_, i) => ({ age: age[i] as number, male: gender[i * 2] as number }));
  }

  /** face-api's `faceExpressionNet.predictExpressions(crops)`: probability per face-api expression label. */
  async expressions(crops: readonly FaTensor3D[]): Promise<Record<string, number>[]> {
    if (crops.length === 0) return [];
    const out = await this.run('faceExpressionNet', { input: await this.faceBatch(crops) });
    const data = OnnxNets.floats(out, 'expressions');
    const n = EXPRESSION_LABELS.length;
    return crops.map((_, i) =>
      Object.fromEntries(EXPRESSION_LABELS.map((label, k) => [label, data[i * n + k] as number])),
    );
  }

  /** GEAR's race head for its input batch [n, 198, 198, 3] in [0, 1] (not disposed): 5 probabilities per face. */
  async race(input: tf.Tensor4D): Promise<number[][]> {
    const n = input.shape[0];
    const out = await this.run('gear', { input: await this.input(input, false) });
    const data = OnnxNets.floats(out, 'race_output');
    const k = data.length / Math.max(1, n);
    return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * k, (i + 1) * k)));
  }

  /** human-models' antispoof for crops [n, 128, 128, 3] in [0, 1] (not disposed): P(real face) per face. */
  async antispoof(input: tf.Tensor4D): Promise<number[]> {
    if (input.shape[0] === 0) return [];
    const out = await this.run('antispoof', { input: await this.input(input, false) });
    return Array.from(OnnxNets.floats(out, 'real'));
  }

  /** human-models' liveness for crops [n, 32, 32, 3] in [0, 1] (not disposed): 2 softmax outputs per face. */
  async liveness(input: tf.Tensor4D): Promise<number[][]> {
    const n = input.shape[0];
    if (n === 0) return [];
    const data = OnnxNets.floats(
      await this.run('liveness', { input: await this.input(input, false) }),
      'live',
    );
    return Array.from({ length: n }, (_, i) => [data[2 * i] as number, data[2 * i + 1] as number]);
  }

  /** human-models' selfie segmentation for [1, 256, 256, 3] in [0, 1]: P(person) per pixel, 256 × 256. */
  async personMask(input: Float32Array): Promise<Float32Array> {
    const size = Math.round(Math.sqrt(input.length / 3));
    const out = await this.run('selfie', {
      input: new this.ort.Tensor('float32', input, [1, size, size, 3]),
    });
    return OnnxNets.floats(out, 'mask');
  }
}
