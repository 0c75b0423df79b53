// Child process of `npm run fuzz -- onnx`: opens damaged models [from, to) in ONNX Runtime through
// openOrtClassifier and sends each outcome, so the parent counts a native crash of this process as a crash.

import { isVoxlabError } from '../core/common/errors.js';
import { openOrtClassifier } from '../core/infer/OrtClassifier.js';
import { mutateOnnx, onnxFuzzSeed } from '../core/infer/onnx/fuzzOnnx.js';

const [seed, from, to] = process.argv.slice(2).map(Number) as [number, number, number];
const seedBytes = onnxFuzzSeed();
for (let i = from; i < to; i++) {
  const { bytes, label } = mutateOnnx(seedBytes, seed, i);
  process.send!({ type: 'start', i });
  const t0 = performance.now();
  let outcome: string;
  try {
    await (await openOrtClassifier(bytes)).dispose();
    outcome = 'ok';
  } catch (e) {
    outcome = isVoxlabError(e) ? e.code : `FAILED: ${label}: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}`;
  }
  process.send!({ type: 'done', i, outcome, ms: performance.now() - t0 });
}
process.disconnect();
