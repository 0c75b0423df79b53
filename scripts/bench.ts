// `npm run bench -- [suite ...]`: runs benchmark suites and prints ONE JSON object on stdout, keyed by
// suite, with key names from shared/reference/monai_cpu_timings.json. Progress and notes go to stderr.
// Speed goals are checked here against that reference, never by timed tests.

import { conv3dSuite } from './bench/conv3d.js';
import { dicomSuite } from './bench/dicom.js';
import { explainSuite } from './bench/explain.js';
import { gpuSuite } from './bench/gpu.js';
import { inferSuite } from './bench/infer.js';
import { ioSuite } from './bench/io.js';
import { pointingSuite } from './bench/pointing.js';
import { reliabilitySuite } from './bench/reliability.js';
import { sanitySuite } from './bench/sanity.js';
import { teamSuite } from './bench/team.js';
import { trainSuite } from './bench/train.js';
import { loadReference, type BenchContext } from './bench/context.js';

type Suite = (ctx: BenchContext) => Promise<Record<string, unknown>>;

const SUITES: Record<string, Suite> = {
  io: ioSuite,
  train: trainSuite,
  conv3d: conv3dSuite,
  explain: explainSuite,
  infer: inferSuite,
  dicom: dicomSuite,
  gpu: gpuSuite,
  team: teamSuite,
  reliability: reliabilitySuite,
  pointing: pointingSuite,
  sanity: sanitySuite,
};

async function main(argv: string[]): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('-'));
  const chosen = names.length > 0 ? names : Object.keys(SUITES);
  const unknown = chosen.filter((n) => !(n in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    return 2;
  }
  const ctx: BenchContext = { reference: loadReference(), log: (m) => process.stderr.write(`bench: ${m}\n`) };
  const out: Record<string, unknown> = {};
  for (const name of chosen) {
    ctx.log(`suite ${name}...`);
    out[name] = await SUITES[name]!(ctx);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
