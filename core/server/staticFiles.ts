// Serves the built renderer (index.html and its assets) from one folder, confined to it; a placeholder
// page when the renderer has not been built.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveInside } from './studyPaths.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** dist/renderer beside the compiled core (dist/core/server → dist/renderer); null when not built. */
export function defaultRendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '../../renderer'), path.resolve(here, '../../dist/renderer')]) {
    if (existsSync(path.join(candidate, 'index.html')) && existsSync(path.join(candidate, 'app.js')))
      return candidate;
  }
  return null;
}

export const PLACEHOLDER_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>voxlab</title></head>
<body><h1>voxlab</h1><p>The server runs, but the UI is not built: run <code>npm run build</code>. The API is under <code>/api</code>.</p></body></html>`;

/** The file for a URL path under `root` ('/' → index.html): its bytes and type, or null (missing, a folder, or refused). */
export async function staticFile(
  root: string | null,
  urlPath: string,
): Promise<{ bytes: Buffer | string; type: string } | null> {
  const rel = urlPath === '/' || urlPath === '' ? 'index.html' : urlPath.replace(/^\/+/, '');
  if (root === null) return rel === 'index.html' ? { bytes: PLACEHOLDER_HTML, type: TYPES['.html']! } : null;
  let file: string;
  try {
    file = resolveInside(root, decodeURIComponent(rel), 'file');
  } catch {
    return null; // outside the folder, malformed or missing: 404 alike, saying nothing about the disk
  }
  if (!statSync(file).isFile()) return null;
  return {
    bytes: await readFile(file),
    type: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
  };
}
