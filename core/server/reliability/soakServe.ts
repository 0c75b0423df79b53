// The child process of the crash soak (core/server/reliability/crashSoak.ts): the real `voxlab serve` command
// (runCli → serve → serveStudy → HTTP), with its modules loaded ahead of time. It prints "loaded", waits for
// a line on stdin, then runs `voxlab serve --study <dir> --port 0 --json` until it is killed. Loading first
// lets the soak start the next server while the current one works (Node's start-up, ~2-3 s here, would
// otherwise take most of each cycle). Usage: node soakServe.js <studyDir>.

// Side-effect import: the training worker only runs when started as a worker ('voxlab-train' workerData), so
// importing it does nothing here, but it makes buildChild (tests) compile it beside trainJobs.js, as dist/
// has it: the server then trains in a worker thread, as the shipped `voxlab serve` does.
import '../trainWorker.js';
import { runCli } from '../../cli/main.js';

const [studyDir] = process.argv.slice(2);
if (studyDir === undefined) throw new Error('usage: soakServe <studyDir>');
process.stdout.write('loaded\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.exitCode = await runCli(['serve', '--study', studyDir, '--port', '0', '--json']);
