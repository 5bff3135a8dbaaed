// human-models' selfie segmentation (MediaPipe's, converted to a tfjs graph model) as ONNX, op by op: its
// convolutions (plain, depthwise, and the final transposed one), per-channel and scalar arithmetic (biases,
// hard-swish), squeeze-and-excite attention (average pooling, sigmoid gates), half-pixel bilinear upsampling.
// Biases stay separate Add nodes: onnxruntime fuses a Conv followed by a constant Add when it loads the model.
// Any op outside that set fails the export by name, so a changed model never exports silently wrong.
//
// Input `input` [N, 256, 256, 3] RGB in [0, 1] (the image resized bilinearly, as document/selfie-segmentation.ts
// feeds it); output `mask` [N, 256, 256, 1]: the probability that each pixel shows a person.
import { GraphBuilder } from '../builder';
import { axisPads, hwioToOihw } from '../layers';
import { readGraphModel, type GraphModel, type TfAttr, type TfNode } from '../weights';

const MODEL = 'selfie';

type Value =
  | { kind: 'act'; name: string; c: number; h: number; w: number }
  | { kind: 'const'; data: Float32Array | Int32Array; shape: readonly number[] };
type Act = Extract<Value, { kind: 'act' }>;

const decodeS = (s: string | undefined): string => (s ? Buffer.from(s, 'base64').toString('utf8') : '');
const ints = (a: TfAttr | undefined): number[] => (a?.list?.i ?? []).map(Number);

class SelfieTranslator {
  private readonly values = new Map<string, Value>();
  private readonly nodes: Map<string, TfNode>;

  constructor(
    private readonly g: GraphBuilder,
    private readonly model: GraphModel,
  ) {
    this.nodes = new Map(model.nodes.map((n) => [n.name, n]));
  }

  value(ref: string): Value {
    const name = ref.replace(/:0$/, '');
    const done = this.values.get(name);
    if (done) return done;
    const n = this.nodes.get(name);
    if (!n) throw new Error(`${MODEL}: no node ${name}`);
    const v = this.translate(n);
    this.values.set(name, v);
    return v;
  }

  act(ref: string): Act {
    const v = this.value(ref);
    if (v.kind !== 'act') throw new Error(`${MODEL}: ${ref} is not an activation`);
    return v;
  }

  private constant(ref: string): Extract<Value, { kind: 'const' }> {
    const v = this.value(ref);
    if (v.kind !== 'const') throw new Error(`${MODEL}: ${ref} is not a constant`);
    return v;
  }

  private floats(ref: string): Float32Array {
    const { data } = this.constant(ref);
    if (!(data instanceof Float32Array)) throw new Error(`${MODEL}: ${ref} is not float`);
    return data;
  }

  /** A scalar or per-channel constant as an NCHW-broadcastable initializer. */
  private broadcast(ref: string, c: number): string {
    const { data, shape } = this.constant(ref);
    if (!(data instanceof Float32Array)) throw new Error(`${MODEL}: ${ref} is not float`);
    if (data.length === 1 && shape.length === 0) return this.g.constFloat(data, [], 'k');
    if (data.length === c) return this.g.constFloat(data, [1, c, 1, 1], 'k');
    throw new Error(`${MODEL}: ${ref} [${shape.join(',')}] is neither scalar nor per-channel (${c})`);
  }

  private spatial(x: Act, n: TfNode, kh: number, kw: number) {
    const attr = n.attr ?? {};
    if (decodeS(attr.data_format?.s) !== 'NHWC') throw new Error(`${MODEL}: ${n.name} not NHWC`);
    if (ints(attr.dilations).some((d) => d !== 1)) throw new Error(`${MODEL}: ${n.name} dilated`);
    const padding = decodeS(attr.padding?.s);
    if (padding !== 'SAME' && padding !== 'VALID') throw new Error(`${MODEL}: ${n.name} padding ${padding}`);
    const [, sh = 1, sw = 1] = ints(attr.strides);
    const p = padding === 'SAME' ? 'same' : 'valid';
    const ph = axisPads(x.h, kh, sh, p);
    const pw = axisPads(x.w, kw, sw, p);
    return {
      strides: [sh, sw],
      pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
      h: ph.out,
      w: pw.out,
    };
  }

