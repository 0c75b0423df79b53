// "Connect to PACS…" (issue #11): the DICOMweb URL (remembered), an Authorization header value (memory only,
// as the dialog says), filters by modality and study date; Search lists the series, "Import selected" imports
// the chosen ones as a job. Opened by "Send SEG to PACS" without a connected PACS, it sends the SEG instead.

import { usePacsStore } from '../../stores/usePacsStore.js';
import { ModalDialog } from './ModalDialog.js';
import { importSelected, searchPacs } from './pacsActions.js';
import { importable } from './pacsRows.js';
import { PacsTable } from './PacsTable.js';
import { connectAndSend } from './segExportActions.js';

function PacsFields(): React.JSX.Element {
  const form = usePacsStore((s) => s.form);
  const setForm = usePacsStore((s) => s.setForm);
  return (
    <div className="pacs-fields">
      <label htmlFor="pacs-url">DICOMweb URL</label>
      <input
        id="pacs-url"
        type="url"
        data-autofocus
        value={form.url}
        placeholder="http://localhost:8042/dicom-web"
        aria-describedby="pacs-url-help"
        onChange={(e) => setForm({ url: e.target.value })}
      />
      <span id="pacs-url-help" className="field-help">
        The PACS's DICOMweb root (QIDO-RS, WADO-RS, STOW-RS). Remembered on this computer.
      </span>
      <label htmlFor="pacs-auth">Authorization header</label>
      <input
        id="pacs-auth"
        type="password"
        autoComplete="off"
        value={form.authorization}
        placeholder="optional, e.g. Basic dXNlcjpwYXNz or Bearer …"
        aria-describedby="pacs-auth-help"
        onChange={(e) => setForm({ authorization: e.target.value })}
      />
      <span id="pacs-auth-help" className="field-help">
        Kept in memory only: never stored, gone when this page closes.
      </span>
      <div className="pacs-filters">
        <label>
          Modality
          <input
            value={form.modality}
            maxLength={16}
            placeholder="all"
            onChange={(e) => setForm({ modality: e.target.value })}
          />
        </label>
        <label>
          Studies since
          <input type="date" value={form.since} onChange={(e) => setForm({ since: e.target.value })} />
        </label>
      </div>
    </div>
  );
}

export function PacsDialog(): React.JSX.Element | null {
  const s = usePacsStore();
  if (!s.open) return null;
  const sending = s.purpose.kind === 'sendSeg' ? s.purpose : null;
  const found = s.series;
  const inStudy = found?.filter((x) => x.imported).length ?? 0;
  const others = found === null ? 0 : found.length - inStudy - found.filter(importable).length;
  return (
    <ModalDialog label="Connect to PACS" className="pacs-dialog" onClose={s.closeDialog}>
      <header className="dialog-header">
        <h2>Connect to PACS</h2>
        <button onClick={s.closeDialog} aria-label="Close" title="Close (Esc)">
          ✕
        </button>
      </header>
      {sending !== null && (
        <p className="muted">
          Connect to the PACS that should receive the DICOM SEG of {sending.imageId} (labelmap version {sending.version}).
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void searchPacs();
        }}
      >
        <PacsFields />
        <div className="row-actions">
          <button type="submit" className={sending === null ? 'primary' : ''} disabled={s.searching}>
            Search
          </button>
          {sending !== null && (
            <button type="button" className="primary" onClick={() => void connectAndSend(sending.imageId, sending.version)}>
              Send SEG to this PACS
            </button>
          )}
          {s.searching && <span className="muted" role="status">Searching {s.form.url.trim()}…</span>}
        </div>
      </form>
      {s.problem !== null && (
        <p className="problem" role="alert">
          {s.problem}
        </p>
      )}
      {found !== null && !s.searching && (
        <>
          <p className="muted small" data-testid="pacs-summary">
            {found.length} series on the PACS, {inStudy} already in this study
            {others > 0 && `, ${others} not ${others === 1 ? 'a scan' : 'scans'} (SEG, reports…)`}; {s.selected.length} selected.
          </p>
          <PacsTable series={found} />
          <div className="row-actions">
            <button
              className="primary"
              onClick={importSelected}
              disabled={s.selected.length === 0}
              title={s.selected.length === 0 ? 'Select the series to import first' : `Import ${s.selected.length} series into this study`}
            >
              Import selected
            </button>
          </div>
        </>
      )}
    </ModalDialog>
  );
}
