// Which headers an Electron build uses: case table over the settings @electron/get and node-gyp read.

import { describe, expect, it } from 'vitest';
import { chooseHeaders } from './electronHeaders.js';

const gypi = (v: number) => `{ 'variables': { 'node_module_version': ${v}, 'napi_build_version': '9' } }`;
/** A fake file system: config.gypi of Node 20's headers in /usr, of Electron's in /opt/electron-headers. */
const read = (file: string) =>
  file === '/usr/include/node/config.gypi'
    ? gypi(115)
    : file === '/opt/electron-headers/include/node/config.gypi'
      ? gypi(150)
      : null;

describe('chooseHeaders', () => {
  it.each([
    [
      'nothing set: Electron headers server',
      {},
      { kind: 'url', url: 'https://www.electronjs.org/headers', from: 'default' },
    ],
    [
      'a nodedir holding Electron headers',
      { npm_config_nodedir: '/opt/electron-headers' },
      { kind: 'nodedir', dir: '/opt/electron-headers' },
    ],
    [
      'a nodedir whose version cannot be read',
      { npm_config_nodedir: '/somewhere' },
      { kind: 'nodedir', dir: '/somewhere' },
    ],
    [
      'a nodedir of Node headers is set aside',
      { npm_config_nodedir: '/usr' },
      { kind: 'url', url: 'https://www.electronjs.org/headers', from: 'default' },
    ],
    [
      'ELECTRON_REBUILD_DIST_URL',
      { ELECTRON_REBUILD_DIST_URL: 'https://h.example' },
      { kind: 'url', url: 'https://h.example', from: 'ELECTRON_REBUILD_DIST_URL' },
    ],
    [
      'ELECTRON_MIRROR',
      { ELECTRON_MIRROR: 'https://m.example/electron/' },
      { kind: 'url', url: 'https://m.example/electron', from: 'ELECTRON_MIRROR' },
    ],
    [
      '.npmrc electron_mirror wins over ELECTRON_MIRROR',
      { npm_config_electron_mirror: 'https://a.example/', ELECTRON_MIRROR: 'https://b.example/' },
      { kind: 'url', url: 'https://a.example', from: 'npm_config_electron_mirror' },
    ],
    [
      'package.json config electron_mirror',
      { npm_package_config_electron_mirror: 'https://p.example' },
      { kind: 'url', url: 'https://p.example', from: 'npm_package_config_electron_mirror' },
    ],
    [
      'a mirror with a custom folder layout is not guessed at',
      { ELECTRON_MIRROR: 'https://m.example/', ELECTRON_CUSTOM_DIR: '{{ version }}' },
      { kind: 'url', url: 'https://www.electronjs.org/headers', from: 'default' },
    ],
  ])('%s', (_what, env, want) => {
    expect(chooseHeaders(env, 150, read).source).toEqual(want);
  });

  it('says why a nodedir was set aside', () => {
    expect(chooseHeaders({ npm_config_nodedir: '/usr' }, 150, read).notes).toEqual([
      "npm_config_nodedir=/usr holds headers for NODE_MODULE_VERSION 115, not Electron's 150: not used for the Electron build",
    ]);
  });
});
