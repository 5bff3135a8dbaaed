// face-api's AgeGenderNet (TinyXception with 2 main blocks, two fully connected heads) as ONNX.
//
// Input `input` [N, 112, 112, 3] float32 RGB 0-255: face-api's `NetInput.toBatchTensor(112, true)` of the face
// crops, before normalisation.
// Outputs `age` [N] (years, face-api's regression output) and `gender` [N, 2] (softmax: male, female), i.e.
// face-api's `forwardInput`; predictAgeAndGender's male/female choice (p(male) > 0.5) stays with the caller.
import { GraphBuilder } from '../builder';
import { add, conv, dense, flatten1x1, nhwcInput, pool, relu, separableConv, type Act } from '../layers';
import { floatWeight, readFaceApiWeights, weightShape, type WeightMap } from '../weights';
import { FEATURE_INPUT_SIZE, subtractMean } from './face-feature-extractor';

const AGE_GENDER_MODEL = 'age_gender_model';
const MAIN_BLOCKS = 2;

function sep(g: GraphBuilder, w: WeightMap, x: Act, prefix: string): Act {
  const cout = weightShape(w, `${prefix}/pointwise_filter`)[3] ?? 0;
  return separableConv(
    g,
    x,
    {
      depthwise: floatWeight(w, `${prefix}/depthwise_filter`, [3, 3, x.c, 1]),
      pointwise: floatWeight(w, `${prefix}/pointwise_filter`, [1, 1, x.c, cout]),
      bias: floatWeight(w, `${prefix}/bias`, [cout]),
      cout,
    },
    prefix.replace(/\//g, '_'),
  );
}

function convLayer(g: GraphBuilder, w: WeightMap, x: Act, prefix: string, stride: number, scale = 1): Act {
  const shape = weightShape(w, `${prefix}/filters`);
  const filters = floatWeight(w, `${prefix}/filters`);
  const filter = scale === 1 ? filters : filters.map((v) => v * scale);
  return conv(
    g,
    x,
    { filter, shape, bias: floatWeight(w, `${prefix}/bias`), stride },
    prefix.replace(/\//g, '_'),
  );
}

function reductionBlock(g: GraphBuilder, w: WeightMap, x: Act, prefix: string, activateInput: boolean): Act {
  let out = sep(g, w, activateInput ? relu(g, x) : x, `${prefix}/separable_conv0`);
  out = sep(g, w, relu(g, out), `${prefix}/separable_conv1`);
  out = pool(g, 'MaxPool', out, 3, 2, 'same');
  return add(g, out, convLayer(g, w, x, `${prefix}/expansion_conv`, 2));
}

function mainBlock(g: GraphBuilder, w: WeightMap, x: Act, prefix: string): Act {
  let out = sep(g, w, relu(g, x), `${prefix}/separable_conv0`);
  out = sep(g, w, relu(g, out), `${prefix}/separable_conv1`);
  out = sep(g, w, relu(g, out), `${prefix}/separable_conv2`);
  return add(g, out, x);
}

/** Exports face-api's age/gender net from `<modelDir>/age_gender_model-weights_manifest.json`. */
export function exportAgeGenderNet(modelDir: string): Uint8Array {
  const w = readFaceApiWeights(modelDir, AGE_GENDER_MODEL);
  const g = new GraphBuilder('age_gender');
  const x = subtractMean(g, nhwcInput(g, 'input', FEATURE_INPUT_SIZE, FEATURE_INPUT_SIZE));
  // The / 255 of face-api's normalisation is folded into the first conv.
  let out = relu(g, convLayer(g, w, x, 'entry_flow/conv_in', 2, 1 / 255));
  out = reductionBlock(g, w, out, 'entry_flow/reduction_block_0', false);
  out = reductionBlock(g, w, out, 'entry_flow/reduction_block_1', true);
  for (let i = 0; i < MAIN_BLOCKS; i++) out = mainBlock(g, w, out, `middle_flow/main_block_${i}`);
  out = reductionBlock(g, w, out, 'exit_flow/reduction_block', true);
  out = relu(g, sep(g, w, out, 'exit_flow/separable_conv'));
  const pooled = flatten1x1(g, pool(g, 'AveragePool', out, 7, 2, 'valid'));
  const age = dense(
    g,
    pooled,
    floatWeight(w, 'fc/age/weights', [512, 1]),
    floatWeight(w, 'fc/age/bias', [1]),
    [512, 1],
    'age',
  );
  g.output(g.op('Reshape', [age, g.constInt64([-1])]), 'age', ['N']);
  const gender = dense(
    g,
    pooled,
    floatWeight(w, 'fc/gender/weights', [512, 2]),
    floatWeight(w, 'fc/gender/bias', [2]),
    [512, 2],
    'gender',
  );
  g.output(g.op('Softmax', [gender], { axis: 1 }), 'gender', ['N', 2]);
  return g.toBytes(
    'face-api AgeGenderNet: input [N,112,112,3] RGB 0-255 → age [N], gender [N,2] softmax (male, female)',
  );
}
