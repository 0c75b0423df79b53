// Names and colours of labelmap values (segments), study-wide: value 1 might be "lesion" in red for every
// image. Labelmaps themselves store only the numbers; this table says what they mean.

import { assert } from '../common/errors.js';
import { checkDisplayName, normaliseColour } from './displayChecks.js';
import { checkAuthor, nowIso } from './layout.js';
import type { StudyHandle } from './layout.js';

/** One named labelmap value. */
export interface SegmentRecord {
  /** The labelmap voxel value, 1..255 (0 is background and has no segment). */
  readonly value: number;
  readonly name: string;
  /** '#rrggbb', lower case. */
  readonly colour: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A segment to name (or rename / recolour). */
export interface SetSegmentInput {
  readonly value: number;
  readonly name: string;
  readonly colour: string;
  readonly author: string;
}

interface Row {
  value: number;
  name: string;
  colour: string;
  updated_at: string;
  updated_by: string;
}

const toRecord = (r: Row): SegmentRecord => ({ value: r.value, name: r.name, colour: r.colour, updatedAt: r.updated_at, updatedBy: r.updated_by });

/** The named segments, by value. */
export function listSegments(h: StudyHandle): SegmentRecord[] {
  return (h.db.prepare('SELECT * FROM segments ORDER BY value').all() as Row[]).map(toRecord);
}

/**
 * Names and colours labelmap value `value` (replacing an earlier name and colour) and returns it.
 * Throws BAD_ARGUMENT for a value outside 1..255, a bad name, colour or author.
 */
export function setSegment(h: StudyHandle, input: SetSegmentInput): SegmentRecord {
  const { value } = input;
  assert(Number.isInteger(value) && value >= 1 && value <= 255, () => `setSegment: value must be a labelmap value 1..255 (0 is background), got ${JSON.stringify(value)}`);
  checkDisplayName('setSegment', 'segment', input.name);
  const colour = normaliseColour('setSegment', input.colour);
  checkAuthor('setSegment', input.author);
  h.db
    .prepare(
      `INSERT INTO segments (value, name, colour, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (value) DO UPDATE SET name = excluded.name, colour = excluded.colour,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .run(value, input.name, colour, nowIso(), input.author);
  return toRecord(h.db.prepare('SELECT * FROM segments WHERE value = ?').get(value) as Row);
}
