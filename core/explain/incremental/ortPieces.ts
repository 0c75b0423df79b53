// The incremental engine's pieces as ONNX Runtime sessions, and the OcclusionEngineFactory that plugs
// them into occlusion sensitivity (core/explain/occlusionEngine.ts).

import os from 'node:os';
import { VoxlabError } from '../../common/errors.js';
import type { ModelDescription } from '../../model/index.js';
import { exportOnnxPart } from '../../infer/exportOnnx.js';
import { OrtSession } from '../../infer/ort/OrtSession.js';
import type { StateDict } from '../../infer/stateDict.js';
import { writePatch, type OcclusionEngineFactory } from '../occlusionEngine.js';
import { IncrementalOcclusion, type IncrementalPieces, type Piece, type PieceTensor } from './engine.js';
import { denseNetBlockLayout, type Box3 } from './geometry.js';
import { layerPieceGraph, stemPieceGraph } from './pieceGraphs.js';

export interface IncrementalOptions {
  /** ONNX Runtime intra-op threads; default the number of cores. */
  readonly threads?: number;
  /** How dense-layer crops of a batch are packed (engine.ts); default 'width'. */
  readonly packing?: 'width' | 'batch';
  /** The pieces' execution provider, as OrtSessionOptions.provider (the classifier's, so both run alike); default 'auto'. */
  readonly provider?: string;
}

/** An ONNX Runtime session (core/infer OrtSession) as a Piece with one output; `release` frees it. */
async function ortPiece(
  bytes: Uint8Array,
  threads: number,
  provider: string | undefined,
): Promise<Piece & { release(): Promise<void> }> {
  const session = await OrtSession.create(bytes, {
    threads,
    ...(provider !== undefined ? { provider } : {}),
  });
  const output = session.outputs[0]!.name;
  return {
    async run(feeds: Readonly<Record<string, PieceTensor>>): Promise<PieceTensor> {
      return (await session.run(feeds, [output]))[output]!;
    },
    release: () => session.dispose(),
  };
}

/** Builds every piece of `description` (a MONAI DenseNet) with weights `state` as ORT sessions. */
export async function buildIncrementalPieces(
  description: ModelDescription,
  state: StateDict,
  options: IncrementalOptions = {},
): Promise<IncrementalPieces & { release(): Promise<void> }> {
  const threads = options.threads ?? os.availableParallelism();
  const layout = denseNetBlockLayout(description);
  const made: { release(): Promise<void> }[] = [];
  const piece = async (bytes: Uint8Array) => {
    const p = await ortPiece(bytes, threads, options.provider);
    made.push(p);
    return p;
  };
  try {
    const head = await piece(
      exportOnnxPart(description, state, { inputs: ['input'], outputs: [layout.blockOutput] }),
    );
    const stem = await piece(stemPieceGraph(description, state, layout));
    const layers: Piece[] = [];
    for (const layer of layout.layers) layers.push(await piece(layerPieceGraph(description, state, layer)));
    const rest = await piece(
      exportOnnxPart(description, state, { inputs: [layout.blockOutput], outputs: ['logits'] }),
    );
    // The exported part names its input after the node (layout.blockOutput); the engine feeds `features`.
    const tail: Piece = { run: (feeds) => rest.run({ [layout.blockOutput]: feeds['features']! }) };
    return {
      head,
      stem,
      layers,
      tail,
      release: async () => void (await Promise.all(made.map((m) => m.release()))),
    };
  } catch (e) {
    await Promise.all(made.map((m) => m.release()));
    throw e;
  }
}

/**
 * An occlusion engine that gives the same logits as the whole network (float rounding) while computing
 * only what each occlusion reaches through the stem and block 1. `description`/`state` must be the
 * network the classifier runs (the caller's promise: the engine does not call the classifier).
 */
export function incrementalOcclusionEngine(
  description: ModelDescription,
  state: StateDict,
  options: IncrementalOptions = {},
): OcclusionEngineFactory {
  const layout = denseNetBlockLayout(description);
  return async (classifier, input) => {
    const shape = classifier.inputShape;
    if (shape.slice(1).join() !== layout.inputShape.join()) {
      throw new VoxlabError(
        'SHAPE_MISMATCH',
        `incremental occlusion: the classifier takes [${shape.join(', ')}], the description [${layout.inputShape.join(', ')}]`,
      );
    }
    const pieces = await buildIncrementalPieces(description, state, options);
    let engine: IncrementalOcclusion | null = new IncrementalOcclusion(
      layout,
      pieces,
      input,
      options.packing,
    );
    const scratch = new Float32Array(input.length);
    return {
      async logits(occlusions) {
        if (engine === null)
          throw new VoxlabError('BAD_ARGUMENT', 'incrementalOcclusionEngine: used after dispose()');
        const windows = occlusions.map(
          (o) => [0, 1, 2].map((a) => ({ lo: o.start[a]!, hi: o.start[a]! + o.size[a]! })) as unknown as Box3,
        );
        return engine.evaluate(windows, (i) => {
          scratch.set(input);
          writePatch(scratch, shape, occlusions[i]!);
          return scratch;
        });
      },
      async dispose() {
        if (engine === null) return;
        engine = null;
        await pieces.release();
      },
    };
  };
}
