// Asking the Electron binary for its NODE_MODULE_VERSION (faked: a script answering like
// `ELECTRON_RUN_AS_NODE=1 electron -p ...`), and the package's abi_version when the binary cannot answer.

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readElectronRuntime } from './electronRuntime.js';
import { fakeInstall, type FakeInstall } from './testing/fakeInstall.js';

let install: FakeInstall | undefined;
afterEach(() => install?.remove());

describe('readElectronRuntime', () => {
  it('asks the binary, run as Node', () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150, abiFile: 1 });
    const got = readElectronRuntime(install.electron, path.join(install.root, 'node_modules/electron'));
    expect(got).toEqual({
      version: '45.5.0',
      moduleVersion: 150,
      platform: process.platform,
      arch: process.arch,
      from: 'binary',
    });
  });

  it("falls back to the package's abi_version when the binary cannot run", () => {
    install = fakeInstall({ sqlite: 115, electronModules: null, abiFile: 150 });
    const got = readElectronRuntime(install.electron, path.join(install.root, 'node_modules/electron'));
    expect(got).toMatchObject({ version: '45.5.0', moduleVersion: 150, from: 'package' });
  });

  it('falls back when the binary answers something that is not its versions', () => {
    install = fakeInstall({ sqlite: 115, electronModules: null, abiFile: 146 });
    const got = readElectronRuntime(
      '/bin/echo',
      path.join(install.root, 'node_modules/electron'),
      () => 'hello\n',
    );
    expect(got.moduleVersion).toBe(146);
  });

  it('throws in words when neither the binary nor abi_version answers', () => {
    install = fakeInstall({ sqlite: 115, electronModules: null });
    install.write('node_modules/electron/abi_version', 'x');
    expect(() =>
      readElectronRuntime(install!.electron, path.join(install!.root, 'node_modules/electron')),
    ).toThrow(/cannot tell which Node ABI Electron needs.*abi_version/);
  });
});
