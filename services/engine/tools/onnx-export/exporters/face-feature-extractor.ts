// face-api's FaceFeatureExtractor (four dense blocks of separable convs + 7×7 average pool), shared by the
// 68-point landmark net and the expression net, as ONNX nodes.
import type { GraphBuilder } from '../builder';
import { add, conv, pool, relu, separableConv, type Act } from '../layers';
import { FACE_INPUT } from '../../../src/inference/backends/onnx/outputs';
import { floatWeight, weightShape, type WeightMap } from '../weights';

/** face-api's input size (what the onnx backend feeds) and mean RGB for its 112 × 112 nets. */
export const FEATURE_INPUT_SIZE = FACE_INPUT;
export const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/**
 * face-api's `normalize(x, MEAN_RGB) / 255` on an NCHW float input (0-255): the mean is subtracted here; the / 255
 * is folded by the caller into the first conv (exact: zero padding commutes with the scale).
 */
export function subtractMean(g: GraphBuilder, x: Act): Act {
  return { ...x, name: g.op('Sub', [x.name, g.constFloat([...MEAN_RGB], [1, 3, 1, 1], 'mean_rgb')]) };
}

function sep(g: GraphBuilder, w: WeightMap, x: Act, prefix: string, stride: number): Act {
  const cout = weightShape(w, `${prefix}/pointwise_filter`)[3] ?? 0;
  return separableConv(
    g,
    x,
    {
      depthwise: floatWeight(w, `${prefix}/depthwise_filter`, [3, 3, x.c, 1]),
      pointwise: floatWeight(w, `${prefix}/pointwise_filter`, [1, 1, x.c, cout]),
      bias: floatWeight(w, `${prefix}/bias`, [cout]),
      cout,
      stride,
    },
    prefix.replace(/\//g, '_'),
  );
}

/** face-api's denseBlock4 (scale-down variant: the first conv has stride 2). */
function denseBlock4(g: GraphBuilder, w: WeightMap, x: Act, prefix: string, first: boolean): Act {
  let c0: Act;
  if (first) {
    const shape = weightShape(w, `${prefix}/conv0/filters`);
    // Input still in 0-255 minus the mean: the / 255 of face-api's normalisation goes into this filter.
    const filter = floatWeight(w, `${prefix}/conv0/filters`).map((v) => v / 255);
    c0 = conv(
      g,
      x,
      { filter, shape, bias: floatWeight(w, `${prefix}/conv0/bias`), stride: 2 },
      `${prefix}_conv0`,
    );
  } else c0 = sep(g, w, x, `${prefix}/conv0`, 2);
  const out1 = relu(g, c0);
  const out2 = sep(g, w, out1, `${prefix}/conv1`, 1);
  const in3 = relu(g, add(g, out1, out2));
  const out3 = sep(g, w, in3, `${prefix}/conv2`, 1);
  const sum3 = add(g, out1, add(g, out2, out3));
  const in4 = relu(g, sum3);
  const out4 = sep(g, w, in4, `${prefix}/conv3`, 1);
  return relu(g, add(g, out1, add(g, out2, add(g, out3, out4))));
}

/** [N, 3, 112, 112] (0-255, mean subtracted) → [N, 256, 1, 1] bottleneck features. */
export function faceFeatureExtractor(g: GraphBuilder, w: WeightMap, x: Act): Act {
  let out = denseBlock4(g, w, x, 'dense0', true);
  out = denseBlock4(g, w, out, 'dense1', false);
  out = denseBlock4(g, w, out, 'dense2', false);
  out = denseBlock4(g, w, out, 'dense3', false);
  return pool(g, 'AveragePool', out, 7, 2, 'valid');
}
