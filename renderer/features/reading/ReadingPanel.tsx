// The Reading panel of a team study (issue #13), for reviewers, researchers and admins: the reading
// settings, inter-reader agreement, the scans the readers disagree on, and the chosen scan's reads side by
// side with its reference label (set by adjudication). Kept fresh from label events.

import { useEffect } from 'react';
import { core } from '../../api/core.js';
import { useReadingStore } from '../../stores/useReadingStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { AgreementFigures } from './AgreementFigures.js';
import { ReadingSettingsForm } from './ReadingSettingsForm.js';
import { ScanReview } from './ScanReview.js';
import { loadReading, loadScanReads, reviewScan } from './readingActions.js';

export function ReadingPanel(): React.JSX.Element {
  const { settings, report, reportProblem } = useReadingStore();
  const selectedId = useStudyStore((s) => s.selectedId);
  useEffect(() => {
    void loadReading();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = core().events.subscribe((e) => {
      if (e.type !== 'label.changed' || e.what !== 'class') return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        void loadReading();
        const open = useReadingStore.getState().imageId;
        if (open !== null) void loadScanReads(open);
      }, 150); // coalesce bursts (many readers at once)
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  useEffect(() => {
    if (selectedId !== null) void loadScanReads(selectedId);
  }, [selectedId]);
  return (
    <div className="reading-panel" data-testid="reading-panel">
      {settings !== null && <ReadingSettingsForm settings={settings} />}
      <h3>Agreement</h3>
      {reportProblem !== null && (
        <p className="problem" role="alert">
          {reportProblem}
        </p>
      )}
      {report === null && reportProblem === null && <p className="muted">Loading…</p>}
      {report !== null && <AgreementFigures view={report} />}
      {report !== null && (
        <>
          <h3>Disagreements ({report.disagreements.length})</h3>
          <ul className="disagreements" data-testid="disagreements">
            {report.disagreements.map((d) => (
              <li key={d.imageId}>
                <button
                  className={`disagreement-row${d.imageId === selectedId ? ' selected' : ''}`}
                  data-image-id={d.imageId}
                  onClick={() => reviewScan(d.imageId)}
                  title={`Show ${d.imageId} and its reads`}
                >
                  <span className="row-id">{d.imageId}</span>
                  <span className="muted small">{d.labels.map((l) => `${l.reader}: ${l.label}`).join(' · ')}</span>
                </button>
              </li>
            ))}
            {report.disagreements.length === 0 && <li className="muted">The readers agree on every scan read twice or more.</li>}
          </ul>
        </>
      )}
      {selectedId !== null ? <ScanReview imageId={selectedId} /> : <p className="muted">Choose a scan (or a disagreement) to see its reads.</p>}
    </div>
  );
}
