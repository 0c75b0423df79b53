// `voxlab info FILE|DICOM_DIR`: what a NIfTI file holds, as nibabel would report it; for a folder, the DICOM
// series in it (infoDicom.ts).

import { statSync } from 'node:fs';
import { VoxlabError, isVoxlabError } from '../../common/errors.js';
import { niftiInfo, type NiftiInfo } from '../../io/niftiInfo.js';
import { numberOption, type Command } from '../command.js';
import { ProgressBar } from '../progress.js';
import { dicomFolderInfo, formatDicomFolderInfo } from './infoDicom.js';

/** Parses `--at "i,j,k;i,j,k,t"` into voxel index lists. */
export function parseVoxelList(raw: string | undefined): number[][] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(';').map((part) => {
    const ijk = part.split(',').map((s) => Number(s.trim()));
    if ((ijk.length !== 3 && ijk.length !== 4) || ijk.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new VoxlabError('BAD_ARGUMENT', `--at takes voxels as i,j,k or i,j,k,t separated by ';', got '${part}'`);
    }
    return ijk;
  });
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6));

/** The human-readable form of `voxlab info`. */
export function formatInfo(info: NiftiInfo): string {
  const lines = [
    `file        ${info.file}`,
    `format      NIfTI-${info.nifti_version}, ${info.datatype}, ${info.endianness}-endian`,
    `shape       ${info.shape.join(' x ')}${info.frames > 1 ? ` (${info.frames} volumes; statistics of volume ${info.frame})` : ''}`,
    `voxel size  ${info.pixdim.map(fmt).join(' x ')} ${info.units.spatial || '(unit not set)'}`,
    `orientation ${info.axcodes} (sform_code ${info.sform_code}, qform_code ${info.qform_code})`,
    `affine      ${info.affine.map((r) => r.map((v) => fmt(v).padStart(10)).join(' ')).join('\n            ')}`,
    `scaling     slope ${fmt(info.scl_slope)}, intercept ${fmt(info.scl_inter)}`,
    `values      min ${fmt(info.stats.min)}, max ${fmt(info.stats.max)}, mean ${fmt(info.stats.mean)}, std ${fmt(info.stats.std)}${info.stats.nan ? `, ${info.stats.nan} NaN` : ''}`,
  ];
  if (info.description) lines.push(`description ${info.description}`);
  if (info.extensions.length) lines.push(`extensions  ${info.extensions.map((e) => `code ${e.code} (${e.size} B)`).join(', ')}`);
  for (const s of info.samples) lines.push(`voxel       [${s.ijk.join(', ')}] = ${fmt(s.value)}`);
  return lines.join('\n');
}

export const infoCommand: Command = {
  name: 'info',
  usage: 'FILE|DICOM_DIR... [--json] [--frame N] [--at i,j,k[,t];...]',
  summary: 'Header, affine, orientation, scaling and voxel statistics of NIfTI files (nibabel conventions); the series of DICOM folders.',
  positionals: [1, Infinity],
  options: {
    json: { type: 'boolean', help: 'one JSON object per file on stdout (nibabel reference key names)' },
    frame: { type: 'string', help: 'which volume of a 4D file the statistics describe (0-based)', default: '0' },
    at: { type: 'string', help: "also report the values at these voxels, e.g. '60,60,45;0,0,0'" },
  },
  async run(args) {
    const samples = parseVoxelList(args.values.at as string | undefined);
    const json = args.values.json === true;
    const frame = numberOption(args, 'frame', { integer: true, min: 0 })!;
    const several = args.positionals.length > 1;
    let failures = 0;
    for (const file of args.positionals) {
      const bar = new ProgressBar({ label: `reading ${file}` });
      try {
        if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) {
          const folder = await dicomFolderInfo(file);
          bar.finish();
          if (folder === null) throw new VoxlabError('NOT_A_VOLUME', `${file} is a folder without DICOM files (give a NIfTI file, or a folder of DICOM files)`, { path: file });
          process.stdout.write(json ? `${JSON.stringify(folder)}\n` : `${formatDicomFolderInfo(folder)}\n${several ? '\n' : ''}`);
          continue;
        }
        const info = await niftiInfo(file, { samples, frame, onProgress: bar.update });
        bar.finish();
        process.stdout.write(json ? `${JSON.stringify(info)}\n` : `${formatInfo(info)}\n${several ? '\n' : ''}`);
      } catch (e) {
        bar.finish();
        // With one file the CLI prints the error; with several, each failure is reported and the rest go on.
        if (!several || !isVoxlabError(e)) throw e;
        failures++;
        if (json) process.stdout.write(`${JSON.stringify({ file, error: e.toJSON() })}\n`);
        process.stderr.write(`voxlab info: ${e.message} [${e.code}]\n`);
      }
    }
    return failures > 0 ? 2 : 0;
  },
};
