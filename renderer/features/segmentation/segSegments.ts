// The study's segments (labelmap value -> name and colour) through the core: listed on load, kept current
// by 'segments.changed' events (another reader renaming), named, recoloured and added by segments.set.

import type { ApiEvent } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { readerForWrite } from '../../api/identity.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { segmentColour } from '../../viewer/segColours.js';
import { refreshHistory } from './segHistory.js';

let subscribed = false;

/** Lists the segments now and follows changes (segments, and labelmap versions of the open scan). */
export function ensureSegmentSync(): void {
  void refreshSegments();
  if (subscribed) return;
  subscribed = true;
  core().events.subscribe((e: ApiEvent) => {
    if (e.type === 'segments.changed') void refreshSegments();
    else if (
      e.type === 'label.changed' &&
      e.what === 'labelmap' &&
      e.imageId === useSegmentationStore.getState().imageId
    )
      void refreshHistory();
  });
}

export async function refreshSegments(): Promise<void> {
  try {
    useSegmentationStore.getState().setSegments(await core().segments.list({}));
  } catch (e) {
    useSegmentationStore.getState().setProblem(`Could not list the segments: ${describeError(e)}`);
  }
}

/** Checks a segment edit; the problem in words, or null when it can be saved. */
export function segmentProblem(value: number, name: string, colour: string): string | null {
  if (!Number.isInteger(value) || value < 1 || value > 255)
    return `A segment value must be a whole number from 1 to 255, not ${value}.`;
  if (name.trim() === '') return 'A segment needs a name.';
  if (!/^#[0-9a-f]{6}$/i.test(colour)) return `'${colour}' is not a colour of the form #rrggbb.`;
  return null;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Names and / or recolours segment `value` in the study (every reader sees it); a field left out keeps its
 * current value (read when the write runs: writes are queued, so a rename and a recolour in quick
 * succession both land). Resolves false when nothing was saved (the problem is shown in the panel).
 */
export function saveSegment(value: number, change: { name?: string; colour?: string }): Promise<boolean> {
  const next = queue.then(() => writeSegment(value, change));
  queue = next;
  return next;
}

async function writeSegment(value: number, change: { name?: string; colour?: string }): Promise<boolean> {
  const store = useSegmentationStore.getState();
  const known = store.segments.find((s) => s.value === value);
  const name = change.name ?? known?.name ?? `Segment ${value}`;
  const colour = change.colour ?? segmentColour(store.segments, value);
  const problem = segmentProblem(value, name, colour);
  if (problem !== null) {
    store.setProblem(problem);
    return false;
  }
  const author = readerForWrite('to name segments');
  if (author === null) {
    store.setProblem('Enter your name first: voxlab records who names segments.');
    return false;
  }
  try {
    const saved = await core().segments.set({
      value,
      name: name.trim(),
      colour: colour.toLowerCase(),
      author,
    });
    const others = useSegmentationStore.getState().segments.filter((s) => s.value !== saved.value);
    useSegmentationStore.getState().setSegments([...others, saved]);
    useSegmentationStore.getState().setProblem(null);
    return true;
  } catch (e) {
    store.setProblem(`Segment ${value} not saved: ${describeError(e)}`);
    return false;
  }
}

/** The smallest value 1..255 not in `taken` (the rows shown: named, painted or active), or null when all are. */
export function freeSegmentValue(taken: readonly number[]): number | null {
  for (let v = 1; v < 256; v++) if (!taken.includes(v)) return v;
  return null;
}
