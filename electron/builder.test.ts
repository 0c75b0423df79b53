// electron-builder.yml validated offline: electron-builder packs the app (Linux `dir` target) against a
// stand-in Electron folder (the real binary cannot be downloaded here) with native rebuilds off
// (packaged/packApp.ts), and the resulting app.asar must hold a working entry point, the preload, the core
// process and the UI; native modules must sit outside the asar. Then the core runs from the package, in
// plain Node, on a tree laid out as a user's install (packaged/installTree.ts: app.asar a folder of its
// packed files only, what was unpacked only in app.asar.unpacked): a DICOM study imported by the CLI, opened
// by the utility-process entry, and the preprocessing worker, ONNX Runtime, the threaded wasm backend and
// Dawn loaded through the tree's modules (issue #17). The other targets (AppImage, deb, dmg, nsis) need
// downloads: their configuration is checked as data.

import { execFile, execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient, type Envelope } from '../core/api/index.js';
import { makeInstallTree, type InstallTree } from './packaged/installTree.js';
import { packApp } from './packaged/packApp.js';

const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const run = promisify(execFile);

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Three slices of a T1 MPRAGE (TCIA Vestibular-Schwannoma-SEG): the smallest real series in shared/data. */
const DICOM = path.resolve(REPO, '../shared/data/dicom/tcia_vs_seg_001_t1_mpr_tra_3slices');
/** A 68 KB anatomical scan (nibabel's example data). */
const NIFTI = path.resolve(REPO, '../shared/data/nifti/nibabel_anatomical.nii');
let work: string;
let tree: InstallTree;
let files: readonly string[];

