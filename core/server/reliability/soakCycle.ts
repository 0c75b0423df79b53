// One cycle of the crash soak: let a loaded server go on the study, check what the last kill left (through
// `verify`), run the cycle's lanes (writes; plus training or a DICOM upload on some cycles) and SIGKILL the
// server at a seeded moment. Kill moments are counted in acknowledged writes, epochs or uploaded files plus a
// few milliseconds (so that the kill lands mid-request), not in wall time, so that coverage does not depend
// on the machine's speed — except 'early' cycles, killed by the clock while the server starts.

import { createClient, httpTransport, type CoreApi } from '../../api/index.js';
import { isVoxlabError } from '../../common/errors.js';
import type { SeededRandom } from '../../common/random.js';
import { writeLane, type LaneGate, type SoakAck, type SoakModel } from './soakLoad.js';
import { dicomLane, readSeries, trainingLane, type DicomProgress } from './soakLanes.js';
import type { SoakServer } from './soakServer.js';

/** early: killed while starting; writes: mid-writes; training: mid-epoch (plus writes); dicom: mid-upload or import (plus writes). */
export type CycleKind = 'early' | 'writes' | 'training' | 'dicom';

/** A cycle that has not killed its server after this long has a kill trigger that never fired. */
const CYCLE_TIMEOUT_MS = 180_000;

export interface CycleParams {
  readonly server: SoakServer;
  readonly kind: CycleKind;
  readonly random: SeededRandom;
  readonly model: SoakModel;
  readonly studyDir: string;
  readonly writeImages: readonly string[];
  /** Acknowledged writes are appended here. */
  readonly acks: SoakAck[];
  /** Writes refused as busy, in words, are appended here. */
  readonly refusals: string[];
  readonly dicomDir: string | undefined;
  readonly runId: string;
  /** Training cycles: resume the run (else start it). */
  readonly resume: boolean;
  /** The run's last checkpointed epoch, read with the server down (0: none). */
  readonly checkpointEpoch: number;
  /** Checks the restarted server before the load starts. */
  verify(api: CoreApi): Promise<void>;
}

export interface CycleOutcome {
  /** A training run resumed from checkpoint E >= 1 reported epoch E + 1 first. */
  resumed: boolean;
  failure: string | null;
}

const why = (e: unknown): string => `${isVoxlabError(e) ? `[${e.code}] ` : ''}${(e as Error).message}`;

/** Runs one cycle; resolves once the server is dead. See the file header. */
export async function runCycle(p: CycleParams): Promise<CycleOutcome> {
  const { random, kind } = p;
  let dying = false;
  let dead: Promise<unknown> = Promise.resolve();
  let armed = false;
  const kill = () => {
    if (dying) return;
    dying = true;
    dead = p.server.kill();
  };
  const killAfter = (ms: number) => {
    if (armed) return;
    armed = true;
    setTimeout(kill, ms);
  };
  if (kind === 'early') {
    killAfter(random.int(0, 150));
    await p.server.go().catch(() => null); // killed before it listened, or it listened first: both fine
    while (!dying) await new Promise((r) => setTimeout(r, 10));
    await dead;
    return { resumed: false, failure: null };
  }
  let api: CoreApi;
  try {
    const at = await p.server.go();
    api = createClient(httpTransport({ baseUrl: at.url, token: at.token }));
    await p.verify(api);
  } catch (e) {
    kill();
    await dead;
    return { resumed: false, failure: `the restarted server failed: ${why(e)}` };
  }
  // What times the kill: acknowledged writes (writes cycles), the first epoch (training), upload steps (dicom).
  const afterWrites = random.int(0, 8);
  const writeDelay = random.int(0, 16);
  const dicomMode = random.int(0, 3);
  const dicomFiles = random.int(0, 3);
  // Drawn now, not in the callbacks, so that the draws (and later cycles' kinds) do not depend on timing.
  const dicomDelays = [random.int(0, 10), random.int(0, 1500), random.int(0, 15)] as const;
  const trainDelay = random.int(0, 2500); // an epoch of the tiny run takes about a second: mid-epoch or mid-checkpoint
  let writes = 0;
  const gate: LaneGate = {
    dying: () => dying,
    refused: (what) => p.refusals.push(what),
    ack: (a) => {
      p.acks.push(a);
      if (a.kind !== 'epoch' && a.kind !== 'dicom') writes++;
      if (kind === 'writes' && writes >= afterWrites) killAfter(writeDelay);
    },
  };
  if (kind === 'writes' && afterWrites === 0) killAfter(writeDelay);
  let timedOut = false;
  const watchdog = setTimeout(() => {
    timedOut = true;
    kill();
  }, CYCLE_TIMEOUT_MS);
  // A run's manifest takes the images labeled when it starts, and a resume refuses changed labels: while a
  // run starts, no label is written (the written scans, unlabeled until then, stay out of every run).
  const writing = kind !== 'training' || p.resume;
  const lanes: Promise<string | null>[] = writing ? [writeLane(api, p.studyDir, random.fork(), p.model, p.writeImages, gate)] : [];
  let resumed = false;
  if (kind === 'training') {
    lanes.push(
      trainingLane(api, p.runId, p.resume, gate, () => killAfter(trainDelay)).then((o) => {
        if (o.failure !== null) kill();
        if (!p.resume || o.firstEpoch === null) return o.failure;
        if (o.firstEpoch === p.checkpointEpoch + 1) resumed = p.checkpointEpoch >= 1;
        else return `the resumed run began at epoch ${o.firstEpoch}; its checkpoint was at epoch ${p.checkpointEpoch}`;
        return o.failure;
      }),
    );
  } else if (kind === 'dicom') {
    const progress: DicomProgress = { staged: 0, importing: false, done: false };
    const onProgress = () => {
      if (dicomMode === 0 && progress.staged >= dicomFiles) killAfter(dicomDelays[0]);
      if (dicomMode === 1 && progress.importing) killAfter(dicomDelays[1]);
      if (progress.done) killAfter(dicomDelays[2]);
    };
    if (dicomMode === 0 && dicomFiles === 0) killAfter(dicomDelays[0]);
    const uploadId = `up${p.model.next()}`;
    lanes.push(
      dicomLane(api, readSeries(p.dicomDir!), uploadId, gate, progress, onProgress).then((o) => {
        if (o.failure !== null) kill();
        if (o.imported === null || o.imported.length === 0) return o.failure;
        if (p.model.dicomImported) return `the DICOM series was imported again (as ${o.imported.join(', ')}) instead of skipped`;
        p.model.dicomImported = true;
        return o.failure;
      }),
    );
  }
  const results = await Promise.all(lanes.map((lane) => lane.then((failure) => (failure !== null && !dying ? (kill(), failure) : failure))));
  kill(); // a lane that ended on its own (a failure) leaves the server to the kill
  clearTimeout(watchdog);
  await dead;
  const failures = results.filter((f): f is string => f !== null);
  if (timedOut) failures.push(`no kill after ${CYCLE_TIMEOUT_MS} ms: the ${kind} cycle's trigger never fired`);
  return { resumed, failure: failures.length > 0 ? failures.join('; ') : null };
}
