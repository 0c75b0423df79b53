// `voxlab export --format seg|reports`: a labelmap as a DICOM SEG file (or sent to a PACS with --dicomweb, by
// STOW-RS), and one JSON report per image (series UIDs, class label and history, predictions, segments).

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { seriesReport, type Study } from '../../datastore/index.js';
import { segOf } from '../../dicom/studySeg.js';
import { storeInstances } from '../../dicomweb/index.js';
import { writeFileAtomic } from '../../io/atomicWrite.js';
import type { OptionSpec, ParsedArgs } from '../command.js';
import { numberOption, stringOption } from '../command.js';
import { AUTH_ENV } from './importDicomweb.js';

/** The options `voxlab export` gains for DICOM. */
export const DICOM_EXPORT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  image: { type: 'string', help: "with --format seg: the image whose segmentation to export" },
  version: { type: 'string', help: 'with --format seg: the labelmap version (default the current one)' },
  dicomweb: { type: 'string', help: `with --format seg: send the SEG to this DICOMweb server (STOW-RS) instead of / as well as --out; auth from ${AUTH_ENV}` },
};

/** `--format seg`: writes the SEG to --out and/or sends it to --dicomweb. */
export async function exportSeg(study: Study, args: ParsedArgs, say: (line: string) => void): Promise<void> {
  const imageId = stringOption(args, 'image');
  if (imageId === undefined) throw new VoxlabError('BAD_ARGUMENT', '--format seg needs --image ID (the image whose segmentation to export)');
  const out = stringOption(args, 'out');
  const url = stringOption(args, 'dicomweb');
  if (out === undefined && url === undefined) throw new VoxlabError('BAD_ARGUMENT', '--format seg needs --out FILE.dcm or --dicomweb URL');
  const version = numberOption(args, 'version', { integer: true, min: 1 });
  const { meta, bytes } = await segOf(study, imageId, version, null);
  if (out !== undefined) {
    await mkdir(path.dirname(path.resolve(out)), { recursive: true });
    await writeFileAtomic(path.resolve(out), bytes);
    say(`wrote ${out}: DICOM SEG of ${imageId} labelmap v${meta.labelmapVersion}, ${meta.segments} segment(s), series ${meta.seriesInstanceUid}`);
  }
  if (url !== undefined) {
    const authorization = process.env[AUTH_ENV] || undefined;
    await storeInstances(authorization === undefined ? { url } : { url, authorization }, [bytes]);
    say(`sent the SEG of ${imageId} to ${url} (series ${meta.seriesInstanceUid})`);
  }
}

/** `--format reports`: one `<imageId>.json` per image in the folder --out; returns how many. */
export async function exportReports(study: Study, outDir: string): Promise<number> {
  const images = study.listImages();
  await mkdir(outDir, { recursive: true });
  for (const image of images) await writeFileAtomic(path.join(outDir, `${image.id}.json`), `${JSON.stringify(await seriesReport(study, image.id), null, 2)}\n`);
  return images.length;
}
