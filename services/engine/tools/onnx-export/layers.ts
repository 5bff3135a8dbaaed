// tfjs layers (NHWC, HWIO filters, TensorFlow 'same'/'valid' padding) as ONNX nodes (NCHW, OIHW filters, explicit
// pads), with spatial sizes tracked statically so 'same' pads are exact.
import type { GraphBuilder } from './builder';

/** An NCHW activation: tensor name, channels, height, width (the batch stays symbolic). */
export interface Act {
  readonly name: string;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

export type Padding = 'same' | 'valid';

/** HWIO [kh, kw, cin, cout] → OIHW [cout, cin, kh, kw]. */
export function hwioToOihw(w: Float32Array, [kh, kw, cin, cout]: readonly number[]): Float32Array {
  const [h, wd, ci, co] = [kh ?? 0, kw ?? 0, cin ?? 0, cout ?? 0];
  const out = new Float32Array(w.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < wd; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * h + y) * wd + x] = w[((y * wd + x) * ci + i) * co + o] as number;
  return out;
}

/**
 * TensorFlow's padding for one spatial axis: output size and [before, after] pads ('same' puts the odd pixel
 * after, like ONNX SAME_UPPER).
 */
export function axisPads(
  size: number,
  k: number,
  stride: number,
  padding: Padding,
): { out: number; pads: [number, number] } {
  if (padding === 'valid') return { out: Math.floor((size - k) / stride) + 1, pads: [0, 0] };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  const before = Math.floor(total / 2);
  return { out, pads: [before, total - before] };
}

function spatial(
  x: Act,
  k: number,
  stride: number,
  padding: Padding,
): { h: number; w: number; pads: number[] } {
  const ph = axisPads(x.h, k, stride, padding);
  const pw = axisPads(x.w, k, stride, padding);
  return { h: ph.out, w: pw.out, pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]] };
}

export interface ConvSpec {
  /** HWIO filter as tfjs holds it. */
  filter: Float32Array;
  shape: readonly number[];
  bias?: Float32Array;
  stride?: number;
  padding?: Padding;
}

/** tf.conv2d (+ bias): one ONNX Conv. */
export function conv(g: GraphBuilder, x: Act, spec: ConvSpec, prefix = 'conv'): Act {
  const [kh, , cin, cout] = spec.shape as [number, number, number, number];
  if (cin !== x.c) throw new Error(`${prefix}: filter expects ${cin} channels, input has ${x.c}`);
  const stride = spec.stride ?? 1;
  const s = spatial(x, kh, stride, spec.padding ?? 'same');
  const w = g.constFloat(
    hwioToOihw(spec.filter, spec.shape),
    [cout, cin, kh, spec.shape[1] ?? kh],
    `${prefix}_w`,
  );
  const inputs = [x.name, w];
  if (spec.bias) inputs.push(g.constFloat(spec.bias, [cout], `${prefix}_b`));
  const name = g.op('Conv', inputs, {
    kernel_shape: [kh, spec.shape[1] ?? kh],
    strides: [stride, stride],
    pads: s.pads,
  });
  return { name, c: cout, h: s.h, w: s.w };
}

/**
 * tf.separableConv2d (depthwise [k, k, cin, 1], pointwise [1, 1, cin, cout]) + bias: a grouped Conv and a 1×1 Conv.
 */
export function separableConv(
  g: GraphBuilder,
  x: Act,
  spec: {
    depthwise: Float32Array;
    pointwise: Float32Array;
    bias: Float32Array;
    cout: number;
    k?: number;
    stride?: number;
  },
  prefix = 'sep',
): Act {
  const k = spec.k ?? 3;
  const stride = spec.stride ?? 1;
  const s = spatial(x, k, stride, 'same');
  // [k, k, cin, 1] → [cin, 1, k, k]: the HWIO→OIHW transpose with cin as the output axis.
  const dw = g.constFloat(hwioToOihw(spec.depthwise, [k, k, 1, x.c]), [x.c, 1, k, k], `${prefix}_dw`);
  const depth = g.op('Conv', [x.name, dw], {
    group: x.c,
    kernel_shape: [k, k],
    strides: [stride, stride],
    pads: s.pads,
  });
  const pw = g.constFloat(
    hwioToOihw(spec.pointwise, [1, 1, x.c, spec.cout]),
    [spec.cout, x.c, 1, 1],
    `${prefix}_pw`,
  );
  const name = g.op('Conv', [depth, pw, g.constFloat(spec.bias, [spec.cout], `${prefix}_b`)], {
    kernel_shape: [1, 1],
  });
  return { name, c: spec.cout, h: s.h, w: s.w };
}

export function relu(g: GraphBuilder, x: Act): Act {
  return { ...x, name: g.op('Relu', [x.name]) };
}

export function add(g: GraphBuilder, a: Act, b: Act): Act {
  if (a.c !== b.c || a.h !== b.h || a.w !== b.w) throw new Error('add: shapes differ');
  return { ...a, name: g.op('Add', [a.name, b.name]) };
}

export function pool(
  g: GraphBuilder,
  op: 'MaxPool' | 'AveragePool',
  x: Act,
  k: number,
  stride: number,
  padding: Padding,
): Act {
  const s = spatial(x, k, stride, padding);
  // tf.avgPool 'same' averages over the valid pixels only: count_include_pad 0 (the ONNX default).
  const name = g.op(op, [x.name], { kernel_shape: [k, k], strides: [stride, stride], pads: s.pads });
  return { name, c: x.c, h: s.h, w: s.w };
}

/** NHWC graph input [N, h, w, c] → NCHW activation. */
export function nhwcInput(g: GraphBuilder, name: string, h: number, w: number, c = 3): Act {
  g.input(name, ['N', h, w, c]);
  return { name: g.op('Transpose', [name], { perm: [0, 3, 1, 2] }), c, h, w };
}

/** x [N, cin] × W [cin, cout] + b: one Gemm. */
export function dense(
  g: GraphBuilder,
  x: string,
  weights: Float32Array,
  bias: Float32Array,
  shape: readonly number[],
  prefix = 'fc',
): string {
  const [cin, cout] = shape as [number, number];
  return g.op('Gemm', [
    x,
    g.constFloat(weights, [cin, cout], `${prefix}_w`),
    g.constFloat(bias, [cout], `${prefix}_b`),
  ]);
}

/** Flattens an activation with 1×1 spatial size to [N, c] (same order in NCHW and NHWC). */
export function flatten1x1(g: GraphBuilder, x: Act): string {
  if (x.h !== 1 || x.w !== 1) throw new Error(`flatten1x1: spatial size ${x.h}×${x.w}`);
  return g.op('Flatten', [x.name], { axis: 1 });
}
