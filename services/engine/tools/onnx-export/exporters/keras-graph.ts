// Translation of a small Keras model converted to a tfjs graph model (human-models' GEAR, antispoof, liveness) into
// ONNX, op by op: fused convolutions and dense layers, batch norms as per-channel Mul/Add folded into the next
// valid conv or dense layer, max pooling, flatten, and the final activation. Any op outside that set fails the
// export by name, so a changed model never exports silently wrong.
import { GraphBuilder } from '../builder';
import { hwioToOihw, axisPads } from '../layers';
import { floatWeight, readGraphModel, type GraphModel, type TfAttr, type TfNode } from '../weights';

/**
 * Per-channel x × scale + shift not yet applied to a value: GEAR's batch norms (Mul, Add after each conv's relu) are
 * carried through max pools (exact when every scale is positive) and folded into the next valid conv or dense
 * layer's weights, so they cost nothing at run time.
 */
interface Affine {
  scale: Float64Array;
  shift: Float64Array;
}

/** A translated value: NCHW activation with static sizes, or a 2-D [N, features] tensor. */
type Value = (
  { name: string; rank: 4; c: number; h: number; w: number } | { name: string; rank: 2; f: number }
) & {
  affine?: Affine;
};

const channels = (v: Value): number => (v.rank === 4 ? v.c : v.f);

const decodeS = (s: string | undefined): string => (s ? Buffer.from(s, 'base64').toString('utf8') : '');
const ints = (a: TfAttr | undefined): number[] => (a?.list?.i ?? []).map(Number);

export class KerasGraphTranslator {
  private readonly values = new Map<string, Value>();
  private readonly applied = new WeakMap<Value, Value>();
  private readonly nodes: Map<string, TfNode>;

  constructor(
    private readonly g: GraphBuilder,
    private readonly model: GraphModel,
    /** The model's name in error messages. */
    private readonly label: string,
  ) {
    this.nodes = new Map(model.nodes.map((n) => [n.name, n]));
  }

  private node(name: string): TfNode {
    const n = this.nodes.get(name.replace(/:0$/, ''));
    if (!n) throw new Error(`${this.label}: no node ${name}`);
    return n;
  }

  private constant(name: string): Float32Array {
    return floatWeight(this.model.weights, this.node(name).name);
  }

  private shapeOf(name: string): readonly number[] {
    const w = this.model.weights.get(this.node(name).name);
    if (!w) throw new Error(`${this.label}: ${name} is not a constant`);
    return w.shape;
  }

  value(ref: string): Value {
    const name = ref.replace(/:0$/, '');
    const done = this.values.get(name);
    if (done) return done;
    const v = this.translate(this.node(name));
    this.values.set(name, v);
    return v;
  }

  private act(ref: string): Extract<Value, { rank: 4 }> {
    const v = this.value(ref);
    if (v.rank !== 4) throw new Error(`${this.label}: ${ref} is not an image tensor`);
    return v;
  }

  /** The value with its pending affine applied by Mul and Add nodes (once per value). */
  materialize<V extends Value>(v: V): V {
    if (!v.affine) return v;
    const done = this.applied.get(v);
    if (done) return done as V;
    const c = channels(v);
    const dims = v.rank === 4 ? [1, c, 1, 1] : [1, c];
    const scaled = this.g.op('Mul', [
      v.name,
      this.g.constFloat(Float32Array.from(v.affine.scale), dims, 'bn_scale'),
    ]);
    const name = this.g.op('Add', [
      scaled,
      this.g.constFloat(Float32Array.from(v.affine.shift), dims, 'bn_shift'),
    ]);
    const out = { ...v, name, affine: undefined };
    this.applied.set(v, out);
    return out;
  }

  /** An order-preserving op (max pooling) commutes with the affine only when no scale is negative or zero. */
  private throughMax<V extends Value>(v: V): V {
    return v.affine && !v.affine.scale.every((s) => s > 0) ? this.materialize(v) : v;
  }

  /**
   * Folds `x`'s pending affine into a filter whose input channel is the second-last axis (HWIO conv filters,
   * [in, out] dense weights): W' = W × scale(in), b' = b + Σ W × shift(in).
   */
  private static fold(
    affine: Affine | undefined,
    weights: Float32Array,
    bias: Float32Array,
    cin: number,
    cout: number,
  ): { weights: Float32Array; bias: Float32Array } {
    if (!affine) return { weights, bias };
    const w = new Float32Array(weights.length);
    const b = Float64Array.from(bias);
    for (let j = 0; j < weights.length; j++) {
      const o = j % cout;
      const i = Math.floor(j / cout) % cin;
      const v = weights[j] as number;
      w[j] = v * (affine.scale[i] as number);
      b[o] = (b[o] as number) + v * (affine.shift[i] as number);
    }
    return { weights: w, bias: Float32Array.from(b) };
  }

