import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_RECENT, addRecent, readRecent, recentFile, writeRecent } from './recentStudies.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('recent studies', () => {
  it('moves a study to the front once and keeps at most MAX_RECENT', () => {
    let list: string[] = [];
    for (let i = 0; i < 15; i++) list = addRecent(list, `/s${i}`);
    list = addRecent(list, '/s10');
    expect(list).toHaveLength(MAX_RECENT);
    expect(list.slice(0, 2)).toEqual(['/s10', '/s14']);
    expect(new Set(list).size).toBe(list.length);
  });

  it('round-trips through the file, dropping folders that are no longer studies and damaged files', async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'voxlab-recent-'));
    dirs.push(home);
    const study = path.join(home, 'study');
    mkdirSync(study);
    writeFileSync(path.join(study, 'voxlab.sqlite'), '');
    await writeRecent(home, [study, path.join(home, 'gone')]);
    expect(readRecent(home)).toEqual([study]);
    writeFileSync(recentFile(home), '{ not json');
    expect(readRecent(home)).toEqual([]);
  });
});
