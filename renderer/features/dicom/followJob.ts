// Follows a core job to its end: progress from the event stream (as the explain and training features do),
// plus a look at jobs.get every few seconds, so a missed event or a server restart (the job is gone: NOT_FOUND)
// never leaves the panel waiting forever. While the server cannot be reached, it keeps looking.

import type { ApiEvent, JobInfo } from '../../../core/api/index.js';
import { isUnreachable } from '../../api/unreachable.js';

/** What following a job needs of the CoreApi. */
export interface JobApi {
  readonly events: { subscribe(listener: (event: ApiEvent) => void): () => void };
  readonly jobs: { get(args: { jobId: string }): Promise<JobInfo> };
}

/** How often jobs.get confirms a running job (ms): events carry the progress, this only catches what they miss. */
export const JOB_CHECK_MS = 5000;

/**
 * Calls `onProgress` with each progress line of `job` while it runs; resolves with the job once it ended, or
 * rejects with what jobs.get answered when the job cannot be found any more (NOT_FOUND after a restart).
 */
export function followJob(
  api: JobApi,
  job: JobInfo,
  onProgress: (fraction: number | null, message: string) => void,
  checkMs = JOB_CHECK_MS,
): Promise<JobInfo> {
  if (job.state !== 'running') return Promise.resolve(job);
  return new Promise<JobInfo>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const seen = (j: JobInfo) => {
      if (settled) return;
      if (j.state === 'running') return onProgress(j.progress.fraction, j.progress.message);
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(j);
    };
    const unsubscribe = api.events.subscribe((e) => {
      if (e.type === 'job' && e.job.id === job.id) seen(e.job);
    });
    const check = () => {
      api.jobs.get({ jobId: job.id }).then(
        (j) => {
          seen(j);
          if (!settled) timer = setTimeout(check, checkMs);
        },
        (e: unknown) => {
          if (settled) return;
          if (isUnreachable(e)) {
            timer = setTimeout(check, checkMs);
            return;
          }
          settled = true;
          unsubscribe();
          reject(e);
        },
      );
    };
    check();
  });
}
