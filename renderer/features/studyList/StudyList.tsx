// The study list: every image with its status (unlabeled / labeled / predicted), label and active-learning
// score; filter by status, search by id, sort by id, status or score (ask-first order). In a blinded reader
// study (issue #13) each row shows my read and done/needed reads, and "Left for me" filters what I still read.

import { useLabelStore } from '../../stores/useLabelStore.js';
import { predictionShort, predictionText } from '../labeling/predictionText.js';
import type { ImageSummary } from '../../../core/api/index.js';
import { passesFilter, useStudyStore, visibleImages, type SortKey, type StatusFilter } from '../../stores/useStudyStore.js';

const FILTERS: readonly StatusFilter[] = ['all', 'unlabeled', 'labeled', 'predicted'];
const FILTER_NAMES: Partial<Record<StatusFilter, string>> = { left: 'Left for me' };
const SORTS: readonly { key: SortKey; label: string }[] = [
  { key: 'id', label: 'Name' },
  { key: 'status', label: 'Status' },
  { key: 'score', label: 'AL score' },
];

/** Patient, study and series of a scan from DICOM, for the row's tooltip ('' for NIfTI scans). */
function sourceTitle(image: ImageSummary): string {
  const s = image.source;
  if (s == null) return image.id;
  return [
    `${image.id}`,
    `patient ${s.patientId ?? '?'}`,
    `study ${s.studyInstanceUid ?? '?'}`,
    `series ${s.seriesNumber ?? '?'} ${s.seriesDescription ?? ''} (${s.seriesInstanceUid ?? '?'})`,
    `${s.modality ?? ''} ${s.acquisitionDateTime ?? ''}`.trim(),
  ].join('\n');
}

export function StudyList(): React.JSX.Element {
  const s = useStudyStore();
  const unsaved = new Set(useLabelStore((u) => u.unsaved).map((w) => w.imageId));
  const rows = visibleImages(s);
  const reading = s.images.some((i) => i.reading !== undefined);
  const filters: readonly StatusFilter[] = reading ? [...FILTERS, 'left'] : FILTERS;
  const counts = Object.fromEntries(filters.map((f) => [f, s.images.filter((i) => passesFilter(i, f)).length]));
  return (
    <aside className="panel study-list" aria-label="Study list">
      <header className="panel-header">
        <h2 title={s.studyName}>{s.studyName || 'Study'}</h2>
        <span className="muted">{s.images.length} scans</span>
      </header>
      <div className="filters" role="group" aria-label="Filter by status">
        {filters.map((f) => (
          <button key={f} className={`chip${f === 'left' ? ' chip-plain' : ''}${s.filter === f ? ' active' : ''}`} onClick={() => s.setFilter(f)} aria-pressed={s.filter === f}>
            {FILTER_NAMES[f] ?? f} <span className="count">{counts[f]}</span>
          </button>
        ))}
      </div>
      <div className="list-tools">
        <input type="search" placeholder="Search scans" value={s.search} onChange={(e) => s.setSearch(e.target.value)} aria-label="Search scans" />
        <select value={s.sort} onChange={(e) => s.setSort(e.target.value as SortKey)} aria-label="Sort by">
          {SORTS.map((o) => (
            <option key={o.key} value={o.key}>
              Sort: {o.label}
            </option>
          ))}
        </select>
      </div>
      {s.error !== null && <p className="problem" role="alert">{s.error}</p>}
      <div className={`row header-row${reading ? ' with-reads' : ''}`} aria-hidden="true">
        <span />
        <span>Scan</span>
        <span title={reading ? 'Your own read (blinded: other readers\' answers are hidden)' : undefined}>{reading ? 'Mine' : 'Label'}</span>
        {reading && <span title="Readers who read the scan / reads it needs">Reads</span>}
        <span title="A model's prediction and its confidence: not a label">Model</span>
        <span title="Active-learning score: label high scores first">AL</span>
      </div>
      <ul className="rows" data-testid="study-rows">
        {rows.map((image) => {
          const score = s.scores[image.id];
          return (
            <li key={image.id}>
              <button
                className={`row${reading ? ' with-reads' : ''}${image.id === s.selectedId ? ' selected' : ''}`}
                data-image-id={image.id}
                data-status={image.status}
                onClick={() => s.select(image.id)}
              >
                <span className={`dot status-${image.status}`} title={image.status} />
                <span className="row-id" title={sourceTitle(image)}>
                  {image.id}
                  {image.source != null && (
                    <span className="row-source" data-testid="row-source">
                      {[image.source.patientId, image.source.modality, image.source.seriesDescription].filter((x) => x !== null).join(' · ')}
                    </span>
                  )}
                </span>
                <span className="row-label" data-testid="row-label">
                  {unsaved.has(image.id) ? (
                    <span className="row-unsaved" title="Your label for this scan is not saved yet">unsaved</span>
                  ) : image.reading !== undefined ? (
                    (image.reading.mine ?? '')
                  ) : (
                    (image.label ?? '')
                  )}
                </span>
                {reading && (
                  <span
                    className={`row-reads${image.reading !== undefined && image.reading.done >= image.reading.needed ? ' done' : ''}`}
                    data-testid="row-reads"
                    title="Readers who read the scan / reads it needs"
                  >
                    {image.reading === undefined ? '' : `${image.reading.done}/${image.reading.needed}`}
                  </span>
                )}
                <span
                  className="row-prediction"
                  data-testid="row-prediction"
                  title={image.prediction === null ? '' : `Model prediction (not a label): ${predictionText(image.prediction)}`}
                >
                  {image.prediction === null ? '' : predictionShort(image.prediction)}
                </span>
                <span className="row-score muted">{score === null || score === undefined ? '' : score.toFixed(2)}</span>
              </button>
            </li>
          );
        })}
        {rows.length === 0 && <li className="muted empty">No scans match.</li>}
      </ul>
    </aside>
  );
}
