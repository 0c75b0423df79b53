// Where the packages that the desktop app's packager unpacks really lie (issue #17). In a packed app the
// core's modules sit inside resources/app.asar, one archive file that only Electron's patched fs reads as a
// folder; electron-builder.yml's asarUnpack puts the native packages (and the JS they load) in
// resources/app.asar.unpacked, as real files that native code, the OS and any Node can open. core never
// imports electron: the archive is recognised by its path alone.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ARCHIVE = 'app.asar';

/**
 * The same place in app.asar.unpacked for a path inside app.asar (`.../resources/app.asar/node_modules/x`
 * gives `.../resources/app.asar.unpacked/node_modules/x`); any other path comes back unchanged. `sep` is the
 * platform's separator (given only to check Windows paths elsewhere).
 */
export function unpackedPath(file: string, sep: string = path.sep): string {
  const inside = `${sep}${ARCHIVE}${sep}`;
  const at = file.indexOf(inside);
  if (at >= 0) return `${file.slice(0, at)}${sep}${ARCHIVE}.unpacked${sep}${file.slice(at + inside.length)}`;
  return file.endsWith(`${sep}${ARCHIVE}`) ? `${file}.unpacked` : file;
}

/**
 * A require() that resolves packages as `createRequire(from)` does, but from the same place in
 * app.asar.unpacked when `from` (a module's import.meta.url, or a path) lies inside app.asar. For the
 * packages electron-builder unpacks whole (better-sqlite3, onnxruntime-node, webgpu, with the JS packages
 * they require): their code then runs from real files, so a native binding and the shared libraries beside
 * it (libonnxruntime.so.1 through RUNPATH $ORIGIN) are found where the OS looks. Outside a packed app it is
 * plain createRequire(from). A package that is not unpacked is not found through it inside app.asar.
 */
export function unpackedRequire(from: string | URL): NodeJS.Require {
  const file = typeof from === 'string' && !from.startsWith('file:') ? from : fileURLToPath(from);
  return createRequire(unpackedPath(file));
}

/**
 * import() of an unpacked package (ES module or CommonJS) as unpackedRequire(from) resolves it. Rejects as
 * import() does: MODULE_NOT_FOUND when it is not installed, the loader's error when its binding fails.
 */
export async function importUnpacked<T>(specifier: string, from: string | URL): Promise<T> {
  const file = unpackedRequire(from).resolve(specifier);
  return (await import(pathToFileURL(file).href)) as T;
}
