// The file fuzzers of `npm run fuzz` (NIfTI, DICOM, PyTorch, safetensors, ONNX) run one after the other as
// child processes for the `reliability` bench suite (issue #15 item 4): a fuzzer that dies, hangs past its
// limit or prints no summary counts as a crash, never as a pass.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every target of scripts/fuzz.ts; '' is NIfTI (its default). */
export const FILE_FUZZ_TARGETS = ['nifti', 'dicom', 'pytorch', 'safetensors', 'onnx'] as const;
export type FileFuzzTarget = (typeof FILE_FUZZ_TARGETS)[number];

/** One fuzzer's outcome: damaged files tried, cases that neither read nor threw a VoxlabError in time. */
export interface FileFuzzResult {
  readonly target: FileFuzzTarget;
  readonly cases: number;
  readonly failures: number;
  /** 1 when the fuzzer process itself died, timed out or printed no JSON summary. */
  readonly crashed: 0 | 1;
  readonly seconds: number;
  /** The first failures (or why the process counts as crashed), for the log. */
  readonly notes: readonly string[];
}

const FUZZ_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fuzz.js');

/** Runs `node dist/scripts/fuzz.js <target> --cases N --seed S`, at most `timeoutMs`; never rejects. */
export function runFileFuzz(target: FileFuzzTarget, cases: number, seed: number, timeoutMs: number): Promise<FileFuzzResult> {
  const args = [FUZZ_JS, ...(target === 'nifti' ? [] : [target]), '--cases', String(cases), '--seed', String(seed)];
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      const seconds = (Date.now() - started) / 1000;
      const crash = (why: string): void =>
        resolve({ target, cases: 0, failures: 0, crashed: 1, seconds, notes: [why, stderr.slice(-500)] });
      let summary: { cases?: unknown; failures?: unknown };
      try {
        summary = JSON.parse(stdout) as typeof summary;
      } catch {
        // Exit 1 with a summary means failed cases; anything without one is the fuzzer itself going down.
        return crash(`fuzz ${target}: no JSON summary (${error?.message ?? 'empty output'})`);
      }
      const failures = Array.isArray(summary.failures) ? (summary.failures as unknown[]) : null;
      if (typeof summary.cases !== 'number' || failures === null)
        return crash(`fuzz ${target}: summary without cases/failures`);
      resolve({
        target,
        cases: summary.cases,
        failures: failures.length,
        crashed: 0,
        seconds,
        notes: failures.slice(0, 5).map((f) => `fuzz ${target}: ${JSON.stringify(f).slice(0, 300)}`),
      });
    });
  });
}
