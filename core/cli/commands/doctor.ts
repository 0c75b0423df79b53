// `voxlab doctor`: which compute backends work on this machine and why the others do not, threads, SIMD,
// GPU/CUDA presence, versions, and what to install for a faster path.

import { createRequire } from 'node:module';
import os from 'node:os';
import { initBackend, type BackendReport } from '../../backend/selectBackend.js';
import type { Command } from '../command.js';

const require = createRequire(import.meta.url);

/** Whether onnxruntime-node (for fast inference of exported models) resolves from here; loads nothing. */
export function onnxRuntimeStatus(): { installed: boolean; detail: string } {
  try {
    const pkg = require('onnxruntime-node/package.json') as { version?: string };
    return { installed: true, detail: `onnxruntime-node ${pkg.version ?? '?'} is installed (CPU)` };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (
      code !== 'MODULE_NOT_FOUND' &&
      code !== 'ERR_MODULE_NOT_FOUND' &&
      code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED'
    )
      throw e;
    return {
      installed: false,
      detail:
        'onnxruntime-node is not installed: npm install onnxruntime-node with its install script off (package.json allowScripts {"onnxruntime-node": false}); its CPU build then works offline',
    };
  }
}

export interface DoctorReport extends BackendReport {
  readonly machine: {
    readonly platform: string;
    readonly arch: string;
    readonly cores: number;
    readonly memoryGb: number;
  };
  readonly onnxruntime: { readonly installed: boolean; readonly detail: string };
}

/** The human-readable form of the report. */
export function formatDoctor(r: DoctorReport): string {
  const lines = [
    `machine     ${r.machine.platform}/${r.machine.arch}, ${r.machine.cores} cores, ${r.machine.memoryGb.toFixed(1)} GB`,
    `backend     ${r.backend} (${r.threads} thread(s)${r.simd ? ', SIMD' : ''}): what training and inference use by default`,
    'candidates  (fastest first)',
    ...r.candidates.map((c) => `  ${c.available ? 'ok ' : 'no '} ${c.name.padEnd(14)} ${c.reason}`),
    `gpu         ${r.gpu.cuda ? 'CUDA in use' : 'not in use'}: ${r.gpu.detail}`,
    `onnxruntime ${r.onnxruntime.detail}`,
    `versions    ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

export const doctorCommand: Command = {
  name: 'doctor',
  usage: '[--json]',
  summary: 'Check the compute backends (tfjs-node/GPU, wasm threads, cpu), GPU/CUDA and versions.',
  positionals: [0, 0],
  options: {
    json: { type: 'boolean', help: 'print the report as JSON on stdout' },
  },
  async run(args) {
    const backend = await initBackend({ prefer: 'auto' });
    const report: DoctorReport = {
      ...backend,
      machine: {
        platform: process.platform,
        arch: process.arch,
        cores: os.availableParallelism(),
        memoryGb: os.totalmem() / 2 ** 30,
      },
      onnxruntime: onnxRuntimeStatus(),
    };
    process.stdout.write(
      args.values.json === true ? `${JSON.stringify(report)}\n` : `${formatDoctor(report)}\n`,
    );
    return 0;
  },
};
