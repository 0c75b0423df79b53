// `npm start`: the desktop app where the Electron binary exists; otherwise the same UI served by
// `voxlab serve --demo` on this machine, with the URL to open printed. (Tests never run this.)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The downloaded Electron binary, or null (its download fails on machines without GitHub access). */
function electronBinary() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = path.join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const bin = electronBinary();
const [command, args] = bin
  ? [bin, [root, ...process.argv.slice(2)]]
  : [process.execPath, [path.join(root, 'bin', 'voxlab.js'), 'serve', '--demo', ...process.argv.slice(2)]];
if (!bin)
  process.stderr.write(
    'voxlab: the Electron binary is not installed here (it could not be downloaded), so the desktop window cannot open.\nServing the same UI on the demo study instead: open the URL below in your browser.\n',
  );
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
