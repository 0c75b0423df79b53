import { describe, expect, it } from 'vitest';
import { describeDenseNet } from '../../model/index.js';
import { gatherBox, insideMask, scatterBox, type Shape4 } from './crops.js';
import {
  cropSizes,
  denseNetBlockLayout,
  neededInputs,
  reachedOutputs,
  windowCrops,
  windowReach,
  type Box3,
  type Span,
  type WindowOp,
} from './geometry.js';

/** Brute force: which outputs of a 1-D window op read an input in `changed`. */
function bruteReached(changed: Span, op: WindowOp, outSize: number): Span {
  const hit: number[] = [];
  for (let o = 0; o < outSize; o++) {
    const first = op.stride * o - op.padding;
    if (first <= changed.hi - 1 && first + op.kernel - 1 >= changed.lo) hit.push(o);
  }
  return hit.length === 0 ? { lo: 0, hi: 0 } : { lo: hit[0]!, hi: hit[hit.length - 1]! + 1 };
}

describe('window geometry', () => {
  it('reachedOutputs equals brute force for many ops and spans', () => {
    for (const op of [
      { kernel: 7, stride: 2, padding: 3 },
      { kernel: 3, stride: 2, padding: 1 },
      { kernel: 3, stride: 1, padding: 1 },
      { kernel: 2, stride: 2, padding: 0 },
    ]) {
      const inSize = 29;
      const outSize = Math.floor((inSize + 2 * op.padding - op.kernel) / op.stride) + 1;
      for (let lo = 0; lo < inSize; lo++) {
        for (let hi = lo + 1; hi <= inSize; hi++) {
          const got = reachedOutputs({ lo, hi }, op, outSize);
          const want = bruteReached({ lo, hi }, op, outSize);
          if (want.hi === 0) expect(got.hi).toBeLessThanOrEqual(got.lo);
          else expect(got).toEqual(want);
        }
      }
    }
  });

  it('neededInputs covers exactly the windows of the outputs', () => {
    expect(neededInputs({ lo: 10, hi: 15 }, { kernel: 3, stride: 2, padding: 1 })).toEqual({
      lo: 19,
      hi: 30,
    });
    expect(neededInputs({ lo: 0, hi: 1 }, { kernel: 7, stride: 2, padding: 3 })).toEqual({ lo: -3, hi: 4 });
  });

  it('DenseNet121 at 96^3: a mask-12 window at 42 reaches [10,15) after the stem and [4,21) after six layers', () => {
    const layout = denseNetBlockLayout(describeDenseNet());
    expect(layout.layers).toHaveLength(6);
    expect(layout.featureShape).toEqual([24, 24, 24]);
    expect(layout.blockOutput).toBe('features.denseblock1.denselayer6.cat');
    const w: Span = { lo: 42, hi: 54 };
    const reach = windowReach(layout, [w, w, { lo: 0, hi: 12 }]);
    expect(reach.stem[0]).toEqual({ lo: 10, hi: 15 });
    expect(reach.stem[2]).toEqual({ lo: 0, hi: 5 });
    expect(reach.layers[5]![0]).toEqual({ lo: 4, hi: 21 });
    expect(reach.layers[5]![2]).toEqual({ lo: 0, hi: 11 });
  });

  it('crops have one size per batch, contain each reach, stay inside the map, and read the right inputs', () => {
    const layout = denseNetBlockLayout(describeDenseNet());
    const windows: Box3[] = [0, 40, 84].map(
      (c) =>
        [
          { lo: 43, hi: 55 },
          { lo: c, hi: c + 12 },
          { lo: 84, hi: 96 },
        ] as const,
    );
    const reaches = windows.map((w) => windowReach(layout, w));
    const sizes = cropSizes(reaches);
    for (const reach of reaches) {
      const crops = windowCrops(layout, reach, sizes);
      for (let a = 0; a < 3; a++) {
        const s = crops.stem[a]!;
        expect(s.hi - s.lo).toBe(sizes.stem[a]);
        expect(s.lo).toBeLessThanOrEqual(reach.stem[a]!.lo);
        expect(s.hi).toBeGreaterThanOrEqual(reach.stem[a]!.hi);
        expect(s.lo).toBeGreaterThanOrEqual(0);
        expect(s.hi).toBeLessThanOrEqual(24);
        // conv crop 2n+1, input crop 4n+7 (conv0 valid, pool valid give back n)
        expect(crops.stemConv[a]!.hi - crops.stemConv[a]!.lo).toBe(2 * sizes.stem[a]! + 1);
        expect(crops.stemInput[a]!.hi - crops.stemInput[a]!.lo).toBe(4 * sizes.stem[a]! + 7);
        crops.layers.forEach((box, l) => {
          expect(box[a]!.lo).toBeLessThanOrEqual(reach.layers[l]![a]!.lo);
          expect(box[a]!.hi).toBeGreaterThanOrEqual(reach.layers[l]![a]!.hi);
          expect(crops.layerInputs[l]![a]!.hi - crops.layerInputs[l]![a]!.lo).toBe(
            box[a]!.hi - box[a]!.lo + 2,
          );
        });
      }
    }
  });

  it('refuses a description that is not a DenseNet', () => {
    const d = describeDenseNet();
    expect(() => denseNetBlockLayout({ ...d, family: 'ResNet' })).toThrow(/DenseNet/);
  });
});

