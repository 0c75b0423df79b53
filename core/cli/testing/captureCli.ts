// Runs `voxlab` commands in-process through runCli, as a user would type them, capturing stdout/stderr.

import { vi } from 'vitest';
import type { Command } from '../command.js';
import { runCli } from '../main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `voxlab ...argv` with only `commands` registered; exit code and captured output. */
export async function runCommands(commands: readonly Command[], ...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => (into.push(String(chunk)), true);
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out) as never);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err) as never);
  try {
    const code = await runCli(argv, commands);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
