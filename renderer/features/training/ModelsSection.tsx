// The study's models: show a run's epochs, resume a stopped run, export weights, and import a MONAI ONNX,
// safetensors or PyTorch (.pt/.pth) model.

import { useState } from 'react';
import { isStoppedRun, useTrainStore } from '../../stores/useTrainStore.js';
import { exportModel, importModel } from './modelActions.js';
import { modelIdFrom } from './modelImport.js';
import { resumeTraining, showRun } from './trainActions.js';

/** "best epoch 3 · val acc 0.83 · val AUC 0.91 (n = 2)" from a training run's metrics JSON (core/train runState). */
function metricsLine(metrics: unknown): string {
  const m = (metrics ?? {}) as { bestEpoch?: unknown; best?: { accuracy?: unknown; auc?: unknown; n?: unknown } | null };
  const parts: string[] = [];
  if (typeof m.bestEpoch === 'number') parts.push(`best epoch ${m.bestEpoch}`);
  if (typeof m.best?.accuracy === 'number') parts.push(`val acc ${m.best.accuracy.toFixed(2)}`);
  if (typeof m.best?.auc === 'number') parts.push(`val AUC ${m.best.auc.toFixed(2)}`);
  const n = typeof m.best?.n === 'number' ? ` (n = ${m.best.n})` : '';
  return parts.length > 0 ? `· ${parts.join(' · ')}${n}` : '';
}

/** "stopped at epoch 2 of 9" for a stopped run (models.list config: state, epochs, of), else ''. */
function stateLine(config: unknown): string {
  const c = (config ?? {}) as { state?: unknown; epochs?: unknown; of?: unknown };
  if (c.state === 'training') return '· training now';
  if (c.state !== 'stopped') return '';
  return typeof c.epochs === 'number' && typeof c.of === 'number' ? `· stopped at epoch ${c.epochs} of ${c.of}` : '· stopped';
}

export function ModelsSection(): React.JSX.Element {
  const models = useTrainStore((s) => s.models);
  const running = useTrainStore((s) => s.state === 'running');
  const [file, setFile] = useState<File | null>(null);
  const [modelId, setModelId] = useState('');
  const [classes, setClasses] = useState('');
  const [arch, setArch] = useState('densenet121');
  const [inputSize, setInputSize] = useState(96);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <h3>Models</h3>
      <ul className="models" data-testid="model-list">
        {models.map((m) => (
          <li key={m.id}>
            <button className="link" onClick={() => void showRun(m.id)} title="Show its epochs">
              {m.id}
            </button>{' '}
            <span className="muted">
              {m.kind} · {m.format ?? 'no weights'} · {new Date(m.createdAt).toLocaleDateString()} {metricsLine(m.metrics)} {stateLine(m.config)}
            </span>{' '}
            {isStoppedRun(models, m.id) && !running && (
              <button className="link" onClick={() => void resumeTraining(m.id)} data-testid={`resume-${m.id}`}>
                resume
              </button>
            )}{' '}
            {m.format !== null && (
              <button className="link" onClick={() => void exportModel(m.id)}>
                export
              </button>
            )}
          </li>
        ))}
        {models.length === 0 && <li className="muted">No models yet.</li>}
      </ul>
      <h3>Import a model</h3>
      <div className="form-grid" data-testid="model-import">
        <label className="wide">
          File (.onnx, .safetensors, PyTorch .pt/.pth)
          <input
            type="file"
            accept=".onnx,.safetensors,.pt,.pth"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              // The id follows the chosen file unless the user typed one (it is empty or the last file's).
              if (f !== null && (modelId === '' || (file !== null && modelId === modelIdFrom(file.name))))
                setModelId(modelIdFrom(f.name));
              setFile(f);
            }}
          />
        </label>
        <label>
          Model id
          <input value={modelId} onChange={(e) => setModelId(e.target.value)} />
        </label>
        <label>
          Classes
          <input value={classes} placeholder="F, M" onChange={(e) => setClasses(e.target.value)} />
        </label>
        <label>
          Architecture
          <select value={arch} onChange={(e) => setArch(e.target.value)}>
            <option value="densenet121">DenseNet121</option>
            <option value="small">small</option>
            <option value="tiny">tiny</option>
          </select>
        </label>
        <label>
          Input size
          <input type="number" min={8} value={inputSize} onChange={(e) => setInputSize(Number(e.target.value))} />
        </label>
      </div>
      <div className="row-actions">
        <button
          disabled={file === null || modelId.trim() === '' || busy}
          onClick={() => {
            setBusy(true);
            void importModel({ file: file!, modelId: modelId.trim(), classes, arch, inputSize }).finally(() => setBusy(false));
          }}
        >
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
    </>
  );
}