describe('box copies', () => {
  const shape: Shape4 = [3, 4, 5, 6];
  const src = Float32Array.from({ length: 3 * 4 * 5 * 6 }, (_, i) => i + 1);
  const at = (c: number, z: number, y: number, x: number): number => src[((c * 4 + z) * 5 + y) * 6 + x]!;

  it('gatherBox copies a box of channels and writes zeros outside the map', () => {
    const box: Box3 = [
      { lo: -1, hi: 2 },
      { lo: 3, hi: 6 },
      { lo: 4, hi: 8 },
    ];
    const dst = new Float32Array(2 + 2 * 3 * 3 * 4).fill(NaN);
    gatherBox(src, shape, 1, 2, box, dst, 2);
    let o = 2;
    for (let c = 1; c < 3; c++)
      for (let z = -1; z < 2; z++)
        for (let y = 3; y < 6; y++)
          for (let x = 4; x < 8; x++) {
            const inside = z >= 0 && y < 5 && x < 6;
            expect(dst[o++]).toBe(inside ? at(c, z, y, x) : 0);
          }
    expect(Number.isNaN(dst[0]!)).toBe(true);
  });

  it('scatterBox writes back what gatherBox read', () => {
    const box: Box3 = [
      { lo: 1, hi: 3 },
      { lo: 0, hi: 2 },
      { lo: 2, hi: 5 },
    ];
    const crop = new Float32Array(2 * 2 * 2 * 3);
    gatherBox(src, shape, 0, 2, box, crop, 0);
    const dst = new Float32Array(src.length);
    scatterBox(crop, 0, dst, shape, 1, 2, box);
    expect(dst[((1 * 4 + 1) * 5 + 0) * 6 + 2]).toBe(at(0, 1, 0, 2));
    expect(dst[((2 * 4 + 2) * 5 + 1) * 6 + 4]).toBe(at(1, 2, 1, 4));
    expect(dst.filter((v) => v !== 0)).toHaveLength(crop.length);
  });

  it('insideMask marks the voxels inside the map', () => {
    const m = new Float32Array(8);
    insideMask(
      [
        { lo: -1, hi: 1 },
        { lo: 0, hi: 2 },
        { lo: 4, hi: 6 },
      ],
      [4, 5, 5],
      m,
      0,
    );
    expect([...m]).toEqual([0, 0, 0, 0, 1, 0, 1, 0]);
  });
});
