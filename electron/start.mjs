// `npm start`: the desktop app where the Electron binary exists; otherwise the same UI served by
// `voxlab serve --demo` on this machine, with the URL to open printed. Before Electron starts, the native
// modules are checked against Electron's NODE_MODULE_VERSION, and better-sqlite3 is built for it beside the
// Node build when missing (electron/native/prepareNative.ts, issue #17); `--rebuild-native` only builds.
// VOXLAB_NATIVE_REBUILD=0 refuses instead of building. (Tests run the logic in dist, not this file.)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The downloaded Electron binary, or null (its download fails on machines without GitHub access). */
function electronBinary() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

/** Checks (and if need be builds) the native modules for Electron `bin`; exits non-zero with the reason. */
async function prepareNative(bin, force) {
  const dist = (file) => pathToFileURL(path.join(root, 'dist', 'electron', 'native', file)).href;
  if (!existsSync(fileURLToPath(dist('prepareNative.js')))) {
    process.stderr.write(
      'voxlab: dist/ is missing: run `npm start` (it builds first) or `npm run -s build`.\n',
    );
    process.exit(1);
  }
  const { prepareNativeModules } = await import(dist('prepareNative.js'));
  const { electronRebuild } = await import(dist('rebuildSqlite.js'));
  const prepared = await prepareNativeModules({
    root,
    electronBinary: bin,
    env: process.env,
    rebuild: process.env.VOXLAB_NATIVE_REBUILD === '0' ? null : electronRebuild,
    force,
    log: (line) => process.stderr.write(`voxlab: ${line}\n`),
  });
  if (!prepared.ok) {
    process.stderr.write(prepared.message);
    process.exit(1);
  }
}

const rebuildOnly = process.argv.includes('--rebuild-native');
const args = process.argv.slice(2).filter((a) => a !== '--rebuild-native');
const bin = electronBinary();
if (bin) await prepareNative(bin, rebuildOnly);
else if (rebuildOnly) {
  process.stderr.write(
    'voxlab: the Electron binary is not installed here, so there is nothing to build native modules for.\n',
  );
  process.exit(1);
}
if (rebuildOnly) process.exit(0);

const [command, commandArgs] = bin
  ? [bin, [root, ...args]]
  : [process.execPath, [path.join(root, 'bin', 'voxlab.js'), 'serve', '--demo', ...args]];
if (!bin)
  process.stderr.write(
    'voxlab: the Electron binary is not installed here (it could not be downloaded), so the desktop window cannot open.\nServing the same UI on the demo study instead: open the URL below in your browser.\n',
  );
const child = spawn(command, commandArgs, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
