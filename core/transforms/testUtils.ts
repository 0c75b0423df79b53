// Helpers shared by the transforms tests: tensors from nested arrays, and error expectations. Plain
// throws instead of vitest's expect, so this file (built with the rest of core) needs no test runner.

import { isVoxlabError, type ErrorCode } from '../common/errors.js';
import type { Tensor } from './tensor.js';

type Nested = number | readonly Nested[];

/** A C-order tensor from a nested array (the shape is read off the nesting), as torch.tensor(...). */
export function tensorOf(values: Nested): Tensor {
  const shape: number[] = [];
  for (let v: Nested = values; Array.isArray(v); v = (v as readonly Nested[])[0]!) shape.push(v.length);
  const flat = (values as readonly Nested[]).flat(Infinity as 1) as number[];
  return { shape, data: Float32Array.from(typeof values === 'number' ? [values] : flat) };
}

/** The tensor's values as a nested array in C order (what numpy's tolist() prints). */
export function toNested(t: Tensor): Nested {
  const build = (d: number, offset: number): Nested => {
    if (d === t.shape.length) return t.data[offset]!;
    const stride = t.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: t.shape[d]! }, (_, i) => build(d + 1, offset + i * stride));
  };
  return build(0, 0);
}

/** Runs `f` and checks that it throws a VoxlabError with `code` whose message matches every pattern. */
export function expectVoxlabError(f: () => unknown, code: ErrorCode, ...patterns: RegExp[]): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  if (!isVoxlabError(caught)) throw new Error(`expected a VoxlabError ${code}, got ${String(caught)}`);
  if (caught.code !== code) throw new Error(`expected code ${code}, got ${caught.code}: ${caught.message}`);
  for (const p of patterns) {
    if (!p.test(caught.message))
      throw new Error(`error message "${caught.message}" does not match ${String(p)}`);
  }
}

/** Largest |a[i] - b[i]|; throws on a length mismatch. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
