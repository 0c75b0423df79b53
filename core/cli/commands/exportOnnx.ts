// `voxlab export-onnx --model M --out FILE.onnx`: a trained run or MONAI safetensors weights as an ONNX
// model (input `image` [batch, 1, D, H, W], output `logits`, class names in its metadata).

import { VoxlabError } from '../../common/errors.js';
import { ONNX_OPSET } from '../../infer/index.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import { requiredOption, type Command } from '../command.js';
import { MODEL_OPTIONS, modelFromArgs } from './infer.js';

export const exportOnnxCommand: Command = {
  name: 'export-onnx',
  usage: '--model M [--study DIR] [--arch A] [--input-size N] --out FILE.onnx [--json]',
  summary: 'Export a trained model or MONAI DenseNet weights to ONNX (opset 17, input image, output logits).',
  positionals: [0, 0],
  options: {
    ...MODEL_OPTIONS,
    out: { type: 'string', help: 'the .onnx file to write' },
    json: { type: 'boolean', help: 'print what was written as JSON on stdout' },
  },
  async run(args) {
    const out = requiredOption(args, 'out');
    if (!out.toLowerCase().endsWith('.onnx'))
      throw new VoxlabError('BAD_ARGUMENT', `--out must name a .onnx file, got '${out}'`);
    const model = await modelFromArgs(args);
    if (model.kind === 'onnx')
      throw new VoxlabError('BAD_ARGUMENT', `${model.source} is already an ONNX model: nothing to export`);
    await writeFileAtomic(out, model.onnx);
    const [c, d, h, w] = model.network!.description.input.shape;
    const report = {
      out,
      bytes: model.onnx.byteLength,
      model: model.id,
      classes: model.classes,
      input: { name: 'image', shape: ['batch', c, d, h, w] },
      output: { name: 'logits', shape: ['batch', model.classes.length] },
      opset: ONNX_OPSET,
    };
    process.stdout.write(
      args.values.json === true
        ? `${JSON.stringify(report)}\n`
        : `wrote ${out} (${(report.bytes / 2 ** 20).toFixed(1)} MB, opset ${ONNX_OPSET}): input image [batch, ${c}, ${d}, ${h}, ${w}], ` +
            `output logits [batch, ${model.classes.length}], classes ${model.classes.join(', ')}\n`,
    );
    return 0;
  },
};
