// The core service: one handler per contract method over an open study. Transports (core/server's HTTP
// router, the Electron utility process) call it through dispatch(); nothing here knows about either.

import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_VERSION, METHODS, METHOD_NAMES, type DoctorInfo } from '../../api/index.js';
import { initBackend, type BackendReport } from '../../backend/selectBackend.js';
import { ClassifierCache } from '../../infer/index.js';
import type { Study } from '../../datastore/index.js';
import { EventHub } from '../events.js';
import { JobManager } from '../jobs.js';
import type { Handlers, ServiceContext } from './context.js';
import { accountHandlers } from './accounts.js';
import { readingHandlers } from './reading.js';
import { classHandlers } from './classes.js';
import { datastoreHandlers } from './datastore.js';
import { dicomHandlers } from './dicom.js';
import { explainHandlers } from './explain.js';
import { modelHandlers } from './models.js';
import { inferenceHandlers } from './inference.js';
import { createModelResolver } from './studyModels.js';
import { trainingHandlers } from './training.js';
import { unpackedRequire } from '../../runtime/packagedPath.js';

// onnxruntime-node is unpacked in a packed app (core/runtime/packagedPath.ts).
const require = unpackedRequire(import.meta.url);

/** voxlab's version from its package.json (found upward from this file: under dist/ or beside the sources). */
export function voxlabVersion(): string {
  for (
    let dir = path.dirname(fileURLToPath(import.meta.url));
    dir !== path.dirname(dir);
    dir = path.dirname(dir)
  ) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'voxlab' && typeof pkg.version === 'string') return pkg.version;
  }
  return '0.0.0';
}

function onnxRuntimeStatus(): DoctorInfo['onnxruntime'] {
  try {
    const pkg = require('onnxruntime-node/package.json') as { version?: string };
    return { installed: true, detail: `onnxruntime-node ${pkg.version ?? '?'} (CPU)` };
  } catch (e) {
    return {
      installed: false,
      detail: `onnxruntime-node is not installed: ${(e as Error).message.split('\n')[0]}`,
    };
  }
}

/** A running service: its handlers, jobs and events. close() cancels jobs (the study stays open: the caller owns it). */
export interface Service {
  readonly handlers: Handlers;
  readonly context: ServiceContext;
  close(): Promise<void>;
}

export function createService(study: Study, options: { version?: string } = {}): Service {
  const events = new EventHub();
  const jobs = new JobManager(events);
  const classifiers = new ClassifierCache();
  const models = createModelResolver(study, classifiers);
  let backend: Promise<BackendReport> | null = null;
  const context: ServiceContext = {
    study,
    jobs,
    events,
    version: options.version ?? voxlabVersion(),
    backend: () => (backend ??= initBackend({ prefer: 'auto' })),
  };
  const handlers: Handlers = {
    'server.info': async () => {
      const info = study.info();
      return {
        name: 'voxlab',
        version: context.version,
        apiVersion: API_VERSION,
        study: {
          name: info.name,
          createdAt: info.createdAt,
          schemaVersion: info.schemaVersion,
          dataVersion: study.dataVersion(),
        },
        labels: study.listClasses().map((c) => c.name),
        models: study.listModels().map((m) => m.id),
        methods: METHOD_NAMES.map((name) => ({ name, kind: METHODS[name].kind, http: METHODS[name].http })),
        strategies: ['first', 'random', 'entropy', 'tta'],
        unavailable: [],
      };
    },
    'doctor.report': async () => {
      const r = await context.backend();
      return {
        backend: r.backend,
        threads: r.threads,
        candidates: r.candidates.map((c) => ({ name: c.name, available: c.available, reason: c.reason })),
        onnxruntime: onnxRuntimeStatus(),
        webgpu: {
          adapter:
            r.webgpu.adapter === null
              ? null
              : { vendor: r.webgpu.adapter.vendor, architecture: r.webgpu.adapter.architecture, description: r.webgpu.adapter.description, software: r.webgpu.adapter.software },
          inUse: r.webgpu.inUse,
          detail: r.webgpu.detail,
        },
        machine: {
          platform: process.platform,
          arch: process.arch,
          cores: os.availableParallelism(),
          memoryGb: os.totalmem() / 2 ** 30,
        },
      };
    },
    ...datastoreHandlers(context),
    ...accountHandlers(context),
    ...readingHandlers(context),
    ...dicomHandlers(context),
    ...classHandlers(context),
    ...trainingHandlers(context),
    ...modelHandlers(context),
    ...inferenceHandlers(context, models),
    ...explainHandlers(context, models),
    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ jobId }) => jobs.get(jobId),
    'jobs.cancel': async ({ jobId }) => jobs.cancel(jobId),
  };
  return {
    handlers,
    context,
    close: async () => {
      await jobs.shutdown();
      await classifiers.dispose();
    },
  };
}
