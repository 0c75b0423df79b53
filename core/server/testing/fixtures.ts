// Test helpers for the server: a study of tiny images served over HTTP on a free loopback port, and
// handlers wrapped to record which methods were reached.

import path from 'node:path';
import type { MethodName, Req } from '../../api/index.js';
import type { VoxlabError } from '../../common/errors.js';
import { makeTempDirs, studyWithImages } from '../../datastore/testing/fixtures.js';
import { serializeSafetensors } from '../../model/safetensors.js';
import { startHttpServer, type RunningServer } from '../httpServer.js';
import type { Handlers } from '../service/context.js';
import { createService, type Service } from '../service/index.js';

export const IMAGE_IDS = ['img-a', 'img-b', 'img-c'] as const;
export const SHAPE = [4, 5, 6] as const;
export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvw';

/** Wraps every handler so that calling it adds the method's name to `seen`. */
export function spyHandlers(handlers: Handlers, seen: Set<MethodName>): Handlers {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    out[name] = (args: unknown, upload: unknown, caller: unknown) => {
      seen.add(name as MethodName);
      return (fn as (a: unknown, b: unknown, c: unknown) => Promise<unknown>)(args, upload, caller);
    };
  }
  return out as unknown as Handlers;
}

export interface TestCore {
  readonly dir: string;
  readonly service: Service;
  readonly seen: Set<MethodName>;
  close(): Promise<void>;
}

/** A study with IMAGE_IDS (tiny uint8 images of SHAPE) and a service over it whose handlers are spied on. */
export async function testCore(): Promise<TestCore> {
  const temp = makeTempDirs();
  const root = temp.make('voxlab-server-');
  const study = await studyWithImages(root, IMAGE_IDS, SHAPE);
  const inner = createService(study, { version: '0.0.0-test' });
  const seen = new Set<MethodName>();
  const service: Service = { ...inner, handlers: spyHandlers(inner.handlers, seen) };
  return {
    dir: path.join(root, 'study'),
    service,
    seen,
    close: async () => {
      await inner.close();
      study.close();
      temp.cleanup();
    },
  };
}

/** testCore served over HTTP on 127.0.0.1 with TOKEN. */
export async function testServer(): Promise<TestCore & { server: RunningServer }> {
  const core = await testCore();
  const server = await startHttpServer(core.service, { token: TOKEN, rendererDir: null });
  return {
    ...core,
    server,
    close: async () => {
      await server.close();
      await core.close();
    },
  };
}

/** A small valid safetensors file. */
export function tinySafetensors(): Uint8Array {
  return serializeSafetensors([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]);
}

/**
 * One call per contract method, in an order where each can reach its handler (the table is typed over
 * MethodName, so a new method without a case does not compile). `ok`: whether it should succeed here.
 */
