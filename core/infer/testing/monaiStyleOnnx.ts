// Test and bench helper: a DenseNet as MONAI's torch.onnx.export (PyTorch 1.13, eval mode, opset 13)
// writes it, made from our description and weights: every BatchNorm right after a Conv folded into it (a
// Conv with a bias, weights named onnx::Conv_<n>), AvgPool as a zero Pad then AveragePool, and weights
// reached through Identity nodes. shared/reference/monai/densenet_tiny.onnx is the real thing, but only
// for freshly initialised BatchNorms and the tiny net; this writes any size with any statistics.

import type { ModelDescription, ModelNode } from '../../model/index.js';
import type { OnnxAttribute } from '../onnx/onnxProto.js';
import { OnnxGraph } from '../onnx/OnnxGraph.js';
import { stateValue, type StateDict } from '../stateDict.js';

/** .onnx bytes of `description` with `state`, shaped as MONAI's export (input `image`, output `logits`). */
export function exportMonaiStyleOnnx(description: ModelDescription, state: StateDict): Uint8Array {
  const g = new OnnxGraph('torch_jit');
  const value = new Map<string, string>([['input', g.input('image', ['batch', ...description.input.shape])]]);
  const weight = (node: ModelNode, role: string): Float32Array => {
    const e = node.state.find((s) => s.role === role)!;
    return stateValue(state, e.key, e.shape);
  };
  let folded = 0;
  const nodes = description.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const x = node.inputs.map((n) => value.get(n)!);
    const out = node.name === description.output ? 'logits' : `/${node.name.replaceAll('.', '/')}`;
    const cube = (n: number) => [n, n, n];
    const next = nodes[i + 1];
    switch (node.op) {
      case 'conv': {
        const attrs = window(cube(node.kernel), cube(node.stride), cube(node.padding));
        const w = weight(node, 'weight');
        const shape = node.state[0]!.shape;
        if (
          next?.op === 'batchNorm' &&
          next.inputs[0] === node.name &&
          readers(description, node.name) === 1
        ) {
          // torch's fuse_conv_bn_eval: s = gamma / sqrt(var + eps); W' = W s; b' = beta - mean s.
          const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((r) =>
            weight(next, r),
          ) as [Float32Array, Float32Array, Float32Array, Float32Array];
          const per = w.length / shape[0]!;
          const s = gamma.map((gm, c) => gm / Math.sqrt(variance[c]! + next.eps));
          const wf = w.map((v, k) => v * s[Math.floor(k / per)]!);
          const bf = beta.map((b, c) => b - mean[c]! * s[c]!);
          const wName = g.floatConstant(`onnx::Conv_${200 + 2 * folded}`, shape, wf);
          const bName = g.floatConstant(`onnx::Conv_${201 + 2 * folded}`, [shape[0]!], bf);
          folded++;
          value.set(node.name, g.node('Conv', [x[0]!, wName, bName], attrs, `${out}/Conv_output_0`));
          value.set(next.name, value.get(node.name)!);
          i++;
        } else {
          const wName = g.floatConstant(node.state[0]!.key, shape, w);
          value.set(node.name, g.node('Conv', [x[0]!, wName], attrs, `${out}/Conv_output_0`));
        }
        break;
      }
      case 'batchNorm': {
        const inputs = ['weight', 'bias', 'running_mean', 'running_var'].map((role) => {
          const e = node.state.find((s) => s.role === role)!;
          // Weights behind Identity nodes, as torch writes deduplicated ones.
          const shared = g.floatConstant(`${e.key}.shared`, e.shape, weight(node, role));
          return g.node('Identity', [shared], [], e.key);
        });
        value.set(
          node.name,
          g.batchNorm(x[0]!, inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!, node.eps, out),
        );
        break;
      }
      case 'relu':
        value.set(node.name, g.relu(x[0]!, out));
        break;
      case 'maxPool':
        value.set(
          node.name,
          g.node('MaxPool', x, window(cube(node.kernel), cube(node.stride), cube(node.padding)), out),
        );
        break;
      case 'avgPool': {
        const padded = g.pad(x[0]!, new Array<number>(10).fill(0), {}, `${out}/Pad_output_0`);
        value.set(
          node.name,
          g.averagePool(padded, { kernel: cube(node.kernel), strides: cube(node.stride) }, out),
        );
        break;
      }
      case 'dropout':
        value.set(node.name, x[0]!);
        break;
      case 'concat':
        value.set(node.name, g.concat(x, 1, out));
        break;
      case 'globalAvgPool':
        value.set(node.name, g.globalAveragePool(x[0]!, out));
        break;
      case 'flatten':
        value.set(node.name, g.flatten(x[0]!, 1, out));
        break;
      case 'linear': {
        const w = g.floatConstant(node.state[0]!.key, node.state[0]!.shape, weight(node, 'weight'));
        const b = g.floatConstant(node.state[1]!.key, node.state[1]!.shape, weight(node, 'bias'));
        value.set(node.name, g.gemm(x[0]!, w, b, { transB: true }, out));
        break;
      }
    }
  }
  g.output('logits', [
    'batch',
    description.nodes.find((n) => n.name === description.output)!.outputShape[0]!,
  ]);
  return g.toBytes({ producerName: 'pytorch', producerVersion: '1.13.0' });
}

function readers(description: ModelDescription, name: string): number {
  return description.nodes.filter((n) => n.inputs.includes(name)).length;
}

function window(kernel: number[], strides: number[], pads: number[]): OnnxAttribute[] {
  return [
    { name: 'kernel_shape', type: 'ints', value: kernel },
    { name: 'strides', type: 'ints', value: strides },
    { name: 'pads', type: 'ints', value: [...pads, ...pads] },
  ];
}
