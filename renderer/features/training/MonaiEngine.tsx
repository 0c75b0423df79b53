// "Train with MONAI" (issue #14): offered only where the core found a Python with PyTorch and MONAI
// (train.engines); otherwise a line says why not and how to get one. The run then reports like any other.

import { useEffect, useState } from 'react';
import type { TrainEngines } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { monaiButtonLabel, monaiUnavailableLine } from './monaiEngine.js';
import { startTraining } from './trainActions.js';

export function MonaiEngine(props: { running: boolean }): React.JSX.Element | null {
  const [engines, setEngines] = useState<TrainEngines | null>(null);
  useEffect(() => {
    let live = true;
    core()
      .train.engines({})
      .then((e) => live && setEngines(e))
      .catch(() => undefined); // the panel trains with voxlab without it; the connection light says when the server is away
    return () => {
      live = false;
    };
  }, []);
  if (engines === null) return null;
  const label = monaiButtonLabel(engines);
  if (label === null)
    return (
      <p className="muted small" data-testid="monai-engine" data-available="false">
        {monaiUnavailableLine(engines)}
      </p>
    );
  return (
    <div className="row-actions" data-testid="monai-engine" data-available="true">
      <button disabled={props.running} onClick={() => void startTraining('monai')} data-testid="train-start-monai" title="Exports the study as a MONAI bundle and trains it with this Python">
        {label}
      </button>
    </div>
  );
}
