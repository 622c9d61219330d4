// Projected patch tokens for TiMix saliency: CLIP's vision export applies its head
// (post-LayerNorm + visual projection) to the CLS token only. This finds that head in
// vision_model.onnx — every node between the CLS selection `Gather(last_hidden_state,
// 0, axis=1)` and the `image_embeds` output — and rebuilds it as a small model whose input
// is any [n, hidden] rows, so patch tokens go through exactly the same operations
// (LayerNorm fused or decomposed, fp32 or quantized MatMul) as the CLS token does.
import { onnxModelType } from '../compute/onnx-proto';

interface Attr {
  name: string;
  i?: unknown;
  t?: Tensor;
}
interface Node {
  input: string[];
  output: string[];
  op_type: string;
  domain?: string;
  attribute: Attr[];
}
interface Tensor {
  name: string;
  dims: unknown[];
  data_type: number;
  raw_data?: Uint8Array;
  int64_data?: unknown[];
  int32_data?: number[];
  float_data?: number[];
}
interface Graph {
  node: Node[];
  initializer: Tensor[];
  input: Array<{ name: string }>;
  output: Array<{ name: string; type?: { tensor_type?: { elem_type?: number } } }>;
}
interface Model {
  ir_version: unknown;
  opset_import: unknown[];
  graph: Graph;
}

export interface ProjectionHead {
  /** Serialised ONNX model: input `rows` [n, hidden] → output `projected` [n, dim]. */
  model: Uint8Array;
  nodeCount: number;
  /** ONNX element type of rows/projected (1 float32, 10 float16). */
  elemType: number;
}

export type HeadResult = { ok: true; head: ProjectionHead } | { ok: false; reason: string };

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v && typeof (v as { toNumber?: () => number }).toNumber === 'function')
    return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

/** The value of a one-element integer tensor, or undefined. */
function scalarInt(t: Tensor | undefined): number | undefined {
  const v = intValues(t);
  return v?.length === 1 ? v[0] : undefined;
}

function attrInt(n: Node, name: string, fallback: number): number {
  const a = n.attribute.find((x) => x.name === name);
  return a?.i === undefined ? fallback : num(a.i);
}

function hasData(t: Tensor): boolean {
  const count = t.dims.reduce<number>((a, d) => a * num(d), 1);
  return (
    count === 0 ||
    (t.raw_data?.length ?? 0) > 0 ||
    (t.float_data?.length ?? 0) > 0 ||
    (t.int64_data?.length ?? 0) > 0 ||
    (t.int32_data?.length ?? 0) > 0
  );
}

/** Integer values of a constant 1-D (or scalar) tensor. */
function intValues(t: Tensor | undefined): number[] | undefined {
  if (!t) return undefined;
  const count = t.dims.reduce<number>((a, d) => a * num(d), 1);
  if (t.raw_data && t.raw_data.length > 0) {
    const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
    if (t.data_type === 7)
      return Array.from({ length: count }, (_, i) => Number(view.getBigInt64(i * 8, true)));
    if (t.data_type === 6) return Array.from({ length: count }, (_, i) => view.getInt32(i * 4, true));
    return undefined;
  }
  if (t.int64_data?.length) return t.int64_data.map(num);
  if (t.int32_data?.length) return [...t.int32_data];
  return undefined;
}

const same = (a: number[] | undefined, b: number[]): boolean =>
  !!a && a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The node whose output is the CLS row [batch, hidden]: `Gather(tokens, 0, axis=1)` (what
 * torch.onnx.export makes of `x[:, 0, :]`), or `Slice(tokens, [0], [1], [1])` followed by a
 * Squeeze of axis 1.
 */
function findClsSelection(
  g: Graph,
  tokens: Set<string>,
  constant: (name: string) => Tensor | undefined,
): { select: number; start: string } | undefined {
  for (const [i, n] of g.node.entries()) {
    if (!tokens.has(n.input[0]!)) continue;
    if (n.op_type === 'Gather' && attrInt(n, 'axis', 0) === 1) {
      const idx = constant(n.input[1]!);
      if (idx?.dims.length === 0 && scalarInt(idx) === 0) return { select: i, start: n.output[0]! };
    }
    if (n.op_type === 'Slice') {
      const [, starts, ends, axes, steps] = n.input.map((x) => (x ? intValues(constant(x)) : undefined));
      if (!same(starts, [0]) || !same(ends, [1]) || !(same(axes, [1]) || same(axes, [-2]))) continue;
      if (n.input[4] && !same(steps, [1])) continue;
      const squeeze = g.node.findIndex(
        (m) =>
          m.op_type === 'Squeeze' &&
          m.input[0] === n.output[0] &&
          same(intValues(constant(m.input[1] ?? '')), [1]),
      );
      if (squeeze >= 0) return { select: squeeze, start: g.node[squeeze]!.output[0]! };
    }
  }
  return undefined;
}

