// Incremental occlusion inference for DenseNet (Krypton-style, exact): the unoccluded features of block 1
// are computed once; for each occluded input only the boxes an occlusion can reach are recomputed, piece
// by piece (the stem on a crop, then each dense layer on its crop), pasted into a copy of the baseline
// features, and the rest of the network runs on that as usual. Results equal a full forward pass up to
// float rounding (the test compares them).
//
// Layouts: every tensor is NCDHW float32, C-order (width fastest), as the ONNX pieces take them.

import { VoxlabError } from '../../common/errors.js';
import { copyBox, gatherBox, insideMask, scatterBox, type Shape4 } from './crops.js';
import {
  boxShape,
  cropSizes,
  windowCrops,
  windowReach,
  type Box3,
  type DenseNetBlockLayout,
} from './geometry.js';

/** A tensor fed to or returned by a piece: data in C order with its dims. */
export interface PieceTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** One runnable part of the network (an ONNX Runtime session in practice). */
export interface Piece {
  /** Runs the piece on named inputs; returns its single output. */
  run(feeds: Readonly<Record<string, PieceTensor>>): Promise<PieceTensor>;
}

/**
 * The network cut into the pieces the engine runs. Input/output names are part of the contract:
 * - head: `image` [n, Cin, D, H, W] -> block 1 output [n, Cblk, fD, fH, fW] (the unoccluded features).
 * - stem: `image` [n, Cin, ...stemInput box] (zeros outside the volume), `mask` [n, 1, ...stemConv box]
 *   (1 inside conv0's output) -> [n, stemChannels, ...stem box]: conv0 and pool0 without padding, the
 *   mask applied after relu0 (post-ReLU values are >= 0, so a 0 stands in for max-pool's -inf padding).
 * - layers[l]: `x` [n, C_l, ...layerInput box] (the concatenated features so far), `mask` [n, 1, same]
 *   -> [n, growth, ...layer box]: the dense layer with its 3^3 conv unpadded and the mask applied after
 *   relu2 (which is where PyTorch's zero padding sits).
 * - tail: `features` [n, Cblk, fD, fH, fW] -> `logits` [n, classes].
 */
export interface IncrementalPieces {
  readonly head: Piece;
  readonly stem: Piece;
  readonly layers: readonly Piece[];
  readonly tail: Piece;
}

/** Evaluates occluded copies of one input, recomputing only what each occlusion reaches. */
export class IncrementalOcclusion {
  private baseline: Float32Array | null = null;
  private readonly blockShape: Shape4;
  private readonly inChannels: number;

