// Test helper: runs webgpuChild.ts in a child process whose environment gives Dawn an adapter. Without a
// GPU, that is SwiftShader (Vulkan on the CPU) from Debian's chromium package, found through
// LD_LIBRARY_PATH and VK_ICD_FILENAMES, which the dynamic loader reads only when a process starts.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChild } from '../../../datastore/testing/buildChild.js';
import type { AdapterDescription } from '../describeAdapter.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CHROMIUM = '/usr/lib/chromium';
const SWIFTSHADER_ICD = path.join(CHROMIUM, 'vk_swiftshader_icd.json');

/** The environment that points Vulkan at chromium's SwiftShader, or null when chromium is not installed. */
export function swiftshaderEnv(): NodeJS.ProcessEnv | null {
  if (!existsSync(SWIFTSHADER_ICD)) return null;
  const libraryPath = [CHROMIUM, process.env.LD_LIBRARY_PATH].filter((p) => p).join(':');
  return { ...process.env, LD_LIBRARY_PATH: libraryPath, VK_ICD_FILENAMES: SWIFTSHADER_ICD };
}

/** A built webgpuChild and the environment to run it in; dispose removes the build. */
export interface WebgpuChild {
  /** The adapter the child finds, or null with the reason (then every GPU test skips, saying so). */
  readonly adapter: AdapterDescription | null;
  readonly reason: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs `webgpuChild.js ...args`; resolves with its last stdout line parsed, rejects on a failure. */
  run<T>(args: readonly string[], timeoutMs?: number, env?: NodeJS.ProcessEnv): Promise<T>;
  dispose(): void;
}

/**
 * Builds the child and probes for an adapter: with SwiftShader's environment when chromium is installed,
 * else (or when that finds none) with this process's own (a machine with a GPU driver).
 */
export async function openWebgpuChild(): Promise<WebgpuChild> {
  const dir = mkdtempSync(path.join(tmpdir(), 'voxlab-webgpu-'));
  const script = buildChild(path.join(REPO, 'core/backend/webgpu/testing/webgpuChild.ts'), REPO, dir);
  // The child is built outside the repository: tell it where shared/ is (core/model/testing/backends.ts).
  const shared = process.env.VOXLAB_SHARED ?? path.join(REPO, '..', 'shared');
  const run = <T>(args: readonly string[], timeoutMs = 120_000, env: NodeJS.ProcessEnv = process.env) =>
    new Promise<T>((resolve, reject) => {
      execFile(
        process.execPath,
        [script, ...args],
        { env: { ...env, VOXLAB_SHARED: shared }, timeout: timeoutMs, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          if (error) return reject(new Error(`webgpuChild ${args.join(' ')}: ${error.message}\n${stderr}`));
          const last = stdout.trim().split('\n').at(-1) ?? '';
          try {
            resolve(JSON.parse(last) as T);
          } catch {
            reject(new Error(`webgpuChild ${args.join(' ')} printed no JSON: ${stdout}\n${stderr}`));
          }
        },
      );
    });
  type Probe = { ok: true; description: AdapterDescription } | { ok: false; reason: string };
  const reasons: string[] = [];
  for (const env of [swiftshaderEnv(), process.env]) {
    if (env === null) {
      reasons.push(`SwiftShader: ${SWIFTSHADER_ICD} is missing (apt-get install chromium)`);
      continue;
    }
    const probe = await run<Probe>(['probe'], 30_000, env);
    if (probe.ok)
      return {
        adapter: probe.description,
        reason: '',
        env,
        run: (args, timeoutMs, e) => run(args, timeoutMs, e ?? env),
        dispose: () => rmSync(dir, { recursive: true, force: true }),
      };
    reasons.push(probe.reason);
  }
  return {
    adapter: null,
    reason: reasons.join('; '),
    env: process.env,
    run,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
