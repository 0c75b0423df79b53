// The series a PACS search found: patient, study, modality, series, instances and whether the study holds
// it already (or it is no scan, e.g. a SEG); checkboxes choose what "Import selected" imports (new scans
// start selected).

import type { PacsSeries } from '../../../core/api/index.js';
import { usePacsStore } from '../../stores/usePacsStore.js';
import { pacsRows } from './pacsRows.js';

const notAScanWhy = (modality: string) =>
  modality === 'SEG'
    ? 'A segmentation (DICOM SEG), not a scan: voxlab imports scans'
    : `A ${modality} series holds no image volume: voxlab imports scans`;

export function PacsTable(props: { series: readonly PacsSeries[] }): React.JSX.Element {
  const selected = usePacsStore((s) => s.selected);
  const setSelected = usePacsStore((s) => s.setSelected);
  const rows = pacsRows(props.series);
  const chosen = new Set(selected);
  const selectable = rows.filter((r) => !r.inStudy && !r.notAScan).map((r) => r.uid);
  const allOn = selectable.length > 0 && selectable.every((uid) => chosen.has(uid));
  const toggle = (uid: string, on: boolean) => setSelected(on ? [...selected, uid] : selected.filter((u) => u !== uid));
  if (rows.length === 0) return <p className="muted">The PACS has no series matching these filters.</p>;
  return (
    <div className="pacs-table-wrap">
      <table className="pacs-table" aria-label="Series on the PACS">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label="Select all new series"
                checked={allOn}
                disabled={selectable.length === 0}
                onChange={(e) => setSelected(e.target.checked ? selectable : [])}
              />
            </th>
            <th>Patient ID</th>
            <th>Patient name</th>
            <th>Study date</th>
            <th>Study</th>
            <th>Modality</th>
            <th>Series</th>
            <th className="num">Instances</th>
            <th>In study</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.uid} className={r.inStudy || r.notAScan ? 'in-study' : ''} data-series-uid={r.uid}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select series ${r.series || r.uid} of ${r.patientId || 'unknown patient'}`}
                  checked={chosen.has(r.uid)}
                  disabled={r.inStudy || r.notAScan}
                  title={r.inStudy ? 'Already in this study' : r.notAScan ? notAScanWhy(r.modality) : undefined}
                  onChange={(e) => toggle(r.uid, e.target.checked)}
                />
              </td>
              <td>{r.patientId}</td>
              <td>{r.patientName}</td>
              <td className="nowrap">{r.studyDate}</td>
              <td>{r.studyDescription}</td>
              <td>{r.modality}</td>
              <td title={r.uid}>{r.series}</td>
              <td className="num">{r.instances}</td>
              <td className="nowrap">
                {r.inStudy ? (
                  <span title="This series is already in the study">✓ in study</span>
                ) : r.notAScan ? (
                  <span className="muted" title={notAScanWhy(r.modality)}>
                    not a scan
                  </span>
                ) : (
                  ''
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
