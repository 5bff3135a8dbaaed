// Reads tfjs weights from disk without tfjs: face-api's `<model>-weights_manifest.json` + `.bin` shards and tfjs
// graph models (`<name>.json` with modelTopology + weightsManifest), dequantized exactly as tfjs's decodeWeights.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Weight {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}
export type WeightMap = ReadonlyMap<string, Weight>;

interface Quantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: Quantization;
}

interface WeightGroup {
  paths: string[];
  weights: WeightSpec[];
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/** IEEE half → float (exact: every half is representable as a float). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decode(spec: WeightSpec, bytes: Buffer): Weight {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const q = spec.quantization;
  // Copy into an aligned buffer: shard offsets need not be multiples of 4.
  const aligned = new Uint8Array(bytes).buffer;
  if (q) {
    const raw = q.dtype === 'uint8' ? new Uint8Array(aligned) : new Uint16Array(aligned);
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32')
        throw new Error(`weight ${spec.name}: float16 quantization of ${spec.dtype}`);
      return { shape: spec.shape, data: Float32Array.from(raw, halfToFloat) };
    }
    const { scale, min } = q;
    if (scale === undefined || min === undefined) throw new Error(`weight ${spec.name}: no scale/min`);
    // tfjs computes v * scale + min in double precision and stores the float32 (int32: rounded).
    if (spec.dtype === 'int32')
      return { shape: spec.shape, data: Int32Array.from(raw, (v) => Math.round(v * scale + min)) };
    return { shape: spec.shape, data: Float32Array.from(raw, (v) => v * scale + min) };
  }
  if (spec.dtype === 'float32') return { shape: spec.shape, data: new Float32Array(aligned, 0, count) };
  if (spec.dtype === 'int32') return { shape: spec.shape, data: new Int32Array(aligned, 0, count) };
  throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
}

/** Decodes every weight of the manifest groups, reading their shards from `dir`. */
function readWeightGroups(dir: string, groups: readonly WeightGroup[]): Map<string, Weight> {
  const out = new Map<string, Weight>();
  for (const group of groups) {
    // A group's weights are laid out back to back across its shards, in order.
    const buffer = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    let offset = 0;
    for (const spec of group.weights) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const size = count * (BYTES[spec.quantization?.dtype ?? spec.dtype] ?? NaN);
      if (!Number.isFinite(size) || offset + size > buffer.length)
        throw new Error(`weight ${spec.name}: unsupported dtype or past the end of its shards`);
      out.set(spec.name, decode(spec, buffer.subarray(offset, offset + size)));
      offset += size;
    }
  }
  return out;
}

/** face-api's weights for `model` (e.g. 'face_recognition_model'): `<dir>/<model>-weights_manifest.json`. */
export function readFaceApiWeights(dir: string, model: string): Map<string, Weight> {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(dir, `${model}-weights_manifest.json`), 'utf8'),
  ) as WeightGroup[];
  return readWeightGroups(dir, manifest);
}

/** A node of a tfjs graph model's topology (TensorFlow GraphDef JSON). */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}
export interface TfAttr {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: string[]; f?: number[] };
  shape?: { dim?: { size: string }[] };
}

export interface GraphModel {
  nodes: TfNode[];
  /** Signature outputs: public name (e.g. 'race_output') → node name (e.g. 'Identity_2'). */
  outputs: Record<string, string>;
  weights: Map<string, Weight>;
}

/** A tfjs graph model (`<dir>/<name>.json`), e.g. human-models' gear. */
export function readGraphModel(dir: string, name: string): GraphModel {
  const model = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as {
    modelTopology: { node: TfNode[] };
    signature?: { outputs?: Record<string, { name: string }> };
    weightsManifest: WeightGroup[];
  };
  const outputs: Record<string, string> = {};
  for (const [key, value] of Object.entries(model.signature?.outputs ?? {}))
    outputs[key] = value.name.replace(/:0$/, '');
  return { nodes: model.modelTopology.node, outputs, weights: readWeightGroups(dir, model.weightsManifest) };
}

/** A float weight by name, checked against the expected shape. */
export function floatWeight(weights: WeightMap, name: string, shape?: readonly number[]): Float32Array {
  const w = weights.get(name);
  if (!w || !(w.data instanceof Float32Array)) throw new Error(`weight ${name}: missing or not float32`);
  if (shape && (shape.length !== w.shape.length || shape.some((d, i) => d !== w.shape[i])))
    throw new Error(`weight ${name}: shape [${w.shape.join(',')}], expected [${shape.join(',')}]`);
  return w.data;
}

/** Shape of a weight by name. */
export function weightShape(weights: WeightMap, name: string): readonly number[] {
  const w = weights.get(name);
  if (!w) throw new Error(`weight ${name}: missing`);
  return w.shape;
}
