// A short version of `npm run fuzz -- dicom` (issue #11, must-show 2): damaged real DICOM files convert
// or fail with a VoxlabError, never another error; the mutations are seeded (same seed, same bytes).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../common/random.js';
import { fuzzDicomCase, mutateDicom } from './fuzzDicom.js';

const DICOM = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dicom');
const SEEDS = [
  path.join(DICOM, 'trio_b17_t1_mprage', '00088.dcm'),
  path.join(DICOM, 'edge_single_files', 'niivue_enhanced_multiframe_fmri_enh.dcm'),
  path.join(DICOM, 'tcia_vs_seg_001_t1_mpr_tra_3slices', '1-002.dcm'),
].map((f) => ({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) }));

describe('fuzzing the DICOM converter', () => {
  it('mutations repeat for a seed', () => {
    const a = mutateDicom(SEEDS[0]!.bytes, new SeededRandom(9));
    const b = mutateDicom(SEEDS[0]!.bytes, new SeededRandom(9));
    expect(a.kind).toBe(b.kind);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });

  it('60 damaged files: each converts or fails with a typed error', async () => {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 60; i++) {
      const rng = new SeededRandom(1000 + i);
      const base = SEEDS[i % SEEDS.length]!;
      const { bytes } = mutateDicom(base.bytes, rng);
      const outcome = await fuzzDicomCase([{ name: base.name, bytes }]);
      expect(outcome, `case ${i}`).not.toMatch(/^FAILED/);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    // Both kinds of ending happen: the damage is not always fatal, nor always harmless.
    expect(outcomes.ok ?? 0).toBeGreaterThan(0);
    expect(outcomes.NOT_A_VOLUME ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
