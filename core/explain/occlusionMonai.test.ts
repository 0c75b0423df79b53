// Occlusion maps against MONAI 1.3.2's own OcclusionSensitivity on a linear model (reference files made by
// testing/monai/make_reference.py with Debian's PyTorch 1.13): our 'monai' activation must reproduce them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OcclusionMode } from './occlusionParams.js';
import { cropToBox, occlusionSensitivity } from './occlusionSensitivity.js';
import { linearClassifier } from './testing/analyticClassifiers.js';

const DIR = new URL('./testing/monai/', import.meta.url);

interface Case {
  readonly name: string;
  readonly channels: number;
  readonly mask: number | [number, number, number];
  readonly overlap: number;
  readonly mode: OcclusionMode;
  readonly b_box: number[] | null;
  readonly spatial: [number, number, number];
  readonly shape: number[];
}

const reference = JSON.parse(readFileSync(new URL('cases.json', DIR), 'utf8')) as { cases: Case[] };

/** make_reference.py's volume(): x[c, i, j, k] = 0.5 + 0.4 sin(0.7 i + 1.1 j + 1.7 k + 0.3 c) cos(0.2 (i - j + 2 k)). */
function volume(channels: number, [D, H, W]: [number, number, number]): Float32Array {
  const x = new Float32Array(channels * D * H * W);
  let v = 0;
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < D; i++)
      for (let j = 0; j < H; j++)
        for (let k = 0; k < W; k++)
          x[v++] =
            0.5 + 0.4 * Math.sin(0.7 * i + 1.1 * j + 1.7 * k + 0.3 * c) * Math.cos(0.2 * (i - j + 2 * k));
  return x;
}

/** make_reference.py's weights(): w[q, v] = 0.02 sin(0.013 v + 1.9 q), bias[q] = 0.1 q - 0.2. */
function weights(
  channels: number,
  [D, H, W]: [number, number, number],
): { w: Float32Array[]; bias: number[] } {
  const n = channels * D * H * W;
  const w = [0, 1].map((q) =>
    Float32Array.from({ length: n }, (_, v) => 0.02 * Math.sin(0.013 * v + 1.9 * q)),
  );
  return { w, bias: [Math.fround(-0.2), Math.fround(-0.1)] };
}

function readF32(name: string): Float32Array {
  const bytes = readFileSync(new URL(`${name}.f32`, DIR));
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe("occlusionSensitivity equals MONAI 1.3.2 (activation 'monai')", () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { w, bias } = weights(c.channels, c.spatial);
    const classifier = linearClassifier([c.channels, ...c.spatial], w, bias);
    const result = await occlusionSensitivity(classifier, volume(c.channels, c.spatial), {
      maskSize: c.mask,
      overlap: c.overlap,
      mode: c.mode,
      nBatch: 7,
      activation: 'monai',
      ...(c.b_box === null ? {} : { bBox: c.b_box }),
    });
    const ours = cropToBox(result);
    const theirs = readF32(c.name);
    expect(ours.shape).toEqual(c.shape);
    if (c.name.startsWith('tutorial')) expect(result.plan.windows).toBe(121);
    let diff = 0;
    for (let i = 0; i < theirs.length; i++) diff = Math.max(diff, Math.abs(ours.data[i]! - theirs[i]!));
    // At 96^3 the linear model's float32 sum over 884,736 voxels in torch differs from our float64 one by
    // ~1e-5 in the logits; the bound (1e-4) applies there.
    expect(diff).toBeLessThan(c.name.startsWith('tutorial') ? 1e-4 : 1e-5);
  });
});
