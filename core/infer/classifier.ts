// The one thing inference, explanation and active learning need from a model: logits for a batch of
// preprocessed volumes. ONNX Runtime sessions (core/infer) and tfjs models both implement it, so
// explanation code never knows which engine runs underneath.

/**
 * A volume classifier with a fixed input size.
 *
 * Layout contract: a batch is `n` samples of `inputShape` = [channels, depth, height, width], NCDHW,
 * C-order (width fastest), float32, exactly as MONAI feeds DenseNet (D, H, W = the file's i, j, k axes
 * after preprocessing). Logits come back [n, classes.length], C-order, before any activation.
 */
export interface Classifier {
  /** [channels, depth, height, width] of one sample. */
  readonly inputShape: readonly [number, number, number, number];
  /** Class names; index = output channel. */
  readonly classes: readonly string[];
  /** What runs it, for reports: e.g. 'onnxruntime-cpu (2 threads)' or 'tfjs-wasm'. */
  readonly engine: string;
  /**
   * Logits for `n` samples packed in `batch` (length n * prod(inputShape)). Any n >= 1 is accepted;
   * implementations may split it internally. Rejects with a VoxlabError (BAD_VALUES for a wrong length).
   */
  predict(batch: Float32Array, n: number): Promise<Float32Array>;
  /** Frees native sessions or tensors; predict() afterwards rejects. Idempotent. */
  dispose(): Promise<void>;
}
