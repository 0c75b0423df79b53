// The crash soak (issue #15, item 1): the real `voxlab serve` (soakServe.ts, a child process) takes a mixed
// write load over HTTP — class labels, labelmaps, class changes, imports, DICOM uploads, training epochs —
// and is killed with SIGKILL at seeded moments, `kills` times, on one study. After every kill the database
// passes integrity_check (server down); after every restart each acknowledged write reads back equal, every
// listed image is readable, no temp file of a dead process is left, and a killed training run resumes where
// its last checkpoint ended. Returns counts and failures in words, for scripts/bench/reliability.ts and the
// CI test (crashSoak.test.ts).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, httpTransport, type CoreApi } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';
import { SeededRandom } from '../../common/random.js';
import { SoakModel, type SoakAck } from './soakLoad.js';
import { runCycle, type CycleKind } from './soakCycle.js';
import { startSoakServer, type SoakServer } from './soakServer.js';
import { makeSoakStudy } from './soakStudy.js';
import { checkAcks, checkClasses, checkImages, checkIntegrity, checkpointEpochs, deadTempFiles, importStagingDirs, newTally, type SoakTally } from './soakVerify.js';

export interface CrashSoakOptions {
  /** SIGKILLs of the server (bench: 1000, CI: 50). */
  readonly kills: number;
  readonly seed?: number;
  readonly log?: (m: string) => void;
  /** The compiled soakServe.js to run; default the one beside this module (dist/). Tests build one. */
  readonly serverEntry?: string;
  /** A DICOM series folder to upload and import on some cycles; none: no DICOM cycles. */
  readonly dicomDir?: string;
  /** Every this many cycles the training run is resumed (cycle 0 starts it). Default 20. */
  readonly trainEvery?: number;
  /** Every this many cycles a DICOM upload runs (with dicomDir). Default 10. */
  readonly dicomEvery?: number;
  /**
   * Servers loading their modules ahead of their turn (default 2). Loading (2-3 s of one core) is what bounds
   * a short cycle; more in flight overlap it with the running cycle's HTTP and fsync waits.
   */
  readonly ahead?: number;
}

export interface CrashSoakReport {
  kills: number;
  acknowledged_writes: number;
  /** Acknowledged writes missing or different after a restart (must be 0). */
  lost_writes: number;
  integrity_failures: number;
  /** Listed images that do not read back (must be 0). */
  half_imports: number;
  /** Temp files of a dead process still there after a restart's study open (must be 0). */
  temp_files_left: number;
  /**
   * Writes the server refused with SQLite's "database is locked" (its write lock held by another connection,
   * e.g. the training worker's, past busy_timeout): nothing was written, so nothing can be lost, but a
   * client had to retry. Not a durability failure; reported so that it stays visible.
   */
  refused_writes: number;
  /** The first refusals in words (when, and the server's message). */
  refusals: string[];
  /** Resumes of a killed training run whose first epoch was the one after its last checkpoint. */
  training_resumes: number;
  /** Acknowledged writes by kind (label includes conflicts; epoch: training epochs acknowledged). */
  writes: Record<SoakAck['kind'] | 'conflict', number>;
  /** Cycles by kind: killed while starting, mid-writes, mid-training, mid-DICOM. */
  cycles: Record<CycleKind, number>;
  /** Wall seconds spent in cycles of each kind (restart, checks, load, kill). */
  cycle_seconds: Record<CycleKind, number>;
  /** Most DICOM import staging folders (.dicom-import-<pid>-*) seen after a restart: a killed import's must be swept (0). */
  import_staging_left: number;
  seconds: number;
  seconds_per_kill: number;
  failures: string[];
}

/** Where the soak's training run lives (models/<RUN_ID>). */
export const RUN_ID = 'soak-run';
const DEFAULT_ENTRY = fileURLToPath(new URL('./soakServe.js', import.meta.url));

/** Checks what a server that is down must hold: database integrity and the training checkpoint. */
function checkServerDown(dir: string, acks: readonly SoakAck[], tally: SoakTally): number {
  checkIntegrity(dir, tally);
  let cp: ReturnType<typeof checkpointEpochs>;
  try {
    cp = checkpointEpochs(dir, RUN_ID);
  } catch (e) {
    tally.failures.push(`checkpoint.json of ${RUN_ID} is unreadable: ${(e as Error).message}`);
    return 0;
  }
  const epoch = cp?.epoch ?? 0;
  if (cp !== null && cp.history.join() !== Array.from({ length: epoch }, (_, k) => k + 1).join())
    tally.failures.push(`checkpoint of ${RUN_ID} at epoch ${epoch} has history epochs ${cp.history.join(',')}`);
  acks.forEach((a, k) => {
    if (a.kind === 'epoch' && a.epoch > epoch && !tally.lost.has(k)) {
      tally.lost.add(k);
      tally.failures.push(`lost acknowledged epoch ${a.epoch} of ${a.runId}: the checkpoint is at epoch ${epoch}`);
    }
  });
  return epoch;
}

