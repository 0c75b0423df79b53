// Signed Euclidean distance of a 2D mask in millimetres, the shape description that fill-between-slices
// interpolates (shape-based interpolation, Raya & Udupa 1990). Exact squared distances by the separable
// lower-envelope algorithm of Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions" (2012).

/** Stands for "no feature pixel on this line": larger than any squared distance on a real grid. */
const FAR = 1e20;

/**
 * 1D squared distance transform in place: out[p] = min_q ((p - q) * step)^2 + f[q], for `n` samples read
 * from and written to `f` at `offset + p * stride`. `step` is mm per sample.
 */
function transform1d(
  f: Float64Array,
  offset: number,
  stride: number,
  n: number,
  step: number,
  tmp: { v: Int32Array; z: Float64Array; g: Float64Array },
): void {
  const { v, z, g } = tmp;
  for (let q = 0; q < n; q++) g[q] = f[offset + q * stride]!;
  const s2 = step * step;
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = (g[q]! + s2 * q * q - (g[v[k]!]! + s2 * v[k]! * v[k]!)) / (2 * s2 * (q - v[k]!));
    while (s <= z[k]!) {
      k--;
      s = (g[q]! + s2 * q * q - (g[v[k]!]! + s2 * v[k]! * v[k]!)) / (2 * s2 * (q - v[k]!));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1]! < q) k++;
    const d = q - v[k]!;
    f[offset + q * stride] = s2 * d * d + g[v[k]!]!;
  }
}

/**
 * Distance in mm from every pixel of a [nu, nv] grid (u fastest: index = u + nu * v) to the nearest pixel
 * where `feature(index)` is true; `su`, `sv` are mm per pixel along u and v. Infinity when there is none.
 */
export function distanceToFeature(
  nu: number,
  nv: number,
  su: number,
  sv: number,
  feature: (index: number) => boolean,
): Float64Array {
  const f = new Float64Array(nu * nv);
  for (let n = 0; n < f.length; n++) f[n] = feature(n) ? 0 : FAR;
  const size = Math.max(nu, nv);
  const tmp = { v: new Int32Array(size), z: new Float64Array(size + 1), g: new Float64Array(size) };
  for (let v = 0; v < nv; v++) transform1d(f, v * nu, 1, nu, su, tmp);
  for (let u = 0; u < nu; u++) transform1d(f, u, nu, nv, sv, tmp);
  for (let n = 0; n < f.length; n++) f[n] = f[n]! >= FAR / 2 ? Infinity : Math.sqrt(f[n]!);
  return f;
}

/**
 * Signed distance (mm) of a mask on a [nu, nv] grid (u fastest): negative inside (minus the distance to the
 * nearest outside pixel), positive outside (the distance to the nearest inside pixel), so the shape is
 * where the value is < 0. Distances with no pixel of the other kind are capped at the grid's diagonal.
 */
export function signedDistance(
  mask: Uint8Array,
  nu: number,
  nv: number,
  su: number,
  sv: number,
): Float64Array {
  if (mask.length !== nu * nv)
    throw new Error(`signedDistance: ${mask.length} pixels for a ${nu} x ${nv} grid`);
  const cap = Math.hypot(nu * su, nv * sv);
  const toInside = distanceToFeature(nu, nv, su, sv, (n) => mask[n] !== 0);
  const toOutside = distanceToFeature(nu, nv, su, sv, (n) => mask[n] === 0);
  const out = new Float64Array(nu * nv);
  for (let n = 0; n < out.length; n++) out[n] = Math.min(toInside[n]!, cap) - Math.min(toOutside[n]!, cap);
  return out;
}
