// Handlers of the datastore, class labels and labelmaps: reads and writes of the open study. Every write
// publishes an event so that other clients (a second person labeling) see it.

import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DatastoreStatus, ImageStatus } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { readNifti, readNiftiHeader } from '../../io/readNifti.js';
import { resolveInside } from '../studyPaths.js';
import type { Handlers, ServiceContext } from './context.js';
import { imageSummary, labelmapVersion } from './dto.js';
import { volumeStats } from './volumeStats.js';
import { blindSummaries, blindedReading, readerOf } from './blinded.js';
import { getRead, getReadHistory, setRead } from '../../datastore/reads.js';

type DatastoreHandlers = Pick<
  Handlers,
  | 'datastore.list'
  | 'datastore.status'
  | 'datastore.image'
  | 'datastore.add'
  | 'datastore.volume'
  | 'labels.get'
  | 'labels.set'
  | 'labels.history'
  | 'labelmaps.get'
  | 'labelmaps.save'
  | 'labelmaps.history'
>;

const bytesOf = (a: Float32Array | Uint8Array): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function datastoreHandlers({ study, events }: ServiceContext): DatastoreHandlers {
  return {
    'datastore.list': async ({ status }, _bytes, caller) => {
      const reading = blindedReading(study);
      if (reading === null) return study.listImages(status ? { status } : {}).map(imageSummary);
      // Blinded: the status filter applies to what the caller sees (an annotator's own reads).
      const all = blindSummaries(study, reading, caller, study.listImages().map(imageSummary));
      return status === undefined ? all : all.filter((i) => i.status === status);
    },
    'datastore.status': async (_args, _bytes, caller) => {
      const reading = blindedReading(study);
      const images =
        reading === null ? study.listImages() : blindSummaries(study, reading, caller, study.listImages().map(imageSummary));
      const byStatus: Record<ImageStatus, number> = { unlabeled: 0, labeled: 0, predicted: 0 };
      const byLabel: Record<string, number> = {};
      for (const i of images) {
        byStatus[i.status]++;
        if (i.label !== null) byLabel[i.label] = (byLabel[i.label] ?? 0) + 1;
      }
      return {
        total: images.length,
        byStatus,
        byLabel,
        dataVersion: study.dataVersion(),
      } satisfies DatastoreStatus;
    },
    'datastore.image': async ({ imageId }, _bytes, caller) => {
      const reading = blindedReading(study);
      const summary = imageSummary(study.getImage(imageId));
      return reading === null ? summary : blindSummaries(study, reading, caller, [summary])[0]!;
    },
    'datastore.add': async ({ path, author, id }) => {
      const file = resolveInside(study.dir, path, 'datastore.add');
      if (!statSync(file).isFile())
        throw new VoxlabError('BAD_ARGUMENT', `datastore.add: "${path}" is a folder, not a NIfTI file`, { path });
      const record = await study.addImage(file, { author, ...(id !== undefined ? { id } : {}) });
      events.publish({ type: 'datastore.changed', imageId: record.id });
      return imageSummary(record);
    },
    'datastore.volume': async ({ imageId, frame }) => {
      const image = study.getImage(imageId);
      const header = await readNiftiHeader(image.path);
      const f = frame ?? 0;
      if (f < 0 || f >= header.frames)
        throw new VoxlabError(
          'BAD_ARGUMENT',
          `datastore.volume: frame ${f} is out of range: "${imageId}" has ${header.frames}`,
          { imageId, frame: f },
        );
      const volume = await readNifti(image.path, { frame: f });
      const meta = {
        imageId,
        shape: volume.shape,
        affine: [...volume.affine],
        axcodes: volume.axcodes,
        dtype: 'float32' as const,
        frame: f,
        frames: header.frames,
        pixdim: volume.header.pixdim,
        stats: volumeStats(volume.data),
      };
      return { meta, bytes: bytesOf(volume.data) };
    },
    // In a blinded study labels.get/set/history are the caller's own read (blinded.ts).
    'labels.get': async ({ imageId }, _bytes, caller) =>
      blindedReading(study) === null ? study.getClassLabel(imageId) : getRead(study, imageId, readerOf(caller)),
    'labels.set': async ({ imageId, label, author, expectedVersion, note }, _bytes, caller) => {
      const blinded = blindedReading(study) !== null;
      try {
        const options = {
          ...(expectedVersion !== undefined ? { expectedVersion } : {}),
          ...(note !== undefined ? { note } : {}),
        };
        const v = blinded
          ? setRead(study, imageId, readerOf(caller, author), label, options)
          : study.setClassLabel(imageId, label, { author, ...options });
        events.publish({
          type: 'label.changed',
          imageId,
          what: 'class',
          version: v.version,
          author,
          conflict: false,
        });
        return v;
      } catch (e) {
        const stored =
          e instanceof VoxlabError && e.code === 'LABEL_CONFLICT' ? e.details?.storedVersion : undefined;
        if (typeof stored === 'number')
          events.publish({
            type: 'label.changed',
            imageId,
            what: 'class',
            version: stored,
            author,
            conflict: true,
          });
        throw e;
      }
    },
    'labels.history': async ({ imageId }, _bytes, caller) =>
      blindedReading(study) === null ? study.getLabelHistory(imageId) : getReadHistory(study, imageId, readerOf(caller)),
    'labelmaps.get': async ({ imageId, version }) => {
      const history = study.getLabelmapHistory(imageId);
      const v =
        version === undefined
          ? study.getLabelmap(imageId)
          : (history.find((h) => h.version === version) ?? null);
      if (v === null)
        throw new VoxlabError(
          'NOT_FOUND',
          `"${imageId}" has no labelmap${version === undefined ? '' : ` version ${version}`}`,
          { imageId },
        );
      const volume = await readNifti(v.path);
      const labels = Uint8Array.from(volume.data);
      return {
        meta: { ...labelmapVersion(v), affine: [...volume.affine], dtype: 'uint8' as const },
        bytes: labels,
      };
    },
    'labelmaps.save': async ({ imageId, author, expectedVersion, note }, upload) => {
      if (upload === undefined)
        throw new VoxlabError('BAD_ARGUMENT', 'labelmaps.save: the request carries no labelmap bytes');
      const image = study.getImage(imageId);
      const bytes = await readFile(upload.path);
      const header = await readNiftiHeader(image.path);
      const options = {
        author,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        ...(note !== undefined ? { note } : {}),
      };
      try {
        const v = await study.saveLabelmap(
          imageId,
          { shape: header.shape, data: bytes, affine: header.affine },
          options,
        );
        events.publish({
          type: 'label.changed',
          imageId,
          what: 'labelmap',
          version: v.version,
          author,
          conflict: false,
        });
        return labelmapVersion(v);
      } catch (e) {
        const stored =
          e instanceof VoxlabError && e.code === 'LABEL_CONFLICT' ? e.details?.storedVersion : undefined;
        if (typeof stored === 'number')
          events.publish({
            type: 'label.changed',
            imageId,
            what: 'labelmap',
            version: stored,
            author,
            conflict: true,
          });
        throw e;
      }
    },
    'labelmaps.history': async ({ imageId }) => study.getLabelmapHistory(imageId).map(labelmapVersion),
  };
}
