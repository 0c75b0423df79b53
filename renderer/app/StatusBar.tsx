// The readout under the cursor: voxel index (file order), world position (RAS mm) and value.

import { useStudyStore } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';

const mm = (v: number) => v.toFixed(1);

export function StatusBar(): React.JSX.Element {
  const readout = useViewerStore((s) => s.readout);
  const loadedId = useViewerStore((s) => s.loadedId);
  const image = useStudyStore((s) => s.images.find((i) => i.id === loadedId));
  const voi = useViewerStore((s) => s.voi);
  return (
    <footer className="status-bar" data-testid="readout">
      <span>{image !== undefined ? `${image.id} · ${image.shape.join('×')}` : 'No scan open'}</span>
      {voi !== null && loadedId !== null && (
        <span data-testid="wl-values">
          W <b>{Number((voi.upper - voi.lower).toPrecision(4))}</b> L <b>{Number(((voi.upper + voi.lower) / 2).toPrecision(4))}</b>
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
