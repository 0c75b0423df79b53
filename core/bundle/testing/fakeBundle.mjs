// A fake `python -m monai.bundle run ... --bundle_root DIR` for tests: writes DIR/runs/train/metrics.jsonl like an
// exported bundle's training script, with delays. FAKE_BUNDLE: ok (2 epochs, done), error (an error line),
// crash (exit 3 after one epoch), slow (epochs every 200 ms, until killed), partial (a torn last line first).

import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2);
const root = args[args.indexOf('--bundle_root') + 1];
const mode = process.env.FAKE_BUNDLE ?? 'ok';
const out = path.join(root, 'runs', 'train');
mkdirSync(out, { recursive: true });
const metrics = path.join(out, 'metrics.jsonl');
const line = (o) => appendFileSync(metrics, `${JSON.stringify(o)}\n`);
const epoch = (k, acc) => ({
  event: 'epoch',
  epoch: k,
  train: { loss: 0.7 - 0.1 * k, accuracy: 0.5 + 0.1 * k, n: 8 },
  val: k % 2 === 0 ? { n: 2, loss: 0.6, accuracy: acc, auc: null, confusion: [[1, 0], [1, 0]] } : null,
  seconds: 0.05,
  backend: 'monai-torch-cpu',
});

console.log(`fake bundle (${mode}) in ${root}; args ${args.join(' ')}`);
line({ event: 'start', epochs: mode === 'slow' ? 1000 : 2, train: 8, val: 2, classes: ['F', 'M'], world_size: 1, device: 'cpu' });
if (mode === 'partial') {
  appendFileSync(metrics, 'not json at all\n{"event":"epo');
  await sleep(150);
  appendFileSync(metrics, `ch","epoch":1,"train":{"loss":NaN,"accuracy":0.5,"n":8},"val":null,"seconds":0.1,"backend":"monai-torch-cpu"}\n`);
}
if (mode === 'slow') {
  for (let k = 1; ; k++) {
    line(epoch(k, 0.5));
    await sleep(200);
  }
}
if (mode !== 'partial') line(epoch(1, 0.5));
await sleep(100);
if (mode === 'crash') {
  console.error('Traceback (most recent call last):\nRuntimeError: CUDA out of memory (fake)');
  process.exit(3);
}
if (mode === 'error') {
  line({ event: 'error', message: 'RuntimeError: shapes do not match (fake)' });
  process.exit(1);
}
line(epoch(2, 0.5));
mkdirSync(path.join(root, 'models'), { recursive: true });
writeFileSync(path.join(root, 'models', 'model.pt'), 'PK fake torch zip');
if (process.env.FAKE_SAFETENSORS === '1') writeFileSync(path.join(root, 'models', 'model.safetensors'), 'fake');
line({ event: 'checkpoint', epoch: 2, file: 'models/model.pt', best: { epoch: 2, accuracy: 0.5 } });
line({ event: 'done', best_epoch: 2, model: 'models/model.pt' });
