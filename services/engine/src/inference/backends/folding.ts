// Weight folding, shared by the tfjs forward passes (backends/tfjs, at first use) and the ONNX exporter
// (tools/onnx-export, at build time), so both backends start from bit-equal weights. Plain arithmetic on the
// weights' values (no tfjs): each product and sum in double precision, stored as float32.

/** A conv's folded weights: the HWIO filter [kh, kw, cin, cout] and one bias per output channel. */
export interface FoldedConv {
  filter: Float32Array;
  bias: Float32Array;
}

/**
 * A conv followed by a per-channel scale layer: (conv(x, W) + b) × s + t = conv(x, W × s) + (b × s + t). With
 * `mean`, the conv's input is also (x − mean) / 255: W / 255, and Σ W × mean / 255 leaves the bias (exact for a
 * conv without padding). face-api's FaceRecognitionNet.
 */
export function foldScaledConv(
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  scale: { weights: ArrayLike<number>; biases: ArrayLike<number> },
  [, , cin = 0, cout = 0]: readonly number[],
  mean?: readonly number[],
): FoldedConv {
  const s = scale.weights;
  const t = scale.biases;
  const divisor = mean ? 255 : 1;
  const filter = new Float32Array(w.length);
  const shift = new Float64Array(cout);
  for (let i = 0; i < w.length; i++) {
    const o = i % cout;
    const weight = w[i] as number;
    filter[i] = (weight * (s[o] as number)) / divisor;
    if (mean) shift[o] = (shift[o] as number) + (weight * (mean[Math.floor(i / cout) % cin] as number)) / 255;
  }
  const bias = Float32Array.from(
    b,
    (v, o) => (v - (shift[o] as number)) * (s[o] as number) + (t[o] as number),
  );
  return { filter, bias };
}

/**
 * A conv whose input is (x − mean) / 255: conv(x) with filter / 255 and bias − Σ filter × mean / 255 is the same
 * function for a conv that pads nothing (float rounding aside), without two passes over the input. face-api's
 * TinyFaceDetector conv0.
 */
export function foldInputNormalisation(
  w: ArrayLike<number>,
  b: ArrayLike<number>,
  [, , cin = 0, cout = 0]: readonly number[],
  mean: readonly number[],
): FoldedConv {
  const filter = new Float32Array(w.length);
  const shift = new Float64Array(cout);
  for (let i = 0; i < w.length; i++) {
    const o = i % cout;
    const c = Math.floor(i / cout) % cin;
    const weight = w[i] as number;
    filter[i] = weight / 255;
    shift[o] = (shift[o] as number) + (weight * (mean[c] as number)) / 255;
  }
  return { filter, bias: Float32Array.from(b, (v, o) => v - (shift[o] as number)) };
}

/**
 * A depthwise conv (filter [kh, kw, channels, 1]) followed by a batch norm: the filter scaled by
 * γ / √(σ² + ε) per channel, and the bias β − μ × γ / √(σ² + ε). face-api's SsdMobilenetv1.
 */
export function foldDepthwiseBatchNorm(
  filters: ArrayLike<number>,
  bn: {
    gamma: ArrayLike<number>;
    beta: ArrayLike<number>;
    mean: ArrayLike<number>;
    variance: ArrayLike<number>;
  },
  channels: number,
  epsilon: number,
): FoldedConv {
  const scale = new Float64Array(channels);
  const bias = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = (bn.gamma[c] as number) / Math.sqrt((bn.variance[c] as number) + epsilon);
    scale[c] = s;
    bias[c] = (bn.beta[c] as number) - (bn.mean[c] as number) * s;
  }
  // Channel c's weights every `channels` values.
  const filter = new Float32Array(filters.length);
  for (let i = 0; i < filters.length; i++)
    filter[i] = (filters[i] as number) * (scale[i % channels] as number);
  return { filter, bias };
}
