// `voxlab explain ... --study DIR`: when the scan is an image of the study (named by id or by its file), the
// map is also stored in the study (maps/<image>/<id>.nii.gz, source 'cli'), where the app lists it beside
// the maps it made itself.

import path from 'node:path';
import { VoxlabError } from '../../common/errors.js';
import { openStudy, type ExplanationRecord, type ImageRecord, type Study } from '../../datastore/index.js';
import type { ExplainScanReport } from '../../explain/index.js';
import type { NiftiImage } from '../../io/writeNifti.js';
import { explanationInput } from '../../server/service/explainRecord.js';
import type { Json } from '../../api/index.js';

/** The image of `study` that `arg` names: an image id, or a file that is an image's file (or its source). */
export function studyImageFor(study: Study, arg: string): ImageRecord | null {
  const images = study.listImages();
  const byId = images.find((i) => i.id === arg);
  if (byId !== undefined) return byId;
  const abs = path.resolve(arg);
  return images.find((i) => i.path === abs || i.sourcePath === abs) ?? null;
}

/** Where the map goes: the scan file to read, and the open study and image when the map is stored there. */
export interface ExplainTarget {
  readonly file: string;
  readonly study: Study | null;
  readonly image: ImageRecord | null;
}

/**
 * Resolves FILE against --study. Without --study: FILE as given, nothing stored (--out required). With it:
 * FILE may be an image id or an image's file; a file that is not in the study is explained but not stored
 * (then --out is required). Throws BAD_ARGUMENT when the map would go nowhere. The caller closes `study`.
 */
export function explainTarget(
  arg: string,
  studyDir: string | undefined,
  out: string | undefined,
): ExplainTarget {
  if (studyDir === undefined) {
    if (out === undefined)
      throw new VoxlabError(
        'BAD_ARGUMENT',
        'give --out MAP.nii.gz (where to write the map), or --study DIR to store the map in the study',
      );
    return { file: arg, study: null, image: null };
  }
  const study = openStudy(studyDir);
  const image = studyImageFor(study, arg);
  if (image === null && out === undefined) {
    study.close();
    throw new VoxlabError(
      'BAD_ARGUMENT',
      `${arg} is neither an image id nor an image file of the study ${study.dir}, so the map cannot be stored there: add the scan to the study, or give --out MAP.nii.gz`,
      { file: arg },
    );
  }
  return { file: image?.path ?? arg, study, image };
}

/** Stores the map of `target.image` in its study with source 'cli'. */
export function storeCliMap(
  target: ExplainTarget,
  run: { modelId: string; report: ExplainScanReport; image: NiftiImage; params: Json; durationMs: number },
): Promise<ExplanationRecord> {
  const { study, image } = target;
  if (study === null || image === null)
    throw new VoxlabError('INTERNAL', 'storeCliMap: no study image to store the map with');
  return study.recordExplanation(explanationInput({ imageId: image.id, source: 'cli', ...run }));
}
