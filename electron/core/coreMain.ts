// Entry of the core's utility process: opens the study named on the command line (or the demo study) and
// serves the contract on the parent port, so training and file work never block the window.

import type { ParentPort } from 'electron';
import type { RpcEndpoint } from '../../core/api/index.js';
import { VoxlabError } from '../../core/common/errors.js';
import { openStudy } from '../../core/datastore/index.js';
import { createService, serveRpc } from '../../core/server/index.js';
import { ensureDemoStudy, voxlabHome } from '../../core/synth/demoStudy.js';

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

async function main(): Promise<void> {
  const port = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  if (port === undefined)
    throw new VoxlabError('INTERNAL', 'coreMain runs only as an Electron utility process');
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

if ((process as NodeJS.Process & { parentPort?: unknown }).parentPort !== undefined) {
  main().catch((e: unknown) => {
    process.stderr.write(`voxlab core: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  });
}
