// Jobs on the IXI study through the HTTP API, as a script would start them: inference and explanations with
// the study's tiny model, waited for until done. Shared by the specs that need a prediction or a map.

import type { APIRequestContext } from '@playwright/test';
import { expect, ixiServer } from './fixtures.js';
import { IXI_MODEL } from './ixiStudy.js';

/** POSTs `route` (under /api) with `data`, waits for the job it starts to be done, and gives its result. */
export async function runJobThroughApi<R>(request: APIRequestContext, route: string, data: Record<string, unknown>, timeout = 90_000): Promise<R> {
  const { url, token } = ixiServer();
  const headers = { 'x-voxlab-token': token };
  const res = await request.post(`${url}/api${route}`, { headers, data });
  expect(res.ok(), await res.text()).toBe(true);
  const { id } = (await res.json()) as { id: string };
  let job: { state: string; result: R | null } = { state: 'running', result: null };
  await expect
    .poll(async () => (job = (await (await request.get(`${url}/api/jobs/${id}`, { headers })).json()) as typeof job).state, { timeout })
    .toBe('done');
  return job.result!;
}

/**
 * Occlusion of the whole `imageId` with the tiny model (source 'api'; mask 8 on its 32³ input: 125 passes,
 * seconds); the stored map's id.
 */
export async function occlusionThroughApi(request: APIRequestContext, imageId: string): Promise<string> {
  const data = { imageId, method: 'occlusion', source: 'api', params: { maskSize: 8, overlap: 0.25 } };
  const result = await runJobThroughApi<{ mapId?: string }>(request, `/explain/${IXI_MODEL}`, data);
  expect(result.mapId).toBeTruthy();
  return result.mapId!;
}
