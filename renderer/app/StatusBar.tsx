// The readout under the cursor: voxel index (file order), world position (RAS mm) and value; the window
// (width W, level L, in the scan's units) shared by every view, and its preset or 'custom' after a drag.

import { useStudyStore } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';
import { WL_PRESETS } from '../viewer/windowLevel.js';

const mm = (v: number) => v.toFixed(1);

export function StatusBar(): React.JSX.Element {
  const readout = useViewerStore((s) => s.readout);
  const loadedId = useViewerStore((s) => s.loadedId);
  const image = useStudyStore((s) => s.images.find((i) => i.id === loadedId));
  const voi = useViewerStore((s) => s.voi);
  const preset = useViewerStore((s) => s.preset);
  return (
    <footer className="status-bar" data-testid="readout">
      <span>{image !== undefined ? `${image.id} · ${image.shape.join('×')}` : 'No scan open'}</span>
      {voi !== null && loadedId !== null && (
        <span data-testid="wl-values">
          W <b data-testid="wl-width">{Number((voi.upper - voi.lower).toPrecision(4))}</b> L{' '}
          <b data-testid="wl-level">{Number(((voi.upper + voi.lower) / 2).toPrecision(4))}</b>{' '}
          <span className="muted" data-testid="wl-preset">
            {preset === 'custom' ? 'custom' : WL_PRESETS[preset].label}
          </span>
        </span>
      )}
      {readout !== null ? (
        <>
          <span>
            voxel <b data-testid="readout-ijk">{readout.ijk.join(', ')}</b>
          </span>
          <span>
            RAS <b>{readout.ras.map(mm).join(', ')}</b> mm
          </span>
          <span>
            value <b data-testid="readout-value">{Number(readout.value.toPrecision(5))}</b>
          </span>
        </>
      ) : (
        <span className="muted">Move the mouse over a view for voxel, position and value.</span>
      )}
    </footer>
  );
}