/** Checks a restarted server: temp files swept, acknowledged writes since `from`, classes, new images. */
async function checkRestarted(api: CoreApi, dir: string, killed: ReadonlySet<number>, acks: readonly SoakAck[], from: number, model: SoakModel, images: Set<string>, tally: SoakTally): Promise<number> {
  const temps = deadTempFiles(dir, killed);
  if (temps.length > 0) {
    tally.tempFilesLeft += temps.length;
    tally.failures.push(`temp files of dead processes left after a restart: ${temps.slice(0, 5).join(', ')}`);
  }
  const indices = Array.from({ length: acks.length - from }, (_, k) => from + k);
  await checkAcks(api, acks, indices, tally);
  await checkClasses(api, model, tally);
  await checkImages(api, images, tally);
  return importStagingDirs(dir).length;
}

/** Runs the soak on a temp study (removed afterwards); see the file header. */
export async function crashSoak(options: CrashSoakOptions): Promise<CrashSoakReport> {
  const { kills, seed = 15, log = () => {}, trainEvery = 20, dicomEvery = 10, ahead = 2 } = options;
  if (!(Number.isInteger(kills) && kills >= 1)) throw new VoxlabError('BAD_ARGUMENT', `crashSoak: kills must be an integer >= 1, got ${kills}`);
  const entry = options.serverEntry ?? DEFAULT_ENTRY;
  if (!existsSync(entry)) throw new VoxlabError('NOT_FOUND', `crashSoak: no server entry ${entry} (build first: npm run build)`);
  const root = mkdtempSync(path.join(tmpdir(), 'voxlab-soak-'));
  const started = performance.now();
  const random = new SeededRandom(seed);
  const tally = newTally();
  const acks: SoakAck[] = [];
  const refusals: string[] = [];
  const model = new SoakModel();
  const cycles: Record<CycleKind, number> = { early: 0, writes: 0, training: 0, dicom: 0 };
  const cycleSeconds: Record<CycleKind, number> = { early: 0, writes: 0, training: 0, dicom: 0 };
  let resumes = 0;
  let stagingLeft = 0;
  const waiting: SoakServer[] = [];
  const killed = new Set<number>(); // pids of the servers killed so far
  try {
    const study = await makeSoakStudy(root, { seed });
    const checkedImages = new Set<string>();
    let verified = 0;
    for (let k = 0; k < Math.max(1, ahead); k++) waiting.push(startSoakServer(entry, study.dir));
    for (let cycle = 0; cycle < kills; cycle++) {
      const server = waiting.shift()!;
      waiting.push(startSoakServer(entry, study.dir)); // loads while this one works; the last one checks the end
      await server.loaded;
      const t0 = performance.now();
      const epoch = checkServerDown(study.dir, acks, tally);
      const kind: CycleKind =
        cycle % trainEvery === 0 ? 'training'
        : options.dicomDir !== undefined && cycle % dicomEvery === Math.floor(dicomEvery / 2) ? 'dicom'
        : random.next() < 1 / 6 ? 'early' : 'writes';
      const outcome = await runCycle({
        server, kind, random, model, studyDir: study.dir, writeImages: study.writeImages, acks, refusals, dicomDir: options.dicomDir,
        runId: RUN_ID, resume: cycle > 0, checkpointEpoch: epoch,
        verify: async (api) => {
          stagingLeft = Math.max(stagingLeft, await checkRestarted(api, study.dir, killed, acks, verified, model, checkedImages, tally));
          verified = acks.length;
        },
      });
      killed.add(server.pid);
      if (outcome.resumed) resumes++;
      if (outcome.failure !== null) tally.failures.push(`cycle ${cycle} (${kind}): ${outcome.failure}`);
      cycles[kind]++;
      cycleSeconds[kind] += (performance.now() - t0) / 1000;
      if (cycle % 50 === 49) log(`crash soak: ${cycle + 1}/${kills} kills, ${acks.length} acknowledged writes, ${tally.failures.length} failures`);
    }
    // After the last kill: every acknowledged write of the whole soak, once more, on a last restart.
    const last = waiting.shift()!;
    waiting.push(last); // killed below, with any still loading
    await last.loaded;
    checkServerDown(study.dir, acks, tally);
    const at = await last.go();
    const api = createClient(httpTransport({ baseUrl: at.url, token: at.token }));
    stagingLeft = Math.max(stagingLeft, await checkRestarted(api, study.dir, killed, acks, 0, model, new Set(), tally));
  } finally {
    await Promise.all(waiting.map((w) => w.kill()));
    rmSync(root, { recursive: true, force: true });
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const writes = { label: 0, conflict: 0, labelmap: 0, class: 0, import: 0, dicom: 0, epoch: 0 };
  for (const a of acks) {
    writes[a.kind]++;
    if (a.kind === 'label' && a.conflict) writes.conflict++;
  }
  return {
    kills,
    acknowledged_writes: acks.length,
    lost_writes: tally.lost.size + tally.lostClasses,
    integrity_failures: tally.integrityFailures,
    half_imports: tally.halfImports,
    temp_files_left: tally.tempFilesLeft,
    refused_writes: refusals.length,
    refusals: refusals.slice(0, 10),
    training_resumes: resumes,
    writes,
    cycles,
    cycle_seconds: Object.fromEntries(Object.entries(cycleSeconds).map(([k, v]) => [k, Math.round(v * 10) / 10])) as Record<CycleKind, number>,
    import_staging_left: stagingLeft,
    seconds,
    seconds_per_kill: Math.round((seconds / kills) * 100) / 100,
    failures: tally.failures,
  };
}
