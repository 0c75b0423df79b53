// Entry of the core's utility process: opens the study named on the command line (or the demo study) and
// serves the contract on the parent port, so training and file work never block the window. When the start
// fails (a native module built for another ABI, a folder that is not a study), it says why in a `fatal`
// message that the window shows, instead of dying silently (issue #17).

import type { ParentPort } from 'electron';
import type { RpcEndpoint } from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { openStudy } from '../../core/datastore/index.js';
import { createService, serveRpc } from '../../core/server/index.js';
import { ensureDemoStudy, voxlabHome } from '../../core/synth/demoStudy.js';
import { describeStartFailure, type FatalMessage, type RuntimeInfo } from '../native/startFailure.js';

/** How long a failed core waits for the main process to take its fatal message and stop it. */
const FATAL_GRACE_MS = 10_000;

/** The parent port as an RpcEndpoint. */
export function parentEndpoint(port: ParentPort): RpcEndpoint {
  return {
    post: (m) => port.postMessage(m),
    listen: (listener) => {
      const on = (e: { data: unknown }) => listener(e.data);
      port.on('message', on);
      return () => port.off('message', on);
    },
  };
}

/** `--study DIR` or `--demo` from argv. */
export function studyArg(argv: readonly string[]): { dir: string } | { demo: true } {
  const i = argv.indexOf('--study');
  if (i >= 0 && argv[i + 1] !== undefined) return { dir: argv[i + 1]! };
  if (argv.includes('--demo')) return { demo: true };
  throw new VoxlabError('BAD_ARGUMENT', 'voxlab core process: start it with --study DIR or --demo');
}

/**
 * Posts why the core could not start (describeStartFailure's words) to the main process and writes it to
 * stderr (the terminal of `npm start`); returns the message posted.
 */
export function reportStartFailure(
  port: Pick<ParentPort, 'postMessage'>,
  e: unknown,
  runtime: RuntimeInfo,
  log: (line: string) => void = (line) => process.stderr.write(line),
): FatalMessage {
  const message: FatalMessage = { type: 'fatal', error: describeStartFailure(e, runtime) };
  port.postMessage(message);
  log(`voxlab core: ${message.error.message}\n`);
  return message;
}

async function main(port: ParentPort): Promise<void> {
  const which = studyArg(process.argv);
  const dir = 'dir' in which ? which.dir : (await ensureDemoStudy(voxlabHome())).dir;
  const study = openStudy(dir, { create: true }); // an empty folder chosen in the dialog becomes a new study
  const service = createService(study);
  const stop = serveRpc(parentEndpoint(port), service);
  process.once('SIGTERM', () => {
    stop();
    void service.close().then(() => {
      study.close();
      process.exit(0);
    });
  });
}

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (parentPort !== undefined) {
  main(parentPort).catch((e: unknown) => {
    reportStartFailure(parentPort, e, {
      electron: process.versions.electron,
      moduleVersion: Number(process.versions.modules),
    });
    setTimeout(() => process.exit(1), FATAL_GRACE_MS); // the main process stops this one on the message
  });
}
