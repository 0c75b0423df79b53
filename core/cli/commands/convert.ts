// `voxlab convert IN OUT`: rewrite a volume as NIfTI-1, optionally reoriented to RAS+ (nibabel's
// as_closest_canonical) and cast to another datatype (with scl_slope/scl_inter where needed).

import { stat } from 'node:fs/promises';
import { VoxlabError } from '../../common/errors.js';
import { convertDicomFolder } from './convertDicom.js';
import { asClosestCanonical } from '../../io/canonical.js';
import { WRITE_DTYPES, castForNifti, type WriteDtype } from '../../io/castForNifti.js';
import { readNifti } from '../../io/readNifti.js';
import { writeNifti } from '../../io/writeNifti.js';
import { numberOption, stringOption, type Command } from '../command.js';

async function isFolder(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isDirectory(),
    () => false, // missing: readNifti says so in words
  );
}

function chooseDtype(requested: string | undefined, source: string): WriteDtype {
  if (requested === undefined) return (WRITE_DTYPES as readonly string[]).includes(source) ? (source as WriteDtype) : 'float32';
  if (!(WRITE_DTYPES as readonly string[]).includes(requested)) {
    throw new VoxlabError('BAD_ARGUMENT', `--dtype must be one of ${WRITE_DTYPES.join(', ')}, got '${requested}'`);
  }
  return requested as WriteDtype;
}

export const convertCommand: Command = {
  name: 'convert',
  usage: 'IN OUT(.nii|.nii.gz) [--canonical] [--dtype uint8|int16|float32] [--frame N] | DICOM_DIR OUTDIR [--with-phi]',
  summary:
    'Rewrite a volume as NIfTI-1 (optionally RAS+, another datatype), or every DICOM series under a folder as NIfTI + JSON sidecar (dcm2niix).',
  positionals: [2, 2],
  options: {
    canonical: { type: 'boolean', help: "reorder voxels to RAS+ like nibabel's as_closest_canonical" },
    dtype: { type: 'string', help: "stored datatype (default: the input's when writable, else float32)" },
    frame: { type: 'string', help: 'which volume of a 4D file (0-based)', default: '0' },
    'with-phi': { type: 'boolean', help: 'DICOM: keep patient, UID, date and institution fields in the sidecars' },
  },
  async run(args) {
    const [input, output] = args.positionals as [string, string];
    if (await isFolder(input)) {
      const volumeOnly = ['canonical', 'dtype'].filter((o) => args.values[o] !== undefined);
      if (volumeOnly.length > 0)
        throw new VoxlabError('BAD_ARGUMENT', `--${volumeOnly.join(', --')} apply to one volume, not to a DICOM folder (convert the series, then each file)`);
      const written = await convertDicomFolder(input, output, {
        withPhi: args.values['with-phi'] === true,
        say: (line) => process.stderr.write(`${line}\n`),
      });
      process.stderr.write(`${written.length} series converted into ${output}\n`);
      return 0;
    }
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
