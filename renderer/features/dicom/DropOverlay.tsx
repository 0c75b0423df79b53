// What the window shows while files are dragged over it: where they go when dropped.

import { useDicomImportStore } from '../../stores/useDicomImportStore.js';

export function DropOverlay(): React.JSX.Element | null {
  const dragging = useDicomImportStore((s) => s.dragging);
  if (!dragging) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div>Drop DICOM files or folders to import their series</div>
    </div>
  );
}
