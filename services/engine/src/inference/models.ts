import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export { FACE_API_MODEL_DIR, HUMAN_MODEL_DIR } from './model-dirs';
export { MODEL_NAMES } from './about';

/** A tfjs graph model from `<dir>/<name>.json` and its weight shards (GEAR, the selfie segmentation). */
export async function loadGraphModelFromDisk(dir: string, name: string): Promise<tf.GraphModel> {
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
