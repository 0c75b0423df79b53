// Lookups over a graph read by readOnnxGraph, for code that walks it to recognise a network: who reads a
// value, the constant behind a value (through Identity and Constant nodes, as torch.onnx.export writes
// shared weights), and which nodes a walk has accounted for.

import { VoxlabError } from '../../common/errors.js';
import type { OnnxGraphContents, OnnxGraphNode, OnnxTensorValue } from './readOnnxGraph.js';

/** Ops that pass their input through unchanged at inference (eval-mode Dropout is exported as these or nothing). */
const PASS_THROUGH = new Set(['Identity', 'Dropout']);

export type OnnxConstant = Exclude<OnnxTensorValue, { dtype: 'other' }>;

/**
 * Readers and producers of every value of `graph`, and the set of nodes visited so far. Every failed
 * expectation throws MODEL_INVALID whose message completes "the graph is not ...: <message>".
 */
export class OnnxGraphIndex {
  private readonly consumers = new Map<string, OnnxGraphNode[]>();
  private readonly producer = new Map<string, OnnxGraphNode>();
  private readonly visited = new Set<OnnxGraphNode>();

  constructor(readonly graph: OnnxGraphContents) {
    for (const n of graph.nodes) {
      if (n.domain !== '' && n.domain !== 'ai.onnx')
        throw mismatch(`node ${n.name} is of domain ${n.domain}`);
      for (const i of n.inputs) if (i !== '') this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
      for (const o of n.outputs) this.producer.set(o, n);
    }
  }

  /** Marks `node` as part of what was recognised. */
  visit(node: OnnxGraphNode): OnnxGraphNode {
    this.visited.add(node);
    return node;
  }

  /** Nodes that read `value`. */
  readersOf(value: string): OnnxGraphNode[] {
    return this.consumers.get(value) ?? [];
  }

  /** The value after any Identity/Dropout nodes that are the only reader of `value` (visited). */
  skipPassThrough(value: string): string {
    let v = value;
    for (;;) {
      const readers = this.readersOf(v);
      const only = readers.length === 1 ? readers[0]! : undefined;
      if (only === undefined || !PASS_THROUGH.has(only.opType) || only.inputs[0] !== v) return v;
      if (only.opType === 'Dropout' && only.inputs.length > 2 && only.inputs[2] !== '')
        throw mismatch(`${only.name} is a Dropout with a training_mode input`);
      this.visit(only);
      v = only.outputs[0]!;
    }
  }

  /** The one node reading `value`; `what` names the value's producer in the message. */
  onlyReader(value: string, what: string): OnnxGraphNode {
    const readers = this.readersOf(value);
    if (readers.length !== 1)
      throw mismatch(
        `the output of ${what} is read by ${readers.length} nodes (${readers.map((r) => r.opType).join(', ') || 'none'}), not 1`,
      );
    return readers[0]!;
  }

  /** The one node after `value` (passing Identity/Dropout), which must be an `op` node; visited. */
  next(value: string, op: string, what: string): OnnxGraphNode {
    const n = this.onlyReader(this.skipPassThrough(value), `the node before ${what}`);
    if (n.opType !== op) throw mismatch(`${what} should be ${op}, found ${n.opType} (${n.name})`);
    return this.visit(n);
  }

  /** The float32 constant behind `value`, as dims and data. */
  float(value: string, what: string): { dims: readonly number[]; data: Float32Array } {
    const t = this.constant(value, what);
    if (t.dtype !== 'float') throw mismatch(`${what} is not a float32 constant`);
    return { dims: t.dims, data: t.data };
  }

  /** The int64 constant behind `value`. */
  int64s(value: string, what: string): bigint[] {
    const t = this.constant(value, what);
    if (t.dtype !== 'int64') throw mismatch(`${what} is not an int64 constant`);
    return [...t.data];
  }

  /** The constant behind `value`: an initializer, possibly behind Identity nodes, or a Constant node (visited). */
  constant(value: string, what: string): OnnxConstant {
    for (let v = value; ;) {
      const init = this.graph.initializers.get(v);
      if (init !== undefined) {
        if (init.dtype === 'other') throw mismatch(`${what}: ${init.why}`);
        return init;
      }
      const p = this.producer.get(v);
      if (p?.opType === 'Identity') {
        this.visit(p);
        v = p.inputs[0]!;
        continue;
      }
      const t = p?.opType === 'Constant' ? p.attributes.get('value') : undefined;
      if (t === undefined) throw mismatch(`${what} (${value}) is not a constant`);
      if (typeof t !== 'object' || Array.isArray(t) || (t as OnnxTensorValue).dtype === 'other')
        throw mismatch(`${what} is a Constant that is not a float or int64 tensor`);
      this.visit(p!);
      return t as OnnxConstant;
    }
  }

  /** Throws unless every node was visited, naming the first ones left. */
  checkAllVisited(): void {
    const rest = this.graph.nodes.filter((n) => !this.visited.has(n));
    if (rest.length > 0)
      throw mismatch(
        `${rest.length} node(s) are not part of it: ${rest
          .slice(0, 3)
          .map((n) => `${n.opType} ${n.name}`)
          .join(', ')}`,
      );
  }
}

function mismatch(why: string): VoxlabError {
  return new VoxlabError('MODEL_INVALID', why);
}
