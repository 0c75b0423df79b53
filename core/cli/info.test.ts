// Issue #2, "must show" 2: `voxlab info --json` agrees with nibabel on every shared NIfTI file, both
// through the function the command calls (with sample voxels) and through the built CLI itself.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { niftiInfo } from '../io/niftiInfo.js';
import { SHARED, diffWithNibabel, nibabelReference } from './testing/nibabelReference.js';

const reference = nibabelReference();
const files = Object.keys(reference).sort();
const volumes = files.filter((f) => reference[f]!.volume);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'voxlab.js');

describe('voxlab info agrees with nibabel', () => {
  it('covers every file of the reference (IXI, awkward NIfTI, edge cases)', () => {
    expect(files.length).toBe(128);
    expect(volumes.length).toBe(127);
  });

  it.each(volumes.filter((f) => !f.startsWith('ixi/')))('%s: header, affine, axcodes, scaling, stats, samples', async (file) => {
    const ref = reference[file]!;
    const info = await niftiInfo(join(SHARED, 'data', file), { samples: ref.samples!.map((s) => s.ijk) });
    expect(diffWithNibabel(info as unknown as Record<string, unknown>, ref, true)).toEqual([]);
  });

  it('all 100 IXI scans: header, affine, axcodes, scaling, stats, samples', async () => {
    const problems: string[] = [];
    for (const file of volumes.filter((f) => f.startsWith('ixi/'))) {
      const ref = reference[file]!;
      const info = await niftiInfo(join(SHARED, 'data', file), { samples: ref.samples!.map((s) => s.ijk) });
      problems.push(...diffWithNibabel(info as unknown as Record<string, unknown>, ref, true).map((d) => `${file}: ${d}`));
    }
    expect(problems).toEqual([]);
  });

  it('the built CLI prints the same, one JSON object per file, and refuses the CIFTI file with NOT_A_VOLUME', async () => {
    const run = promisify(execFile);
    const paths = files.map((f) => join(SHARED, 'data', f));
    const result = await run(process.execPath, [BIN, 'info', '--json', ...paths], { maxBuffer: 64 << 20 }).catch(
      (e: { stdout: string; code: number }) => e,
    );
    expect((result as { code?: number }).code).toBe(2); // one file (CIFTI) is refused
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(files.length);
    const problems: string[] = [];
    lines.forEach((info, n) => {
      const ref = reference[files[n]!]!;
      if (!ref.volume) {
        expect(info.error).toMatchObject({ code: 'NOT_A_VOLUME' });
        return;
      }
      problems.push(...diffWithNibabel(info, ref, false).map((d) => `${files[n]}: ${d}`));
    });
    expect(problems).toEqual([]);
  });
});
