// The end of an import: the series imported (each opens its scan, with patient · modality · series once the
// study list has it), those skipped with the reason, and dcm2niix's warnings. Shared by folder and PACS imports.

import type { DicomImportReport, ImageSummary } from '../../../core/api/index.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { openImported } from './importActions.js';
import { reportSummary } from './importReport.js';

/** 'Rorden Lab · MR · t1_MPRAGEcr_noGRAPPA' for a listed DICOM scan, else the report's series name. */
function seriesLine(image: ImageSummary | undefined, series: string): string {
  const s = image?.source;
  if (s == null) return series;
  return [s.patientId, s.modality, s.seriesDescription].filter((x) => x !== null).join(' · ');
}

export function ImportReportView(props: { report: DicomImportReport }): React.JSX.Element {
  const { report } = props;
  const images = useStudyStore((s) => s.images);
  return (
    <div className="import-report" data-testid="import-report">
      <p className="import-summary">{reportSummary(report)}.</p>
      {report.imported.length > 0 && (
        <section aria-label="Imported series">
          <h3>Imported</h3>
          <ul className="import-list">
            {report.imported.map((i) => (
              <li key={i.imageId}>
                <button className="link" onClick={() => openImported(i.imageId)} title={`Open ${i.imageId}`} data-image-id={i.imageId}>
                  {i.imageId}
                </button>
                <span className="muted small"> {seriesLine(images.find((m) => m.id === i.imageId), i.series)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.skipped.length > 0 && (
        <section aria-label="Skipped series">
          <h3>Skipped</h3>
          <ul className="import-list">
            {report.skipped.map((s, k) => (
              <li key={`${s.series}-${k}`}>
                <span>{s.series || 'a series'}</span>: <span className="muted">{s.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {report.warnings.length > 0 && (
        <section aria-label="Warnings">
          <h3>dcm2niix warnings</h3>
          <ul className="import-list import-warnings">
            {report.warnings.map((w, k) => (
              <li key={k}>{w}</li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
