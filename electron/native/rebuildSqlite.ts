// Builds better-sqlite3 for Electron in a folder of its own (a copy of the package's sources), with
// @electron/rebuild, so the package's own build stays the system Node's for the CLI and the tests.

import { cpSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { HeaderSource } from './electronHeaders.js';

/** One build of better-sqlite3 for one Electron. */
export interface RebuildPlan {
  readonly module: 'better-sqlite3';
  readonly electronVersion: string;
  /** Electron's NODE_MODULE_VERSION: what the built addon must export. */
  readonly moduleVersion: number;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  /** The installed package (its sources: binding.gyp, src/, deps/). */
  readonly sourceDir: string;
  /** Where the copy is built; the addon lands in `outputDir`/build/Release/better_sqlite3.node. */
  readonly outputDir: string;
  readonly headers: HeaderSource;
}

/** Carries out a plan; rejects with an Error in words. Injectable, so tests record plans instead. */
export type RebuildRunner = (plan: RebuildPlan) => Promise<void>;

/**
 * The real runner: copies the package (without its build/) to `outputDir` and runs @electron/rebuild there
 * from source (`buildFromSource`: prebuild-install would fetch from GitHub, often unreachable; a compiler is
 * needed either way on machines where it is). `forceABI` pins the ABI the binary reported instead of
 * node-abi's table, which lags new Electron releases. node-gyp reads npm_config_nodedir from the
 * environment, so it is set (or removed) for the build and put back afterwards.
 */
export const electronRebuild: RebuildRunner = async (plan) => {
  rmSync(plan.outputDir, { recursive: true, force: true });
  mkdirSync(path.dirname(plan.outputDir), { recursive: true });
  // The real folder (pnpm links packages): copying a link would build into the package's own build/.
  const source = realpathSync(plan.sourceDir);
  cpSync(source, plan.outputDir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(source, src).split(path.sep)[0];
      return rel !== 'build' && rel !== 'node_modules';
    },
  });
  const { rebuild } = await import('@electron/rebuild');
  const nodedir = plan.headers.kind === 'nodedir' ? plan.headers.dir : undefined;
  await withEnv({ npm_config_nodedir: nodedir, NPM_CONFIG_NODEDIR: undefined }, async () => {
    await rebuild({
      buildPath: plan.outputDir,
      projectRootPath: plan.outputDir,
      electronVersion: plan.electronVersion,
      platform: plan.platform,
      arch: plan.arch,
      forceABI: plan.moduleVersion,
      ...(plan.headers.kind === 'url' ? { headerURL: plan.headers.url } : {}),
      onlyModules: [], // the copy itself (buildPath) is rebuilt; nothing found around it
      force: true,
      buildFromSource: true,
      disablePreGypCopy: true,
      mode: 'sequential',
    }).catch((e: unknown) => {
      rmSync(plan.outputDir, { recursive: true, force: true }); // a half-built copy is no use to anyone
      throw e;
    });
  });
};

/** Runs `fn` with `changes` applied to process.env (undefined removes a name), then restores them. */
async function withEnv(changes: Record<string, string | undefined>, fn: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(changes).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(changes);
  try {
    await fn();
  } finally {
    apply(saved);
  }
}
