// The crash soak's checks: every acknowledged write reads back equal over HTTP after a restart, every listed
// image is readable (nothing half-imported), the classes are what the acknowledged changes made them, the
// database passes integrity_check (read-only, with the server down), and no temp file of a dead process
// survived the restart's study open.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CoreApi } from '../../api/index.js';
import { isVoxlabError } from '../../common/errors.js';
import { STUDY_DB_FILE } from '../../datastore/layout.js';
import { loadSqliteDriver } from '../../datastore/sqlite.js';
import { pidAlive, stagingDirOwner, tempFileOwner } from '../../datastore/sweepTemps.js';
import { adoptClasses, classesAgree, soakClasses, type SoakAck, type SoakModel } from './soakLoad.js';
import { importVoxels, soakLabelmap } from './soakStudy.js';

/** What the checks found so far, across cycles. */
export interface SoakTally {
  /** Indices (into the ack list) of acknowledged writes found missing or different. */
  readonly lost: Set<number>;
  /** Soak classes whose acknowledged state was not found (the model is then reset to what the server has). */
  lostClasses: number;
  /** Ids of listed images found unreadable (each counted once). */
  readonly badImages: Set<string>;
  halfImports: number;
  integrityFailures: number;
  tempFilesLeft: number;
  readonly failures: string[];
}

export const newTally = (): SoakTally => ({ lost: new Set(), lostClasses: 0, badImages: new Set(), halfImports: 0, integrityFailures: 0, tempFilesLeft: 0, failures: [] });

const equalBytes = (a: ArrayBuffer, b: Uint8Array): boolean => a.byteLength === b.byteLength && Buffer.from(a).equals(b);
const why = (e: unknown): string => `${isVoxlabError(e) ? `[${e.code}] ` : ''}${(e as Error).message}`;

/** Checks acks[k] for k in `indices` (labels, labelmaps, imports, DICOM imports; classes: checkClasses). */
export async function checkAcks(api: CoreApi, acks: readonly SoakAck[], indices: readonly number[], tally: SoakTally): Promise<void> {
  const lose = (k: number, what: string) => {
    if (!tally.lost.has(k)) tally.failures.push(`lost acknowledged write #${k} ${JSON.stringify(acks[k])}: ${what}`);
    tally.lost.add(k);
  };
  const histories = new Map<string, Promise<Awaited<ReturnType<CoreApi['labels']['history']>>>>();
  for (const k of indices) {
    const a = acks[k]!;
    try {
      if (a.kind === 'label') {
        if (!histories.has(a.imageId)) histories.set(a.imageId, api.labels.history({ imageId: a.imageId }));
        const v = (await histories.get(a.imageId)!).find((h) => h.version === a.version);
        if (v === undefined) lose(k, 'no such version');
        else if (v.label !== a.label || v.conflict !== a.conflict) lose(k, `stored ${JSON.stringify(v.label)} conflict=${v.conflict}`);
      } else if (a.kind === 'labelmap') {
        const got = await api.labelmaps.get({ imageId: a.imageId, version: a.version });
        if (!equalBytes(got.data, soakLabelmap(a.salt))) lose(k, 'different voxels');
      } else if (a.kind === 'import') {
        const got = await api.datastore.volume({ imageId: a.imageId });
        if (!equalBytes(got.data, new Uint8Array(importVoxels(a.n).buffer))) lose(k, 'different voxels');
      } else if (a.kind === 'dicom') {
        for (const imageId of a.imageIds) {
          const got = await api.datastore.volume({ imageId });
          if (got.data.byteLength === 0) lose(k, `${imageId} has no voxels`);
        }
      }
    } catch (e) {
      lose(k, why(e));
    }
  }
}

/**
 * Compares the server's k<n> classes with the model. The class change in flight at the kill (model.uncertain)
 * may have happened or not; either is accepted. Anything else that differs is a lost class write. The model
 * then takes the server's state, so one loss is counted once.
 */
