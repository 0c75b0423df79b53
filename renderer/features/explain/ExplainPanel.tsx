// Explanation: pick a model, run inference (probability bars), pick the class to explain (the predicted one
// by default, or the scan's labeled one, or any class by name), run occlusion (mask, overlap, one slice or the
// whole volume, with its cost) or Grad-CAM with progress and cancel; the stored maps of this scan, and how the
// shown one is drawn.

import { useScanOnScreen } from '../../app/scanOnScreen.js';
import { useState } from 'react';
import { useExplainStore } from '../../stores/useExplainStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { useTrainStore } from '../../stores/useTrainStore.js';
import { shownMap } from '../../stores/useExplainStore.js';
import { chosenClassIndex, choiceValue, classOptions, explainsText, labeledClass, parseChoice, type ClassChoice, type LabeledClass } from './classChoice.js';
import { cancelJob, runExplanation, runInference } from './explainActions.js';
import { MapList } from './MapList.js';
import { SanityCheckbox, type SanityChoice } from './MapSanity.js';
import { occlusionPasses } from './occlusionEstimate.js';
import { OverlayControls } from './OverlayControls.js';
import { predictedClass, type PredictedClass } from './predictedClass.js';
import { useMapList } from './useMapList.js';

/** The model's class names from its record (trained runs and imported models with classes), or null. */
function modelClasses(config: unknown): string[] | null {
  const c = (config ?? {}) as { classes?: unknown };
  return Array.isArray(c.classes) && c.classes.every((v) => typeof v === 'string') ? (c.classes as string[]) : null;
}

// The first is the default: the window replaced by the mean of its surroundings removes a feature whatever
// its contrast (a dark lesion too); MONAI's gaussian darkens the window, so a dark lesion reads unimportant
// (issue #16, core/explain/occluders.ts).
const MODES = [
  ['mean_surround', 'Surroundings mean'],
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
  const offScreen = useScanOnScreen() !== imageId; // issue #10: nothing runs on a scan that is not shown
  const [maskSize, setMaskSize] = useState(16);
  const [overlap, setOverlap] = useState(0.25);
  const [oneSlice, setOneSlice] = useState(true);
  const [mode, setMode] = useState<string>(MODES[0][0]);
  const [activation, setActivation] = useState<'softmax' | 'monai'>('softmax');
  const [sanity, setSanity] = useState<SanityChoice>(undefined);
  const modelId = x.modelId ?? models.at(-1)?.id ?? null;
  const model = models.find((m) => m.id === modelId);
  const inputSize = modelInputSize(model?.config);
  const image = useStudyStore((s) => s.images.find((i) => i.id === imageId) ?? null);
  useMapList(imageId);
  const classes =
    modelClasses(model?.config) ??
    (x.probabilities !== null && x.probabilities.imageId === imageId && x.probabilities.modelId === modelId ? [...x.probabilities.classes] : null) ??
    (image?.prediction != null && image.prediction.modelId === modelId ? [...image.prediction.classes] : null);
  const predicted = predictedClass(image, modelId, classes, x.probabilities);
  const labeled = labeledClass(image, classes);
  const chosen = chosenClassIndex(x.classChoice, labeled);
  // The class sent: the user's choice, else the predicted one (undefined: the core explains its prediction).
  const classIndex = chosen ?? predicted?.index;
  const settings = { maskSize, overlap, oneSlice, inputSize, mode: mode === '0' ? 0 : mode, activation };
  // An imported model has no training recipe: its maps can have the randomized-layers check only.
  const retrainable = (model?.config as { imported?: unknown } | undefined)?.imported !== true;
  const checks = sanity === 'all' && !retrainable ? 'cascade' : sanity;
  const passes = occlusionPasses(inputSize, maskSize, overlap, oneSlice);
  const busy = x.job !== null;
  const shown = x.mapsImageId === imageId ? shownMap(x) : null;

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
        <button
          disabled={modelId === null || busy || offScreen}
          onClick={() => void runInference(modelId!, imageId)}
          title="Runs the model on this scan and stores its answer as a prediction (never as a label)"
        >
          Run inference
        </button>
      </div>
      <p className="muted small" data-testid="infer-stores">
        Inference stores the model&apos;s answer with this scan as a prediction: shown apart from labels, with its confidence
        and model, until a reader sets the label.
      </p>
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
      <ExplainsLine classes={classes} predicted={predicted} labeled={labeled} chosen={chosen} />
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
        <ClassField classes={classes} predicted={predicted} labeled={labeled} choice={x.classChoice} onChange={x.setClassChoice} />
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
      <SanityCheckbox value={sanity} onChange={setSanity} retrainable={retrainable} />
      <div className="row-actions">
        <button
          data-testid="run-occlusion"
          disabled={modelId === null || busy || offScreen || passes === null}
          onClick={() => void runExplanation(modelId!, imageId, 'occlusion', classIndex, settings, checks)}
        >
          Run occlusion
        </button>
        <button
          disabled={modelId === null || busy || offScreen}
          onClick={() => void runExplanation(modelId!, imageId, 'gradcam', classIndex, settings, checks)}
        >
          Run Grad-CAM
        </button>
        <button disabled={modelId === null || busy || offScreen} onClick={() => void runExplanation(modelId!, imageId, 'gradcam++', classIndex, settings, checks)}>
          Grad-CAM++
        </button>
        <button
          disabled={modelId === null || busy || offScreen}
          title="LayerCAM: each voxel's activations weighed by its own positive gradient, at a finer layer. Its peak finds lesions that show as missing signal (dark) where Grad-CAM's often does not, but the rest of its map also follows the image's structure (it can fail the sanity check): read its peak, not its shape."
          onClick={() => void runExplanation(modelId!, imageId, 'layercam', classIndex, settings, checks)}
        >
          LayerCAM
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
      <MapList imageId={imageId} />
      {shown !== null && <OverlayControls map={shown} />}
    </div>
  );
}

/** The class to explain: "Predicted class" (default), "Labeled class" (when the scan has one) or one of the model's classes. */
function ClassField(props: {
  classes: readonly string[] | null;
  predicted: PredictedClass | null;
  labeled: LabeledClass | null;
  choice: ClassChoice;
  onChange: (choice: ClassChoice) => void;
}): React.JSX.Element {
  const { classes, predicted, labeled, choice, onChange } = props;
  return (
    <label className="wide">
      Class to explain
      {classes === null ? (
        <input
          type="number"
          min={0}
          placeholder={predicted === null ? 'predicted' : String(predicted.index)}
          value={typeof choice === 'number' ? choice : ''}
          aria-label="Class to explain"
          onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
        />
      ) : (
        <select value={choiceValue(choice, labeled)} onChange={(e) => onChange(parseChoice(e.target.value))} aria-label="Class to explain">
          {classOptions(classes, predicted, labeled).map((o) => (
            <option key={o.value} value={o.value}>
              {o.text}
            </option>
          ))}
        </select>
      )}
    </label>
  );
}

/** Which class the next map will explain, and whether it is the predicted and the labeled one, in words. */
function ExplainsLine(props: {
  classes: readonly string[] | null;
  predicted: PredictedClass | null;
  labeled: LabeledClass | null;
  chosen: number | null;
}): React.JSX.Element {
  const { classes, predicted, labeled, chosen } = props;
  return (
    <p className="muted explains" data-testid="explains-class" data-class-index={chosen ?? predicted?.index ?? ''}>
      {explainsText(classes, predicted, labeled, chosen)}
    </p>
  );
}
