// Pixel checks on what a view shows, read in the page from the view's 2D canvas (Cornerstone copies each
// WebGL frame there): grey-level statistics, a small grey thumbnail to compare two views, and how many
// pixels carry heatmap colour (saturated, unlike the grey scan).

import type { Page } from '@playwright/test';

export interface ViewPixels {
  readonly width: number;
  readonly height: number;
  readonly mean: number;
  readonly std: number;
  /** Fraction of pixels brighter than 20/255. */
  readonly lit: number;
  /** Fraction of pixels whose max - min channel exceeds 80 (colour, not grey). */
  readonly coloured: number;
  /** Fractions of clearly blue and clearly red pixels (one of the two channels 40+ over the other). */
  readonly blue: number;
  readonly red: number;
  /** Grey levels on a 32x32 grid (nearest sample), row by row. */
  readonly thumb: number[];
}

/** Pixel statistics of the canvas of view `view` ('axial', 'coronal', 'sagittal'). */
export function viewPixels(page: Page, view: string): Promise<ViewPixels> {
  return page.evaluate((v) => {
    // The e2e sources are type-checked without DOM types: the little of the page's API used here.
    type Canvas = {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): Canvas | null } }).document;
    const canvas = doc.querySelector(`section[data-view="${v}"] canvas`);
    if (canvas === null) throw new Error(`no canvas in the ${v} view`);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('the view canvas has no 2D context');
    const { width, height } = canvas;
    const px = ctx.getImageData(0, 0, width, height).data;
    let sum = 0;
    let sum2 = 0;
    let lit = 0;
    let coloured = 0;
    let blue = 0;
    let red = 0;
    const n = width * height;
    for (let p = 0; p < n; p++) {
      const r = px[4 * p]!;
      const g = px[4 * p + 1]!;
      const b = px[4 * p + 2]!;
      const grey = (r + g + b) / 3;
      sum += grey;
      sum2 += grey * grey;
      if (grey > 20) lit++;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) coloured++;
      if (b - r > 40) blue++;
      if (r - b > 40) red++;
    }
    const thumb: number[] = [];
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const p = Math.floor(((y + 0.5) * height) / 32) * width + Math.floor(((x + 0.5) * width) / 32);
        thumb.push((px[4 * p]! + px[4 * p + 1]! + px[4 * p + 2]!) / 3);
      }
    const mean = sum / n;
    return { width, height, mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), lit: lit / n, coloured: coloured / n, blue: blue / n, red: red / n, thumb };
  }, view);
}

/** Pearson correlation of two equally long arrays. */
export function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb || 1);
}

/** The 32x32 thumbnail mirrored left-right. */
export function mirrored(thumb: readonly number[]): number[] {
  return thumb.map((_, p) => thumb[Math.floor(p / 32) * 32 + (31 - (p % 32))]!);
}

/** Mean absolute difference of two equally long arrays (grey levels 0-255). */
export function meanAbsDiff(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
}
