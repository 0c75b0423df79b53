// Test helper: a tiny labeled study served over HTTP with a client and the events it has received, for the
// training tests (core/server/training.test.ts, trainStop.test.ts).

import path from 'node:path';
import { createClient, httpTransport, type ApiEvent, type CoreApi } from '../../api/index.js';
import type { Study } from '../../datastore/index.js';
import { tempFolders, tinyStudy, writeTinyCohort } from '../../train/testing/tinyStudy.js';
import { startHttpServer, type RunningServer } from '../httpServer.js';
import { createService, type Service } from '../service/index.js';

export interface TrainingServer {
  readonly study: Study;
  readonly service: Service;
  readonly server: RunningServer;
  readonly api: CoreApi;
  /** Every event received since start, in order. */
  readonly events: ApiEvent[];
  close(): Promise<void>;
}

/** Serves a tiny cohort of `n` labeled scans; the event stream is open when it resolves. */
export async function trainingServer(n = 8): Promise<TrainingServer> {
  const folders = tempFolders();
  const cohort = await writeTinyCohort(folders.make('voxlab-srv-cohort-'), n);
  const study = await tinyStudy(cohort, path.join(folders.make('voxlab-srv-study-'), 'study'));
  const service = createService(study, { version: '0.0.0-test' });
  const server = await startHttpServer(service, { token: 't0ken', rendererDir: null });
  const api = createClient(httpTransport({ baseUrl: server.url, token: 't0ken' }));
  const events: ApiEvent[] = [];
  const unsubscribe = api.events.subscribe((e) => events.push(e));
  await new Promise((r) => setTimeout(r, 100)); // the stream is connected before the first call
  return {
    study,
    service,
    server,
    api,
    events,
    close: async () => {
      unsubscribe();
      await service.close();
      await server.close();
      study.close();
      folders.cleanup();
    },
  };
}