  private translate(n: TfNode): Value {
    const g = this.g;
    const inputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
    const attr = n.attr ?? {};
    switch (n.op) {
      case 'Placeholder': {
        const dims = (attr.shape?.shape?.dim ?? []).map((d) => Number(d.size));
        const [, h = 0, w = 0, c = 0] = dims;
        g.input('input', ['N', h, w, c]);
        return { name: g.op('Transpose', ['input'], { perm: [0, 3, 1, 2] }), rank: 4, c, h, w };
      }
      case '_FusedConv2D': {
        const [kh = 0, kw = 0, cin = 0, cout = 0] = this.shapeOf(inputs[1] ?? '');
        const padding = decodeS(attr.padding?.s) === 'SAME' ? 'same' : 'valid';
        // With zero padding the affine's shift would also reach the padded border: fold only into valid convs.
        const input = this.act(inputs[0] ?? '');
        const x = padding === 'valid' ? input : this.materialize(input);
        if (cin !== x.c) throw new Error(`${this.label}: ${n.name} expects ${cin} channels`);
        const fused = (attr.fused_ops?.list?.s ?? []).map(decodeS);
        if (fused[0] !== 'BiasAdd' || fused.length > 2 || (fused[1] && fused[1] !== 'Relu'))
          throw new Error(`${this.label}: ${n.name} fuses ${fused.join(',')}`);
        if (decodeS(attr.data_format?.s) !== 'NHWC') throw new Error(`${this.label}: ${n.name} not NHWC`);
        const [, sh = 1, sw = 1] = ints(attr.strides);
        if (decodeS(attr.padding?.s) === 'EXPLICIT')
          throw new Error(`${this.label}: ${n.name} explicit padding`);
        const ph = axisPads(x.h, kh, sh, padding);
        const pw = axisPads(x.w, kw, sw, padding);
        const folded = KerasGraphTranslator.fold(
          x.affine,
          this.constant(inputs[1] ?? ''),
          this.constant(inputs[2] ?? ''),
          cin,
          cout,
        );
        const w = g.constFloat(
          hwioToOihw(folded.weights, [kh, kw, cin, cout]),
          [cout, cin, kh, kw],
          'conv_w',
        );
        const b = g.constFloat(folded.bias, [cout], 'conv_b');
        let name = g.op('Conv', [x.name, w, b], {
          kernel_shape: [kh, kw],
          strides: [sh, sw],
          pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
        });
        if (fused[1] === 'Relu') name = g.op('Relu', [name]);
        return { name, rank: 4, c: cout, h: ph.out, w: pw.out };
      }
      case 'Mul':
      case 'Add':
      case 'AddV2': {
        // Batch-norm scale and offset: an activation (image or features) and a per-channel constant.
        const x = this.value(inputs[0] ?? '');
        const c = channels(x);
        const k = this.constant(inputs[1] ?? '');
        if (k.length !== c) throw new Error(`${this.label}: ${n.name} is not per-channel`);
        const scale = x.affine?.scale ?? new Float64Array(c).fill(1);
        const shift = x.affine?.shift ?? new Float64Array(c);
        const affine =
          n.op === 'Mul'
            ? {
                scale: scale.map((v, i) => v * (k[i] as number)),
                shift: shift.map((v, i) => v * (k[i] as number)),
              }
            : { scale, shift: shift.map((v, i) => v + (k[i] as number)) };
        return { ...x, affine };
      }
      case 'Relu':
      case 'Sigmoid': {
        const x = this.materialize(this.value(inputs[0] ?? ''));
        return { ...x, name: g.op(n.op, [x.name]) };
      }
      case 'Reshape': {
        // Keras' Flatten of an NHWC activation: back to NHWC order first, so the dense weights read it as trained.
        const x = this.act(inputs[0] ?? '');
        const target = this.model.weights.get(this.node(inputs[1] ?? '').name)?.data;
        const f = x.h * x.w * x.c;
        if (!target || target.length !== 2 || target[0] !== -1 || target[1] !== f)
          throw new Error(`${this.label}: ${n.name} is not a flatten`);
        const nhwc = g.op('Transpose', [x.name], { perm: [0, 2, 3, 1] });
        const name = g.op('Flatten', [nhwc], { axis: 1 });
        // A pending per-channel affine becomes per-feature: feature j holds channel j mod c.
        const affine = x.affine && {
          scale: Float64Array.from({ length: f }, (_, j) => x.affine?.scale[j % x.c] as number),
          shift: Float64Array.from({ length: f }, (_, j) => x.affine?.shift[j % x.c] as number),
        };
        return { name, rank: 2, f, ...(affine ? { affine } : {}) };
      }
      case 'MaxPool': {
        const x = this.throughMax(this.act(inputs[0] ?? ''));
        const [, kh = 1, kw = 1] = ints(attr.ksize);
        const [, sh = 1, sw = 1] = ints(attr.strides);
        const padding = decodeS(attr.padding?.s) === 'SAME' ? 'same' : 'valid';
        const ph = axisPads(x.h, kh, sh, padding);
        const pw = axisPads(x.w, kw, sw, padding);
        const name = g.op('MaxPool', [x.name], {
          kernel_shape: [kh, kw],
          strides: [sh, sw],
          pads: [ph.pads[0], pw.pads[0], ph.pads[1], pw.pads[1]],
        });
        return { name, rank: 4, c: x.c, h: ph.out, w: pw.out, affine: x.affine };
      }
      case 'Max': {
        // Global max pooling: reduce NHWC axes 1, 2 = NCHW axes 2, 3.
        const x = this.throughMax(this.act(inputs[0] ?? ''));
        const axes = this.model.weights.get(this.node(inputs[1] ?? '').name)?.data;
        if (!axes || [...axes].join(',') !== '1,2' || attr.keep_dims?.b)
          throw new Error(`${this.label}: ${n.name} is not a global max pool`);
        const name = g.op('ReduceMax', [x.name], { axes: [2, 3], keepdims: 0 });
        return { name, rank: 2, f: x.c, affine: x.affine };
      }
      case '_FusedMatMul': {
        const x = this.value(inputs[0] ?? '');
        if (x.rank !== 2) throw new Error(`${this.label}: ${n.name} on an image tensor`);
        if (attr.transpose_a?.b || attr.transpose_b?.b)
          throw new Error(`${this.label}: ${n.name} transposes`);
        const shape = this.shapeOf(inputs[1] ?? '');
        const [fin = 0, fout = 0] = shape;
        if (fin !== x.f) throw new Error(`${this.label}: ${n.name} expects ${fin} features`);
        const fused = (attr.fused_ops?.list?.s ?? []).map(decodeS);
        if (fused[0] !== 'BiasAdd' || fused.length > 2 || (fused[1] && fused[1] !== 'Relu'))
          throw new Error(`${this.label}: ${n.name} fuses ${fused.join(',')}`);
        const folded = KerasGraphTranslator.fold(
          x.affine,
          this.constant(inputs[1] ?? ''),
          this.constant(inputs[2] ?? ''),
          fin,
          fout,
        );
        const w = g.constFloat(folded.weights, [fin, fout], 'fc_w');
        const b = g.constFloat(folded.bias, [fout], 'fc_b');
        let name = g.op('Gemm', [x.name, w, b]);
        if (fused[1] === 'Relu') name = g.op('Relu', [name]);
        return { name, rank: 2, f: fout };
      }
      case 'Softmax': {
        const x = this.materialize(this.value(inputs[0] ?? ''));
        if (x.rank !== 2) throw new Error(`${this.label}: ${n.name} on an image tensor`);
        return { ...x, name: g.op('Softmax', [x.name], { axis: 1 }) };
      }
      case 'Identity':
        return this.value(inputs[0] ?? '');
      default:
        throw new Error(`${this.label}: op ${n.op} (${n.name}) is not translated`);
    }
  }
}

/**
 * Exports a Keras model converted to a tfjs graph model (`<modelDir>/<model>.json`) with its NHWC float input as
 * `input` and each signature output asked for under the ONNX name given.
 */
export function exportKerasGraph(
  modelDir: string,
  model: string,
  outputs: Readonly<Record<string, string>>,
  doc: string,
): Uint8Array {
  const graph = readGraphModel(modelDir, model);
  const g = new GraphBuilder(model);
  const t = new KerasGraphTranslator(g, graph, model);
  for (const [signature, onnxName] of Object.entries(outputs)) {
    const node = graph.outputs[signature];
    if (!node) throw new Error(`${model}: no output ${signature}`);
    const v = t.materialize(t.value(node));
    if (v.rank !== 2) throw new Error(`${model}: output ${signature} is not [N, k]`);
    g.output(v.name, onnxName, ['N', v.f]);
  }
  return g.toBytes(doc);
}
