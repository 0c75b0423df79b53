// The study's reading settings (issue #13): blinded or open, reads each scan needs, what training learns
// from. Admins change them; other roles see them.

import { useState } from 'react';
import type { ReadingSettings } from '../../../core/api/index.js';
import { useRefusal } from '../session/useRefusal.js';
import { saveReadingSettings } from './readingActions.js';

export function ReadingSettingsForm(props: { settings: ReadingSettings }): React.JSX.Element {
  const s = props.settings;
  const refused = useRefusal('reading.set');
  const [problem, setProblem] = useState<string | null>(null);
  const save = (change: Partial<ReadingSettings>) => void saveReadingSettings(change).then(setProblem);
  if (refused !== null)
    return (
      <p className="muted small" data-testid="reading-settings">
        {s.blinded ? 'Blinded reading' : 'Open reading'} · {s.readsPerScan} read{s.readsPerScan === 1 ? '' : 's'} per scan · training on{' '}
        {s.trainingLabels}
      </p>
    );
  return (
    <div className="form-grid" data-testid="reading-settings">
      <label className="check">
        <input type="checkbox" checked={s.blinded} onChange={(e) => save({ blinded: e.target.checked })} /> Blinded reading
      </label>
      <label>
        Reads per scan
        <input type="number" min={1} max={20} value={s.readsPerScan} onChange={(e) => save({ readsPerScan: Number(e.target.value) })} />
      </label>
      <label className="wide">
        Training learns from
        <select value={s.trainingLabels.startsWith('reader:') ? 'reference' : s.trainingLabels} onChange={(e) => save({ trainingLabels: e.target.value as ReadingSettings['trainingLabels'] })}>
          <option value="reference">the reference (adjudicated) label</option>
          <option value="majority">the readers' majority</option>
        </select>
      </label>
      {problem !== null && (
        <p className="problem wide" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
