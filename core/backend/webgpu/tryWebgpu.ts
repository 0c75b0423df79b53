// The WebGPU candidate of initBackend (issue #12): probe Dawn for an adapter, and start tfjs's webgpu
// backend on it when it is a hardware GPU, or when the caller asked for webgpu by name. A software adapter
// (SwiftShader, llvmpipe) is slower than our wasm kernels, so 'auto' reports it and passes it over.

import { adapterName, limitsSummary, type AdapterDescription } from './describeAdapter.js';
import { probeAdapter } from './dawn.js';
import { startWebgpuBackend } from './startWebgpu.js';

/** What trying webgpu gave. */
export interface WebgpuAttempt {
  /** True when webgpu is now the active tfjs backend. */
  readonly started: boolean;
  /** True when an adapter was found (even one passed over). */
  readonly available: boolean;
  readonly reason: string;
  /** The adapter found, or null. */
  readonly adapter: AdapterDescription | null;
  /** tfjs-backend-webgpu's version when it was loaded. */
  readonly version?: string;
}

/**
 * Probes for an adapter and starts the webgpu backend on it if it is hardware or `asked` (the caller named
 * webgpu). Never throws: every way it can fail is a reason.
 */
export async function tryWebgpu(asked: boolean): Promise<WebgpuAttempt> {
  const probe = await probeAdapter();
  if (!probe.ok) return { started: false, available: false, reason: probe.reason, adapter: null };
  const adapter = probe.description;
  const name = `${adapterName(adapter)}; ${limitsSummary(adapter.limits)}`;
  if (adapter.software && !asked)
    return {
      started: false,
      available: true,
      adapter,
      reason: `software adapter ${name} (${adapter.softwareReason}): slower than wasm, used only when asked (--backend webgpu)`,
    };
  const started = await startWebgpuBackend(probe);
  if (!started.ok) return { started: false, available: false, reason: `${name}: ${started.reason}`, adapter };
  const kind = adapter.software ? `software adapter (${adapter.softwareReason}), as asked` : 'GPU';
  return {
    started: true,
    available: true,
    adapter,
    version: started.version,
    reason: `tfjs-backend-webgpu ${started.version} on ${kind}: ${name}`,
  };
}
