// A small ONNX graph builder: named tensors, nodes and initializers in, serialized ModelProto bytes out.
// Exporters build graphs in plain TypeScript with it; `onnx-proto` does the protobuf encoding.
import { onnx } from 'onnx-proto';

/** Opset of the default domain every exported graph imports (ONNX IR 8 supports up to opset 17+). */
const OPSET = 17;
const IR_VERSION = 8;

export type ElemType = 'float32' | 'int32' | 'int64' | 'bool' | 'uint8';
/** A dimension: a fixed size, or a symbolic name such as 'N' for the batch. */
export type Dim = number | string;

const ELEM: Record<ElemType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
  uint8: onnx.TensorProto.DataType.UINT8,
};

/**
 * A node attribute. Plain numbers and number arrays are INT/INTS (ONNX attributes are typed and most are ints);
 * floats are wrapped: `{ f: 0.5 }`, `{ floats: [...] }`. Strings are STRING; `{ tensor }` a TENSOR attribute.
 */
export type Attr =
  | number
  | readonly number[]
  | string
  | { readonly f: number }
  | { readonly floats: readonly number[] }
  | { readonly tensor: { readonly data: Float32Array; readonly dims: readonly number[] } };

export type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

interface Initializer {
  readonly name: string;
  readonly data: TensorData;
  readonly dims: readonly number[];
  readonly type: ElemType;
}

function typeOf(data: TensorData, bool: boolean): ElemType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  return bool ? 'bool' : 'uint8';
}

function rawBytes(data: TensorData): Uint8Array {
  // Little-endian on every platform Node ships for, which is what ONNX raw_data requires.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function valueInfo(name: string, type: ElemType, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: Attr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') return { name, type: T.INT, i: value };
  if (typeof value === 'string') return { name, type: T.STRING, s: Buffer.from(value, 'utf8') };
  if ('f' in value) return { name, type: T.FLOAT, f: value.f };
  if ('floats' in value) return { name, type: T.FLOATS, floats: [...value.floats] };
  if ('tensor' in value) {
    const t = value.tensor;
    return {
      name,
      type: T.TENSOR,
      t: { dims: [...t.dims], dataType: ELEM.float32, rawData: rawBytes(t.data) },
    };
  }
  return { name, type: T.INTS, ints: [...value] };
}

export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly inits: Initializer[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly graphName: string) {}

  /**
   * A fresh, unused tensor name starting with `prefix` (deterministic: a per-graph counter). It is claimed when
   * used as a node output or initializer name.
   */
  fresh(prefix = 't'): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name));
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`onnx builder: tensor name '${name}' already used`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input; returns its name. */
  input(name: string, dims: readonly Dim[], type: ElemType = 'float32'): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  /**
   * Declares `tensor` as a graph output called `name` (an Identity is added when the names differ, so graph
   * outputs keep stable public names whatever produced them).
   */
  output(
    tensor: string,
    name: string = tensor,
    dims: readonly Dim[] = [],
    type: ElemType = 'float32',
  ): string {
    if (name !== tensor) this.node('Identity', [tensor], [name]);
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** A constant tensor (weights); the name is claimed as given. `bool` marks a Uint8Array as BOOL. */
  initializer(name: string, data: TensorData, dims: readonly number[], bool = false): string {
    if (size(dims) !== data.length) {
      throw new Error(
        `onnx builder: initializer '${name}' has ${data.length} values for dims [${dims.join(',')}]`,
      );
    }
    this.inits.push({ name: this.claim(name), data, dims: [...dims], type: typeOf(data, bool) });
    return name;
  }

  /** A float constant with a fresh name. */
  constFloat(data: Float32Array | readonly number[], dims: readonly number[], prefix = 'c'): string {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    return this.initializer(this.fresh(prefix), values, dims);
  }

  /** An int64 constant with a fresh name (shapes, axes, pads...); a 1-D tensor unless dims are given. */
  constInt64(values: readonly number[], dims: readonly number[] = [values.length], prefix = 'i'): string {
    return this.initializer(this.fresh(prefix), BigInt64Array.from(values.map((v) => BigInt(v))), dims);
  }

  /**
   * Adds a node. `outputs` are names to claim, or a count of fresh names to create (default 1).
   * Returns the output names. An empty string input means an omitted optional input.
   */
  node(
    op: string,
    inputs: readonly string[],
    outputs: readonly string[] | number = 1,
    attributes: Readonly<Record<string, Attr>> = {},
    domain = '',
  ): string[] {
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()))
        : outputs.map((o) => this.claim(o));
    this.nodes.push({
      opType: op,
      domain,
      name: `${op}_${this.nodes.length}`,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** `node` for the common single-output case: returns the output name. */
  op(op: string, inputs: readonly string[], attributes: Readonly<Record<string, Attr>> = {}): string {
    const [out] = this.node(op, inputs, 1, attributes);
    return out as string;
  }

  /** Number of nodes so far (for tests and logs). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The model as ONNX protobuf bytes (deterministic for the same build calls). */
  toBytes(docString = ''): Uint8Array {
    const model: onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'deepface-engine',
      producerVersion: '1',
      docString,
      graph: {
        name: this.graphName,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.inits.map((t) => ({
          name: t.name,
          dims: [...t.dims],
          dataType: ELEM[t.type],
          rawData: rawBytes(t.data),
        })),
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
