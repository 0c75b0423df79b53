// The crash soak's write load: one client lane sending a seeded mix of class labels (some deliberately stale,
// which the server keeps as conflicts), labelmaps, class additions, recolours and renames, and imports over
// HTTP, one request at a time, recording every write the server acknowledged. What the soak's model of the
// classes should hold lives here too, with the one class change that may be in flight when the server dies.

import type { CoreApi } from '../../api/index.js';
import { isVoxlabError } from '../../common/errors.js';
import type { SeededRandom } from '../../common/random.js';
import { importId, soakLabelmap, writeImportFile } from './soakStudy.js';

/** One write the server acknowledged (its answer arrived, or LABEL_CONFLICT naming the stored version). */
export type SoakAck =
  | { readonly kind: 'label'; readonly imageId: string; readonly version: number; readonly label: string | null; readonly conflict: boolean }
  | { readonly kind: 'labelmap'; readonly imageId: string; readonly version: number; readonly salt: number }
  | { readonly kind: 'class'; readonly name: string; readonly colour: string; readonly renamedFrom: string | null }
  | { readonly kind: 'import'; readonly imageId: string; readonly n: number }
  | { readonly kind: 'dicom'; readonly imageIds: readonly string[] }
  | { readonly kind: 'epoch'; readonly runId: string; readonly epoch: number };

/** A class change sent but not answered when the server died: it may or may not have happened. */
export interface UncertainClassOp {
  readonly name: string;
  readonly newName: string;
  readonly colour: string;
}

/**
 * The soak's classes (name → '#rrggbb'), all named k<n> (the cohort's control/lesion are never touched, so
 * training runs stay resumable), and counters that keep names, salts and import numbers unique.
 */
export class SoakModel {
  readonly classes = new Map<string, string>();
  /** The class change in flight at the last kill, resolved by the next check (soakVerify.checkClasses). */
  uncertain: UncertainClassOp | null = null;
  /** An acknowledged DICOM import brought the series in: later imports of it must skip it. */
  dicomImported = false;
  private counter = 0;
  next(): number {
    return ++this.counter;
  }
}

/** The server's soak classes (k<n>), name → colour. */
export async function soakClasses(api: CoreApi): Promise<Map<string, string>> {
  return new Map((await api.classes.list()).filter((c) => /^k\d+$/.test(c.name)).map((c) => [c.name, c.colour]));
}

/**
 * Whether `server` holds the model's classes ('before' the change in flight, or the model's without one),
 * the model's with that change applied ('after'), or neither (null).
 */
export function classesAgree(model: SoakModel, server: ReadonlyMap<string, string>): 'before' | 'after' | null {
  const same = (m: ReadonlyMap<string, string>) => m.size === server.size && [...m].every(([n, c]) => server.get(n) === c);
  if (same(model.classes)) return 'before';
  const u = model.uncertain;
  if (u === null) return null;
  const after = new Map(model.classes);
  after.delete(u.name);
  after.set(u.newName, u.colour);
  return same(after) ? 'after' : null;
}

/** Makes the server's classes the model's, with no change in flight. */
export function adoptClasses(model: SoakModel, server: ReadonlyMap<string, string>): void {
  model.classes.clear();
  for (const [n, c] of server) model.classes.set(n, c);
  model.uncertain = null;
}

/** What a lane asks of the campaign: whether the server is being killed, and where to report acks. */
export interface LaneGate {
  /** True once the kill was decided: the lane stops sending. */
  readonly dying: () => boolean;
  /** Records an acknowledged write (the kill may be timed from it). */
  ack(a: SoakAck): void;
  /** Records a write the server refused as busy (SQLite's write lock not had in time), in words. */
  refused(what: string): void;
}

/** How the server words a write refused because another connection held SQLite's write lock too long. */
const BUSY = /database is locked|SQLITE_BUSY/;

const colourOf = (random: SeededRandom): string => `#${random.int(0, 0x1000000).toString(16).padStart(6, '0')}`;
const pick = <T>(random: SeededRandom, items: readonly T[]): T => items[random.int(0, items.length)]!;

