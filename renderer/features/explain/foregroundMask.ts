// "Only inside the head": a foreground mask of a scan so that heatmap voxels in the air around the head can be
// hidden. Otsu's threshold of the scan's intensities (Otsu 1979, "A threshold selection method from gray-level
// histograms"), holes filled slice by slice along each axis (skull, CSF and the dark inside of a cut-off neck
// become head), then the largest 6-connected component (drops noise specks and ghosts in the air).
// Volumes are float32 in NIfTI/Fortran order, i fastest: value(i, j, k) = data[i + nx * (j + ny * k)].

/** Histogram bins for Otsu: 256 like ITK's OtsuThresholdImageFilter default. */
const OTSU_BINS = 256;

/**
 * Otsu's threshold of the finite values of `data`: the value that maximises the between-class variance of a
 * `bins`-bin histogram over [min, max]. Voxels strictly above it are foreground. Returns the single value
 * when all finite values are equal; NaN when there is none.
 */
export function otsuThreshold(data: Float32Array, bins = OTSU_BINS): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return Number.NaN;
  if (min === max) return min;
  const hist = new Float64Array(bins);
  const width = (max - min) / bins;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) hist[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
  }
  let total = 0;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) {
    total += hist[b]!;
    sumAll += b * hist[b]!;
  }
  let wBack = 0;
  let sumBack = 0;
  let best = -1;
  let bestBin = 0;
  for (let b = 0; b < bins - 1; b++) {
    wBack += hist[b]!;
    sumBack += b * hist[b]!;
    const wFore = total - wBack;
    if (wBack === 0 || wFore === 0) continue;
    const diff = sumBack / wBack - (sumAll - sumBack) / wFore;
    const between = wBack * wFore * diff * diff;
    if (between > best) {
      best = between;
      bestBin = b;
    }
  }
  return min + (bestBin + 1) * width; // the upper edge of the last background bin
}

type Shape = readonly [number, number, number];

function checkShape(length: number, shape: Shape, what: string): void {
  const n = shape[0] * shape[1] * shape[2];
  if (!shape.every((s) => Number.isInteger(s) && s > 0) || n !== length)
    throw new Error(`${what}: ${length} voxels do not fit the shape [${shape.join(', ')}]`);
}

/**
 * Background voxels reachable from the border of their own slice across axis `normal` (4-connected within
 * the slice). A background voxel that is not reached is a hole of that slice. 1 = reached.
 */
function reachedFromSliceBorder(mask: Uint8Array, shape: Shape, normal: 0 | 1 | 2): Uint8Array {
  const strides = [1, shape[0], shape[0] * shape[1]] as const;
  const [a, b] = ([0, 1, 2] as const).filter((axis) => axis !== normal) as [number, number];
  const [nu, nv, su, sv] = [shape[a]!, shape[b]!, strides[a]!, strides[b]!];
  const reached = new Uint8Array(mask.length);
  const queue = new Int32Array(nu * nv); // in-slice positions u + nu * v
  for (let s = 0; s < shape[normal]; s++) {
    const base = s * strides[normal];
    let tail = 0;
    const push = (u: number, v: number) => {
      const idx = base + u * su + v * sv;
      if (mask[idx] === 0 && reached[idx] === 0) {
        reached[idx] = 1;
        queue[tail++] = u + nu * v;
      }
    };
    for (let u = 0; u < nu; u++) {
      push(u, 0);
      push(u, nv - 1);
    }
    for (let v = 0; v < nv; v++) {
      push(0, v);
      push(nu - 1, v);
    }
    for (let head = 0; head < tail; head++) {
      const q = queue[head]!;
      const u = q % nu;
      const v = (q - u) / nu;
      if (u > 0) push(u - 1, v);
      if (u < nu - 1) push(u + 1, v);
      if (v > 0) push(u, v - 1);
      if (v < nv - 1) push(u, v + 1);
    }
  }
  return reached;
}

/** `mask` with the holes of every slice along each of the three axes filled (a new array). */
export function fillHolesBySlice(mask: Uint8Array, shape: Shape): Uint8Array {
  checkShape(mask.length, shape, 'fillHolesBySlice');
  const out = Uint8Array.from(mask);
  for (const normal of [0, 1, 2] as const) {
    const reached = reachedFromSliceBorder(mask, shape, normal);
    for (let i = 0; i < out.length; i++) if (mask[i] === 0 && reached[i] === 0) out[i] = 1;
  }
  return out;
}

/** The largest 6-connected component of `mask` (a new array; all zeros when `mask` is empty). */
export function largestComponent(mask: Uint8Array, shape: Shape): Uint8Array {
  checkShape(mask.length, shape, 'largestComponent');
  const [nx, ny, nz] = shape;
  const label = new Int32Array(mask.length);
  const queue = new Int32Array(mask.length);
  let bestLabel = 0;
  let bestSize = 0;
  let next = 0;
  let tail = 0;
  const visit = (n: number) => {
    if (mask[n] !== 0 && label[n] === 0) {
      label[n] = next;
      queue[tail++] = n;
    }
  };
  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] === 0 || label[seed] !== 0) continue;
    next++;
    let head = 0;
    tail = 0;
    label[seed] = next;
    queue[tail++] = seed;
    while (head < tail) {
      const idx = queue[head++]!;
      const i = idx % nx;
      const k = (idx / (nx * ny)) | 0;
      const j = ((idx - k * nx * ny - i) / nx) | 0;
      if (i > 0) visit(idx - 1);
      if (i < nx - 1) visit(idx + 1);
      if (j > 0) visit(idx - nx);
      if (j < ny - 1) visit(idx + nx);
      if (k > 0) visit(idx - nx * ny);
      if (k < nz - 1) visit(idx + nx * ny);
    }
    if (tail > bestSize) {
      bestSize = tail;
      bestLabel = next;
    }
  }
  const out = new Uint8Array(mask.length);
  if (bestLabel > 0) for (let i = 0; i < out.length; i++) out[i] = label[i] === bestLabel ? 1 : 0;
  return out;
}

/**
 * The head (foreground) of a scan: 1 inside, 0 outside, same order and length as `data`. Voxels above Otsu's
 * threshold, holes filled slice by slice, largest component. Throws when `data` does not fit `shape`.
 */
export function foregroundMask(data: Float32Array, shape: Shape): Uint8Array {
  checkShape(data.length, shape, 'foregroundMask');
  const t = otsuThreshold(data);
  const above = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) above[i] = data[i]! > t ? 1 : 0;
  return largestComponent(fillHolesBySlice(above, shape), shape);
}

/** A copy of `map` with every voxel outside `mask` set to `outside` (same order and length). */
export function maskOutside(map: Float32Array, mask: Uint8Array, outside: number): Float32Array {
  if (map.length !== mask.length)
    throw new Error(`maskOutside: a map of ${map.length} voxels and a mask of ${mask.length}`);
  const out = Float32Array.from(map);
  for (let i = 0; i < out.length; i++) if (mask[i] === 0) out[i] = outside;
  return out;
}
