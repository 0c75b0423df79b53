// Packs the desktop app offline, as electron-builder.yml says, for the checks in electron/builder.test.ts:
// the Linux `dir` target against a stand-in Electron folder (the real binary cannot be downloaded here),
// with native rebuilds off (the packed addons stay built for this Node, so plain Node can load them).

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What packApp made: `resources` holds app.asar and app.asar.unpacked, as an install has them. */
export interface PackedApp {
  readonly resources: string;
}

/**
 * Packs `repo` in place (its package.json, electron-builder.yml, bin/ and dist/, built beforehand) into
 * `work`/out/linux-unpacked. In place, not from a copy with node_modules linked in: electron-builder lists
 * the production dependencies with `npm list`, and npm reads a linked node_modules as a tree outside the
 * project (every package "extraneous", transitive dependencies such as nifti-reader-js's fflate left out
 * of the asar) as soon as its hidden lockfile is older than a folder in node_modules (vitest's cache in
 * node_modules/.vite is enough). A rebuild of dist/ while this runs changes what is packed: callers in a
 * shared checkout serialise builds (the tests take none). `config` adds electron-builder `-c.` settings
 * (e.g. another asarUnpack). Throws electron-builder's error, with its output, when packing fails.
 */
export function packApp(repo: string, work: string, config: readonly string[] = []): PackedApp {
  const standIn = path.join(work, 'electron-dist');
  mkdirSync(standIn, { recursive: true });
  writeFileSync(path.join(standIn, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(standIn, 'electron'), 0o755);
  const builder = path.join(repo, 'node_modules', 'electron-builder', 'cli.js');
  const out = path.join(work, 'out');
  execFileSync(
    process.execPath,
    [
      builder,
      '--linux',
      'dir',
      '--publish',
      'never',
      `--projectDir=${repo}`,
      `-c.electronDist=${standIn}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
      ...config.map((c) => `-c.${c}`),
    ],
    { cwd: repo, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
  );
  return { resources: path.join(out, 'linux-unpacked', 'resources') };
}