/** Sends one seeded write and acknowledges it through `gate` when answered. Throws what the call threw. */
async function oneWrite(api: CoreApi, studyDir: string, random: SeededRandom, model: SoakModel, images: readonly string[], gate: LaneGate): Promise<void> {
  const r = random.next();
  const imageId = pick(random, images);
  const names = [...model.classes.keys()];
  if (r < 0.4 && names.length > 0) {
    const label = random.next() < 0.15 ? null : pick(random, names);
    const stale = random.next() < 0.2; // expectedVersion 0 on a labeled image: kept as a conflict
    try {
      const v = await api.labels.set({ imageId, label, author: 'soak', ...(stale ? { expectedVersion: 0 } : {}) });
      gate.ack({ kind: 'label', imageId, version: v.version, label, conflict: v.conflict });
    } catch (e) {
      const stored = isVoxlabError(e) && e.code === 'LABEL_CONFLICT' ? e.details?.['storedVersion'] : undefined;
      if (typeof stored !== 'number') throw e;
      gate.ack({ kind: 'label', imageId, version: stored, label, conflict: true });
    }
  } else if (r < 0.65) {
    const salt = model.next() % 251;
    const v = await api.labelmaps.save({ imageId, author: 'soak' }, soakLabelmap(salt));
    gate.ack({ kind: 'labelmap', imageId, version: v.version, salt });
  } else if (r < 0.75 || names.length === 0) {
    const name = `k${model.next()}`;
    const colour = colourOf(random);
    model.uncertain = { name, newName: name, colour };
    await api.classes.add({ name, colour, key: null, author: 'soak' });
    model.uncertain = null;
    model.classes.set(name, colour);
    gate.ack({ kind: 'class', name, colour, renamedFrom: null });
  } else if (r < 0.88) {
    const name = pick(random, names);
    const rename = random.next() < 0.5;
    const newName = rename ? `k${model.next()}` : name;
    const colour = colourOf(random);
    model.uncertain = { name, newName, colour };
    await api.classes.update({ name, ...(rename ? { newName } : {}), colour, author: 'soak' });
    model.uncertain = null;
    model.classes.delete(name);
    model.classes.set(newName, colour);
    gate.ack({ kind: 'class', name: newName, colour, renamedFrom: rename ? name : null });
  } else {
    const n = model.next();
    const rel = await writeImportFile(studyDir, n);
    await api.datastore.add({ path: rel, author: 'soak', id: importId(n) });
    gate.ack({ kind: 'import', imageId: importId(n), n });
  }
}

/**
 * Sends writes one at a time until the gate says the server is dying; then resolves. A failed call after
 * that is the kill's doing and is not reported; a write refused as busy is reported through the gate and
 * the lane goes on; any other failure before the kill (the server refused a valid write, or answered 5xx)
 * is returned as a failure in words, and the lane stops.
 */
export async function writeLane(
  api: CoreApi,
  studyDir: string,
  random: SeededRandom,
  model: SoakModel,
  images: readonly string[],
  gate: LaneGate,
): Promise<string | null> {
  while (!gate.dying()) {
    const sent = performance.now();
    try {
      await oneWrite(api, studyDir, random, model, images, gate);
    } catch (e) {
      if (gate.dying()) return null;
      const text = `after ${Math.round(performance.now() - sent)} ms: ${isVoxlabError(e) ? `[${e.code}] ` : ''}${(e as Error).message}`;
      if (!BUSY.test((e as Error).message)) return `a write failed while the server was up, ${text}`;
      // Refused for want of SQLite's write lock within busy_timeout: at the write itself (nothing written)
      // or at its audit row, after it (written, not acknowledged). Not a failure of durability; counted
      // and reported. A refused class change is settled at once from the server's classes.
      gate.refused(text);
      if (model.uncertain !== null) {
        const server = await soakClasses(api).catch(() => null);
        if (server === null && gate.dying()) return null;
        const state = server === null ? null : classesAgree(model, server);
        if (state === null) return `the classes are neither before nor after a change refused as busy (${text})`;
        adoptClasses(model, server!);
      }
    }
  }
  return null;
}
