// Managing the study's classes from the app (add, rename, colour, key), like Slicer's segment list for
// class labels: every change goes through the core with the reader as author; a rename re-labels the scans
// of that class as new versions (their history keeps the old name).

import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { readerForWrite } from '../../api/identity.js';
import { refreshStudy } from '../studyList/useStudyLoader.js';

/** What a class change left to say: null when it worked, else the problem in words. */
export type ClassOutcome = string | null;

/** Adds a class; its key defaults to the next free one (the core chooses). */
export async function addClass(name: string, colour?: string, key?: number | null): Promise<ClassOutcome> {
  const author = readerForWrite('to add a class');
  if (author === null) return 'Enter your name first: voxlab records who changed the classes.';
  const trimmed = name.trim();
  if (trimmed === '') return 'A class needs a name.';
  try {
    await core().classes.add({ name: trimmed, author, ...(colour !== undefined ? { colour } : {}), ...(key !== undefined ? { key } : {}) });
    await refreshStudy();
    return null;
  } catch (e) {
    return describeError(e);
  }
}

/** Renames, recolours or re-keys `name` (only the fields given change). */
export async function updateClass(name: string, change: { newName?: string; colour?: string; key?: number | null }): Promise<ClassOutcome> {
  const author = readerForWrite('to change a class');
  if (author === null) return 'Enter your name first: voxlab records who changed the classes.';
  if (change.newName !== undefined && change.newName.trim() === '') return 'A class needs a name.';
  try {
    await core().classes.update({ name, author, ...change, ...(change.newName !== undefined ? { newName: change.newName.trim() } : {}) });
    await refreshStudy();
    return null;
  } catch (e) {
    return describeError(e);
  }
}
