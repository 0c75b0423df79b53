// The graph builder's bytes load in ONNX Runtime and compute what each operator promises; the fields
// decode back to what was written.

import { afterAll, describe, expect, it } from 'vitest';
import { OrtSession } from '../ort/OrtSession.js';
import { ONNX_IR_VERSION, ONNX_OPSET, OnnxGraph } from './OnnxGraph.js';
import { readOnnxSummary } from './readOnnx.js';

const sessions: OrtSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

async function run(graph: OnnxGraph, feeds: Record<string, { data: Float32Array; dims: number[] }>) {
  const session = await OrtSession.create(graph.toBytes(), { provider: 'cpu', threads: 1 });
  sessions.push(session);
  return session.run(feeds);
}

describe('OnnxGraph', () => {
  it('writes ir_version, opset, metadata and a symbolic batch that decode back', () => {
    const g = new OnnxGraph('g');
    const x = g.input('x', ['batch', 2, 3]);
    g.output(g.relu(x, 'y'), ['batch', 2, 3]);
    const summary = readOnnxSummary(g.toBytes({ metadata: { 'voxlab.classes': '["a","b"]' } }));
    expect(summary).toMatchObject({
      irVersion: ONNX_IR_VERSION,
      opsetVersion: ONNX_OPSET,
      producerName: 'voxlab',
      metadata: { 'voxlab.classes': '["a","b"]' },
      inputs: [{ name: 'x', elemType: 1, shape: ['batch', 2, 3] }],
      outputs: [{ name: 'y', elemType: 1, shape: ['batch', 2, 3] }],
      ops: ['Relu'],
    });
  });

  it('Mul, Add, Pad (constant and edge) and Slice compute what ONNX defines', async () => {
    const g = new OnnxGraph();
    const x = g.input('x', [1, 1, 4]);
    const m = g.floatConstant('m', [1, 1, 4], Float32Array.of(1, 0, 2, -1));
    g.output(g.mul(x, m, 'mul'), [1, 1, 4]);
    g.output(g.add(x, m, 'add'), [1, 1, 4]);
    g.output(g.pad(x, [0, 0, 1, 0, 0, 2], { value: 9 }, 'padc'), [1, 1, 7]);
    g.output(g.pad(x, [0, 0, 1, 0, 0, 1], { mode: 'edge' }, 'pade'), [1, 1, 6]);
    g.output(g.slice(x, [1], [4], [2], [2], 'slice'), [1, 1, 2]);
    const out = await run(g, { x: { data: Float32Array.of(1, 2, 3, 4), dims: [1, 1, 4] } });
    expect([...out.mul!.data]).toEqual([1, 0, 6, -4]);
    expect([...out.add!.data]).toEqual([2, 2, 5, 3]);
    expect([...out.padc!.data]).toEqual([9, 1, 2, 3, 4, 9, 9]);
    expect([...out.pade!.data]).toEqual([1, 1, 2, 3, 4, 4]);
    expect([...out.slice!.data]).toEqual([2, 4]);
  });

  it('Conv (pads, strides), MaxPool, AveragePool, Concat, GlobalAveragePool, Flatten and Gemm', async () => {
    const g = new OnnxGraph();
    const x = g.input('x', ['batch', 1, 4, 4, 4]);
    const w = g.floatConstant('w', [1, 1, 1, 1, 1], Float32Array.of(2));
    const conv = g.conv(x, w, { kernel: [1, 1, 1], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }); // [3,3,3]
    const max = g.maxPool(x, { kernel: [2, 2, 2], strides: [2, 2, 2] }); // [2,2,2]
    const avg = g.averagePool(x, { kernel: [2, 2, 2], strides: [2, 2, 2] });
    const cat = g.concat([max, avg], 1, 'cat');
    g.output(conv, ['batch', 1, 3, 3, 3]);
    g.output(cat, ['batch', 2, 2, 2, 2]);
    const flat = g.flatten(g.globalAveragePool(cat), 1);
    const wl = g.floatConstant('wl', [1, 2], Float32Array.of(1, -1));
    const bl = g.floatConstant('bl', [1], Float32Array.of(0.5));
    g.output(g.gemm(flat, wl, bl, { transB: true }, 'out'), ['batch', 1]);
    const data = Float32Array.from({ length: 64 }, (_, i) => i);
    const out = await run(g, { x: { data, dims: [1, 1, 4, 4, 4] } });
    // Padding 1 then stride 2: taps at -1, 1, 3 per axis; (1,1,1) is voxel 21, (3,3,3) voxel 63.
    expect(out[conv]!.data[13]).toBe(2 * 21);
    expect(out[conv]!.data[26]).toBe(2 * 63);
    expect(out[conv]!.data[0]).toBe(0);
    expect(out.cat!.data[0]).toBe(21); // max of the first 2x2x2 block
    expect(out.cat!.data[8]).toBe(10.5); // its mean
    // Each block's max is its mean + 10.5 (corner +21 vs centre +10.5): mean(max) - mean(avg) + 0.5 = 11.
    expect(out.out!.data[0]).toBeCloseTo(11, 4);
  });

  it('refuses a value used before it is defined, or defined twice', () => {
    const g = new OnnxGraph();
    expect(() => g.relu('nope')).toThrow(/used before it is defined/);
    g.input('x', [1]);
    expect(() => g.input('x', [1])).toThrow(/defined twice/);
  });
});
