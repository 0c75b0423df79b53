// Explanation: pick a model, run inference (probability bars), run occlusion (mask, overlap, one slice or the
// whole volume, with its cost) or Grad-CAM with progress and cancel; the maps of this scan with their
// parameters, and how the shown one is drawn (colormap, opacity, threshold, colorbar).

import { useState } from 'react';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { useTrainStore } from '../../stores/useTrainStore.js';
import { COLORMAPS, type ColormapName } from '../../viewer/colormaps.js';
import { Colorbar } from '../../viewer/Colorbar.js';
import { cancelJob, runExplanation, runInference } from './explainActions.js';
import { occlusionPasses } from './occlusionEstimate.js';

/** The model's class names from its record (trained runs and imported models with classes), or null. */
function modelClasses(config: unknown): string[] | null {
  const c = (config ?? {}) as { classes?: unknown };
  return Array.isArray(c.classes) && c.classes.every((v) => typeof v === 'string') ? (c.classes as string[]) : null;
}

const MODES = [
  ['gaussian', 'Gaussian (MONAI)'],
  ['mean_img', 'Image mean'],
  ['mean_patch', 'Patch mean'],
  ['0', 'Zero'],
] as const;

function modelInputSize(config: unknown): number {
  const c = (config ?? {}) as { inputSize?: unknown; config?: { inputSize?: unknown } };
  const v = c.inputSize ?? c.config?.inputSize;
  return typeof v === 'number' && v > 0 ? v : 96;
}

