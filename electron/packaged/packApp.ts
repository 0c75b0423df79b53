// Packs the desktop app offline, as electron-builder.yml says, for the checks in electron/builder.test.ts:
// the Linux `dir` target against a stand-in Electron folder (the real binary cannot be downloaded here),
// with native rebuilds off (the packed addons stay built for this Node, so plain Node can load them).

import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What packApp made: `resources` holds app.asar and app.asar.unpacked, as an install has them. */
export interface PackedApp {
  readonly resources: string;
}

/**
 * Packs a snapshot of `repo`'s package.json, package-lock.json, electron-builder.yml, bin/ and dist/ (built
 * beforehand) into `work`/out/linux-unpacked. A snapshot, so that a rebuild of dist/ meanwhile (a shared
 * checkout) cannot change files between electron-builder's listing and its reading of them; node_modules is
 * linked, not copied. `config` adds electron-builder `-c.` settings (e.g. another asarUnpack). Throws
 * electron-builder's error, with its output, when packing fails.
 */
export function packApp(repo: string, work: string, config: readonly string[] = []): PackedApp {
  const project = path.join(work, 'project');
  mkdirSync(project, { recursive: true });
  for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml', 'bin', 'dist'])
    cpSync(path.join(repo, f), path.join(project, f), { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(project, 'node_modules'), 'dir');
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
      `--projectDir=${project}`,
      `-c.electronDist=${standIn}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${out}`,
      ...config.map((c) => `-c.${c}`),
    ],
    { cwd: project, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
  );
  return { resources: path.join(out, 'linux-unpacked', 'resources') };
}
