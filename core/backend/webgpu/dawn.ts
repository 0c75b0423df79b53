// The one place that loads Dawn's Node binding (the `webgpu` package: prebuilt dawn.node for linux, macOS
// and Windows inside it) and asks it for an adapter (issue #12). Imported lazily, only when the WebGPU
// backend is tried, so a process that never tries it never loads the 20 MB native library (STYLE.md:
// native packages are imported lazily, in one place). Every failure becomes a reason in words.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Dawn from 'webgpu';
import { importUnpacked, unpackedRequire } from '../../runtime/packagedPath.js';
import { describeAdapter, type AdapterDescription } from './describeAdapter.js';

// In a packed app, from app.asar.unpacked (dawn.node and, on Windows, the DirectX DLLs beside it).
const require = unpackedRequire(import.meta.url);

/** What asking Dawn for an adapter gave. */
export type AdapterProbe =
  | { readonly ok: true; readonly adapter: GPUAdapter; readonly description: AdapterDescription }
  | { readonly ok: false; readonly reason: string };

let probe: Promise<AdapterProbe> | null = null;
/** Dawn's GPU object, kept for the life of the process: its adapters and devices hang off it. */
let gpu: GPU | null = null;

/**
 * Loads Dawn (once), installs its WebGPU globals (GPUBufferUsage, GPUMapMode, ... which tfjs's webgpu
 * backend reads) and requests the high-performance adapter. Never throws; the same promise on every call.
 */
export function probeAdapter(): Promise<AdapterProbe> {
  probe ??= requestAdapter();
  return probe;
}

/** Dawn's GPU object once probeAdapter has loaded it (what navigator.gpu is in a browser), else null. */
export function dawnGpu(): GPU | null {
  return gpu;
}

/** The installed `webgpu` (Dawn) package version, or null when it does not resolve; loads nothing. */
export function dawnVersion(): string | null {
  try {
    return (require('webgpu/package.json') as { version?: string }).version ?? null;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return null;
    throw e;
  }
}

/**
 * On Linux, whether the Vulkan loader (libvulkan.so.1) is where the dynamic loader looks: LD_LIBRARY_PATH,
 * the ld.so cache, the usual folders. Without it Dawn has no adapter to offer, and loading Dawn only to
 * hear so costs 20 MB and a warning on stderr. Other platforms: true (Metal, Direct3D ship with the OS).
 */
export function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const lib = 'libvulkan.so.1';
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== ''),
    '/lib',
    '/usr/lib',
    '/lib64',
    '/usr/lib64',
    '/usr/local/lib',
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
  ];
  if (dirs.some((d) => existsSync(path.join(d, lib)))) return true;
  try {
    // The cache is binary, but it holds every library's name as plain text.
    return readFileSync('/etc/ld.so.cache').includes(lib);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return false;
    throw e;
  }
}

async function requestAdapter(): Promise<AdapterProbe> {
  if (!vulkanLoaderPresent())
    return { ok: false, reason: 'no Vulkan loader (libvulkan.so.1): Dawn cannot reach a GPU without it' };
  let dawn: typeof Dawn;
  try {
    dawn = await importUnpacked<typeof Dawn>('webgpu', import.meta.url);
  } catch (e) {
    return { ok: false, reason: `Dawn (the webgpu package) did not load: ${firstLine(e)}` };
  }
  try {
    Object.assign(globalThis, dawn.globals);
    gpu = dawn.create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null)
      return { ok: false, reason: 'Dawn found no adapter (no Vulkan, Metal or Direct3D 12 driver for a GPU)' };
    return { ok: true, adapter, description: describeAdapter(adapter) };
  } catch (e) {
    return { ok: false, reason: `Dawn failed to look for an adapter: ${firstLine(e)}` };
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
