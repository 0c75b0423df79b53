// The import panel (issue #11): a card over the viewer, not modal (the reader keeps working while files
// upload): upload progress ("Uploading 120 of 176 files") with Cancel, then the core's import job, then the
// report; problems in words with "Try again" when the same files can be sent again. Escape closes it once
// nothing runs.

import { useEffect, useRef } from 'react';
import { useConnectionStore } from '../../stores/useConnectionStore.js';
import { importRunning, useDicomImportStore } from '../../stores/useDicomImportStore.js';
import { ImportReportView } from './ImportReportView.js';
import { cancelImport, retryImport } from './importActions.js';

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function Progress(): React.JSX.Element {
  const s = useDicomImportStore();
  const offline = useConnectionStore((c) => c.state !== 'online');
  const uploading = s.phase === 'uploading';
  return (
    <div className="job" data-testid="import-progress">
      <span role="status">
        {uploading ? `Uploading ${s.uploaded} of ${s.total} files` : `Importing: ${s.message || 'starting'}`}
        {uploading && s.bytes > 0 && <span className="muted small"> · {megabytes(s.bytes)}</span>}
      </span>
      <button onClick={() => void cancelImport()}>Cancel</button>
      <progress
        aria-label={uploading ? 'Upload progress' : 'Import progress'}
        max={1}
        {...(uploading ? { value: s.total === 0 ? 0 : s.uploaded / s.total } : s.fraction !== null ? { value: s.fraction } : {})}
      />
      {offline && (
        <span className="import-offline" role="status">
          The voxlab server is not answering. {uploading ? 'The upload stops here; choose Try again once it is back.' : 'This panel follows the import again once it is back.'}
        </span>
      )}
    </div>
  );
}

export function ImportPanel(): React.JSX.Element | null {
  const s = useDicomImportStore();
  const box = useRef<HTMLDivElement>(null);
  const running = importRunning(s);
  useEffect(() => {
    if (s.open) box.current?.focus();
  }, [s.open]);
  if (!s.open) return null;
  const title = s.source === 'pacs' ? 'Import from PACS' : 'Import DICOM';
  return (
    <div
      ref={box}
      className="import-panel"
      role="dialog"
      aria-label="DICOM import"
      tabIndex={-1}
      data-phase={s.phase}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !running) {
          e.stopPropagation();
          s.close();
        }
      }}
    >
      <header>
        <h2 title={s.what !== '' ? `${title} · ${s.what}` : title}>
          {title}
          {s.what !== '' && <span className="muted"> · {s.what}</span>}
        </h2>
        <button onClick={s.close} disabled={running} aria-label="Close import" title={running ? 'Cancel first, or wait until it ends' : 'Close (Esc)'}>
          ✕
        </button>
      </header>
      {running && <Progress />}
      {s.phase === 'cancelled' && <p className="muted">Cancelled: nothing was imported.</p>}
      {s.problem !== null && (
        <p className="problem" role="alert">
          {s.problem}
        </p>
      )}
      {(s.phase === 'failed' || s.phase === 'cancelled') && s.canRetry && (
        <div className="row-actions">
          <button className="primary" onClick={retryImport}>
            Try again
          </button>
        </div>
      )}
      {s.report !== null && <ImportReportView report={s.report} />}
    </div>
  );
}
