// human-models' GEAR (a tfjs graph model: age, gender and race heads on one small VGG-like trunk) as ONNX, by
// translating the ops of its TensorFlow graph. Only the heads asked for are kept (the engine uses `race_output`).
//
// Input `input` [N, 198, 198, 3] float32 RGB in [0, 1]: the face crops as attributes.ts predictRace builds them
// (cropAndResize to 198 × 198, / 255). Outputs: the signature names asked for, e.g. `race_output` [N, 5] softmax
// (white, black, asian, indian, other).
import { GraphBuilder } from '../builder';
import { readGraphModel } from '../weights';
import { KerasGraphTranslator } from './keras-graph';

const GEAR_MODEL = 'gear';

/**
 * Exports GEAR from `<modelDir>/gear.json` (human-models' `models` directory) with the signature outputs asked
 * for, each an ONNX output of the same name.
 */
export function exportGear(modelDir: string, outputs: readonly string[] = ['race_output']): Uint8Array {
  const model = readGraphModel(modelDir, GEAR_MODEL);
  const g = new GraphBuilder('gear');
  const t = new KerasGraphTranslator(g, model, 'gear');
  for (const out of outputs) {
    const node = model.outputs[out];
    if (!node) throw new Error(`gear: no output ${out}`);
    const v = t.materialize(t.value(node));
    if (v.rank !== 2) throw new Error(`gear: output ${out} is not [N, k]`);
    g.output(v.name, out, ['N', v.f]);
  }
  return g.toBytes(`human-models GEAR: input [N,198,198,3] RGB 0-1 → ${outputs.join(', ')}`);
}