beforeAll(() => {
  if (!existsSync(path.join(REPO, 'dist', 'electron', 'preload.cjs')))
    execFileSync('npm', ['run', '-s', 'build'], { cwd: REPO, stdio: 'inherit' });
  work = mkdtempSync(path.join(os.tmpdir(), 'voxlab-builder-'));
  const { resources } = packApp(REPO, work);
  tree = makeInstallTree(resources, path.join(work, 'app.asar'));
  files = tree.files;
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('electron-builder packs the app offline', () => {
  it('puts an entry point that exists into app.asar', () => {
    const pkg = JSON.parse(readFileSync(path.join(tree.app, 'package.json'), 'utf8')) as { main: string };
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
    expect(
      files.filter((f) => f.startsWith('/dist/scripts') || f.startsWith('/dist/electron/packaged')),
    ).toEqual([]);
  });

  it("unpacks the native modules from the asar, with only this platform's ONNX Runtime", () => {
    const unpacked = path.join(tree.unpacked, 'node_modules');
    expect(existsSync(path.join(unpacked, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(
      true,
    );
    const ortPlatforms = readdirSync(path.join(unpacked, 'onnxruntime-node', 'bin', 'napi-v6'));
    expect(ortPlatforms).toEqual(['linux']);
    const dawnPlatforms = readdirSync(path.join(unpacked, 'webgpu', 'dist'));
    expect(dawnPlatforms.length).toBeGreaterThan(0);
    expect(dawnPlatforms.filter((p) => !p.startsWith('linux-'))).toEqual([]);
  });

  it("packs every package the app's dependencies need at run time (nifti-reader-js needs fflate)", () => {
    // Node's lookup on the packed file list: from each package, its `dependencies` (not dev, peer or
    // optional ones) in its own node_modules, then in each node_modules above it.
    const has = (pkg: string) => files.includes(`${pkg}/package.json`);
    const missing: string[] = [];
    const seen = new Set<string>();
    const visit = (pkg: string) => {
      if (seen.has(pkg)) return;
      seen.add(pkg);
      const file = `${pkg}/package.json`;
      const root = tree.unpackedFiles.includes(file) ? tree.unpacked : tree.app;
      const manifest = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        let found: string | undefined;
        for (let dir = pkg; found === undefined; dir = dir.slice(0, dir.lastIndexOf('/node_modules/'))) {
          if (has(`${dir}/node_modules/${dep}`)) found = `${dir}/node_modules/${dep}`;
          if (dir === '') break;
        }
        if (found === undefined) missing.push(`${dep} (needed by ${pkg || 'the app'})`);
        else visit(found);
      }
    };
    visit('');
    expect(seen).toContain('/node_modules/fflate');
    expect(missing).toEqual([]);
  });

  it('keeps no native binary inside the asar (the OS can open only real files)', () => {
    const native = files.filter((f) => /\.(node|dll|dylib|so(\.\d+)*)$/.test(f));
    expect(native.length).toBeGreaterThan(0);
    expect(native.filter((f) => !tree.unpackedFiles.includes(f))).toEqual([]);
  });
});

describe('the core runs from the package (plain Node on the install tree)', () => {
  const study = () => path.join(work, 'study');

  it("imports a DICOM series with the packaged CLI: dcm2niix's wasm in a worker thread, the study in SQLite", async () => {
    // The worker file is there, so convertDicom runs dcm2niix on a worker thread (its fallback is in-thread).
    expect(existsSync(path.join(tree.app, 'dist', 'core', 'dicom', 'convertWorker.js'))).toBe(true);
    const cli = path.join(tree.app, 'bin', 'voxlab.js');
    const { stdout } = await run(process.execPath, [cli, 'import', DICOM, '--study', study(), '--json'], {
      cwd: work,
    });
    const result = JSON.parse(stdout) as { imported: { id: string }[] };
    expect(result.imported).toHaveLength(1);
  }, 60_000);

  it('opens that study in the utility-process entry, which serves its volume over the parent port', async () => {
    const entry = path.join(tree.app, 'dist', 'electron', 'core', 'coreMain.js');
    const child = fork(
      path.join(REPO, 'electron', 'packaged', 'utilityShim.mjs'),
      [entry, '--study', study()],
      {
        cwd: work,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // A core that cannot start says why in a `fatal` message (then waits to be stopped).
    const failed = new Promise<Envelope>((resolve) =>
      child.on('message', (m: { type?: string; error?: { message: string } }) => {
        if (m?.type === 'fatal')
          resolve({ ok: false, error: { name: 'VoxlabError', code: 'INTERNAL', message: m.error!.message } });
      }),
    );
    const rpc = new RpcClient({
      post: (m) => child.send(m as object),
      listen: (listener) => {
        child.on('message', listener);
        return () => child.off('message', listener);
      },
    });
    const call = async (method: string, args: unknown): Promise<Envelope & { ok: true }> => {
      const envelope = await Promise.race([
        rpc.call(method, args),
        failed,
        exited.then((code): Envelope => ({
          ok: false,
          error: { name: 'VoxlabError', code: 'INTERNAL', message: `core exited ${code}` },
        })),
      ]);
      if (!envelope.ok) throw new Error(`${method}: ${JSON.stringify(envelope.error)}`);
      return envelope;
    };
    try {
      // The study the packaged CLI imported above.
      const images = (await call('datastore.list', {})).result as { id: string }[];
      expect(images).toHaveLength(1);
      const volume = await call('datastore.volume', { imageId: images[0]!.id });
      const meta = volume.result as { shape: number[]; dtype: 'float32' | 'uint8' };
      expect(meta.shape[2]).toBe(3);
      const bytes = meta.shape.reduce((a, b) => a * b, 1) * (meta.dtype === 'float32' ? 4 : 1);
      expect(volume.data?.byteLength).toBe(bytes);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0); // coreMain closes the study and exits on SIGTERM
  }, 60_000);

  /** probeTree.mjs's report on the tree (see its checks). */
  async function probe(...checks: string[]): Promise<Record<string, unknown> & { nativeFiles: string[] }> {
    const script = path.join(REPO, 'electron', 'packaged', 'probeTree.mjs');
    const { stdout } = await run(process.execPath, [script, tree.app, ...checks], { cwd: work });
    return JSON.parse(stdout) as Record<string, unknown> & { nativeFiles: string[] };
  }

  it('loads a preprocessing worker, ONNX Runtime, the threaded wasm backend and Dawn through its modules', async () => {
    const report = await probe(`pool=${NIFTI}`, 'ort', 'wasm=2', 'dawn');
    expect(report.pool).toEqual({ mode: 'threads', shape: [1, 8, 8, 8], finite: true });
    expect(report.ort).toEqual({ c: [2, 1, 4, 3], kernels: [23] });
    expect(report.wasm).toEqual({ threads: 2, threaded: true, fallbackReason: null });
    const dawn = JSON.parse(
      readFileSync(path.join(REPO, 'node_modules', 'webgpu', 'package.json'), 'utf8'),
    ) as {
      version: string;
    };
    expect(report.dawn).toEqual({ version: dawn.version, create: 'function' });
    // The bindings came from app.asar.unpacked (the packed folder holds none: see above).
    expect(report.nativeFiles.map((f) => path.basename(f)).sort()).toEqual([
      'dawn.node',
      'onnxruntime_binding.node',
    ]);
    for (const f of report.nativeFiles) expect(f.startsWith(`${tree.unpacked}${path.sep}`)).toBe(true);
  }, 60_000);

  it("starts tfjs's stock (single-threaded) wasm build from the tree", async () => {
    const report = await probe('wasm=1');
    expect(report.wasm).toEqual({ threads: 1, threaded: false, fallbackReason: 'one thread was asked for' });
  }, 60_000);
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
      'node_modules/bindings/**',
      'node_modules/file-uri-to-path/**',
      'node_modules/onnxruntime-node/**',
      'node_modules/onnxruntime-common/**',
      'node_modules/@tensorflow/tfjs-node*/**',
      'node_modules/webgpu/**',
    ]);
    expect(config.npmRebuild).toBe(true);
  });
});