export function ExplainPanel(): React.JSX.Element {
  const imageId = useStudyStore((s) => s.selectedId);
  const models = useTrainStore((s) => s.models);
  const x = useExplainStore();
  const [maskSize, setMaskSize] = useState(16);
  const [overlap, setOverlap] = useState(0.25);
  const [oneSlice, setOneSlice] = useState(true);
  const [classIndex, setClassIndex] = useState(1);
  const [mode, setMode] = useState<string>('gaussian');
  const [activation, setActivation] = useState<'softmax' | 'monai'>('softmax');
  const modelId = x.modelId ?? models.at(-1)?.id ?? null;
  const model = models.find((m) => m.id === modelId);
  const inputSize = modelInputSize(model?.config);
  const classes =
    modelClasses(model?.config) ??
    (x.probabilities !== null && x.probabilities.imageId === imageId ? [...x.probabilities.classes] : null);
  const settings = { maskSize, overlap, oneSlice, inputSize, mode: mode === '0' ? 0 : mode, activation };
  const passes = occlusionPasses(inputSize, maskSize, overlap, oneSlice);
  const busy = x.job !== null;
  const mine = x.maps.filter((m) => m.imageId === imageId);
  const shown = mine.find((m) => m.jobId === x.shownJobId) ?? null;

  if (imageId === null) return <p className="muted">Open a scan to explain a model's decision on it.</p>;
  return (
    <div className="explain-panel" data-testid="explain-panel">
      <label className="field">
        Model
        <select value={modelId ?? ''} onChange={(e) => x.setModel(e.target.value || null)} aria-label="Model">
          {models.length === 0 && <option value="">No models: train or import one</option>}
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id} ({m.kind})
            </option>
          ))}
        </select>
      </label>
      <div className="row-actions">
        <button disabled={modelId === null || busy} onClick={() => void runInference(modelId!, imageId)}>
          Run inference
        </button>
      </div>
      {x.probabilities !== null && x.probabilities.imageId === imageId && (
        <ul className="prob-bars" data-testid="probabilities">
          {x.probabilities.classes.map((c, i) => {
            const p = x.probabilities!.values[i] ?? 0;
            return (
              <li key={c}>
                <span className="prob-name">{c}</span>
                <span className="prob-bar">
                  <span style={{ width: `${(p * 100).toFixed(1)}%` }} />
                </span>
                <span className="prob-value">{(p * 100).toFixed(1)}%</span>
              </li>
            );
          })}
        </ul>
      )}
      <h3>Occlusion sensitivity</h3>
      <div className="form-grid">
        <label>
          Mask
          <input type="number" min={1} max={inputSize} value={maskSize} onChange={(e) => setMaskSize(Number(e.target.value))} />
        </label>
        <label>
          Overlap
          <input type="number" min={0} max={0.95} step={0.05} value={overlap} onChange={(e) => setOverlap(Number(e.target.value))} />
        </label>
        <label>
          Class
          {classes === null ? (
            <input type="number" min={0} value={classIndex} onChange={(e) => setClassIndex(Number(e.target.value))} />
          ) : (
            <select value={classIndex} onChange={(e) => setClassIndex(Number(e.target.value))} aria-label="Class">
              {classes.map((c, i) => (
                <option key={c} value={i}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </label>
        <label>
          Occluder
          <select value={mode} onChange={(e) => setMode(e.target.value)} aria-label="Occluder">
            {MODES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outputs
          <select value={activation} onChange={(e) => setActivation(e.target.value as 'softmax' | 'monai')} aria-label="Outputs">
            <option value="softmax">Softmax over classes</option>
            <option value="monai">MONAI (sigmoid per class)</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={oneSlice} onChange={(e) => setOneSlice(e.target.checked)} /> Current axial slice only
        </label>
      </div>
      <p className="muted" data-testid="occlusion-cost">
        {passes === null ? 'Check mask and overlap.' : `≈ ${passes.toLocaleString()} model passes on a ${inputSize}³ input`}
      </p>
      <div className="row-actions">
        <button
          data-testid="run-occlusion"
          disabled={modelId === null || busy || passes === null}
          onClick={() => void runExplanation(modelId!, imageId, 'occlusion', classIndex, settings)}
        >
          Run occlusion
        </button>
        <button
          disabled={modelId === null || busy}
          onClick={() => void runExplanation(modelId!, imageId, 'gradcam', classIndex, settings)}
        >
          Run Grad-CAM
        </button>
        <button disabled={modelId === null || busy} onClick={() => void runExplanation(modelId!, imageId, 'gradcam++', classIndex, settings)}>
          Grad-CAM++
        </button>
      </div>
      {x.job !== null && (
        <div className="job" data-testid="explain-job">
          <progress value={x.job.fraction ?? undefined} max={1} />
          <span className="muted">
            {x.job.what}: {x.job.message}
          </span>
          <button onClick={() => void cancelJob()}>Cancel</button>
        </div>
      )}
      {x.problem !== null && (
        <p className="problem" role="alert">
          {x.problem}
        </p>
      )}
      <h3>Maps of this scan</h3>
      <ul className="maps">
        {mine.map((m) => (
          <li key={m.jobId}>
            <label>
              <input type="radio" name="map" checked={m.jobId === x.shownJobId} onChange={() => x.show(m.jobId)} />
              {m.method} · class {m.classIndex} · {m.modelId}
            </label>
            <div className="muted small">{m.params}</div>
          </li>
        ))}
        {mine.length === 0 && <li className="muted">None yet.</li>}
      </ul>
      {shown !== null && (
        <div className="overlay-look">
          <label className="check">
            <input type="checkbox" checked={x.visible} onChange={(e) => x.setVisible(e.target.checked)} /> Show overlay (H)
          </label>
          <label className="field">
            Colormap
            <select value={x.colormap} onChange={(e) => x.setColormap(e.target.value as ColormapName)}>
              {(Object.keys(COLORMAPS) as ColormapName[]).map((c) => (
                <option key={c} value={c}>
                  {COLORMAPS[c].label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Opacity {Math.round(x.opacity * 100)}%
            <input type="range" min={0} max={1} step={0.05} value={x.opacity} onChange={(e) => x.setOpacity(Number(e.target.value))} />
          </label>
          <label className="field">
            Threshold {Math.round(x.threshold * 100)}%
            <input type="range" min={0} max={0.95} step={0.05} value={x.threshold} onChange={(e) => x.setThreshold(Number(e.target.value))} />
          </label>
          <Colorbar colormap={x.colormap} min={shown.min} max={shown.max} threshold={x.threshold} />
        </div>
      )}
    </div>
  );
}
