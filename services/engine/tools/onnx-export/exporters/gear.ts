// human-models' GEAR (a tfjs graph model: age, gender and race heads on one small VGG-like trunk) as ONNX, by
// translating the ops of its TensorFlow graph. Only the heads asked for are kept (the engine uses `race_output`).
//
// Input `input` [N, 198, 198, 3] float32 RGB in [0, 1]: the face crops as attributes.ts predictRace builds them
// (cropAndResize to 198 × 198, / 255). Outputs: the signature names asked for, e.g. `race_output` [N, 5] softmax
// (white, black, asian, indian, other).
import { GraphBuilder } from '../builder';
import { hwioToOihw, axisPads } from '../layers';
import { floatWeight, readGraphModel, type GraphModel, type TfAttr, type TfNode } from '../weights';

const GEAR_MODEL = 'gear';

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

class Translator {
  private readonly values = new Map<string, Value>();
  private readonly applied = new WeakMap<Value, Value>();
  private readonly nodes: Map<string, TfNode>;

  constructor(
    private readonly g: GraphBuilder,
    private readonly model: GraphModel,
  ) {
    this.nodes = new Map(model.nodes.map((n) => [n.name, n]));
  }

  private node(name: string): TfNode {
    const n = this.nodes.get(name.replace(/:0$/, ''));
    if (!n) throw new Error(`gear: no node ${name}`);
    return n;
  }

  private constant(name: string): Float32Array {
    return floatWeight(this.model.weights, this.node(name).name);
  }

  private shapeOf(name: string): readonly number[] {
    const w = this.model.weights.get(this.node(name).name);
    if (!w) throw new Error(`gear: ${name} is not a constant`);
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
    if (v.rank !== 4) throw new Error(`gear: ${ref} is not an image tensor`);
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
        if (cin !== x.c) throw new Error(`gear: ${n.name} expects ${cin} channels`);
        const fused = (attr.fused_ops?.list?.s ?? []).map(decodeS);
        if (fused[0] !== 'BiasAdd' || fused.length > 2 || (fused[1] && fused[1] !== 'Relu'))
          throw new Error(`gear: ${n.name} fuses ${fused.join(',')}`);
        if (decodeS(attr.data_format?.s) !== 'NHWC') throw new Error(`gear: ${n.name} not NHWC`);
        const [, sh = 1, sw = 1] = ints(attr.strides);
        if (decodeS(attr.padding?.s) === 'EXPLICIT') throw new Error(`gear: ${n.name} explicit padding`);
        const ph = axisPads(x.h, kh, sh, padding);
        const pw = axisPads(x.w, kw, sw, padding);
        const folded = Translator.fold(
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
      case 'Add': {
        // Batch-norm scale and offset: an activation and a per-channel constant.
        const x = this.act(inputs[0] ?? '');
        const k = this.constant(inputs[1] ?? '');
        if (k.length !== x.c) throw new Error(`gear: ${n.name} is not per-channel`);
        const scale = x.affine?.scale ?? new Float64Array(x.c).fill(1);
        const shift = x.affine?.shift ?? new Float64Array(x.c);
        const affine =
          n.op === 'Mul'
            ? {
                scale: scale.map((v, i) => v * (k[i] as number)),
                shift: shift.map((v, i) => v * (k[i] as number)),
              }
            : { scale, shift: shift.map((v, i) => v + (k[i] as number)) };
        return { ...x, affine };
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
          throw new Error(`gear: ${n.name} is not a global max pool`);
        const name = g.op('ReduceMax', [x.name], { axes: [2, 3], keepdims: 0 });
        return { name, rank: 2, f: x.c, affine: x.affine };
      }
      case '_FusedMatMul': {
        const x = this.value(inputs[0] ?? '');
        if (x.rank !== 2) throw new Error(`gear: ${n.name} on an image tensor`);
        if (attr.transpose_a?.b || attr.transpose_b?.b) throw new Error(`gear: ${n.name} transposes`);
        const shape = this.shapeOf(inputs[1] ?? '');
        const [fin = 0, fout = 0] = shape;
        if (fin !== x.f) throw new Error(`gear: ${n.name} expects ${fin} features`);
        const fused = (attr.fused_ops?.list?.s ?? []).map(decodeS);
        if (fused[0] !== 'BiasAdd' || fused.length > 2 || (fused[1] && fused[1] !== 'Relu'))
          throw new Error(`gear: ${n.name} fuses ${fused.join(',')}`);
        const folded = Translator.fold(
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
        if (x.rank !== 2) throw new Error(`gear: ${n.name} on an image tensor`);
        return { ...x, name: g.op('Softmax', [x.name], { axis: 1 }) };
      }
      case 'Identity':
        return this.value(inputs[0] ?? '');
      default:
        throw new Error(`gear: op ${n.op} (${n.name}) is not translated`);
    }
  }
}

/**
 * Exports GEAR from `<modelDir>/gear.json` (human-models' `models` directory) with the signature outputs asked
 * for, each an ONNX output of the same name.
 */
export function exportGear(modelDir: string, outputs: readonly string[] = ['race_output']): Uint8Array {
  const model = readGraphModel(modelDir, GEAR_MODEL);
  const g = new GraphBuilder('gear');
  const t = new Translator(g, model);
  for (const out of outputs) {
    const node = model.outputs[out];
    if (!node) throw new Error(`gear: no output ${out}`);
    const v = t.materialize(t.value(node));
    if (v.rank !== 2) throw new Error(`gear: output ${out} is not [N, k]`);
    g.output(v.name, out, ['N', v.f]);
  }
  return g.toBytes(`human-models GEAR: input [N,198,198,3] RGB 0-1 → ${outputs.join(', ')}`);
}
