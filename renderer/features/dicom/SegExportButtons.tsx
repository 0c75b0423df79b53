// The segmentation panel's DICOM SEG row (issue #11): "Save as DICOM SEG" (a download) and "Send SEG to PACS"
// (a job), for a scan imported from DICOM with a saved labelmap; otherwise disabled, the title saying why.
// Not offered to roles that may not export (issue #13).

import { useSegExportStore } from '../../stores/useSegExportStore.js';
import { useSegmentationStore } from '../../stores/useSegmentationStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { saveSegFile, sendSeg } from './segExportActions.js';
import { segButtonsState } from './segExportRules.js';
import { useRefusal } from '../session/useRefusal.js';

export function SegExportButtons(): React.JSX.Element | null {
  const imageId = useStudyStore((s) => s.selectedId);
  const image = useStudyStore((s) => s.images.find((i) => i.id === s.selectedId));
  const segImageId = useSegmentationStore((s) => s.imageId);
  const segVersion = useSegmentationStore((s) => s.version);
  const saving = useSegmentationStore((s) => s.saving);
  const task = useSegExportStore();
  const mine = task.imageId !== null && task.imageId === imageId;
  // The segmentation store knows the newest save of the scan on screen; the list's summary may lag behind it.
  const savedVersion = segImageId !== null && segImageId === imageId ? segVersion : (image?.labelmapVersion ?? 0);
  const state = segButtonsState({ image, savedVersion, saving, busy: task.busy !== null });
  const run = (action: (id: string, version: number) => Promise<void>) => () => {
    if (imageId !== null) void action(imageId, savedVersion);
  };
  const mayExport = useRefusal('seg.export') === null;
  if (!mayExport) return null;
  return (
    <section className="seg-dicom" aria-label="DICOM SEG" data-testid="seg-dicom">
      <h3>DICOM SEG</h3>
      <div className="row-actions">
        <button
          onClick={run(saveSegFile)}
          disabled={!state.enabled}
          title={state.why ?? `Download labelmap version ${savedVersion} as a DICOM SEG file referencing the scan's series`}
        >
          Save as DICOM SEG
        </button>
        <button
          onClick={run(sendSeg)}
          disabled={!state.enabled}
          title={state.why ?? `Send labelmap version ${savedVersion} as a DICOM SEG to the PACS (STOW-RS)`}
        >
          Send SEG to PACS
        </button>
      </div>
      {!state.enabled && state.why !== null && <p className="muted small">{state.why}</p>}
      {mine && task.busy !== null && (
        <div className="job" role="status">
          <span>{task.busy === 'file' ? 'Making the SEG file…' : `Sending: ${task.message || 'starting'}`}</span>
          <progress max={1} {...(task.fraction !== null ? { value: task.fraction } : {})} aria-label="SEG progress" />
        </div>
      )}
      {mine && task.result !== null && (
        <p className="muted small" role="status" data-testid="seg-dicom-result">
          {task.result}
        </p>
      )}
      {mine && task.problem !== null && (
        <p className="problem" role="alert">
          {task.problem}
        </p>
      )}
    </section>
  );
}
