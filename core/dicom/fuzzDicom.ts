// Damaged DICOM for the fuzz run (issue #11, must-show 2): seeded mutations of real files (cut short, bytes
// changed in the header or anywhere, garbage appended, a header chunk repeated), each converted: a case
// passes when it converts or fails with a VoxlabError, never another error.

import { isVoxlabError } from '../common/errors.js';
import type { SeededRandom } from '../common/random.js';
import { convertDicomBuffers } from './dcm2niix.js';

/** How a case ended: 'ok', a VoxlabError code, or 'FAILED: ...' for anything else. */
export type FuzzOutcome = string;

/** A mutated copy of `bytes`: one of five kinds of damage, chosen and placed by `rng`. */
export function mutateDicom(bytes: Uint8Array, rng: SeededRandom): { kind: string; bytes: Uint8Array } {
  const out = Uint8Array.from(bytes);
  const at = (limit: number) => Math.floor(rng.next() * Math.max(1, limit));
  switch (at(5)) {
    case 0:
      return { kind: 'truncated', bytes: out.subarray(0, at(out.length)) };
    case 1: // the header: tags, VRs and lengths live in the first few kB
      for (let k = 0; k < 1 + at(30); k++) out[132 + at(Math.min(4096, out.length - 132))] = at(256);
      return { kind: 'header-bytes', bytes: out };
    case 2:
      for (let k = 0; k < 1 + at(200); k++) out[at(out.length)] = at(256);
      return { kind: 'any-bytes', bytes: out };
    case 3: {
      const extra = Uint8Array.from({ length: 1 + at(5000) }, () => at(256));
      return { kind: 'garbage-appended', bytes: new Uint8Array([...out, ...extra]) };
    }
    default: {
      const start = 132 + at(2000);
      const chunk = out.subarray(start, start + 1 + at(400));
      return { kind: 'header-repeated', bytes: new Uint8Array([...out.subarray(0, start), ...chunk, ...out.subarray(start)]) };
    }
  }
}

/** Converts one damaged case; the outcome says how it ended. */
export async function fuzzDicomCase(inputs: readonly { name: string; bytes: Uint8Array }[]): Promise<FuzzOutcome> {
  try {
    await convertDicomBuffers(inputs);
    return 'ok';
  } catch (e) {
    return isVoxlabError(e) ? e.code : `FAILED: ${(e as Error)?.stack ?? String(e)}`;
  }
}
