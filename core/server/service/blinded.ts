// What a caller may see of labels in a blinded reader study (issue #13). In a blinded study every
// caller's labels.get/set/history are their own read; annotators also see the image list, its counts and
// reports through their own reads only, never another reader's answer or the reference (which is made from
// the reads). Reviewers, researchers and admins see the reference in the list, and every read through
// reads.list. Outside a blinded study nothing changes.

import type { Caller, ImageSummary } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import type { Study } from '../../datastore/index.js';
import { getReading, latestReads, type ReadingSettings } from '../../datastore/reads.js';

/** The reading settings when the study is blinded, else null. */
export function blindedReading(study: Study): ReadingSettings | null {
  const reading = getReading(study);
  return reading.blinded ? reading : null;
}

/** Who reads as `caller` in a blinded study: the account; the local user writes under the author it names. */
export function readerOf(caller: Caller, author?: string): string {
  return caller.kind === 'local' && author !== undefined ? author : caller.name;
}

/** True when `caller` sees only their own reads (annotators in a blinded study). */
export function seesOnlyOwn(caller: Caller): boolean {
  return caller.role === 'annotator';
}

/** Image summaries as `caller` may see them in a blinded study: `reading` added, annotators' labels = their reads. */
export function blindSummaries(study: Study, reading: ReadingSettings, caller: Caller, images: ImageSummary[]): ImageSummary[] {
  const reads = latestReads(study);
  const done = new Map<string, number>();
  const mine = new Map<string, { label: string | null; version: number }>();
  for (const r of reads) {
    if (r.label !== null) done.set(r.imageId, (done.get(r.imageId) ?? 0) + 1);
    if (r.reader === caller.name) mine.set(r.imageId, { label: r.label, version: r.version });
  }
  return images.map((image) => {
    const own = mine.get(image.id);
    const info = { mine: own?.label ?? null, done: done.get(image.id) ?? 0, needed: reading.readsPerScan };
    if (!seesOnlyOwn(caller)) return { ...image, reading: info };
    const status = own?.label != null ? 'labeled' : image.prediction !== null ? 'predicted' : 'unlabeled';
    return { ...image, label: own?.label ?? null, labelVersion: own?.version ?? 0, status, reading: info };
  });
}

/** Throws FORBIDDEN when an annotator asks for something that shows others' answers in a blinded study. */
export function refuseBlinded(study: Study, caller: Caller, what: string): void {
  if (blindedReading(study) !== null && seesOnlyOwn(caller))
    throw new VoxlabError('FORBIDDEN', `This study is read blinded: ${what} would show other readers' answers`, { reason: 'blinded' });
}
