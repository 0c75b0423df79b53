// Bundles what tsc alone cannot ship, after `tsc -p tsconfig.build.json`:
//  - dist/electron/preload.cjs: the preload with core/api inlined (sandboxed preloads load one file, CommonJS);
//  - dist/renderer/: the app (index.html, app.css, app.js with React, Cornerstone3D and core/api inlined)
//    served by `voxlab serve` and the desktop app;
//  - dist/core/bundle/templates/: the Python scripts and files `voxlab export-bundle` writes into a MONAI
//    bundle (core/bundle/exportBundle.ts reads them beside its module).
import { copyFile, cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);

await build({
  input: at('electron/preload/preload.ts'),
  platform: 'node',
  external: ['electron'],
  logLevel: 'warn',
  output: { file: at('dist/electron/preload.cjs'), format: 'cjs' },
});

// The renderer: React + Cornerstone3D in one ES module (app.js) beside index.html and app.css. One file,
// no chunks or workers: the pages' CSP allows only their own scripts ('wasm-unsafe-eval' for vtk.js).
await rm(at('dist/renderer'), { recursive: true, force: true });
await mkdir(at('dist/renderer'), { recursive: true });
await build({
  input: at('renderer/main.tsx'),
  platform: 'browser',
  logLevel: 'warn',
  resolve: { alias: { url: at('renderer/shims/nodeUrl.ts') } },
  transform: { jsx: 'react-jsx', define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') } },
  output: { file: at('dist/renderer/app.js'), format: 'esm', codeSplitting: false, minify: true },
});
await copyFile(at('renderer/index.html'), at('dist/renderer/index.html'));
await copyFile(at('renderer/app/app.css'), at('dist/renderer/app.css'));

await rm(at('dist/core/bundle/templates'), { recursive: true, force: true });
await cp(at('core/bundle/templates'), at('dist/core/bundle/templates'), { recursive: true });
