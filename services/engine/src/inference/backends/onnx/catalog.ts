// The onnx backend's models on disk. They are made at build time by the exporter (services/engine/tools/onnx-export,
// run by the package's build as export:onnx) from the weights in node_modules, never downloaded; images ship them
// in dist/onnx-models. A file's name carries a hash of the weight files it was made from and of its exporter's
// version, so a changed model or exporter never reuses a stale export: the engine then refuses the onnx backend
// (auto falls back to tfjs) and says which command makes the files.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FACE_API_MODEL_DIR, HUMAN_MODEL_DIR } from '../../model-dirs';

export interface OnnxModel {
  /** Directory holding the weights the export reads (shipped in npm packages). */
  readonly modelDir: string;
  /** Files (relative to modelDir) the export reads: the cache key hashes them. */
  readonly sources: readonly string[];
  /** Bumped when the exporter's graph changes, so exports built by an older exporter are rebuilt. */
  readonly version: number;
}

const faceApi = (model: string): OnnxModel => ({
  modelDir: FACE_API_MODEL_DIR,
  sources: [`${model}-weights_manifest.json`, `${model}.bin`],
  version: 1,
});

export const ONNX_MODELS = {
  ssdMobilenetv1: faceApi('ssd_mobilenetv1_model'),
  tinyFaceDetector: faceApi('tiny_face_detector_model'),
  faceRecognitionNet: faceApi('face_recognition_model'),
  faceLandmark68Net: faceApi('face_landmark_68_model'),
  ageGenderNet: faceApi('age_gender_model'),
  faceExpressionNet: faceApi('face_expression_model'),
  // 2: batch norms folded into the next conv / dense layer.
  gear: { modelDir: HUMAN_MODEL_DIR, sources: ['gear.json', 'gear.bin'], version: 2 },
  // Presentation-attack signals (inference/liveness.ts).
  antispoof: { modelDir: HUMAN_MODEL_DIR, sources: ['antispoof.json', 'antispoof.bin'], version: 1 },
  liveness: { modelDir: HUMAN_MODEL_DIR, sources: ['liveness.json', 'liveness.bin'], version: 1 },
  // The person mask of Verify's document check (document/selfie-segmentation.ts).
  selfie: { modelDir: HUMAN_MODEL_DIR, sources: ['selfie.json', 'selfie.bin'], version: 1 },
} as const satisfies Record<string, OnnxModel>;

export type OnnxModelName = keyof typeof ONNX_MODELS;
export const ONNX_MODEL_NAMES = Object.keys(ONNX_MODELS) as OnnxModelName[];

/** `dist/onnx-models` of this package (from src/ or dist/ alike): deployed with dist/. */
export const DEFAULT_CACHE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'onnx-models');
/** Where the exporter writes when the package's directory is read-only. */
export const FALLBACK_CACHE_DIR = path.join(os.tmpdir(), 'deepface-onnx-models');

/** The command that makes the exports (the package's build runs it). */
const EXPORT_COMMAND = 'pnpm --filter @deepface/engine export:onnx';

const keys = new Map<OnnxModelName, string>();

/** sha256 over the model's name, its exporter's version and the bytes of every weight file (16 hex digits). */
export function cacheKey(name: OnnxModelName): string {
  const known = keys.get(name);
  if (known) return known;
  const model: OnnxModel = ONNX_MODELS[name];
  const hash = createHash('sha256').update(`${name}\0${model.version}\0`);
  for (const source of model.sources) {
    hash.update(`${source}\0`);
    hash.update(fs.readFileSync(path.join(model.modelDir, source)));
  }
  const key = hash.digest('hex').slice(0, 16);
  keys.set(name, key);
  return key;
}

export function modelFile(name: OnnxModelName, dir: string = DEFAULT_CACHE_DIR): string {
  return path.join(dir, `${name}-${cacheKey(name)}.onnx`);
}

/**
 * The exported file of every model, from the first of `dirs` that holds it (the package's own, else where the
 * exporter wrote on a read-only install); throws, naming the command that makes them, if one lacks.
 */
export function exportedModels(
  dirs: readonly string[] = [DEFAULT_CACHE_DIR, FALLBACK_CACHE_DIR],
  names: readonly OnnxModelName[] = ONNX_MODEL_NAMES,
): Record<OnnxModelName, string> {
  const files = {} as Record<OnnxModelName, string>;
  const missing: OnnxModelName[] = [];
  for (const name of names) {
    const file = dirs.map((dir) => modelFile(name, dir)).find((f) => fs.existsSync(f));
    if (file) files[name] = file;
    else missing.push(name);
  }
  if (missing.length > 0)
    throw new Error(
      `no current ONNX export of ${missing.join(', ')} in ${dirs.join(' or ')}: run \`${EXPORT_COMMAND}\``,
    );
  return files;
}
