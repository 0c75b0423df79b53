// An inference or explanation whose server restarts must not show as running for ever: job events sent while
// the connection was down are lost, so after a reconnect the job is asked for again (found driving the app:
// a Grad-CAM with its sanity check, the server killed and restarted, the panel stuck on "running").

import { beforeEach, describe, expect, it, vi } from 'vitest';

/** What the mocked core's waitForJob does on its second call (the first waits until it is stopped). */
let secondWait: () => Promise<unknown>;
let waits = 0;

vi.mock('../../api/core.js', () => ({
  core: () => ({
    infer: {
      run: async () => ({ id: 'job-1', state: 'running', progress: { fraction: null, message: 'starting' } }),
    },
    events: { subscribe: () => () => {} },
    waitForJob: (_id: string, options: { signal?: AbortSignal } = {}) => {
      waits++;
      if (waits > 1) return secondWait();
      return new Promise((_resolve, reject) =>
        options.signal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('stopped waiting'), { code: 'CANCELLED' })),
        ),
      );
    },
  }),
}));
vi.mock('../../app/scanOnScreen.js', () => ({ scanOnScreen: () => 'img-1' }));
vi.mock('../../viewer/cornerstone.js', () => ({ volumeViewport: () => null }));
vi.mock('../../viewer/volumes.js', () => ({ loadedVolume: () => null, scanVolumeId: (id: string) => id }));

const { runInference, waitAgainAfterReconnect } = await import('./explainActions.js');
const { useExplainStore } = await import('../../stores/useExplainStore.js');

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('a running job after a reconnect', () => {
  beforeEach(() => {
    waits = 0;
    useExplainStore.getState().setProblem(null);
    useExplainStore.getState().setJob(null);
    useExplainStore.getState().setProbabilities(null);
  });

  it('is said to have stopped when the restarted core does not know it, and the panel is free again', async () => {
    secondWait = () =>
      Promise.reject(Object.assign(new Error('There is no job "job-1"'), { code: 'NOT_FOUND' }));
    const run = runInference('model-1', 'img-1');
    await settle();
    expect(useExplainStore.getState().job?.id).toBe('job-1');
    waitAgainAfterReconnect();
    await run;
    expect(waits).toBe(2);
    expect(useExplainStore.getState().job).toBeNull();
    expect(useExplainStore.getState().problem).toBe(
      'Inference stopped: the server restarted while it ran, so it did not finish. Run it again.',
    );
  });

  it('gives its result when it ended while the connection was down', async () => {
    secondWait = async () => ({
      id: 'job-1',
      state: 'done',
      progress: { fraction: 1, message: 'done' },
      result: { classes: ['control', 'lesion'], probabilities: [0.2, 0.8] },
    });
    const run = runInference('model-1', 'img-1');
    await settle();
    waitAgainAfterReconnect();
    await run;
    expect(useExplainStore.getState().problem).toBeNull();
    expect(useExplainStore.getState().probabilities).toMatchObject({ imageId: 'img-1', values: [0.2, 0.8] });
  });

  it('without a reconnect keeps waiting (a reconnect with no job running does nothing)', async () => {
    waitAgainAfterReconnect();
    secondWait = () => Promise.reject(new Error('not asked'));
    const run = runInference('model-1', 'img-1');
    await settle();
    await settle();
    expect(waits).toBe(1);
    expect(useExplainStore.getState().job?.id).toBe('job-1');
    waitAgainAfterReconnect();
    await run;
  });
});
