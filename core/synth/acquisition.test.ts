import { describe, expect, it } from 'vitest';
import { normalQuantile, partialVolume, ricianToInt16 } from './acquisition.js';

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.975, 1.959963985],
    [0.001, -3.090232306],
    [0.8413447461, 1],
    [1e-6, -4.753424309],
  ])('Φ⁻¹(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 7);
  });
});

describe('ricianToInt16', () => {
  it('gives Rayleigh noise on zero signal and unbiased-ish noise on a strong one', () => {
    const n = 200_000;
    const zero = ricianToInt16(new Float32Array(n), 30, 1);
    const strong = ricianToInt16(new Float32Array(n).fill(1000), 30, 2);
    const mean = (a: Int16Array): number => a.reduce((s, x) => s + x, 0) / a.length;
    const sd = (a: Int16Array): number => {
      const m = mean(a);
      return Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length);
    };
    expect(Math.abs(mean(zero) / (30 * Math.sqrt(Math.PI / 2)) - 1)).toBeLessThan(0.01);
    // Rician mean at SNR 33: s + σ²/(2s) = 1000.45; its spread ≈ σ.
    expect(Math.abs(mean(strong) - 1000.45)).toBeLessThan(0.5);
    expect(sd(strong)).toBeGreaterThan(29);
    expect(sd(strong)).toBeLessThan(31);
  });

  it('repeats for a seed and changes with it', () => {
    const data = new Float32Array(1000).fill(500);
    expect(ricianToInt16(data, 30, 7)).toEqual(ricianToInt16(data, 30, 7));
    expect(ricianToInt16(data, 30, 7)).not.toEqual(ricianToInt16(data, 30, 8));
  });
});

describe('partialVolume', () => {
  it('keeps constants and spreads a point over its 3x3x3 neighbourhood, Fortran order', () => {
    const shape = [5, 4, 3] as const;
    const flat = new Float32Array(60).fill(7);
    partialVolume(flat, shape);
    expect([...flat].every((v) => Math.abs(v - 7) < 1e-6)).toBe(true);
    const point = new Float32Array(60);
    point[2 + 5 * (1 + 4 * 1)] = 64;
    partialVolume(point, shape);
    expect(point[2 + 5 * (1 + 4 * 1)]).toBeCloseTo(8, 6); // 64 / 2 / 2 / 2
    expect(point[3 + 5 * (1 + 4 * 1)]).toBeCloseTo(4, 6); // one step along i
    expect(point[3 + 5 * (2 + 4 * 2)]).toBeCloseTo(1, 6); // a corner of the 3x3x3 cube
    expect(point[4 + 5 * (1 + 4 * 1)]).toBe(0); // two steps away
  });
});
