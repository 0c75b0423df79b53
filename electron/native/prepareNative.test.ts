// The start path's native check (issue #17): better-sqlite3 built for the system Node (115) against an
// Electron that needs 150 is found before Electron starts, and is either built for Electron beside the Node
// build (the runner records the @electron/rebuild call) or refused in words with the command that fixes it.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBuildBinding, electronBuildDir, REBUILD_COMMAND } from './nativeModules.js';
import { prepareNativeModules, type PrepareOptions } from './prepareNative.js';
import type { RebuildPlan, RebuildRunner } from './rebuildSqlite.js';
import { fakeAddon, fakeInstall, type FakeInstall } from './testing/fakeInstall.js';

let install: FakeInstall | undefined;
afterEach(() => install?.remove());

const target = { moduleVersion: 150, platform: process.platform, arch: process.arch };

/** A runner that records its plans and writes an addon for `builds` where the real build would. */
function recordingRunner(builds: number | null = 150): { plans: RebuildPlan[]; run: RebuildRunner } {
  const plans: RebuildPlan[] = [];
  return {
    plans,
    run: async (plan) => {
      plans.push(plan);
      if (builds === null) throw new Error('gyp ERR! stack Error: 404 status code downloading tarball\nmore');
      const out = electronBuildBinding(plan.outputDir);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, fakeAddon(builds));
    },
  };
}

function options(i: FakeInstall, rest: Partial<PrepareOptions>): PrepareOptions {
  return { root: i.root, electronBinary: i.electron, env: {}, rebuild: null, log: () => {}, ...rest };
}

describe('prepareNativeModules', () => {
  it('builds better-sqlite3 for Electron beside the Node build when their ABIs differ', async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    const runner = recordingRunner();
    const got = await prepareNativeModules(options(install, { rebuild: runner.run }));
    const outputDir = electronBuildDir(install.root, target, '12.11.1');
    expect(runner.plans).toEqual([
      {
        module: 'better-sqlite3',
        electronVersion: '45.5.0',
        moduleVersion: 150,
        platform: process.platform,
        arch: process.arch,
        sourceDir: path.join(install.root, 'node_modules/better-sqlite3'),
        outputDir,
        headers: { kind: 'url', url: 'https://www.electronjs.org/headers', from: 'default' },
      },
    ]);
    expect(outputDir).toContain(path.join('node_modules', '.cache', 'voxlab-electron'));
    expect(got).toMatchObject({
      ok: true,
      sqliteBinding: electronBuildBinding(outputDir),
      runtime: { moduleVersion: 150 },
    });
    expect(existsSync(install.sqliteAddon)).toBe(true); // the Node build stays for the CLI and tests
  });

  it('refuses in words when building is off: module, both ABIs, the fixing command', async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    const got = await prepareNativeModules(options(install, { rebuild: null }));
    expect(got.ok).toBe(false);
    const message = got.ok ? '' : got.message;
    expect(message).toContain('better-sqlite3 does not load in Electron 45.5.0');
    expect(message).toContain(`${install.sqliteAddon} was built for NODE_MODULE_VERSION 115`);
    expect(message).toContain('needs NODE_MODULE_VERSION 150');
    expect(message).toContain(`Fix: ${REBUILD_COMMAND}`);
  });

  it('refuses with the reason when the build fails', async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    const got = await prepareNativeModules(options(install, { rebuild: recordingRunner(null).run }));
    expect(got.ok ? '' : got.message).toMatch(/building it for Electron failed: gyp ERR! .*404.*\n.*Fix: /);
  });

  it('refuses a build that came out for the wrong ABI (Node headers)', async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    const got = await prepareNativeModules(options(install, { rebuild: recordingRunner(115).run }));
    expect(got.ok ? '' : got.message).toContain('came out for NODE_MODULE_VERSION 115');
  });

  it('uses an Electron build already there without building again', async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    const existing = install.write(
      path.relative(install.root, electronBuildBinding(electronBuildDir(install.root, target, '12.11.1'))),
      fakeAddon(150),
    );
    const runner = recordingRunner();
    const got = await prepareNativeModules(options(install, { rebuild: runner.run }));
    expect(runner.plans).toEqual([]);
    expect(got).toMatchObject({ ok: true, sqliteBinding: existing });
  });

  it('builds again when forced (--rebuild-native)', async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    install.write(
      path.relative(install.root, electronBuildBinding(electronBuildDir(install.root, target, '12.11.1'))),
      fakeAddon(150),
    );
    const runner = recordingRunner();
    await prepareNativeModules(options(install, { rebuild: runner.run, force: true }));
    expect(runner.plans).toHaveLength(1);
  });

  it("needs nothing when the package's own build already fits Electron", async () => {
    install = fakeInstall({ sqlite: 150, electronModules: 150 });
    const runner = recordingRunner();
    const got = await prepareNativeModules(options(install, { rebuild: runner.run }));
    expect(runner.plans).toEqual([]);
    expect(got).toMatchObject({ ok: true, sqliteBinding: null });
  });

  it("takes Electron's ABI from abi_version when the binary cannot run", async () => {
    install = fakeInstall({ sqlite: 115, electronModules: null, abiFile: 150 });
    const got = await prepareNativeModules(options(install, {}));
    expect(got.ok ? '' : got.message).toContain('needs NODE_MODULE_VERSION 150');
  });

  it("builds with Electron's headers, not the Node headers npm_config_nodedir names, and says so", async () => {
    install = fakeInstall({ sqlite: 115, electronModules: 150 });
    install.write('nodeheaders/include/node/config.gypi', "{ 'variables': { 'node_module_version': 115 } }");
    const runner = recordingRunner();
    const log: string[] = [];
    const env = {
      npm_config_nodedir: path.join(install.root, 'nodeheaders'),
      ELECTRON_MIRROR: 'https://mirror.example/electron/',
    };
    await prepareNativeModules(options(install, { rebuild: runner.run, env, log: (l) => log.push(l) }));
    expect(runner.plans[0]?.headers).toEqual({
      kind: 'url',
      url: 'https://mirror.example/electron',
      from: 'ELECTRON_MIRROR',
    });
    expect(log.join('\n')).toContain("holds headers for NODE_MODULE_VERSION 115, not Electron's 150");
  });

  it('refuses a Node-API package that holds a per-version build', async () => {
    install = fakeInstall({ sqlite: 150, electronModules: 150 });
    install.write(
      `node_modules/webgpu/${process.platform === 'darwin' ? 'dist/darwin-universal' : `dist/${process.platform}-${process.arch}`}/dawn.node`,
      fakeAddon(115),
    );
    const got = await prepareNativeModules(options(install, {}));
    expect(got.ok ? '' : got.message).toMatch(/webgpu does not load[\s\S]*Fix: npm ci/);
  });
});
