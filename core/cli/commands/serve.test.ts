// `voxlab serve` refuses bad invocations with one line and exit code 2 (the running server itself is
// covered by core/server's tests and by the e2e suite, which starts the real command).

import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../main.js';
import { serveCommand } from './serve.js';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation(((c: string) => out.push(String(c)) > 0) as never);
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation(((c: string) => err.push(String(c)) > 0) as never);
  try {
    return { code: await runCli(argv, [serveCommand]), stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('voxlab serve', () => {
  it.each([
    [['serve'], /either --study DIR or --demo/],
    [['serve', '--study', '/x', '--demo'], /either --study DIR or --demo/],
    [['serve', '--study', '/x', '--port', '70000'], /at most 65535/],
    [['serve', '--study', '/x', '--port', 'http'], /--port must be a whole number/],
  ])('%j → exit 2: %s', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a folder that is not a study', async () => {
    const r = await run('serve', '--study', '/nonexistent-voxlab-study', '--port', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[(NOT_FOUND|STUDY_INVALID)\]/);
  });

  it('documents loopback as the default host', async () => {
    const r = await run('serve', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--host VALUE .*\(default: 127\.0\.0\.1\)/);
  });
});
