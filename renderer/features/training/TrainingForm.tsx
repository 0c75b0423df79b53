// The training form: every setting with its unit and a line of help, a fresh run id proposed for each
// start, and the labeled scans per class the run will use with the validation split it will make.

import { useEffect } from 'react';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { useTrainStore, type TrainForm } from '../../stores/useTrainStore.js';
import { proposeRunId } from './runId.js';
import { trainingCounts } from './trainingCounts.js';

interface FieldSpec {
  readonly name: keyof TrainForm;
  readonly label: string;
  readonly unit: string;
  readonly help: string;
  readonly step?: number;
  readonly min?: number;
  readonly max?: number;
}

const NUMBER_FIELDS: readonly FieldSpec[] = [
  { name: 'epochs', label: 'Epochs', unit: 'passes', min: 1, help: 'Passes over the training scans.' },
  { name: 'batchSize', label: 'Batch', unit: 'scans', min: 1, help: 'Scans per optimizer step.' },
  {
    name: 'learningRate',
    label: 'Learning rate',
    unit: 'per step',
    step: 0.0001,
    min: 0,
    help: 'Adam step size (MONAI tutorial: 0.0001).',
  },
  {
    name: 'inputSize',
    label: 'Input size',
    unit: 'voxels per side',
    min: 8,
    help: 'Scans are resized to N × N × N before the network.',
  },
  {
    name: 'valFraction',
    label: 'Validation',
    unit: 'fraction 0–1',
    step: 0.05,
    min: 0.05,
    max: 0.9,
    help: 'Share of each class held out to validate (1 scan per class at least).',
  },
  {
    name: 'valInterval',
    label: 'Validate every',
    unit: 'epochs',
    min: 1,
    help: 'Validation runs every N epochs and after the last.',
  },
  {
    name: 'seed',
    label: 'Seed',
    unit: 'integer',
    min: 0,
    help: 'Fixes split, shuffles and initial weights: same seed, same run.',
  },
];

function NumberField(props: { spec: FieldSpec }): React.JSX.Element {
  const { spec } = props;
  const value = useTrainStore((s) => s.form[spec.name]);
  const setForm = useTrainStore((s) => s.setForm);
  return (
    <label>
      <span>
        {spec.label} <span className="field-help">({spec.unit})</span>
      </span>
      <input
        type="number"
        name={spec.name}
        step={spec.step ?? 1}
        min={spec.min}
        max={spec.max}
        value={value as number}
        onChange={(e) => setForm({ [spec.name]: Number(e.target.value) } as Partial<TrainForm>)}
      />
      <span className="field-help">{spec.help}</span>
    </label>
  );
}

/** Labeled scans per class and the split; problems the core would refuse the run for. */
function Counts(): React.JSX.Element {
  const images = useStudyStore((s) => s.images);
  const classes = useStudyStore((s) => s.classes);
  const valFraction = useTrainStore((s) => s.form.valFraction);
  const c = trainingCounts(images, classes, valFraction);
  return (
    <div data-testid="train-counts">
      <h3>
        Scans it will use: {c.total} labeled ({c.total - c.val} train, {c.val} validation)
      </h3>
      <ul className="train-counts">
        {c.classes.map((r) => (
          <li
            key={r.name}
            data-class={r.name}
            data-total={r.total}
            data-val={r.val}
            className={r.total > 0 && r.total < 2 ? 'warn' : ''}
          >
            <span>{r.name}</span>
            <span>
              {r.total} scan{r.total === 1 ? '' : 's'} · {r.train} train · {r.val} validation
            </span>
          </li>
        ))}
      </ul>
      {c.problems.map((p) => (
        <p key={p} className="muted warn small" role="status">
          {p}
        </p>
      ))}
    </div>
  );
}

export function TrainingForm(): React.JSX.Element {
  const form = useTrainStore((s) => s.form);
  const setForm = useTrainStore((s) => s.setForm);
  const models = useTrainStore((s) => s.models);
  useEffect(() => {
    if (useTrainStore.getState().form.runId === '')
      setForm({
        runId: proposeRunId(
          new Date(),
          models.map((m) => m.id),
        ),
      });
  }, [models, setForm]);
  return (
    <>
      <div className="form-grid">
        <label>
          <span>
            Run id <span className="field-help">(new for each start)</span>
          </span>
          <input name="runId" value={form.runId} onChange={(e) => setForm({ runId: e.target.value })} />
          <span className="field-help">Names the run and its model; letters, digits, . _ -</span>
        </label>
        <label>
          <span>
            Model <span className="field-help">(network)</span>
          </span>
          <select
            name="model"
            value={form.model}
            onChange={(e) => setForm({ model: e.target.value as TrainForm['model'] })}
          >
            <option value="tiny">tiny</option>
            <option value="small">small</option>
            <option value="densenet121">DenseNet121</option>
          </select>
          <span className="field-help">
            tiny: seconds on a CPU; small: minutes at 64³; DenseNet121: MONAI's network, by far the slowest on
            a CPU.
          </span>
        </label>
        {NUMBER_FIELDS.map((spec) => (
          <NumberField key={spec.name} spec={spec} />
        ))}
      </div>
      <Counts />
    </>
  );
}
