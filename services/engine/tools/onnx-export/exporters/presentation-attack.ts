// human-models' two presentation-attack networks (small Keras CNNs converted to tfjs graph models) as ONNX.
//
// antispoof: input `input` [N, 128, 128, 3] RGB in [0, 1] (the face crop resized bilinearly, as human's
// face/antispoof.ts feeds it); output `real` [N, 1], a sigmoid: the probability that the face is a real one.
// liveness: input `input` [N, 32, 32, 3] RGB in [0, 1] (human's face/liveness.ts); output `live` [N, 2], a softmax
// whose first column human reports as the face's liveness.
import { exportKerasGraph } from './keras-graph';

export function exportAntispoof(modelDir: string): Uint8Array {
  return exportKerasGraph(
    modelDir,
    'antispoof',
    { activation_4: 'real' },
    'human-models antispoof: input [N,128,128,3] RGB 0-1 → real [N,1]',
  );
}

export function exportLiveness(modelDir: string): Uint8Array {
  return exportKerasGraph(
    modelDir,
    'liveness',
    { activation_6: 'live' },
    'human-models liveness: input [N,32,32,3] RGB 0-1 → live [N,2]',
  );
}