  private translate(n: TfNode): Value {
    const g = this.g;
    const inputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
    const attr = n.attr ?? {};
    switch (n.op) {
      case 'Const': {
        const w = this.model.weights.get(n.name);
        if (!w || !(w.data instanceof Float32Array || w.data instanceof Int32Array))
          throw new Error(`${MODEL}: constant ${n.name} missing`);
        return { kind: 'const', data: w.data, shape: w.shape };
      }
      case 'Placeholder': {
        const dims = (attr.shape?.shape?.dim ?? []).map((d) => Number(d.size));
        const [, h = 0, w = 0, c = 0] = dims;
        g.input('input', ['N', h, w, c]);
        return { kind: 'act', name: g.op('Transpose', ['input'], { perm: [0, 3, 1, 2] }), c, h, w };
      }
      case 'Conv2D': {
        const x = this.act(inputs[0] ?? '');
        const shape = this.constant(inputs[1] ?? '').shape;
        const [kh = 0, kw = 0, cin = 0, cout = 0] = shape;
        if (cin !== x.c) throw new Error(`${MODEL}: ${n.name} expects ${cin} channels`);
        const s = this.spatial(x, n, kh, kw);
        const weight = g.constFloat(
          hwioToOihw(this.floats(inputs[1] ?? ''), shape),
          [cout, cin, kh, kw],
          'conv_w',
        );
        const name = g.op('Conv', [x.name, weight], {
          kernel_shape: [kh, kw],
          strides: s.strides,
          pads: s.pads,
        });
        return { kind: 'act', name, c: cout, h: s.h, w: s.w };
      }
      case 'DepthwiseConv2dNative': {
        const x = this.act(inputs[0] ?? '');
        const [kh = 0, kw = 0, c = 0, multiplier = 0] = this.constant(inputs[1] ?? '').shape;
        if (c !== x.c || multiplier !== 1)
          throw new Error(`${MODEL}: ${n.name} is not a plain depthwise conv`);
        const s = this.spatial(x, n, kh, kw);
        // [kh, kw, c, 1] → [c, 1, kh, kw]
        const w = hwioToOihw(this.floats(inputs[1] ?? ''), [kh, kw, 1, c]);
        const weight = g.constFloat(w, [c, 1, kh, kw], 'dw_w');
        const name = g.op('Conv', [x.name, weight], {
          kernel_shape: [kh, kw],
          strides: s.strides,
          pads: s.pads,
          group: c,
        });
        return { kind: 'act', name, c, h: s.h, w: s.w };
      }
      case 'Conv2DBackpropInput': {
        // The transposed convolution: filter [kh, kw, out, in] (TensorFlow) → ConvTranspose weight [in, out, kh, kw].
        const sizes = this.constant(inputs[0] ?? '').data;
        const shape = this.constant(inputs[1] ?? '').shape;
        const x = this.act(inputs[2] ?? '');
        const [kh = 0, kw = 0, cout = 0, cin = 0] = shape;
        if (cin !== x.c) throw new Error(`${MODEL}: ${n.name} expects ${cin} channels`);
        const [, oh = 0, ow = 0] = Array.from(sizes);
        // The forward conv from the output's size back to the input's: its 'same' pads are what the transpose crops.
        const s = this.spatial({ ...x, h: oh, w: ow }, n, kh, kw);
        if (s.h !== x.h || s.w !== x.w) throw new Error(`${MODEL}: ${n.name} sizes do not match`);
        const weight = g.constFloat(
          hwioToOihw(this.floats(inputs[1] ?? ''), [kh, kw, cout, cin]),
          [cin, cout, kh, kw],
          'convt_w',
        );
        const name = g.op('ConvTranspose', [x.name, weight], {
          kernel_shape: [kh, kw],
          strides: s.strides,
          pads: s.pads,
        });
        return { kind: 'act', name, c: cout, h: oh, w: ow };
      }
      case 'Add':
      case 'AddV2':
      case 'Mul': {
        const op = n.op === 'Mul' ? 'Mul' : 'Add';
        const [a, b] = [this.value(inputs[0] ?? ''), this.value(inputs[1] ?? '')];
        if (a.kind === 'act' && b.kind === 'act') {
          // Same sizes, or a squeeze-and-excite gate [N, c, 1, 1] broadcast over the image.
          const big = a.h * a.w >= b.h * b.w ? a : b;
          if (a.c !== b.c) throw new Error(`${MODEL}: ${n.name} mixes ${a.c} and ${b.c} channels`);
          return { ...big, name: g.op(op, [a.name, b.name]) };
        }
        const x = a.kind === 'act' ? a : b.kind === 'act' ? b : undefined;
        if (!x) throw new Error(`${MODEL}: ${n.name} on two constants`);
        const k = this.broadcast(a.kind === 'act' ? (inputs[1] ?? '') : (inputs[0] ?? ''), x.c);
        return { ...x, name: g.op(op, [x.name, k]) };
      }
      case 'AddN': {
        const xs = inputs.map((i) => this.act(i));
        const first = xs[0];
        if (!first) throw new Error(`${MODEL}: ${n.name} without inputs`);
        return {
          ...first,
          name: g.op(
            'Sum',
            xs.map((x) => x.name),
          ),
        };
      }
      case 'Relu':
      case 'Sigmoid': {
        const x = this.act(inputs[0] ?? '');
        return { ...x, name: g.op(n.op, [x.name]) };
      }
      case 'Relu6': {
        const x = this.act(inputs[0] ?? '');
        const name = g.op('Clip', [x.name, g.constFloat([0], [], 'zero'), g.constFloat([6], [], 'six')]);
        return { ...x, name };
      }
      case 'AvgPool': {
        const x = this.act(inputs[0] ?? '');
        const [, kh = 1, kw = 1] = ints(attr.ksize);
        const s = this.spatial(x, n, kh, kw);
        if (s.pads.some((p) => p !== 0)) throw new Error(`${MODEL}: ${n.name} pads`);
        const name = g.op('AveragePool', [x.name], { kernel_shape: [kh, kw], strides: s.strides });
        return { ...x, name, h: s.h, w: s.w };
      }
      case 'ResizeBilinear': {
        const x = this.act(inputs[0] ?? '');
        if (!attr.half_pixel_centers?.b || attr.align_corners?.b)
          throw new Error(`${MODEL}: ${n.name} is not a half-pixel resize`);
        const [h = 0, w = 0] = Array.from(this.constant(inputs[1] ?? '').data);
        // Scales (the batch stays symbolic); the sizes are exact multiples, checked.
        if (h % x.h !== 0 || w % x.w !== 0) throw new Error(`${MODEL}: ${n.name} resizes by a fraction`);
        const scales = g.constFloat([1, 1, h / x.h, w / x.w], [4], 'scales');
        const name = g.op('Resize', [x.name, '', scales], {
          mode: 'linear',
          coordinate_transformation_mode: 'half_pixel',
        });
        return { ...x, name, h, w };
      }
      case 'Identity':
        return this.value(inputs[0] ?? '');
      default:
        throw new Error(`${MODEL}: op ${n.op} (${n.name}) is not translated`);
    }
  }
}

/** Exports `<modelDir>/selfie.json` (human-models' `models` directory). */
export function exportSelfieSegmentation(modelDir: string): Uint8Array {
  const model = readGraphModel(modelDir, MODEL);
  const g = new GraphBuilder(MODEL);
  const t = new SelfieTranslator(g, model);
  const node = Object.values(model.outputs)[0];
  if (!node || Object.keys(model.outputs).length !== 1) throw new Error(`${MODEL}: expected one output`);
  const out = t.act(node);
  if (out.c !== 1) throw new Error(`${MODEL}: output has ${out.c} channels`);
  const nhwc = g.op('Transpose', [out.name], { perm: [0, 2, 3, 1] });
  g.output(nhwc, 'mask', ['N', out.h, out.w, 1]);
  return g.toBytes('human-models selfie segmentation: input [N,256,256,3] RGB 0-1 → mask [N,256,256,1]');
}
