/** @jest-environment ./test/onnx/ort-environment.js */
// The graph builder and the weight reader, on onnxruntime-node and against tfjs's own weight decoding.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { GraphBuilder } from '../../tools/onnx-export/builder';
import { conv, nhwcInput } from '../../tools/onnx-export/layers';
import { readFaceApiWeights, readGraphModel } from '../../tools/onnx-export/weights';
import { EXPORTERS } from '../../tools/onnx-export/exporters/index';
import { initBackend } from '../../src/inference/backends/index';

const FACE_API_MODEL_DIR = EXPORTERS.faceRecognitionNet.modelDir;
const HUMAN_MODEL_DIR = EXPORTERS.gear.modelDir;

async function run(
  bytes: Uint8Array,
  feeds: Record<string, ort.Tensor>,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('GraphBuilder', () => {
  it('builds a graph onnxruntime runs, with int and float attributes and a symbolic batch', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', ['N', 3]);
    const y = g.op('MatMul', [x, g.constFloat([1, 2, 3, 4, 5, 6], [3, 2])]);
    g.output(g.op('LeakyRelu', [y], { alpha: { f: 0.5 } }), 'out', ['N', 2]);
    g.output(g.op('Reshape', [y, g.constInt64([-1])]), 'flat', ['M']);
    const out = await run(g.toBytes(), {
      x: new ort.Tensor('float32', Float32Array.from([1, 0, -1, 0, 0, 1]), [2, 3]),
    });
    // [1, 0, -1] × W = [-4, -4] → leaky 0.5 → [-2, -2]; [0, 0, 1] × W = [5, 6].
    expect(Array.from(out.out!.data as Float32Array)).toEqual([-2, -2, 5, 6]);
    expect(out.out!.dims).toEqual([2, 2]);
    expect(Array.from(out.flat!.data as Float32Array)).toEqual([-4, -4, 5, 6]);
  });

  it('refuses a tensor name used twice and an initializer of the wrong size', () => {
    const g = new GraphBuilder('t');
    g.input('x', [1]);
    expect(() => g.node('Relu', ['x'], ['x'])).toThrow(/already used/);
    expect(() => g.initializer('w', new Float32Array(3), [2, 2])).toThrow(/3 values/);
  });

  it("pads like TensorFlow's 'same' (the odd pixel after) for a strided conv", async () => {
    // A 4×4 input, 3×3 ones filter, stride 2: TF pads 0 before and 1 after on each axis.
    const g = new GraphBuilder('t');
    const x = nhwcInput(g, 'input', 4, 4, 1);
    const y = conv(g, x, {
      filter: new Float32Array(9).fill(1),
      shape: [3, 3, 1, 1],
      stride: 2,
      padding: 'same',
    });
    expect([y.h, y.w]).toEqual([2, 2]);
    g.output(y.name, 'out', ['N', 1, 2, 2]);
    const input = Float32Array.from({ length: 16 }, (_, i) => i);
    const out = await run(g.toBytes(), { input: new ort.Tensor('float32', input, [1, 4, 4, 1]) });
    const reference = tf.tidy(() =>
      tf.conv2d(tf.tensor4d(input, [1, 4, 4, 1]), tf.ones<tf.Rank.R4>([3, 3, 1, 1]), 2, 'same').dataSync(),
    );
    expect(Array.from(out.out!.data as Float32Array)).toEqual(Array.from(reference));
  });
});

describe('weights', () => {
  const decodeWithTfjs = (dir: string, groups: tf.io.WeightsManifestConfig): tf.NamedTensorMap => {
    const buffers = groups.flatMap((grp) => grp.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    const all = Buffer.concat(buffers);
    const data = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    return tf.io.decodeWeights(
      data,
      groups.flatMap((grp) => grp.weights),
    );
  };

  it.each(['face_recognition_model', 'face_landmark_68_model', 'age_gender_model', 'face_expression_model'])(
    "%s: every weight equals tfjs's decoding (uint8 dequantized)",
    (model) => {
      const manifest = JSON.parse(
        fs.readFileSync(path.join(FACE_API_MODEL_DIR, `${model}-weights_manifest.json`), 'utf8'),
      ) as tf.io.WeightsManifestConfig;
      const reference = decodeWithTfjs(FACE_API_MODEL_DIR, manifest);
      const ours = readFaceApiWeights(FACE_API_MODEL_DIR, model);
      expect([...ours.keys()].sort()).toEqual(Object.keys(reference).sort());
      for (const [name, w] of ours) {
        const ref = reference[name]!;
        expect(w.shape).toEqual(ref.shape);
        // Bit-equal (a boolean: jest's deep equality is slow on megabytes).
        const same = Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(
          Buffer.from(ref.dataSync().buffer),
        );
        expect({ name, same }).toEqual({ name, same: true });
        ref.dispose();
      }
    },
  );

  it("gear (float16 quantized graph model): every weight equals tfjs's decoding", () => {
    const json = JSON.parse(fs.readFileSync(path.join(HUMAN_MODEL_DIR, 'gear.json'), 'utf8')) as {
      weightsManifest: tf.io.WeightsManifestConfig;
    };
    const reference = decodeWithTfjs(HUMAN_MODEL_DIR, json.weightsManifest);
    const model = readGraphModel(HUMAN_MODEL_DIR, 'gear');
    expect(model.weights.size).toBe(Object.keys(reference).length);
    expect(model.outputs.race_output).toBe('Identity_2');
    for (const [name, w] of model.weights) {
      const ref = reference[name]!;
      const same = Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(
        Buffer.from(ref.dataSync().buffer),
      );
      expect({ name, same }).toEqual({ name, same: true });
      ref.dispose();
    }
  });
});

describe('exporters', () => {
  it('are deterministic: the same bytes twice', () => {
    const e = EXPORTERS.faceExpressionNet;
    expect(Buffer.from(e.export(e.modelDir)).equals(Buffer.from(e.export(e.modelDir)))).toBe(true);
  });
});
