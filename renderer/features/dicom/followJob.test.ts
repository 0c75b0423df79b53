// Following a job: progress lines of that job only, its end from events or from jobs.get, patience while
// the server is unreachable, and an answer (not a hang) when the job is gone after a restart.

import { describe, expect, it } from 'vitest';
import type { ApiEvent, JobInfo } from '../../../core/api/index.js';
import { followJob } from './followJob.js';

const job = (id: string, state: JobInfo['state'], fraction: number | null, message: string): JobInfo => ({
  id,
  kind: 'import',
  state,
  progress: { fraction, message },
  createdAt: '',
  finishedAt: null,
  subject: null,
  result: null,
  error: null,
});

/** A fake CoreApi: events by hand, jobs.get answering from a queue of answers (the last one repeats). */
function fakeApi(answers: (JobInfo | Error)[]) {
  const listeners = new Set<(e: ApiEvent) => void>();
  let gets = 0;
  return {
    listeners,
    emit: (e: ApiEvent) => listeners.forEach((l) => l(e)),
    get gets() {
      return gets;
    },
    api: {
      events: {
        subscribe: (l: (e: ApiEvent) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      },
      jobs: {
        get: async () => {
          const answer = answers[Math.min(gets++, answers.length - 1)]!;
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
    },
  };
}

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('followJob', () => {
  it('reports the job’s progress from events, ends with its final event, then stops listening', async () => {
    const fake = fakeApi([job('j1', 'running', 0, '')]);
    const seen: string[] = [];
    const followed = followJob(fake.api, job('j1', 'running', 0, 'start'), (f, m) => seen.push(`${f}:${m}`), 60_000);
    await Promise.resolve();
    fake.emit({ type: 'job', job: job('j1', 'running', 0.1, 'looking for DICOM files') });
    fake.emit({ type: 'job', job: job('other', 'running', 0.5, 'not mine') });
    fake.emit({ type: 'datastore.changed', imageId: 'x' });
    fake.emit({ type: 'job', job: job('j1', 'running', 0.7, 'importing 1 series') });
    fake.emit({ type: 'job', job: job('j1', 'done', 1, 'done') });
    expect((await followed).state).toBe('done');
    expect(seen).toContain('0.1:looking for DICOM files');
    expect(seen).toContain('0.7:importing 1 series');
    expect(seen.some((s) => s.includes('not mine'))).toBe(false);
    expect(fake.listeners.size).toBe(0);
  });

  it('finds the end through jobs.get when the event was missed, waiting out an unreachable server', async () => {
    const fake = fakeApi([
      job('j2', 'running', 0.2, 'converting'),
      coded('IO_ERROR', 'cannot reach the voxlab server'),
      job('j2', 'failed', null, 'x'),
    ]);
    const done = await followJob(fake.api, job('j2', 'running', 0, ''), () => {}, 1);
    expect(done.state).toBe('failed');
    expect(fake.gets).toBe(3);
  });

  it('rejects when the job is gone (the server restarted) instead of waiting forever', async () => {
    const fake = fakeApi([coded('NOT_FOUND', 'no job j3')]);
    await expect(followJob(fake.api, job('j3', 'running', 0, ''), () => {}, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fake.listeners.size).toBe(0);
  });

  it('answers a job that already ended without asking', async () => {
    const fake = fakeApi([new Error('not called')]);
    expect((await followJob(fake.api, job('j4', 'failed', null, 'x'), () => {})).state).toBe('failed');
    expect(fake.gets).toBe(0);
  });
});