export const EVERY_METHOD: {
  readonly [M in MethodName]: {
    readonly args: Req<M>;
    readonly data?: () => Uint8Array;
    readonly ok: boolean;
  };
} = {
  'server.info': { args: {}, ok: true },
  'doctor.report': { args: {}, ok: true },
  'datastore.list': { args: { status: 'unlabeled' }, ok: true },
  'datastore.status': { args: {}, ok: true },
  'datastore.image': { args: { imageId: 'img-a' }, ok: true },
  'datastore.add': { args: { path: 'no-such-file.nii', author: 'tester' }, ok: false },
  'datastore.volume': { args: { imageId: 'img-a' }, ok: true },
  'labels.get': { args: { imageId: 'img-a' }, ok: true },
  'labels.set': {
    args: { imageId: 'img-a', label: 'lesion', author: 'tester', expectedVersion: 0 },
    ok: true,
  },
  'labels.history': { args: { imageId: 'img-a' }, ok: true },
  'labels.classes': { args: {}, ok: true },
  'classes.list': { args: {}, ok: true },
  'classes.add': { args: { name: 'control', author: 'tester' }, ok: true },
  'classes.update': { args: { name: 'lesion', colour: '#112233', author: 'tester' }, ok: true },
  'segments.set': { args: { value: 1, name: 'lesion', colour: '#ff0000', author: 'tester' }, ok: true },
  'segments.list': { args: {}, ok: true },
  'labelmaps.save': {
    args: { imageId: 'img-b', author: 'tester' },
    data: () => new Uint8Array(SHAPE[0] * SHAPE[1] * SHAPE[2]).fill(1),
    ok: true,
  },
  'labelmaps.get': { args: { imageId: 'img-b' }, ok: true },
  'labelmaps.history': { args: { imageId: 'img-b' }, ok: true },
  'train.start': { args: { config: { epochs: 0 } }, ok: false },
  'train.resume': { args: { runId: 'no-such-run' }, ok: true },
  'train.stop': { args: {}, ok: true },
  'train.status': { args: {}, ok: true },
  'train.engines': { args: {}, ok: true },
  'train.metrics': { args: { modelId: 'no-such-run' }, ok: true },
  'models.import': {
    args: { modelId: 'imported', format: 'safetensors', classes: ['control', 'lesion'] },
    data: tinySafetensors,
    ok: true,
  },
  'models.list': { args: {}, ok: true },
  'models.export': { args: { modelId: 'imported' }, ok: true },
  'infer.run': { args: { modelId: 'imported', imageId: 'img-a' }, ok: true },
  'explain.run': { args: { modelId: 'imported', imageId: 'img-a', method: 'occlusion' }, ok: true },
  'explain.map': { args: { jobId: 'no-such-job' }, ok: false },
  'explain.list': { args: { imageId: 'img-a' }, ok: true },
  'explain.open': { args: { mapId: 'no-such-map' }, ok: false },
  'active.next': { args: { strategy: 'first' }, ok: true },
  'dicom.stage': { args: { uploadId: 'up-1', name: 'IM0001' }, data: () => new Uint8Array(200).fill(7), ok: true },
  'dicom.importStaged': { args: { uploadId: 'up-1', author: 'tester' }, ok: true },
  'pacs.search': { args: { url: 'ftp://pacs.invalid/dicom-web' }, ok: false },
  'pacs.import': { args: { url: 'ftp://pacs.invalid/dicom-web', author: 'tester' }, ok: false },
  'seg.export': { args: { imageId: 'img-a' }, ok: false },
  'seg.send': { args: { imageId: 'img-a', url: 'http://127.0.0.1:9/dicom-web' }, ok: false },
  'report.series': { args: { imageId: 'img-a' }, ok: true },
  'jobs.list': { args: {}, ok: true },
  'jobs.get': { args: { jobId: 'no-such-job' }, ok: false },
  'jobs.cancel': { args: { jobId: 'no-such-job' }, ok: false },
  'auth.whoami': { args: {}, ok: true },
  'users.list': { args: {}, ok: true },
  'users.add': { args: { name: 'reader x', role: 'annotator' }, ok: true },
  'users.rotate': { args: { name: 'reader x' }, ok: true },
  'users.disable': { args: { name: 'reader x' }, ok: true },
  'reading.get': { args: {}, ok: true },
  'reading.set': { args: { readsPerScan: 2 }, ok: true },
  'reads.list': { args: { imageId: 'img-a' }, ok: true },
  'reads.adjudicate': { args: { imageId: 'img-a', label: 'lesion', author: 'tester' }, ok: true },
  'agreement.report': { args: {}, ok: true },
  'audit.list': { args: { limit: 10 }, ok: true },
};

/** The VoxlabError `p` rejects with (fails the test when it resolves). */
export async function failure(p: Promise<unknown>): Promise<VoxlabError> {
  try {
    await p;
  } catch (e) {
    return e as VoxlabError;
  }
  throw new Error('expected the call to be refused');
}
