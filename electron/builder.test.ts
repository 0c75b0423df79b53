// electron-builder.yml validated offline: electron-builder packs the app (Linux `dir` target) against a
// stand-in Electron folder (the real binary cannot be downloaded here) with native rebuilds off, and the
// resulting app.asar must hold a working entry point, the preload, the core process and the UI; native
// modules must sit outside the asar. The other targets (AppImage, deb, dmg, nsis) need downloads: their
// configuration is checked as data.

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  symlinkSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as {
  listPackage(file: string): string[];
  extractFile(file: string, entry: string): Buffer;
};
const yaml = require('js-yaml') as { load(text: string): unknown };

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILDER = path.join(REPO, 'node_modules', 'electron-builder', 'cli.js');
let work: string;
let resources: string;
let files: string[];

beforeAll(() => {
  if (!existsSync(path.join(REPO, 'dist', 'electron', 'preload.cjs')))
    execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO, stdio: 'inherit' });
  work = mkdtempSync(path.join(os.tmpdir(), 'voxlab-builder-'));
  // Pack a snapshot of the project, so that a rebuild of dist/ meanwhile (a shared checkout) cannot
  // change files between electron-builder's listing and its reading of them.
  const project = path.join(work, 'project');
  mkdirSync(project);
  for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml', 'bin', 'dist'])
    cpSync(path.join(REPO, f), path.join(project, f), { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  const standIn = path.join(work, 'electron-dist');
  mkdirSync(standIn);
  writeFileSync(path.join(standIn, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(standIn, 'electron'), 0o755);
  execFileSync(
    process.execPath,
    [
      BUILDER,
      '--linux',
      'dir',
      '--publish',
      'never',
      `--projectDir=${project}`,
      `-c.electronDist=${standIn}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${path.join(work, 'out')}`,
    ],
    { cwd: project, stdio: 'pipe', env: { ...process.env, CI: 'true' } },
  );
  resources = path.join(work, 'out', 'linux-unpacked', 'resources');
  files = asar.listPackage(path.join(resources, 'app.asar')).map((f) => f.replaceAll('\\', '/'));
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('electron-builder packs the app offline', () => {
  it('puts an entry point that exists into app.asar', () => {
    const pkg = JSON.parse(asar.extractFile(path.join(resources, 'app.asar'), 'package.json').toString()) as {
      main: string;
    };
    expect(pkg.main).toBe('dist/electron/main/main.js');
    expect(files).toContain(`/${pkg.main}`);
  });

  it.each([
    '/dist/electron/preload.cjs',
    '/dist/electron/core/coreMain.js',
    '/dist/renderer/index.html',
    '/dist/renderer/app.js',
    '/dist/core/server/httpServer.js',
    '/bin/voxlab.js',
  ])('ships %s', (f) => {
    expect(files).toContain(f);
  });

  it('leaves out sources, tests, source maps and scripts', () => {
    expect(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('/node_modules/')),
    ).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') && f.startsWith('/dist/'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('/dist/scripts'))).toEqual([]);
  });

  it("unpacks the native modules from the asar, with only this platform's ONNX Runtime", () => {
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules');
    expect(existsSync(path.join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(
      true,
    );
    const ortPlatforms = readdirSync(path.join(unpacked, 'onnxruntime-node', 'bin', 'napi-v6'));
    expect(ortPlatforms).toEqual(['linux']);
    const dawnPlatforms = readdirSync(path.join(unpacked, 'webgpu', 'dist'));
    expect(dawnPlatforms.length).toBeGreaterThan(0);
    expect(dawnPlatforms.filter((p) => !p.startsWith('linux-'))).toEqual([]);
  });
});

describe('electron-builder.yml targets', () => {
  const config = yaml.load(readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8')) as Record<
    string,
    { target?: string[]; files?: string[] } & Record<string, unknown>
  >;
  it.each([
    ['linux', ['AppImage', 'deb']],
    ['mac', ['dmg']],
    ['win', ['nsis']],
  ])('%s builds %j', (platform, targets) => {
    expect(config[platform]!.target).toEqual(targets);
    expect(config[platform]!.files![0]!.startsWith('!')).toBe(false); // see the note in the file
  });

  it('unpacks every native module from the asar', () => {
    expect(config.asarUnpack).toEqual([
      'node_modules/better-sqlite3/**',
      'node_modules/onnxruntime-node/**',
      'node_modules/@tensorflow/tfjs-node*/**',
      'node_modules/webgpu/**',
    ]);
    expect(config.npmRebuild).toBe(true);
  });
});
