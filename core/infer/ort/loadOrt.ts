// The one place that loads onnxruntime-node (STYLE.md: native packages are imported lazily, in one place),
// and what it can run on: its execution providers and which of them this machine can use.

import { existsSync } from 'node:fs';
import { probeAdapter } from '../../backend/webgpu/dawn.js';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { VoxlabError } from '../../common/errors.js';
import { importUnpacked, unpackedRequire } from '../../runtime/packagedPath.js';

export type OrtModule = typeof Ort;

// In a packed app, from app.asar.unpacked: the binding needs libonnxruntime.so.1 beside it as a real file.
const require = unpackedRequire(import.meta.url);
let loading: Promise<OrtModule> | null = null;

/** onnxruntime-node, imported on first use. Throws NOT_FOUND (with what to install) when it is missing. */
export function loadOrt(): Promise<OrtModule> {
  loading ??= importUnpacked<OrtModule>('onnxruntime-node', import.meta.url).catch((e: unknown) => {
    loading = null;
    throw new VoxlabError(
      'NOT_FOUND',
      `onnxruntime-node could not be loaded (${(e as Error).message.split('\n')[0]}): install it with its install script off ` +
        '(package.json allowScripts {"onnxruntime-node": false}); its CPU build works offline',
      {},
      { cause: e },
    );
  });
  return loading;
}

/** Accelerated providers voxlab uses when present, fastest first (ONNX Runtime's names). */
export const ACCELERATED_PROVIDERS = ['cuda', 'dml', 'coreml'] as const;

/** One execution provider onnxruntime-node knows of, and whether voxlab would use it here. */
export interface ProviderStatus {
  readonly name: string;
  /** Shipped inside the npm package (cpu; dml on Windows; coreml on macOS; webgpu). */
  readonly bundled: boolean;
  /** Whether its files are here, so a session may ask for it (it can still fail without a GPU/driver). */
  readonly present: boolean;
  readonly detail: string;
}

/** The installed package's version, or null when it is not installed. Loads nothing. */
export function ortVersion(): string | null {
  try {
    return (require('onnxruntime-node/package.json') as { version?: string }).version ?? 'unknown';
  } catch {
    return null;
  }
}

/**
 * Execution providers onnxruntime-node lists (listSupportedBackends) with their presence here. CUDA and
 * TensorRT are not bundled: the package's install script downloads their libraries next to the binding,
 * so they count as present only when those files exist. WebGPU is bundled and works where Dawn finds an
 * adapter (core/backend/webgpu/dawn.ts: a GPU's Vulkan/Metal/D3D12 driver, or SwiftShader when asked for);
 * `--provider webgpu` uses it, 'auto' never picks it.
 */
export async function listExecutionProviders(): Promise<ProviderStatus[]> {
  const ort = await loadOrt();
  const bindingDir = path.join(
    path.dirname(require.resolve('onnxruntime-node/package.json')),
    'bin',
    'napi-v6',
    process.platform,
    process.arch,
  );
  return Promise.all(ort.listSupportedBackends().map(async ({ name, bundled }) => {
    if (bundled) {
      const detail = name === 'webgpu' ? await webgpuProviderDetail() : 'bundled';
      return { name, bundled, present: true, detail };
    }
    const lib =
      process.platform === 'win32'
        ? `onnxruntime_providers_${name}.dll`
        : `libonnxruntime_providers_${name}.so`;
    const present = existsSync(path.join(bindingDir, lib));
    const detail = present
      ? `${lib} found; needs an NVIDIA GPU with its CUDA/cuDNN libraries`
      : `not installed (${lib} is downloaded by the package's install script on a machine with internet)`;
    return { name, bundled, present, detail };
  }));
}

/** What ORT's bundled WebGPU provider would run on here: Dawn's adapter, or why there is none. */
async function webgpuProviderDetail(): Promise<string> {
  const probe = await probeAdapter();
  if (!probe.ok) return `bundled; no WebGPU adapter here (${probe.reason})`;
  const d = probe.description;
  const name = d.description || `${d.vendor} ${d.architecture}`.trim();
  return d.software ? `bundled; adapter ${name} is software (CPU): only with --provider webgpu` : `bundled; adapter ${name}: use --provider webgpu`;
}
