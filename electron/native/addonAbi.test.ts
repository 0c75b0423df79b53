// Reading an addon's ABI from its bytes: case table over the symbol shapes of ELF, Mach-O and PE, and the
// real addons installed here (better-sqlite3 compiled for this Node; ONNX Runtime and Dawn are Node-API).

import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonAbi, addonAbiOfBytes, describeAbi } from './addonAbi.js';
import { NATIVE_MODULES, packageDir } from './nativeModules.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const bytes = (text: string) => Buffer.from(`\x7fELF\0\0${text}\0\0`, 'latin1');

describe('addonAbiOfBytes', () => {
  it.each([
    ['ELF .dynstr', 'node_register_module_v115', { kind: 'module-version', moduleVersion: 115 }],
    ['Mach-O (leading _)', '_node_register_module_v150', { kind: 'module-version', moduleVersion: 150 }],
    [
      'PE export name',
      'better_sqlite3.node\0node_register_module_v127\0',
      { kind: 'module-version', moduleVersion: 127 },
    ],
    ['Node-API', 'napi_register_module_v1', { kind: 'node-api' }],
    [
      'both: the per-version symbol wins',
      'napi_register_module_v1\0node_register_module_v115',
      { kind: 'module-version', moduleVersion: 115 },
    ],
    ['no number after the name', 'node_register_module_v\0', { kind: 'unknown' }],
    ['neither', 'init_module', { kind: 'unknown' }],
  ])('%s', (_what, text, want) => {
    expect(addonAbiOfBytes(bytes(text))).toEqual(want);
  });

  it('reads a view into a larger buffer only within the view', () => {
    const whole = Buffer.concat([bytes('node_register_module_v115'), bytes('napi_register_module_v1')]);
    const second = whole.subarray(whole.length / 2);
    expect(addonAbiOfBytes(second)).toEqual({ kind: 'node-api' });
  });

  it('says the ABI in words', () => {
    expect(describeAbi({ kind: 'module-version', moduleVersion: 115 })).toBe('NODE_MODULE_VERSION 115');
  });
});

describe('the addons installed here', () => {
  it("better-sqlite3's own build is this Node's process.versions.modules", () => {
    const file = path.join(packageDir(REPO, 'better-sqlite3'), 'build/Release/better_sqlite3.node');
    expect(addonAbi(file)).toEqual({
      kind: 'module-version',
      moduleVersion: Number(process.versions.modules),
    });
  });

  it.each(NATIVE_MODULES.filter((m) => m.builds === 'node-api').map((m) => [m.name, m] as const))(
    '%s is Node-API (loads in Electron as it is)',
    (_name, mod) => {
      const file = path.join(packageDir(REPO, mod.name), mod.addon(process.platform, process.arch));
      expect(existsSync(file)).toBe(true);
      expect(addonAbi(file)).toEqual({ kind: 'node-api' });
    },
  );
});
