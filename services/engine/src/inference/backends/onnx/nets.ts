// The `onnx` backend's forward passes: every network runs on onnxruntime-node, on inputs built from plain pixels
// (inference/pixels/, held equal to the tfjs ops by test/pixels/): the detectors' square inputs here, the face nets'
// float batches by their callers. No tfjs: both backends feed the networks the same values and read their outputs
// the same way.
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
import type { AgeGenderOutput, CropSize, Nets, PixelBatch } from '../nets';
import { exportedModels, ONNX_MODEL_NAMES, type OnnxModelName } from './catalog';
import { EXPRESSION_LABELS, toCropPoints } from './outputs';
import { createSession, cudaProviderPresent, type ExecutionProvider, type OrtModule } from './runtime';

type Session = Ort.InferenceSession;

// Faces per run of a face net. A session's arena keeps the most memory any run took, so a batch of every face in a
// crowded photo would stay resident for good (GEAR: ~20 MB a face at its 198-px input; the others 1–4 MB a face).
// Smaller runs give bit-identical outputs (each face is computed alone either way; test/onnx/batches.test.ts)
// and cost no speed here: GEAR's CPU per face is the same at batch 1 as at 4.
const MAX_FACES_PER_RUN: Partial<Record<OnnxModelName, number>> = { gear: 1 };
const DEFAULT_FACES_PER_RUN = 4;

/** How `count` faces are run on `name`: [first face, faces] per run, in order. */
export function faceRuns(name: OnnxModelName, count: number): [number, number][] {
  const most = MAX_FACES_PER_RUN[name] ?? DEFAULT_FACES_PER_RUN;
  const runs: [number, number][] = [];
  for (let first = 0; first < count; first += most) runs.push([first, Math.min(most, count - first)]);
  return runs;
}

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

  /**
   * `name` on a float batch, in runs of at most its faces per run (see MAX_FACES_PER_RUN; the data is shared, not
   * copied): each of `outputs` with the runs' values concatenated in face order.
   */
  private async runFaces<K extends string>(
    name: OnnxModelName,
    b: PixelBatch,
    outputs: readonly K[],
  ): Promise<Record<K, Float32Array>> {
    const [n, ...face] = b.shape;
    const size = face[0] * face[1] * face[2];
    const parts: Ort.InferenceSession.ReturnType[] = [];
    for (const [first, count] of faceRuns(name, n)) {
      const data = b.data.subarray(first * size, (first + count) * size);
      parts.push(await this.run(name, { input: new this.ort.Tensor('float32', data, [count, ...face]) }));
    }
    const joined = {} as Record<K, Float32Array>;
    for (const output of outputs) {
      const values = parts.map((part) => OnnxNets.floats(part, output));
      if (values.length === 1) {
        joined[output] = values[0] as Float32Array;
        continue;
      }
      const all = new Float32Array(values.reduce((sum, v) => sum + v.length, 0));
      let at = 0;
      for (const v of values) {
        all.set(v, at);
        at += v.length;
      }
      joined[output] = all;
    }
    return joined;
  }

  /** face-api's `faceLandmark68Net.detectLandmarks(crops)`: 68 points per crop, in the crop's pixels. */
  async landmarks(batch: PixelBatch, crops: readonly CropSize[]): Promise<{ x: number; y: number }[][]> {
    if (batch.shape[0] === 0) return [];
    const { landmarks: data } = await this.runFaces('faceLandmark68Net', batch, ['landmarks']);
    return crops.map((crop, i) =>
      toCropPoints(data.subarray(i * 136, (i + 1) * 136), crop.width, crop.height),
    );
  }

  /** nets/face-recognition-net.ts `faceDescriptors` for 150 × 150 chips [n, 150, 150, 3]. */
  async descriptors(chips: PixelBatch): Promise<Float32Array[]> {
    const n = chips.shape[0];
    if (n === 0) return [];
    const { descriptors: data } = await this.runFaces('faceRecognitionNet', chips, ['descriptors']);
    return Array.from({ length: n }, (_, i) => data.slice(i * 128, (i + 1) * 128));
  }

  /** face-api's `ageGenderNet.predictAgeAndGender(crops)`: age and the male probability per face. */
  async ageGender(batch: PixelBatch): Promise<AgeGenderOutput[]> {
    const n = batch.shape[0];
    if (n === 0) return [];
    const { age, gender } = await this.runFaces('ageGenderNet', batch, ['age', 'gender']);
    return Array.from({ length: n }, (_, i) => ({ age: age[i] as number, male: gender[i * 2] as number }));
  }

  /** face-api's `faceExpressionNet.predictExpressions(crops)`: probability per face-api expression label. */
  async expressions(batch: PixelBatch): Promise<Record<string, number>[]> {
    const count = batch.shape[0];
    if (count === 0) return [];
    const { expressions: data } = await this.runFaces('faceExpressionNet', batch, ['expressions']);
    const n = EXPRESSION_LABELS.length;
    return Array.from({ length: count }, (_, i) =>
      Object.fromEntries(EXPRESSION_LABELS.map((label, k) => [label, data[i * n + k] as number])),
    );
  }

  /** GEAR's race head for its input batch [n, 198, 198, 3] in [0, 1]: 5 probabilities per face. */
  async race(input: PixelBatch): Promise<number[][]> {
    const n = input.shape[0];
    if (n === 0) return [];
    const { race_output: data } = await this.runFaces('gear', input, ['race_output']);
    const k = data.length / n;
    return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * k, (i + 1) * k)));
  }

  /** human-models' antispoof for crops [n, 128, 128, 3] in [0, 1]: P(real face) per face. */
  async antispoof(input: PixelBatch): Promise<number[]> {
    if (input.shape[0] === 0) return [];
    return Array.from((await this.runFaces('antispoof', input, ['real'])).real);
  }

  /** human-models' liveness for crops [n, 32, 32, 3] in [0, 1]: 2 softmax outputs per face. */
  async liveness(input: PixelBatch): Promise<number[][]> {
    const n = input.shape[0];
    if (n === 0) return [];
    const { live: data } = await this.runFaces('liveness', input, ['live']);
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
