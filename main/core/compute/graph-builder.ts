// A small builder for ONNX models: declare inputs, initializers, nodes and outputs, get
// the serialised ModelProto bytes that `InferenceSession.create` accepts. Used by the
// compute graphs here and by anything else that needs a graph at run time (e.g. tiny
// test models). Encoding goes through protobufjs and the embedded onnx.proto subset.
import { ONNX_ATTR, ONNX_DTYPE, onnxModelType } from './onnx-proto';

export type ElemType = keyof typeof ONNX_DTYPE;
/** A dimension: a fixed size, or a name for a size chosen at run time (e.g. 'n'). */
export type Dim = number | string;

type TensorData =
  Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array;

export interface TensorInit {
  type: ElemType;
  dims: readonly number[];
  /** Little-endian element data (Uint16Array holds float16 bits). */
  data: TensorData;
}

/** A typed attribute value. Plain integers, strings and integer arrays are accepted as is. */
export type AttrValue =
  | number
  | string
  | readonly number[]
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'tensor'; value: TensorInit };

/** Attribute helpers: ONNX distinguishes floats from ints, so floats must say so. */
export const attr = {
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  floats: (value: readonly number[]): AttrValue => ({ kind: 'floats', value }),
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  ints: (value: readonly number[]): AttrValue => ({ kind: 'ints', value }),
  tensor: (value: TensorInit): AttrValue => ({ kind: 'tensor', value }),
};

interface ValueInfo {
  name: string;
  type: {
    tensor_type: { elem_type: number; shape: { dim: Array<{ dim_value: number } | { dim_param: string }> } };
  };
}

function valueInfo(name: string, type: ElemType, shape: readonly Dim[]): ValueInfo {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: ONNX_DTYPE[type],
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function tensorProto(name: string, t: TensorInit): Record<string, unknown> {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) {
    throw new Error(`tensor ${name}: ${t.data.length} values for dims [${t.dims.join(', ')}]`);
  }
  return {
    name,
    dims: [...t.dims],
    data_type: ONNX_DTYPE[t.type],
    raw_data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  };
}

function isInt(v: number): boolean {
  return Number.isInteger(v);
}

function attributeProto(name: string, v: AttrValue): Record<string, unknown> {
  if (typeof v === 'number') {
    if (!isInt(v)) throw new Error(`attribute ${name}: use attr.float(${v}) for a float`);
    return { name, type: ONNX_ATTR.INT, i: v };
  }
  if (typeof v === 'string') return { name, type: ONNX_ATTR.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (!v.every(isInt)) throw new Error(`attribute ${name}: use attr.floats for floats`);
    return { name, type: ONNX_ATTR.INTS, ints: [...v] };
  }
  const tagged = v as Exclude<AttrValue, number | string | readonly number[]>;
  switch (tagged.kind) {
    case 'float':
      return { name, type: ONNX_ATTR.FLOAT, f: tagged.value };
    case 'floats':
      return { name, type: ONNX_ATTR.FLOATS, floats: [...tagged.value] };
    case 'int':
      return { name, type: ONNX_ATTR.INT, i: tagged.value };
    case 'ints':
      return { name, type: ONNX_ATTR.INTS, ints: [...tagged.value] };
    case 'tensor':
      return { name, type: ONNX_ATTR.TENSOR, t: tensorProto(name, tagged.value) };
  }
}

export interface GraphBuilderOptions {
  /** Default opset of the ai.onnx domain. 17 keeps Reduce* axes as attributes. */
  opset?: number;
  /** ONNX IR version written into the model (8 pairs with opset ≤ 18). */
  irVersion?: number;
}

export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Record<string, unknown>[] = [];
  private readonly nodes: Record<string, unknown>[] = [];
  private readonly names = new Set<string>();
  private readonly extraOpsets = new Map<string, number>();
  private tmp = 0;
  readonly opset: number;
  readonly irVersion: number;

  constructor(
    readonly name: string,
    opts: GraphBuilderOptions = {},
  ) {
    this.opset = opts.opset ?? 17;
    this.irVersion = opts.irVersion ?? 8;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: name "${name}" used twice`);
    this.names.add(name);
    return name;
  }

  /** A fresh value name with the given prefix. */
  fresh(prefix = 't'): string {
    let n: string;
    do n = `${prefix}_${this.tmp++}`;
    while (this.names.has(n));
    return n;
  }

  input(name: string, type: ElemType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  initializer(name: string, t: TensorInit): string {
    this.initializers.push(tensorProto(this.claim(name), t));
    return name;
  }

  /** A constant scalar or vector as an initializer (e.g. axes of ReduceSum at opset ≥ 13). */
  constant(type: 'int64', values: readonly number[], dims?: readonly number[]): string;
  constant(type: 'float32', values: readonly number[], dims?: readonly number[]): string;
  constant(
    type: 'int64' | 'float32',
    values: readonly number[],
    dims: readonly number[] = [values.length],
  ): string {
    const data =
      type === 'int64' ? BigInt64Array.from(values.map((v) => BigInt(v))) : Float32Array.from(values);
    return this.initializer(this.fresh('const'), { type, dims, data });
  }

  /**
   * Adds a node. `outputs` is a list of names or a count (fresh names are made);
   * returns the output names. An empty string in `inputs` marks an omitted optional input.
   */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[] | number = 1,
    attrs: Record<string, AttrValue> = {},
    domain = '',
  ): string[] {
    const outs =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()))
        : [...outputs];
    for (const o of outs) if (typeof outputs !== 'number') this.claim(o);
    for (const o of outs) this.names.add(o);
    this.nodes.push({
      op_type: opType,
      name: this.fresh(`n_${opType}`),
      domain,
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
    });
    return outs;
  }

  /** Single-output shorthand for `node`. */
  op(opType: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}): string {
    const [out] = this.node(opType, inputs, 1, attrs);
    return out as string;
  }

  /** Declares `value` (a node output or an input) as a graph output, renamed to `name` if given. */
  output(value: string, type: ElemType, shape: readonly Dim[], name?: string): string {
    let out = value;
    if (name !== undefined && name !== value) {
      out = this.node('Identity', [value], [name])[0] as string;
    }
    this.outputs.push(valueInfo(out, type, shape));
    return out;
  }

  useOpset(domain: string, version: number): void {
    this.extraOpsets.set(domain, version);
  }

  /** Serialised ModelProto. */
  build(): Uint8Array {
    const type = onnxModelType();
    const model = {
      ir_version: this.irVersion,
      producer_name: 'tldr-studio',
      opset_import: [
        { domain: '', version: this.opset },
        ...[...this.extraOpsets].map(([domain, version]) => ({ domain, version })),
      ],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    const err = type.verify(model);
    if (err) throw new Error(`graph ${this.name}: ${err}`);
    return type.encode(type.fromObject(model)).finish();
  }
}
