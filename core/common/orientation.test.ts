// Orientation math against nibabel 5.0's orientations module: its docstring examples, affines of the
// shared reference files (oblique, sheared, six voxel orders), and brute-force checks of the array
// reordering against a naive per-voxel implementation for all 48 orientations.

import { describe, expect, it } from 'vitest';
import {
  applyOrnt3d,
  axcodesFromAffine,
  axcodesToOrnt,
  closestRotation,
  invOrntAffine,
  ioOrientation,
  orntToAxcodes,
  orntTransform,
  type Ornt,
} from './orientation.js';
import { toAffine, voxelToWorld } from './spaces.js';

/** An affine from its first three rows (12 numbers, row-major). */
const aff = (rows: readonly number[]) => toAffine([...rows, 0, 0, 0, 1]);

/** All 48 axis codes: 6 permutations of the world axes x 8 sign choices. */
const ALL_AXCODES = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
].flatMap((perm) =>
  [0, 1, 2, 3, 4, 5, 6, 7].map((signs) =>
    perm.map((axis, n) => ['LR', 'PA', 'IS'][axis]![(signs >> n) & 1]).join(''),
  ),
);

describe('ioOrientation / axcodesFromAffine', () => {
  // [label, first three affine rows (12 numbers, row-major), axcodes nibabel gives]
  it.each([
    ['identity', [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], 'RAS'],
    ['nibabel aff2axcodes docstring', [0, 1, 0, 10, -1, 0, 0, 20, 0, 0, 1, 30], 'PRS'],
    ['IXI (PSR)', [-0, -0, 2, -88.16, -2, -0, -0, 118.23, 0, 2, 0, -135.27], 'PSR'],
    [
      'dipy_aniso_vox (oblique LPS)',
      [
        -3.99979, -1e-5, -0.05164, 118.76, 0.02399, -3.25639, -2.90348, 132.2, -0.03363, -2.32291, 4.07027,
        22.82,
      ],
      'LPS',
    ],
    ['dipy_S0_10slices (sheared)', [2, 0, 30, -123.36, 0, 2, 30, -102.85, 0, 0, 32, -38.76], 'RAS'],
    [
      'niivue_shear (gantry tilt)',
      [0.48242, 0, 0, -94.38, 0, 0.45749, 0, -117.1, 0, 0.15307, 2.37081, -102.2],
      'RAS',
    ],
    ['T2lesion (LIA)', [-1, 0, 0, 128.5, 0, 0, 1, -92.86, 0, -1, 0, 76.7], 'LIA'],
    ['nifti_space AIL', [0, 0, -2.38523, 74.5, 2.38975, 0, 0, -110.76, 0, -2.36649, 0, 84.43], 'AIL'],
    ['nifti_space SLP', [0, -2.38523, 0, 74.5, 0, 0, -2.38975, 75.64, 2.36649, 0, 0, -71.76], 'SLP'],
    ['rotated 30° about z', [0.866, -0.5, 0, 0, 0.5, 0.866, 0, 0, 0, 0, 1, 0], 'RAS'],
    ['rotated 60° about z', [0.5, -0.866, 0, 0, 0.866, 0.5, 0, 0, 0, 0, 1, 0], 'ALS'],
  ] as const)('%s → %s', (_label, rows, axcodes) => {
    expect(axcodesFromAffine(aff(rows))).toBe(axcodes);
  });

  it.each(ALL_AXCODES)('recovers %s from a scaled, shifted permutation affine', (codes) => {
    const ornt = axcodesToOrnt(codes);
    const m = new Array(16).fill(0);
    ornt.forEach(([axis, flip], n) => (m[axis * 4 + n] = flip * (n + 1.5)));
    m[3] = 7;
    m[15] = 1;
    expect(ioOrientation(toAffine(m))).toEqual(ornt);
  });

  it('marks a zero column as a dropped axis', () => {
    const ornt = ioOrientation(aff([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0]));
    expect(Number.isNaN(ornt[1]![0])).toBe(true);
    expect(orntToAxcodes(ornt)).toBe('R?S');
    expect(() => invOrntAffine(ornt, [2, 2, 2])).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it('refuses non-finite affines', () => {
    expect(() => ioOrientation(toAffine([NaN, ...new Array(15).fill(0)]))).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
  });
});

describe('axcodes and orientation transforms', () => {
  it.each(ALL_AXCODES)('axcodesToOrnt / orntToAxcodes round trip %s', (codes) => {
    expect(orntToAxcodes(axcodesToOrnt(codes))).toBe(codes);
  });

  it('uses custom labels like nibabel axcodes2ornt docstring', () => {
    const labels = [
      ['L', 'R'],
      ['B', 'F'],
      ['D', 'U'],
    ] as const;
    expect(axcodesToOrnt(['F', 'L', 'U'], labels)).toEqual([
      [1, 1],
      [0, -1],
      [2, 1],
    ]);
    expect(
      orntToAxcodes(
        [
          [1, 1],
          [0, -1],
          [2, 1],
        ],
        labels,
      ),
    ).toBe('FLU');
    expect(() => axcodesToOrnt('RAX')).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it.each([
    [
      'LPS',
      'RAS',
      [
        [0, -1],
        [1, -1],
        [2, 1],
      ],
    ],
    [
      'PSR',
      'RAS',
      [
        [1, -1],
        [2, 1],
        [0, 1],
      ],
    ],
    [
      'RAS',
      'PSR',
      [
        [2, 1],
        [0, -1],
        [1, 1],
      ],
    ],
    [
      'LIA',
      'LIA',
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
    ],
  ])('orntTransform(%s → %s)', (start, end, expected) => {
    expect(orntTransform(axcodesToOrnt(start), axcodesToOrnt(end))).toEqual(expected);
  });

  it('invOrntAffine matches nibabel inv_ornt_aff for a flip of j', () => {
    expect(
      invOrntAffine(
        [
          [0, 1],
          [1, -1],
          [2, 1],
        ],
        [3, 4, 5],
      ),
    ).toEqual([1, 0, 0, 0, 0, -1, 0, 3, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
});

/** value(i, j, k) of the reordered array, computed voxel by voxel from nibabel's definition. */
function naiveApply(data: Float32Array, shape: number[], ornt: Ornt): Float32Array {
  const outShape = [0, 0, 0];
  ornt.forEach(([axis], n) => (outShape[axis] = shape[n]!));
  const out = new Float32Array(data.length);
  for (let k = 0; k < shape[2]!; k++)
    for (let j = 0; j < shape[1]!; j++)
      for (let i = 0; i < shape[0]!; i++) {
        const o = [0, 0, 0];
        [i, j, k].forEach((idx, n) => (o[ornt[n]![0]] = ornt[n]![1] === -1 ? shape[n]! - 1 - idx : idx));
        out[o[0]! + outShape[0]! * (o[1]! + outShape[1]! * o[2]!)] =
          data[i + shape[0]! * (j + shape[1]! * k)]!;
      }
  return out;
}

describe('applyOrnt3d', () => {
  const shape: [number, number, number] = [4, 3, 5];
  const data = Float32Array.from({ length: 60 }, (_, n) => n * 1.5 - 7);

  it.each(ALL_AXCODES)('reorders like nibabel apply_orientation for %s', (codes) => {
    const ornt = axcodesToOrnt(codes);
    const result = applyOrnt3d(data, shape, ornt);
    expect(Array.from(result.data)).toEqual(Array.from(naiveApply(data, shape, ornt)));
    // invOrntAffine maps new voxel indices back to old ones: the same value sits at both.
    const back = invOrntAffine(ornt, shape);
    const [ni, nj] = result.shape;
    for (const t of [
      [0, 0, 0],
      [1, 2, 1],
      [result.shape[0] - 1, result.shape[1] - 1, result.shape[2] - 1],
    ] as const) {
      const [i, j, k] = voxelToWorld(back, t).map(Math.round) as [number, number, number];
      expect(result.data[t[0] + ni * (t[1] + nj * t[2])]).toBe(data[i + shape[0] * (j + shape[1] * k)]);
    }
  });

  it('reorders every frame of a 4D array and keeps the array type', () => {
    const frames = Uint8Array.from({ length: 120 }, (_, n) => n);
    const result = applyOrnt3d(frames, shape, axcodesToOrnt('PSL'));
    expect(result.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(result.data.subarray(60))).toEqual(
      Array.from(naiveApply(Float32Array.from(frames.subarray(60)), shape, axcodesToOrnt('PSL'))),
    );
  });

  it('refuses a length that does not fit the shape', () => {
    expect(() => applyOrnt3d(new Float32Array(7), shape, axcodesToOrnt('RAS'))).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
  });
});

describe('closestRotation', () => {
  it('strips shear and scale, leaving an orthogonal matrix', () => {
    const r = closestRotation([
      [2, 0.5, 0],
      [0, 1, 0.2],
      [0.1, 0, 3],
    ]);
    const rrT = r.map((row) => r.map((other) => row.reduce((s, v, n) => s + v * other[n]!, 0)));
    rrT.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)));
  });

  it('keeps a rotation as it is', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const rot = [
      [c, -s, 0],
      [s, c, 0],
      [0, 0, 1],
    ];
    closestRotation(rot).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(rot[i]![j]!, 14)));
  });
});
