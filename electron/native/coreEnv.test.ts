// The core process's environment names the Electron build of better-sqlite3 only where it fits.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_BINDING_ENV } from '../../core/datastore/sqlite.js';
import { coreProcessEnv } from './coreEnv.js';
import { electronBuildBinding, electronBuildDir } from './nativeModules.js';
import { fakeAddon, fakeInstall, type FakeInstall } from './testing/fakeInstall.js';

let install: FakeInstall | undefined;
afterEach(() => install?.remove());

const runtime = { moduleVersion: 150, platform: process.platform, arch: process.arch };

function withElectronBuild(v: number): { install: FakeInstall; file: string } {
  install = fakeInstall({ sqlite: 115, electronModules: 150 });
  const file = electronBuildBinding(electronBuildDir(install.root, runtime, '12.11.1'));
  install.write(path.relative(install.root, file), fakeAddon(v));
  return { install, file };
}

describe('coreProcessEnv', () => {
  it('names the Electron build beside the Node one', () => {
    const { install: i, file } = withElectronBuild(150);
    expect(coreProcessEnv({ HOME: '/h' }, i.root, runtime, false)).toEqual({
      HOME: '/h',
      [SQLITE_BINDING_ENV]: file,
    });
  });

  it.each([
    ['packaged (the package was rebuilt in place)', 150, {}, true],
    ['the build is for another ABI', 146, {}, false],
    ['the user chose a binding', 150, { [SQLITE_BINDING_ENV]: '/mine.node' }, false],
  ])('leaves the environment alone when %s', (_what, v, env, packaged) => {
    const { install: i } = withElectronBuild(v);
    expect(coreProcessEnv(env, i.root, runtime, packaged)).toBe(env);
  });

  it('leaves it alone when there is no Electron build', () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    const env = {};
    expect(coreProcessEnv(env, install.root, runtime, false)).toBe(env);
  });
});
