// Test helper: an ONNX 3D CNN classifier that is not a DenseNet (conv, relu, global pool, linear), for
// the paths that must recognise MONAI's DenseNet and refuse, or fall back on, anything else.

import { OnnxGraph } from '../onnx/OnnxGraph.js';

/** .onnx bytes: input `image` [batch, 1, 32, 32, 32], output `logits` [batch, 2]. */
export function smallCnnOnnx(): Uint8Array {
  const g = new OnnxGraph();
  const x = g.input('image', ['batch', 1, 32, 32, 32]);
  const w = g.floatConstant('w', [4, 1, 3, 3, 3], new Float32Array(108).fill(0.01));
  const y = g.globalAveragePool(g.relu(g.conv(x, w, { kernel: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1] })));
  const fc = g.floatConstant('fc', [2, 4], Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0));
  g.output(g.gemm(g.flatten(y), fc, null, { transB: true }, 'logits'), ['batch', 2]);
  return g.toBytes();
}
