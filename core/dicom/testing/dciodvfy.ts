// Runs dciodvfy (Debian's dicom3tools DICOM validator, named by issue #11) on DICOM bytes, for tests.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Validation {
  /** Lines starting "Error". */
  readonly errors: string[];
  /** Lines starting "Warning". */
  readonly warnings: string[];
  /** Everything dciodvfy printed (stdout and stderr). */
  readonly output: string;
}

/** True when dciodvfy is installed (tests that need it say so rather than pass silently). */
export function hasDciodvfy(): boolean {
  return spawnSync('dciodvfy', [], { encoding: 'utf8' }).error === undefined;
}

/** dciodvfy's verdict on `bytes` (written to a temporary file, removed afterwards). */
export function dciodvfy(bytes: Uint8Array): Validation {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-dciodvfy-'));
  try {
    const file = path.join(dir, 'object.dcm');
    writeFileSync(file, bytes);
    const run = spawnSync('dciodvfy', [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.error !== undefined) throw run.error;
    const output = `${run.stdout}${run.stderr}`;
    const lines = output.split('\n').map((l) => l.trim());
    return {
      errors: lines.filter((l) => l.startsWith('Error')),
      warnings: lines.filter((l) => l.startsWith('Warning')),
      output,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