  /**
   * `image`: the unoccluded input, [1, Cin, D, H, W] C-order (D, H, W = layout.inputShape).
   * `packing`: how a batch of dense-layer crops is fed ('width': side by side in one sample, faster;
   * 'batch': as n samples).
   */
  constructor(
    private readonly layout: DenseNetBlockLayout,
    private readonly pieces: IncrementalPieces,
    private readonly image: Float32Array,
    private readonly packing: 'width' | 'batch' = 'width',
  ) {
    const [D, H, W] = layout.inputShape;
    this.inChannels = image.length / (D * H * W);
    if (!Number.isInteger(this.inChannels) || this.inChannels < 1) {
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `incremental occlusion: an input of ${image.length} values is not [1, C, ${D}, ${H}, ${W}]`,
      );
    }
    if (pieces.layers.length !== layout.layers.length) {
      throw new VoxlabError(
        'INTERNAL',
        `incremental occlusion: ${pieces.layers.length} layer pieces for ${layout.layers.length} dense layers`,
      );
    }
    const blockChannels = layout.stemChannels + layout.layers.length * layout.growth;
    this.blockShape = [blockChannels, ...layout.featureShape];
  }

  /** Block features of up to `capacity` samples, equal to the baseline except where `written` says. */
  private buffer: Float32Array | null = null;
  private written: { sample: number; c0: number; nc: number; box: Box3 }[] = [];

  /**
   * The first n samples' features, each equal to the baseline: the buffer is kept between batches and
   * only the boxes the last batch wrote are copied back (instead of copying ~14 MB per sample).
   */
  private workspace(n: number): Float32Array {
    const size = this.blockSize;
    const baseline = this.baseline!;
    if (this.buffer === null || this.buffer.length < n * size) {
      this.buffer = new Float32Array(n * size);
      for (let i = 0; i < n; i++) this.buffer.set(baseline, i * size);
    } else {
      for (const w of this.written) {
        copyBox(
          baseline,
          this.buffer.subarray(w.sample * size, (w.sample + 1) * size),
          this.blockShape,
          w.c0,
          w.nc,
          w.box,
        );
      }
    }
    this.written = [];
    return this.buffer.subarray(0, n * size);
  }

  /** Elements of one sample's block features. */
  private get blockSize(): number {
    return this.blockShape.reduce((a, b) => a * b, 1);
  }

  /** Runs the head once on the unoccluded input (called by evaluate when needed). */
  async prepare(): Promise<void> {
    if (this.baseline !== null) return;
    const out = await this.pieces.head.run({
      image: { data: this.image, dims: [1, this.inChannels, ...this.layout.inputShape] },
    });
    if (out.data.length !== this.blockSize) {
      throw new VoxlabError(
        'INTERNAL',
        `incremental occlusion: head gave ${out.data.length} values, expected ${this.blockSize}`,
      );
    }
    this.baseline = out.data;
  }

  /**
   * Logits [n, classes] for n occluded inputs: `windows[i]` is the box occlusion i changed, `occluded(i)`
   * its whole occluded input [1, Cin, D, H, W] (only the stem crop is read). Voxels outside a window
   * must equal the unoccluded input's: the result is wrong otherwise.
   */
  async evaluate(windows: readonly Box3[], occluded: (i: number) => Float32Array): Promise<Float32Array> {
    await this.prepare();
    const n = windows.length;
    const L = this.layout;
    // One crop size per piece for the whole batch, so that it runs as one tensor.
    const reaches = windows.map((w) => windowReach(L, w));
    const sizes = cropSizes(reaches);
    const crops = reaches.map((r) => windowCrops(L, r, sizes));
    const features = this.workspace(n);
    const inShape: Shape4 = [this.inChannels, ...L.inputShape];

    // Stem on each window's crop, pasted into channels [0, stemChannels).
    const stemIn = boxShape(crops[0]!.stemInput);
    const stemConv = boxShape(crops[0]!.stemConv);
    const stemOut = boxShape(crops[0]!.stem);
    const inLen = this.inChannels * prod(stemIn);
    const image = new Float32Array(n * inLen);
    const mask = new Float32Array(n * prod(stemConv));
    crops.forEach((c, i) => {
      gatherBox(occluded(i), inShape, 0, this.inChannels, c.stemInput, image, i * inLen);
      insideMask(c.stemConv, L.conv0Shape, mask, i * prod(stemConv));
    });
    const stem = await this.pieces.stem.run({
      image: { data: image, dims: [n, this.inChannels, ...stemIn] },
      mask: { data: mask, dims: [n, 1, ...stemConv] },
    });
    this.paste(
      stem,
      n,
      L.stemChannels,
      stemOut,
      0,
      crops.map((c) => c.stem),
      features,
    );

    // Each dense layer on its crop, reading the channels so far, writing its growth channels. With
    // packing 'width' the batch's crops sit side by side along width in ONE sample: the unpadded conv's
    // outputs at the seams are discarded, every kept output reads only its own crop, and one large conv
    // runs far faster than many small ones.
    for (let l = 0; l < L.layers.length; l++) {
      const channels = L.stemChannels + l * L.growth;
      const inBox = boxShape(crops[0]!.layerInputs[l]!);
      const outBox = boxShape(crops[0]!.layers[l]!);
      const wide = this.packing === 'width';
      const pitch = wide ? n * inBox[2] : inBox[2];
      const outPitch = wide ? pitch - (inBox[2] - outBox[2]) : outBox[2];
      const x = new Float32Array(n * channels * prod(inBox));
      const m = new Float32Array(n * prod(inBox));
      crops.forEach((c, i) => {
        const sample = features.subarray(i * this.blockSize, (i + 1) * this.blockSize);
        const at = wide ? i * inBox[2] : i * channels * prod(inBox);
        gatherBox(sample, this.blockShape, 0, channels, c.layerInputs[l]!, x, at, pitch);
        insideMask(c.layerInputs[l]!, L.featureShape, m, wide ? at : i * prod(inBox), pitch);
      });
      const dims = wide ? [1, channels, inBox[0], inBox[1], pitch] : [n, channels, ...inBox];
      const out = await this.pieces.layers[l]!.run({
        x: { data: x, dims },
        mask: { data: m, dims: [dims[0]!, 1, ...dims.slice(2)] },
      });
      const per = L.growth * (wide ? outBox[0] * outBox[1] * outPitch : prod(outBox));
      const total = wide ? per : n * per;
      if (out.data.length !== total) {
        throw new VoxlabError(
          'INTERNAL',
          `incremental occlusion: a layer piece gave ${out.data.length} values, expected ${total}`,
        );
      }
      crops.forEach((c, i) => {
        const sample = features.subarray(i * this.blockSize, (i + 1) * this.blockSize);
        this.written.push({ sample: i, c0: channels, nc: L.growth, box: c.layers[l]! });
        scatterBox(
          out.data,
          wide ? i * inBox[2] : i * per,
          sample,
          this.blockShape,
          channels,
          L.growth,
          c.layers[l]!,
          outPitch,
        );
      });
    }

    const logits = await this.pieces.tail.run({
      features: { data: features, dims: [n, ...this.blockShape] },
    });
    return logits.data;
  }

  /** Writes a piece's output [n, nc, ...box] into channels [c0, c0 + nc) of each sample's features. */
  private paste(
    out: PieceTensor,
    n: number,
    nc: number,
    box: readonly number[],
    c0: number,
    where: readonly Box3[],
    features: Float32Array,
  ): void {
    const per = nc * prod(box);
    if (out.data.length !== n * per) {
      throw new VoxlabError(
        'INTERNAL',
        `incremental occlusion: a piece gave ${out.data.length} values, expected ${n * per}`,
      );
    }
    for (let i = 0; i < n; i++) {
      this.written.push({ sample: i, c0, nc, box: where[i]! });
      scatterBox(
        out.data,
        i * per,
        features.subarray(i * this.blockSize, (i + 1) * this.blockSize),
        this.blockShape,
        c0,
        nc,
        where[i]!,
      );
    }
  }
}

function prod(a: readonly number[]): number {
  return a.reduce((x, y) => x * y, 1);
}
