// Training: the configuration form (seeded with the recipe's defaults), start / stop / resume, live loss,
// accuracy and AUC curves from the core's events, the per-epoch table with the best epoch marked, ETA and
// backend, and the study's models.

import { useTrainStore, type TrainForm } from '../../stores/useTrainStore.js';
import { LineChart, type Series } from './LineChart.js';
import { ModelsSection } from './ModelsSection.js';
import { resumeTraining, startTraining, stopTraining } from './trainActions.js';

const fmt = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${Math.round(seconds % 60)} s left` : `${Math.round(seconds)} s left`;
}

function NumberField(props: { name: keyof TrainForm; label: string; step?: number; min?: number; max?: number }): React.JSX.Element {
  const value = useTrainStore((s) => s.form[props.name]);
  const setForm = useTrainStore((s) => s.setForm);
  return (
    <label>
      {props.label}
      <input
        type="number"
        name={props.name}
        step={props.step ?? 1}
        min={props.min}
        max={props.max}
        value={value as number}
        onChange={(e) => setForm({ [props.name]: Number(e.target.value) } as Partial<TrainForm>)}
      />
    </label>
  );
}

export function TrainingPanel(): React.JSX.Element {
  const t = useTrainStore();
  const running = t.state === 'running';
  const best = t.epochs.reduce<number | null>((b, r) => (r.valAccuracy !== null && (b === null || r.valAccuracy > (t.epochs.find((e) => e.epoch === b)?.valAccuracy ?? -1)) ? r.epoch : b), null);
  // The x axis grows with the run (a 200-epoch run would otherwise squeeze its first epochs into a corner).
  const xMax = Math.max(t.progress?.epoch ?? 0, t.epochs.at(-1)?.epoch ?? 0, 1);
  const lossSeries: Series[] = [
    { name: 'step loss', color: '#5b6b86', points: t.lossTrace, dashed: true },
    { name: 'train loss', color: '#4aa3ff', points: t.epochs.filter((r) => r.trainLoss !== null).map((r) => [r.epoch, r.trainLoss!]) },
    { name: 'val loss', color: '#ff9f43', points: t.epochs.filter((r) => r.valLoss !== null).map((r) => [r.epoch, r.valLoss!]) },
  ];
  const losses = [...t.lossTrace.map((p) => p[1]), ...t.epochs.flatMap((r) => [r.trainLoss ?? 0, r.valLoss ?? 0])];
  const accSeries: Series[] = [
    { name: 'train acc', color: '#4aa3ff', points: t.epochs.filter((r) => r.trainAccuracy !== null).map((r) => [r.epoch, r.trainAccuracy!]) },
    { name: 'val acc', color: '#2ecc71', points: t.epochs.filter((r) => r.valAccuracy !== null).map((r) => [r.epoch, r.valAccuracy!]) },
    { name: 'val AUC', color: '#c678dd', points: t.epochs.filter((r) => r.valAuc !== null).map((r) => [r.epoch, r.valAuc!]) },
  ];
  return (
    <div className="train-panel" data-testid="train-panel">
      <div className="form-grid">
        <label>
          Run id
          <input value={t.form.runId} placeholder="automatic" onChange={(e) => t.setForm({ runId: e.target.value })} />
        </label>
        <label>
          Model
          <select value={t.form.model} onChange={(e) => t.setForm({ model: e.target.value as TrainForm['model'] })}>
            <option value="tiny">tiny</option>
            <option value="small">small</option>
            <option value="densenet121">DenseNet121</option>
          </select>
        </label>
        <NumberField name="epochs" label="Epochs" min={1} />
        <NumberField name="batchSize" label="Batch" min={1} />
        <NumberField name="learningRate" label="Learning rate" step={0.0001} min={0} />
        <NumberField name="inputSize" label="Input size" min={8} />
        <NumberField name="valFraction" label="Validation" step={0.05} min={0.05} max={0.9} />
        <NumberField name="valInterval" label="Val every" min={1} />
        <NumberField name="seed" label="Seed" min={0} />
      </div>
      <div className="row-actions">
        <button className="primary" disabled={running} onClick={() => void startTraining()} data-testid="train-start">
          Start
        </button>
        <button disabled={!running} onClick={() => void stopTraining()} data-testid="train-stop">
          Stop
        </button>
        <button disabled={running || t.runId === null} onClick={() => t.runId !== null && void resumeTraining(t.runId)}>
          Resume
        </button>
      </div>
      <div className="train-status" data-testid="train-status" data-state={t.state}>
        <strong>{t.state}</strong> {t.runId !== null && <span className="muted">run {t.runId}</span>} <span className="muted">{t.message}</span>
        {running && t.progress !== null && (
          <>
            <progress value={(t.progress.epoch - 1 + t.progress.step / t.progress.stepsPerEpoch) / t.progress.epochs} max={1} />
            <span className="muted">{eta(t.progress.etaS)}</span>
          </>
        )}
        {t.epochs.at(-1)?.backend != null && <span className="muted"> · backend {t.epochs.at(-1)!.backend}</span>}
      </div>
      {t.problem !== null && (
        <p className="problem" role="alert">
          {t.problem}
        </p>
      )}
      <LineChart label="loss" series={lossSeries} xMax={xMax} yMin={0} yMax={Math.max(0.1, ...losses)} />
      <LineChart label="accuracy" series={accSeries} xMax={xMax} yMin={0} yMax={1} />
      <table className="epochs" data-testid="epoch-table">
        <thead>
          <tr>
            <th>Epoch</th>
            <th>Loss</th>
            <th>Acc</th>
            <th>Val loss</th>
            <th>Val acc</th>
            <th>AUC</th>
            <th title="seconds">Time</th>
          </tr>
        </thead>
        <tbody>
          {t.epochs.map((r) => (
            <tr key={r.epoch} className={r.epoch === best ? 'best' : ''}>
              <td>
                {r.epoch}
                {r.epoch === best ? ' ★' : ''}
              </td>
              <td>{fmt(r.trainLoss)}</td>
              <td>{fmt(r.trainAccuracy, 2)}</td>
              <td>{fmt(r.valLoss)}</td>
              <td>{fmt(r.valAccuracy, 2)}</td>
              <td>{fmt(r.valAuc, 2)}</td>
              <td>{fmt(r.seconds, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ModelsSection />
    </div>
  );
}
