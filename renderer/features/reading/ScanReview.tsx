// One scan under review (issue #13): every reader's latest read side by side, the reference label with who
// set it and when, and one button per class to set the reference (adjudication). Off until the scan's
// pixels are on screen, and for roles that may not adjudicate (the reason shown).

import { useScanOnScreen } from '../../app/scanOnScreen.js';
import { useReadingStore } from '../../stores/useReadingStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { useRefusal } from '../session/useRefusal.js';
import { adjudicate } from './readingActions.js';
import { referenceText } from './referenceLabel.js';

const when = (iso: string) => new Date(iso).toLocaleString();

export function ScanReview(props: { imageId: string }): React.JSX.Element {
  const { imageId } = props;
  const r = useReadingStore();
  const classes = useStudyStore((s) => s.classInfo);
  const onScreen = useScanOnScreen() === imageId;
  const refused = useRefusal('reads.adjudicate');
  const shown = r.imageId === imageId;
  const reads = shown ? r.reads : [];
  const reference = shown ? r.reference : null;
  const off = !onScreen || r.busy || refused !== null;
  return (
    <section className="scan-review" aria-label={`Reads of ${imageId}`} data-testid="scan-review">
      <h3>Reads of {imageId}</h3>
      <div className="reads" data-testid="reads">
        {reads.map((x) => (
          <div key={x.reader} className="read-card" data-testid="read" data-reader={x.reader} data-label={x.label ?? ''}>
            <span className="read-reader">{x.reader}</span>
            <strong className="read-label">{x.label ?? 'cleared'}</strong>
            <span className="muted small">
              {when(x.createdAt)} · v{x.version}
            </span>
          </div>
        ))}
        {shown && reads.length === 0 && <p className="muted">Nobody has read this scan yet.</p>}
      </div>
      <p className="reference" data-testid="reference">
        <span className="muted">Reference: </span>
        {reference === null ? <span className="muted">{shown ? 'loading…' : ''}</span> : referenceText(reference)}
      </p>
      <div className="class-buttons" role="group" aria-label="Set the reference label">
        {classes.map((c) => (
          <button
            key={c.name}
            className={`class-button${reference?.label === c.name && reference.version > 0 ? ' active' : ''}`}
            disabled={off}
            title={refused ?? (onScreen ? `Set the reference label of ${imageId} to ${c.name}` : `Wait until ${imageId} is on screen`)}
            onClick={() => void adjudicate(imageId, c.name)}
          >
            <span className="class-swatch" style={{ background: c.colour }} aria-hidden="true" />
            Reference: {c.name}
          </button>
        ))}
      </div>
      {refused !== null && <p className="muted small">{refused}</p>}
      {!onScreen && refused === null && <p className="muted small">Setting the reference is off until {imageId} is on screen.</p>}
      {r.problem !== null && shown && (
        <p className="problem" role="alert" data-testid="reading-problem">
          {r.problem}
        </p>
      )}
    </section>
  );
}
