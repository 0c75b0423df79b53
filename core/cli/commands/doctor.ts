// `voxlab doctor`: which compute backends work on this machine and why the others do not, threads, SIMD,
// the WebGPU adapter (vendor, architecture, limits, software or not), GPU/CUDA presence, versions, and
// what to install for a faster path, and the Python with PyTorch and MONAI that `--engine monai` would use.

import os from 'node:os';
import { initBackend, type BackendReport } from '../../backend/selectBackend.js';
import { adapterName, limitsSummary } from '../../backend/webgpu/describeAdapter.js';
import { findPython, type PythonReport } from '../../bundle/python.js';
import { isVoxlabError } from '../../common/errors.js';
import {
  ACCELERATED_PROVIDERS,
  listExecutionProviders,
  ortVersion,
  type ProviderStatus,
} from '../../infer/ort/loadOrt.js';
import type { Command } from '../command.js';
import { unpackedRequire } from '../../runtime/packagedPath.js';

// onnxruntime-node is unpacked in a packed app (core/runtime/packagedPath.ts).
const require = unpackedRequire(import.meta.url);

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
  readonly onnxruntime: OnnxRuntimeReport;
  /** The Python `voxlab train --engine monai` uses (VOXLAB_PYTHON, else python3): found when torch and monai import. */
  readonly python: PythonReport;
}

/** onnxruntime-node: installed or not, and its execution providers (empty when it does not load). */
export interface OnnxRuntimeReport {
  readonly installed: boolean;
  readonly detail: string;
  /** The onnxruntime-node package version, or null when it is not installed. */
  readonly version: string | null;
  readonly providers: readonly ProviderStatus[];
  /** The provider `voxlab infer` uses by default: the first accelerated one present, else cpu. */
  readonly inferenceProvider: string | null;
}

/** onnxRuntimeStatus plus the execution providers, loading onnxruntime-node to list them. */
export async function onnxRuntimeReport(): Promise<OnnxRuntimeReport> {
  const status = { ...onnxRuntimeStatus(), version: ortVersion() };
  if (!status.installed) return { ...status, providers: [], inferenceProvider: null };
  try {
    const providers = await listExecutionProviders();
    const accelerated = providers.find(
      (p) => (ACCELERATED_PROVIDERS as readonly string[]).includes(p.name) && p.present,
    );
    return { ...status, providers, inferenceProvider: accelerated?.name ?? 'cpu' };
  } catch (e) {
    if (!isVoxlabError(e)) throw e;
    return {
      ...status,
      detail: `${status.detail}, but it does not load: ${e.message}`,
      providers: [],
      inferenceProvider: null,
    };
  }
}

/** The human-readable form of the report. */
export function formatDoctor(r: DoctorReport): string {
  const lines = [
    `machine     ${r.machine.platform}/${r.machine.arch}, ${r.machine.cores} cores, ${r.machine.memoryGb.toFixed(1)} GB`,
    `backend     ${r.backend} (${r.threads} thread(s)${r.simd ? ', SIMD' : ''}): what training and inference use by default`,
    'candidates  (fastest first)',
    ...r.candidates.map((c) => `  ${c.available ? 'ok ' : 'no '} ${c.name.padEnd(14)} ${c.reason}`),
    `webgpu      ${r.webgpu.detail}`,
    ...(r.webgpu.adapter === null
      ? []
      : [
          `  adapter   ${adapterName(r.webgpu.adapter)}${r.webgpu.adapter.software ? ' [software]' : ''}`,
          `  limits    ${limitsSummary(r.webgpu.adapter.limits)}`,
        ]),
    `cuda        ${r.gpu.cuda ? 'CUDA in use' : 'not in use'}: ${r.gpu.detail}`,
    `onnxruntime ${r.onnxruntime.detail}${r.onnxruntime.inferenceProvider ? `; inference runs on ${r.onnxruntime.inferenceProvider}` : ''}`,
    ...r.onnxruntime.providers.map((p) => `  ${p.present ? 'ok ' : 'no '} ${p.name.padEnd(14)} ${p.detail}`),
    `python      ${r.python.found ? `${r.python.detail}: voxlab train --engine monai can use it` : r.python.detail}`,
    `versions    ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

export const doctorCommand: Command = {
  name: 'doctor',
  usage: '[--json]',
  summary:
    'Check the compute backends (WebGPU adapter, tfjs-node/GPU, wasm threads, cpu), ONNX Runtime providers, GPU/CUDA, a Python with PyTorch and MONAI, and versions.',
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
      onnxruntime: await onnxRuntimeReport(),
      python: await findPython(),
    };
    process.stdout.write(
      args.values.json === true ? `${JSON.stringify(report)}\n` : `${formatDoctor(report)}\n`,
    );
    return 0;
  },
};