export async function checkClasses(api: CoreApi, model: SoakModel, tally: SoakTally): Promise<void> {
  const server = await soakClasses(api);
  if (classesAgree(model, server) === null) {
    const u = model.uncertain;
    const missing = [...model.classes].filter(([n, c]) => server.get(n) !== c && !(u !== null && (n === u.name || n === u.newName)));
    const extra = [...server.keys()].filter((n) => !model.classes.has(n) && n !== u?.newName);
    tally.lostClasses += missing.length; // an unexpected class alone is a failure, not a lost write
    tally.failures.push(`classes differ: acknowledged ${JSON.stringify([...model.classes])}, in flight ${JSON.stringify(u)}, server ${JSON.stringify([...server])} (missing ${missing.map(([n]) => n).join(', ')}; unexpected ${extra.join(', ')})`);
  }
  adoptClasses(model, server);
}

/**
 * Reads every listed image not in `checked` (all when `checked` is empty) through datastore.volume; an
 * image that is listed but unreadable, or an import (imp-<n>, acknowledged or not) whose voxels differ from
 * what was sent, is half-imported. Adds the good ones to `checked`.
 */
export async function checkImages(api: CoreApi, checked: Set<string>, tally: SoakTally): Promise<void> {
  for (const image of await api.datastore.list()) {
    if (checked.has(image.id)) continue;
    try {
      const got = await api.datastore.volume({ imageId: image.id });
      const n = /^imp-(\d+)$/.exec(image.id);
      if (n !== null && !equalBytes(got.data, new Uint8Array(importVoxels(Number(n[1])).buffer))) throw new Error('voxels differ from the file imported');
      checked.add(image.id);
    } catch (e) {
      if (tally.badImages.has(image.id)) continue;
      tally.badImages.add(image.id);
      tally.halfImports++;
      tally.failures.push(`image ${image.id} is listed but not readable: ${why(e)}`);
    }
  }
}

/** integrity_check of the study database on a read-only connection (call with the server down). */
export function checkIntegrity(studyDir: string, tally: SoakTally): void {
  let result: unknown;
  try {
    const db = loadSqliteDriver(null)(path.join(studyDir, STUDY_DB_FILE), { readonly: true, fileMustExist: true });
    try {
      result = db.pragma('integrity_check', { simple: true });
    } finally {
      db.close();
    }
  } catch (e) {
    result = why(e);
  }
  if (result !== 'ok') {
    tally.integrityFailures++;
    tally.failures.push(`integrity_check: ${String(result)}`);
  }
}

/**
 * Leftovers in `studyDir` after a restart: temp files and staging folders (sweepTemps.ts naming) whose
 * process is gone, and — to catch a kind of temp file the sweep does not know — any hidden file or folder
 * whose name holds the pid of a killed server (`killed`) as a number. Symbolic links are not followed.
 */
export function deadTempFiles(studyDir: string, killed: ReadonlySet<number> = new Set()): string[] {
  const found: string[] = [];
  const killedIn = (name: string) => name.startsWith('.') && (name.match(/\d+/g) ?? []).some((n) => killed.has(Number(n)));
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, e.name);
      const owner = e.isDirectory() ? stagingDirOwner(e.name) : tempFileOwner(e.name);
      if ((owner !== null && !pidAlive(owner)) || killedIn(e.name)) found.push(path.relative(studyDir, file));
      else if (e.isDirectory()) walk(file);
    }
  };
  walk(studyDir);
  return found;
}

/** The staging folders of DICOM imports (`.dicom-import-*`) in the study folder, with a pid in the name or not. */
export function importStagingDirs(studyDir: string): string[] {
  return readdirSync(studyDir).filter((n) => n.startsWith('.dicom-import-'));
}

/** A run's checkpoint.json epochs (read with the server down), or null when the run has none yet. */
export function checkpointEpochs(studyDir: string, runId: string): { epoch: number; history: number[] } | null {
  const file = path.join(studyDir, 'models', runId, 'checkpoint.json');
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as { epoch: number; history: { epoch: number }[] };
  return { epoch: state.epoch, history: state.history.map((h) => h.epoch) };
}
