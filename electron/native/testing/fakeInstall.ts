// A stand-in checkout for the native-module tests: node_modules with an electron package (package.json,
// abi_version, a fake binary that answers like ELECTRON_RUN_AS_NODE=1 electron -p ...), and native packages
// whose ".node" files are a few bytes holding the symbol a real addon exports.

import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bytes standing in for an addon compiled for NODE_MODULE_VERSION `v` (or Node-API when 'napi'). */
export function fakeAddon(v: number | 'napi'): Buffer {
  const symbol = v === 'napi' ? 'napi_register_module_v1' : `node_register_module_v${v}`;
  return Buffer.concat([
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
    Buffer.alloc(64),
    Buffer.from(`\0${symbol}\0`, 'latin1'),
    Buffer.alloc(16),
  ]);
}

export interface FakeInstall {
  readonly root: string;
  /** The fake Electron binary (a shell script). */
  readonly electron: string;
  /** better-sqlite3's own addon (build/Release/better_sqlite3.node). */
  readonly sqliteAddon: string;
  write(rel: string, content: string | Buffer): string;
  remove(): void;
}

/**
 * A checkout whose better-sqlite3 was built for `sqlite` and whose Electron binary says it needs
 * `electronModules` (null: the binary fails, as a binary for another arch would). abi_version says `abiFile`.
 */
export function fakeInstall(options: {
  sqlite: number;
  electronModules: number | null;
  abiFile?: number;
}): FakeInstall {
  const root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-native-'));
  const write = (rel: string, content: string | Buffer): string => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    return file;
  };
  write('node_modules/electron/package.json', JSON.stringify({ name: 'electron', version: '45.5.0' }));
  write('node_modules/electron/abi_version', String(options.abiFile ?? 150));
  const answer = JSON.stringify({
    version: '45.5.0',
    modules: String(options.electronModules),
    platform: process.platform,
    arch: process.arch,
  });
  const electron = write(
    'node_modules/electron/dist/electron',
    options.electronModules === null
      ? '#!/bin/sh\necho "cannot execute binary file" >&2\nexit 126\n'
      : `#!/bin/sh\nif [ "$ELECTRON_RUN_AS_NODE" = "1" ] && [ "$1" = "-p" ]; then echo '${answer}'; exit 0; fi\nexit 3\n`,
  );
  chmodSync(electron, 0o755);
  write(
    'node_modules/better-sqlite3/package.json',
    JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }),
  );
  write('node_modules/better-sqlite3/binding.gyp', '{}');
  write('node_modules/better-sqlite3/src/better_sqlite3.cpp', '// source');
  const sqliteAddon = write(
    'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    fakeAddon(options.sqlite),
  );
  return { root, electron, sqliteAddon, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}
