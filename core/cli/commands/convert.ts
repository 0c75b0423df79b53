// `voxlab convert IN OUT`: rewrite a volume as NIfTI-1, optionally reoriented to RAS+ (nibabel's
// as_closest_canonical) and cast to another datatype (with scl_slope/scl_inter where needed).

import { VoxlabError } from '../../common/errors.js';
import { asClosestCanonical } from '../../io/canonical.js';
import { WRITE_DTYPES, castForNifti, type WriteDtype } from '../../io/castForNifti.js';
import { readNifti } from '../../io/readNifti.js';
import { writeNifti } from '../../io/writeNifti.js';
import { numberOption, stringOption, type Command } from '../command.js';

function chooseDtype(requested: string | undefined, source: string): WriteDtype {
  if (requested === undefined) return (WRITE_DTYPES as readonly string[]).includes(source) ? (source as WriteDtype) : 'float32';
  if (!(WRITE_DTYPES as readonly string[]).includes(requested)) {
    throw new VoxlabError('BAD_ARGUMENT', `--dtype must be one of ${WRITE_DTYPES.join(', ')}, got '${requested}'`);
  }
  return requested as WriteDtype;
}

export const convertCommand: Command = {
  name: 'convert',
  usage: 'IN OUT(.nii|.nii.gz) [--canonical] [--dtype uint8|int16|float32] [--frame N]',
  summary: 'Rewrite a volume as NIfTI-1, optionally reoriented to RAS+ and cast to another datatype.',
  positionals: [2, 2],
  options: {
    canonical: { type: 'boolean', help: "reorder voxels to RAS+ like nibabel's as_closest_canonical" },
    dtype: { type: 'string', help: "stored datatype (default: the input's when writable, else float32)" },
    frame: { type: 'string', help: 'which volume of a 4D file (0-based)', default: '0' },
  },
  async run(args) {
    const [input, output] = args.positionals as [string, string];
    const frame = numberOption(args, 'frame', { integer: true, min: 0 })!;
    const read = await readNifti(input, { frame });
    const dtype = chooseDtype(stringOption(args, 'dtype'), read.header.datatype);
    const volume = args.values.canonical === true ? asClosestCanonical(read) : read;
    const cast = castForNifti(volume.data, dtype);
    await writeNifti(
      output,
      { shape: volume.shape, data: cast.data, affine: volume.affine },
      { description: `voxlab convert from ${read.axcodes} ${read.header.datatype}`, ...(cast.scaling ? { scaling: cast.scaling } : {}) },
    );
    const scaled = cast.scaling ? `, scl_slope ${cast.scaling.slope.toPrecision(6)} scl_inter ${cast.scaling.inter.toPrecision(6)}` : '';
    process.stderr.write(`wrote ${output} (${volume.shape.join('x')} ${dtype}, ${volume.axcodes}${scaled})\n`);
    return 0;
  },
};
