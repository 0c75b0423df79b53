// Test helper: the float64 reference of the backend-equivalence scenario (make_reference.py beside this
// file), computed by MONAI 1.3.2 from shared/vendor on Debian's PyTorch where that is installed, and the
// committed summary (small.json) that the equivalence test takes its tolerances from everywhere else.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveStateDict, serializeSafetensors } from '../../../../model/index.js';
import { MONAI_PYTHON, monaiPythonEnv, monaiPythonUnavailable } from '../../../../model/testing/vendoredMonai.js';
import { scenarioInputs, SCENARIOS, type ScenarioName } from '../stepScenario.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT = path.join(HERE, 'make_reference.py');

/** Per gradient ('grad.<key>'): the float64 gradient's RMS and PyTorch float32's norm-wise relative error. */
export interface ReferenceSummary {
  readonly torch: string;
  readonly floor: number;
  readonly tensors: Record<string, { truthRms: number; torchFloat32Error: number }>;
}

/** The committed summary of `name` (written by makeReference with write = true). */
export function committedSummary(name: ScenarioName): ReferenceSummary {
  return JSON.parse(readFileSync(path.join(HERE, `${name}.json`), 'utf8')) as ReferenceSummary;
}

/** Why the reference cannot be computed here (no torch, no MONAI), or null when it can. */
export const referenceUnavailable = (): string | null => monaiPythonUnavailable();

/**
 * Writes the scenario's weights and input to `dir` (weights.safetensors, input.safetensors: x NCDHW, which
 * is NDHWC's order for one channel, labels int64, MONAI's DenseNet arguments in the metadata), runs
 * make_reference.py and returns its summary and the float64 gradients' file (dir/truth.safetensors, tfjs
 * layouts). With `write`, the summary also replaces the committed one.
 */
export async function makeReference(
  name: ScenarioName,
  dir: string,
  write = false,
): Promise<{ summary: ReferenceSummary; truthFile: string }> {
  const { model, x, labels } = scenarioInputs(name);
  try {
    writeFileSync(path.join(dir, 'weights.safetensors'), saveStateDict(model));
    const [n, d, h, w] = x.shape;
    const { config } = SCENARIOS[name];
    const monaiConfig = {
      init_features: config.initFeatures,
      growth_rate: config.growthRate,
      block_config: config.blockConfig,
      bn_size: config.bnSize,
    };
    const input = serializeSafetensors(
      [
        ['x', { dtype: 'F32', shape: [n, 1, d, h, w], data: Float32Array.from(await x.data()) }],
        ['labels', { dtype: 'I64', shape: [n], data: BigInt64Array.from(labels, (l) => BigInt(l)) }],
      ],
      { scenario: name, config: JSON.stringify(monaiConfig) },
    );
    writeFileSync(path.join(dir, 'input.safetensors'), input);
  } finally {
    model.dispose();
    x.dispose();
  }
  const json = path.join(dir, 'summary.json');
  const truthFile = path.join(dir, 'truth.safetensors');
  execFileSync(MONAI_PYTHON, [SCRIPT, dir, json, truthFile], { env: monaiPythonEnv(), stdio: 'pipe', timeout: 300_000 });
  if (write) writeFileSync(path.join(HERE, `${name}.json`), readFileSync(json));
  return { summary: JSON.parse(readFileSync(json, 'utf8')) as ReferenceSummary, truthFile };
}

/**
 * The gradient tolerance of `key` between two float32 backends: 1e-4 (issue #12), or twice PyTorch's own
 * float32 error where that is larger (two float32 implementations each carry about that much rounding
 * error, and they add). Keys missing from the summary get 1e-4.
 */
export function gradientTolerance(summary: ReferenceSummary, key: string): number {
  return Math.max(1e-4, 2 * (summary.tensors[key]?.torchFloat32Error ?? 0));
}