export function extractProjectionHead(
  bytes: Uint8Array,
  names: { tokens: string; pooled: string } = { tokens: 'last_hidden_state', pooled: 'image_embeds' },
): HeadResult {
  const type = onnxModelType();
  const model = type.decode(bytes) as unknown as Model;
  const g = model.graph;
  if (!g.output.some((o) => o.name === names.pooled))
    return { ok: false, reason: `no ${names.pooled} output` };
  if (!g.output.some((o) => o.name === names.tokens))
    return { ok: false, reason: `no ${names.tokens} output` };

  const producer = new Map<string, number>();
  g.node.forEach((n, i) => n.output.forEach((o) => producer.set(o, i)));
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  const constantValue = (name: string): Tensor | undefined => {
    const p = producer.get(name);
    if (p !== undefined && g.node[p]!.op_type === 'Constant')
      return g.node[p]!.attribute.find((a) => a.name === 'value')?.t;
    return inits.get(name);
  };

  // The tensor behind the tokens output (through Identity nodes).
  const tokenNames = new Set([names.tokens]);
  let t = names.tokens;
  for (let p = producer.get(t); p !== undefined && g.node[p]!.op_type === 'Identity'; p = producer.get(t)) {
    t = g.node[p]!.input[0]!;
    tokenNames.add(t);
  }

  const found = findClsSelection(g, tokenNames, constantValue);
  if (!found) return { ok: false, reason: 'no CLS selection (token 0 on axis 1) of the token output' };
  const { select, start } = found;

  // Nodes downstream of the CLS row …
  const downstream = new Set<number>();
  const reached = new Set([start]);
  g.node.forEach((n, i) => {
    if (i > select && n.input.some((x) => reached.has(x))) {
      downstream.add(i);
      n.output.forEach((o) => reached.add(o));
    }
  });
  // … that feed the pooled output.
  const path = new Set<number>();
  const stack = [names.pooled];
  const seen = new Set<string>();
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name) || name === start) continue;
    seen.add(name);
    const p = producer.get(name);
    if (p === undefined || !downstream.has(p)) continue;
    path.add(p);
    stack.push(...g.node[p]!.input.filter((x) => x !== ''));
  }
  if (path.size === 0) return { ok: false, reason: `${names.pooled} does not depend on the CLS row` };

  // Everything else the head reads must be constant (initializers or Constant nodes).
  const keep = new Set(path);
  const usedInits = new Set<string>();
  const produced = new Set([start]);
  for (const i of [...path].sort((a, b) => a - b)) g.node[i]!.output.forEach((o) => produced.add(o));
  const pending = [...path].flatMap((i) => g.node[i]!.input);
  while (pending.length) {
    const name = pending.pop()!;
    if (name === '' || produced.has(name)) continue;
    if (inits.has(name)) {
      usedInits.add(name);
      continue;
    }
    const p = producer.get(name);
    if (p === undefined) return { ok: false, reason: `the head reads graph input ${name}` };
    const n = g.node[p]!;
    if (n.op_type !== 'Constant')
      return { ok: false, reason: `the head depends on non-constant ${name} (${n.op_type})` };
    keep.add(p);
    produced.add(name);
  }
  const initializer = g.initializer.filter((x) => usedInits.has(x.name));
  if (!initializer.every(hasData))
    return { ok: false, reason: 'the head weights are stored as external data' };

  const rows = 'rows';
  const nodes = [...keep]
    .sort((a, b) => a - b)
    .map((i) => {
      const n = g.node[i]!;
      return {
        ...n,
        input: n.input.map((x) => (x === start ? rows : x)),
        output: n.output.map((o) => (o === names.pooled ? 'projected' : o)),
      };
    });
  const elemOf = (name: string): number =>
    g.output.find((o) => o.name === name)?.type?.tensor_type?.elem_type ?? 1;
  const dim = (p: string): { dim_param: string } => ({ dim_param: p });
  const info = (
    name: string,
    elem: number,
    shape: Array<{ dim_param: string }>,
  ): Record<string, unknown> => ({
    name,
    type: { tensor_type: { elem_type: elem, shape: { dim: shape } } },
  });
  const out = {
    ir_version: model.ir_version,
    producer_name: 'tldr-studio/vision-head',
    opset_import: model.opset_import,
    graph: {
      name: 'projection_head',
      node: nodes,
      initializer,
      input: [info(rows, elemOf(names.tokens), [dim('n'), dim('hidden')])],
      output: [info('projected', elemOf(names.pooled), [dim('n'), dim('dim')])],
    },
  };
  const encoded = type.encode(type.fromObject(out)).finish();
  return { ok: true, head: { model: encoded, nodeCount: nodes.length, elemType: elemOf(names.tokens) } };
}
