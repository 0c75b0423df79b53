// packagedPath: paths inside app.asar map to app.asar.unpacked (POSIX and Windows separators), and packages
// resolve from the unpacked folder of a packed layout (built here in a temp folder) where plain Node's
// createRequire finds nothing.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUnpacked, unpackedPath, unpackedRequire } from './packagedPath.js';

describe('unpackedPath', () => {
  it.each([
    [
      '/opt/voxlab/resources/app.asar/node_modules/x/a.js',
      '/',
      '/opt/voxlab/resources/app.asar.unpacked/node_modules/x/a.js',
    ],
    ['/opt/voxlab/resources/app.asar', '/', '/opt/voxlab/resources/app.asar.unpacked'],
    [
      '/opt/voxlab/resources/app.asar.unpacked/node_modules/x',
      '/',
      '/opt/voxlab/resources/app.asar.unpacked/node_modules/x',
    ],
    ['/home/me/voxlab/node_modules/x/a.js', '/', '/home/me/voxlab/node_modules/x/a.js'],
    ['/home/me/my.app.asar/x.js', '/', '/home/me/my.app.asar/x.js'],
    [
      'C:\\Program Files\\voxlab\\resources\\app.asar\\dist\\core\\a.js',
      '\\',
      'C:\\Program Files\\voxlab\\resources\\app.asar.unpacked\\dist\\core\\a.js',
    ],
    ['C:\\voxlab\\node_modules\\x', '\\', 'C:\\voxlab\\node_modules\\x'],
  ])('%s (sep %s) -> %s', (file, sep, expected) => {
    expect(unpackedPath(file, sep)).toBe(expected);
  });
});

describe('unpackedRequire in a packed layout', () => {
  let root: string;
  let module: string; // a module inside app.asar, as import.meta.url would name it
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'voxlab-packaged-'));
    const resources = path.join(root, 'resources');
    mkdirSync(path.join(resources, 'app.asar', 'dist', 'core'), { recursive: true });
    module = pathToFileURL(path.join(resources, 'app.asar', 'dist', 'core', 'loader.js')).href;
    const pkg = path.join(resources, 'app.asar.unpacked', 'node_modules', 'native-thing');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: 'native-thing', version: '1.2.3', type: 'module', main: 'index.js' }),
    );
    writeFileSync(path.join(pkg, 'index.js'), 'export const where = import.meta.url;\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds an unpacked package that createRequire from inside app.asar does not', () => {
    expect(() => createRequire(module).resolve('native-thing')).toThrow(/Cannot find module/);
    const found = unpackedRequire(module).resolve('native-thing');
    expect(found).toBe(
      path.join(root, 'resources', 'app.asar.unpacked', 'node_modules', 'native-thing', 'index.js'),
    );
    expect((unpackedRequire(module)('native-thing/package.json') as { version: string }).version).toBe(
      '1.2.3',
    );
  });

  it('imports it from its unpacked file', async () => {
    const { where } = await importUnpacked<{ where: string }>('native-thing', module);
    expect(fileURLToPath(where)).toBe(
      path.join(root, 'resources', 'app.asar.unpacked', 'node_modules', 'native-thing', 'index.js'),
    );
  });

  it('resolves as createRequire does outside a packed app', () => {
    const here = pathToFileURL(path.join(process.cwd(), 'package.json')).href;
    expect(unpackedRequire(here).resolve('vitest/package.json')).toBe(
      createRequire(here).resolve('vitest/package.json'),
    );
  });

  it('rejects a package that is nowhere', async () => {
    await expect(importUnpacked('not-installed-anywhere', module)).rejects.toThrow(/Cannot find module/);
  });
});
