// The study server's token survives restarts, is owner-only, rotates on request, and an unusable file or a
// read-only study never stops the server.

import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_FILE, studyToken } from './serveToken.js';

const posix = process.platform !== 'win32';

describe('studyToken', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-token-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a token on first use and gives the same one on the next start', () => {
    const first = studyToken(dir);
    expect(first.origin).toBe('new');
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = studyToken(dir);
    expect(second).toMatchObject({ origin: 'kept', token: first.token, warnings: [] });
    expect(readFileSync(path.join(dir, TOKEN_FILE), 'utf8').trim()).toBe(first.token);
  });

  it.runIf(posix)('keeps the file readable by its owner only, and tightens a looser one', () => {
    studyToken(dir);
    const file = path.join(dir, TOKEN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    const again = studyToken(dir);
    expect(again.origin).toBe('kept');
    expect(again.warnings.join()).toMatch(/readable by other users/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates on request: a new token, saved for the next start', () => {
    const old = studyToken(dir).token;
    const rotated = studyToken(dir, { rotate: true });
    expect(rotated.origin).toBe('new');
    expect(rotated.token).not.toBe(old);
    expect(studyToken(dir).token).toBe(rotated.token);
  });

  it.each([['', 'empty'], ['short', 'too short'], ['a'.repeat(40) + ' space', 'spaces']])('replaces a damaged file (%s: %s)', (content) => {
    writeFileSync(path.join(dir, TOKEN_FILE), content);
    const t = studyToken(dir);
    expect(t.origin).toBe('new');
    expect(t.warnings.join()).toMatch(/does not hold a valid access token/);
    expect(studyToken(dir).token).toBe(t.token);
  });

  it('serves with a one-run token when the study folder cannot hold the file', () => {
    // A path under a regular file fails to write for every user, root included (CI runs as root).
    const notADir = path.join(dir, 'plain-file');
    writeFileSync(notADir, 'x');
    const t = studyToken(notADir);
    expect(t.file).toBeNull();
    expect(t.warnings.join()).toMatch(/could not save the access token/);
  });

  it('refuses a missing folder argument in words', () => {
    expect(() => studyToken('')).toThrow(/studyDir must be a folder path/);
  });
});
