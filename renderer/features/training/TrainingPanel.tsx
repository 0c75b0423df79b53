// Training: the configuration form (seeded with the recipe's defaults), start / stop / resume (stopped runs
// only), live loss, accuracy and AUC curves from the core's events, the per-epoch table with the best epoch
// marked and the validation size beside every validation metric, ETA and backend, and the study's models;
// where the core has a Python with MONAI, the same run through an exported MONAI bundle (MonaiEngine).

import { isStoppedRun, useTrainStore } from '../../stores/useTrainStore.js';
import { LineChart, type Series } from './LineChart.js';
import { ModelsSection } from './ModelsSection.js';
import { resumeTraining, startTraining, stopTraining } from './trainActions.js';
import { niceUpper } from './chartTicks.js';
import { bestEpoch, valSize } from './epochSummary.js';
import { ComputeDevice } from './ComputeDevice.js';
import { MonaiEngine } from './MonaiEngine.js';
import { TrainingForm } from './TrainingForm.js';

const fmt = (v: number | null, digits = 3) => (v === null ? '—' : v.toFixed(digits));

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m} min ${Math.round(seconds % 60)} s left` : `${Math.round(seconds)} s left`;
}

export function TrainingPanel(): React.JSX.Element {
  const t = useTrainStore();
  const running = t.state === 'running';
  const resumable = isStoppedRun(t.models, t.runId);
  const n = valSize(t.epochs);
  const withN = (name: string) => (n === '' ? name : `${name} (${n})`);
  const best = bestEpoch(t.epochs, t.models.find((m) => m.id === t.runId)?.metrics ?? null);
  // The x axis grows with the run (a 200-epoch run would otherwise squeeze its first epochs into a corner).
  const xMax = Math.max(t.progress?.epoch ?? 0, t.epochs.at(-1)?.epoch ?? 0, 1);
  const lossSeries: Series[] = [
    { name: 'step loss', color: '#5b6b86', points: t.lossTrace, dashed: true },
    { name: 'train loss', color: '#4aa3ff', points: t.epochs.filter((r) => r.trainLoss !== null).map((r) => [r.epoch, r.trainLoss!]) },
    { name: withN('val loss'), color: '#ff9f43', points: t.epochs.filter((r) => r.valLoss !== null).map((r) => [r.epoch, r.valLoss!]) },
  ];
  const losses = [...t.lossTrace.map((p) => p[1]), ...t.epochs.flatMap((r) => [r.trainLoss ?? 0, r.valLoss ?? 0])];
  const accSeries: Series[] = [
    { name: 'train acc', color: '#4aa3ff', points: t.epochs.filter((r) => r.trainAccuracy !== null).map((r) => [r.epoch, r.trainAccuracy!]) },
    { name: withN('val acc'), color: '#2ecc71', points: t.epochs.filter((r) => r.valAccuracy !== null).map((r) => [r.epoch, r.valAccuracy!]) },
    { name: withN('val AUC'), color: '#c678dd', points: t.epochs.filter((r) => r.valAuc !== null).map((r) => [r.epoch, r.valAuc!]) },
  ];
  return (
    <div className="train-panel" data-testid="train-panel">
      <TrainingForm />
      <ComputeDevice />
      <div className="row-actions">
        <button className="primary" disabled={running} onClick={() => void startTraining()} data-testid="train-start">
          Start
        </button>
        <button disabled={!running} onClick={() => void stopTraining()} data-testid="train-stop">
          Stop
        </button>
        {!running && resumable && (
          <button onClick={() => void resumeTraining(t.runId!)} data-testid="train-resume" title={`Continue ${t.runId} from its last saved epoch`}>
            Resume {t.runId}
          </button>
        )}
      </div>
      <MonaiEngine running={running} />
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
      <LineChart label="loss" yTitle="loss (cross-entropy)" series={lossSeries} xMax={xMax} yMin={0} yMax={niceUpper(Math.max(0.1, ...losses))} />
      <LineChart label="accuracy" yTitle="accuracy / AUC (0–1)" series={accSeries} xMax={xMax} yMin={0} yMax={1} />
      <table className="epochs" data-testid="epoch-table">
        <thead>
          <tr>
            <th>Epoch</th>
            <th>Train loss</th>
            <th>Train acc</th>
            <ValHeader name="Val loss" n={n} />
            <ValHeader name="Val acc" n={n} />
            <ValHeader name="Val AUC" n={n} />
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
              <td title={r.valN === null ? undefined : `on ${r.valN} validation scans`}>{fmt(r.valLoss)}</td>
              <td title={r.valN === null ? undefined : `on ${r.valN} validation scans`}>{fmt(r.valAccuracy, 2)}</td>
              <td title={r.valN === null ? undefined : `on ${r.valN} validation scans`}>{fmt(r.valAuc, 2)}</td>
              <td>{fmt(r.seconds, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ModelsSection />
    </div>
  );
}

function ValHeader(props: { name: string; n: string }): React.JSX.Element {
  return (
    <th title="computed on the validation scans">
      {props.name}
      {props.n !== '' && <span className="n">{props.n}</span>}
    </th>
  );
}
