// A core that cannot start says why in words (issue #17): a native addon of another ABI names the module,
// both ABIs and the command that fixes it; other load failures name the module and the loader's reason.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VoxlabError } from '../../core/common/errors.js';
import { loadSqliteDriver } from '../../core/datastore/sqlite.js';
import { REBUILD_COMMAND } from './nativeModules.js';
import { describeStartFailure, isFatalMessage } from './startFailure.js';

const electron = { electron: '45.5.0', moduleVersion: 150 };

/** Node's own error for an addon of another ABI (src/node_binding.cc), as a dlopen in Electron 45 throws it. */
function abiError(file: string): Error {
  return Object.assign(
    new Error(
      `The module '${file}'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\n` +
        'NODE_MODULE_VERSION 150. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).',
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
}

/** What core/datastore/sqlite.ts throws around a loader error. */
const driverError = (cause: Error, binding?: string) =>
  new VoxlabError(
    'NATIVE_MODULE',
    `The SQLite driver (better-sqlite3) could not be loaded, so no study can be opened: ${cause.message}.`,
    {
      module: 'better-sqlite3',
      ...(binding !== undefined ? { binding } : {}),
    },
    { cause },
  );

describe('describeStartFailure', () => {
  it('names the module, both ABIs and the fixing command for an ABI mismatch', () => {
    const file = '/home/u/voxlab/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    const got = describeStartFailure(driverError(abiError(file)), electron);
    expect(got.code).toBe('NATIVE_MODULE');
    expect(got.message).toMatch(
      /^better-sqlite3 cannot load in Electron 45\.5\.0: it was built for NODE_MODULE_VERSION 115, and Electron 45\.5\.0 needs NODE_MODULE_VERSION 150/,
    );
    expect(got.message).toContain(file);
    expect(got.message).toContain(REBUILD_COMMAND);
    expect(got.details).toEqual({
      module: 'better-sqlite3',
      file,
      builtFor: 115,
      needs: 150,
      fix: REBUILD_COMMAND,
    });
  });

  it('asks for a new package when the mismatched addon is inside app.asar', () => {
    const file =
      '/opt/voxlab/resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    const got = describeStartFailure(abiError(file), electron);
    expect(got.message).toContain('reinstall voxlab, or package it again');
    expect(got.details?.fix).toBe('npx electron-builder');
  });

  it.each([
    ['onnxruntime-node', '/r/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node'],
    ['webgpu', '/r/node_modules/webgpu/dist/linux-x64/dawn.node'],
    ['@scope/pkg', '/r/node_modules/@scope/pkg/build/Release/x.node'],
  ])('names %s from its addon path', (module, file) => {
    expect(describeStartFailure(abiError(file), electron).details?.module).toBe(module);
  });

  it('turns a real failed load through sqlite.ts into words naming the module and the addon', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'voxlab-start-'));
    try {
      const garbage = path.join(dir, 'better_sqlite3.node');
      writeFileSync(garbage, 'not an addon');
      let thrown: unknown;
      try {
        loadSqliteDriver(garbage);
      } catch (e) {
        thrown = e;
      }
      const got = describeStartFailure(thrown, electron);
      expect(got.code).toBe('NATIVE_MODULE');
      expect(got.message).toContain(
        `better-sqlite3 (${garbage}) did not load in Electron 45.5.0 (NODE_MODULE_VERSION 150): `,
      );
      expect(got.message).toContain(REBUILD_COMMAND);
      expect(got.details).toMatchObject({ module: 'better-sqlite3', file: garbage, needs: 150 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes any other VoxlabError as it is, and wraps anything else as INTERNAL', () => {
    const invalid = new VoxlabError(
      'STUDY_INVALID',
      '/data/s1 is not a voxlab study: it has no voxlab.sqlite.',
    );
    expect(describeStartFailure(invalid, electron)).toEqual(invalid.toJSON());
    expect(describeStartFailure(new Error('boom'), electron)).toEqual({
      name: 'VoxlabError',
      code: 'INTERNAL',
      message: 'The voxlab core could not start: boom',
    });
  });
});

describe('isFatalMessage', () => {
  it.each([
    [{ type: 'fatal', error: { name: 'VoxlabError', code: 'INTERNAL', message: 'm' } }, true],
    [{ type: 'fatal' }, false],
    [{ type: 'ready' }, false],
    [null, false],
  ])('%j → %s', (m, want) => {
    expect(isFatalMessage(m)).toBe(want);
  });
});
