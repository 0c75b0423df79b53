// The one place that loads the optional native TensorFlow.js packages (tfjs-node-gpu, tfjs-node). Their
// install script downloads libtensorflow, which fails offline, so they are not dependencies: we import
// them lazily and turn every failure into a reason a person can act on (STYLE.md: native packages are
// imported lazily, in one place). Also probes for an NVIDIA driver, for `voxlab doctor`.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The native packages, fastest first, with the tfjs backend name they register. */
export const NATIVE_PACKAGES = {
  'tfjs-node-gpu': {
    pkg: '@tensorflow/tfjs-node-gpu',
    needs: 'an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9.1)',
  },
  'tfjs-node': {
    pkg: '@tensorflow/tfjs-node',
    needs: 'a machine with internet during npm install (it downloads libtensorflow)',
  },
} as const;
export type NativeName = keyof typeof NATIVE_PACKAGES;

export type NativeLoad =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly installed: boolean; readonly reason: string };

/** True when the package can be resolved from here; loads nothing. */
export function isNativeInstalled(name: NativeName): boolean {
  try {
    require.resolve(NATIVE_PACKAGES[name].pkg);
    return true;
  } catch (err) {
    // Any other resolution error (say, an exports map) means it is there: importNative reports it.
    return !isNotFound(err, NATIVE_PACKAGES[name].pkg);
  }
}

/**
 * Imports a native package, which registers the 'tensorflow' backend with tfjs. Never throws: a
 * missing package or a binding that does not load comes back as `{ ok: false, reason }`.
 */
export async function importNative(name: NativeName): Promise<NativeLoad> {
  const { pkg, needs } = NATIVE_PACKAGES[name];
  if (!isNativeInstalled(name)) {
    return {
      ok: false,
      installed: false,
      reason: `${pkg} is not installed (npm install ${pkg}; needs ${needs})`,
    };
  }
  try {
    // A computed specifier: the package is optional, so TypeScript must not require its types.
    const specifier: string = pkg;
    const module = (await import(specifier)) as { version?: Record<string, string> };
    return { ok: true, version: module.version?.[name] ?? module.version?.['tfjs-node'] ?? 'unknown' };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {
      ok: false,
      installed: true,
      reason: `${pkg} is installed but failed to load: ${message} (reinstall it with internet; needs ${needs})`,
    };
  }
}

/** Whether an NVIDIA driver is visible, and what it says. */
export function probeNvidiaDriver(): { present: boolean; detail: string } {
  const path = '/proc/driver/nvidia/version';
  if (process.platform !== 'linux') return { present: false, detail: `not probed on ${process.platform}` };
  if (!existsSync(path)) return { present: false, detail: `no NVIDIA driver (${path} is missing)` };
  const firstLine = readFileSync(path, 'utf8').split('\n')[0] ?? '';
  return { present: true, detail: firstLine.trim() };
}

function isNotFound(err: unknown, pkg: string): boolean {
  const e = err as { code?: string; message?: string };
  return (
    (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND') && (e.message ?? '').includes(pkg)
  );
}
