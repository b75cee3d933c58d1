// A small ONNX graph writer on top of onnx-proto: named nodes, typed attributes, initializers and
// serialisation to ModelProto bytes, so the layer builders read like the maths they emit.
import onnxPkg from 'onnx-proto';

const { onnx } = onnxPkg;
type INode = onnxPkg.onnx.INodeProto;
type ITensor = onnxPkg.onnx.ITensorProto;
type IValueInfo = onnxPkg.onnx.IValueInfoProto;
type IAttr = onnxPkg.onnx.IAttributeProto;

export const FLOAT = 1;
export const INT64 = 7;

export type Attr =
  | { kind: 'i'; v: number }
  | { kind: 'is'; v: number[] }
  | { kind: 'f'; v: number }
  | { kind: 'fs'; v: number[] }
  | { kind: 's'; v: string }
  | { kind: 't'; v: ITensor };

export const A = {
  i: (v: number): Attr => ({ kind: 'i', v }),
  is: (v: number[]): Attr => ({ kind: 'is', v }),
  f: (v: number): Attr => ({ kind: 'f', v }),
  fs: (v: number[]): Attr => ({ kind: 'fs', v }),
  s: (v: string): Attr => ({ kind: 's', v }),
  t: (v: ITensor): Attr => ({ kind: 't', v }),
};

function toAttr(name: string, a: Attr): IAttr {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'i':
      return { name, type: T.INT, i: a.v };
    case 'is':
      return { name, type: T.INTS, ints: a.v };
    case 'f':
      return { name, type: T.FLOAT, f: a.v };
    case 'fs':
      return { name, type: T.FLOATS, floats: a.v };
    case 's':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.v) };
    case 't':
      return { name, type: T.TENSOR, t: a.v };
  }
}

export function floatTensor(name: string, data: Float32Array | readonly number[], dims: readonly number[]): ITensor {
  const f = data instanceof Float32Array ? data : Float32Array.from(data);
  // raw little-endian bytes: protobuf's packed floats would be far slower for megabytes of weights
  const raw = new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength));
  return { name, dataType: FLOAT, dims: [...dims], rawData: raw };
}

export function int64Tensor(name: string, data: readonly number[], dims: readonly number[]): ITensor {
  const b = BigInt64Array.from(data.map((x) => BigInt(x)));
  return { name, dataType: INT64, dims: [...dims], rawData: new Uint8Array(b.buffer) };
}

export type Dim = number | string;

function valueInfo(name: string, dims: readonly Dim[] | null, elemType: number): IValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape:
          dims === null
            ? undefined
            : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export class GraphBuilder {
  readonly nodes: INode[] = [];
  readonly initializers: ITensor[] = [];
  readonly inputs: IValueInfo[] = [];
  readonly outputs: IValueInfo[] = [];
  private counter = 0;
  private readonly constCache = new Map<string, string>();

  constructor(readonly name: string) {}

  fresh(prefix: string): string {
    return `${prefix}__${this.counter++}`;
  }

  /** Adds a node; returns its output names (`outputs` names them, or a count makes fresh ones). */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: number | string[] = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType)) : outputs;
    this.nodes.push({
      opType,
      name: this.fresh(`n_${opType}`),
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttr(k, v)),
    });
    return outs;
  }

  op1(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outName?: string): string {
    return this.op(opType, inputs, attrs, outName ? [outName] : 1)[0]!;
  }

  initializer(name: string, data: Float32Array, dims: readonly number[]): string {
    this.initializers.push(floatTensor(name, data, dims));
    return name;
  }

  constFloat(values: readonly number[] | Float32Array, dims: readonly number[]): string {
    const key = `f:${dims.join(',')}:${Array.from(values).join(',')}`;
    const hit = values.length <= 16 ? this.constCache.get(key) : undefined;
    if (hit) return hit;
    const name = this.fresh('constf');
    this.initializers.push(floatTensor(name, values, dims));
    if (values.length <= 16) this.constCache.set(key, name);
    return name;
  }

  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    const key = `i:${dims.join(',')}:${values.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const name = this.fresh('consti');
    this.initializers.push(int64Tensor(name, values, dims));
    this.constCache.set(key, name);
    return name;
  }

  input(name: string, dims: readonly Dim[], elemType = FLOAT): string {
    this.inputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  output(name: string, dims: readonly Dim[] | null, elemType = FLOAT): string {
    this.outputs.push(valueInfo(name, dims, elemType));
    return name;
  }

  /** Renames a computed tensor to a public output name. */
  expose(tensor: string, name: string, dims: readonly Dim[] | null): string {
    this.op1('Identity', [tensor], {}, name);
    return this.output(name, dims);
  }

  toBytes(opset = 13, docString = ''): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'dexnet-ts',
      producerVersion: '0.1.0',
      docString,
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
