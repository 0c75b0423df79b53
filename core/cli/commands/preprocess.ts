// `voxlab preprocess IN OUT.nii.gz`: the IXI tutorial's model input (ScaleIntensity → Resize size³ in the
// file's voxel order), written as float32 NIfTI on the resized grid so it still overlays the scan.

import { numberOption, type Command } from '../command.js';
import { readNifti } from '../../io/readNifti.js';
import { writeNifti } from '../../io/writeNifti.js';
import { seedPreprocess } from '../../transforms/seedPreprocess.js';
import { resizedAffine } from '../../transforms/resizeAffine.js';
import { tensorToFortran } from '../../transforms/tensor.js';

export const preprocessCommand: Command = {
  name: 'preprocess',
  usage: 'IN OUT.nii.gz [--size 96] [--frame N]',
  summary: "The IXI tutorial's preprocessing (ScaleIntensity -> Resize to size^3, file voxel order) as float32 NIfTI.",
  positionals: [2, 2],
  options: {
    size: { type: 'string', help: 'edge of the output cube in voxels', default: '96' },
    frame: { type: 'string', help: 'which volume of a 4D file (0-based)', default: '0' },
  },
  async run(args) {
    const [input, output] = args.positionals as [string, string];
    const size = numberOption(args, 'size', { integer: true, min: 1 })!;
    const frame = numberOption(args, 'frame', { integer: true, min: 0 })!;
    const volume = await readNifti(input, { frame });
    const tensor = seedPreprocess(volume, size);
    const image = tensorToFortran(tensor);
    await writeNifti(
      output,
      { ...image, affine: resizedAffine(volume.affine, volume.shape, image.shape) },
      { intent: 'map', description: `voxlab preprocess: ScaleIntensity, Resize ${size}` },
    );
    process.stderr.write(`wrote ${output} (${image.shape.join('x')} float32, values ${rangeOf(image.data)})\n`);
    return 0;
  },
};

function rangeOf(data: Float32Array): string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return `${lo.toFixed(3)}..${hi.toFixed(3)}`;
}
