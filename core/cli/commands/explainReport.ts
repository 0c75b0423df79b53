// What `voxlab explain` prints: the report as JSON (--json) or a few lines for people, with where the map
// was written and, with --study, where it was stored in the study.

import type { ExplanationRecord } from '../../datastore/index.js';
import type { ExplainScanReport } from '../../explain/index.js';
import type { SanityReport } from '../../explain/sanity/index.js';
import type { ResolvedModel } from '../../infer/index.js';
import type { ParsedArgs } from '../command.js';

/** The report on stdout: JSON with --json, else a few lines for people. */
export function printReport(
  args: ParsedArgs,
  r: {
    file: string;
    model: ResolvedModel;
    report: ExplainScanReport;
    stored: ExplanationRecord | null;
    out: string | undefined;
    /** The sanity checks' report (--sanity), or null. */
    sanity?: SanityReport | null;
  },
): void {
  const { report, stored } = r;
  const storedIn =
    stored === null ? {} : { mapId: stored.id, storedAs: stored.storedPath, imageId: stored.imageId };
  if (args.values.json === true) {
    const full = {
      file: r.file,
      // The engine that computed the map (tfjs for Grad-CAM); report.classifierEngine gave the probabilities.
      model: { id: r.model.id, kind: r.model.kind, engine: report.engine },
      ...report,
      ...storedIn,
      ...(r.sanity != null ? { sanity: r.sanity } : {}),
    };
    process.stdout.write(`${JSON.stringify(full)}\n`);
    return;
  }
  const probs = report.classes.map((c, i) => `${c} ${report.probabilities[i]!.toFixed(3)}`).join('  ');
  process.stdout.write(
    [
      `${r.file}: ${report.classes[report.classIndex]} explained by ${report.method}${report.windows !== undefined ? ` (${report.windows} windows)` : ''} in ${report.seconds.toFixed(1)} s`,
      `probabilities  ${probs} (${report.classifierEngine})`,
      `map by         ${report.engine}${report.layer !== undefined ? ` at ${report.layer.name} (${report.layer.grid.join('x')} grid)` : ''}`,
      `map            min ${report.map.min.toPrecision(4)}  max ${report.map.max.toPrecision(4)}  mean ${report.map.mean.toPrecision(4)}`,
      peakLine(report),
      ...(r.out !== undefined ? [`written        ${r.out}`] : []),
      ...(stored !== null
        ? [`stored         ${stored.storedPath} in the study (image ${stored.imageId}, map ${stored.id})`]
        : []),
      ...(r.sanity != null ? [`sanity check   ${r.sanity.verdict} (${r.sanity.kind})`] : []),
    ].join('\n') + '\n',
  );
}

/** "peak ..." for people: the tied region's size and centroid, or "no positive evidence" (no peak). */
export function peakLine(report: Pick<ExplainScanReport, 'peak' | 'evidence'>): string {
  const p = report.peak;
  if (p === null) return `peak           none: ${report.evidence}`;
  const mm = p.centroidWorldMm.map((v) => v.toFixed(1)).join(', ');
  const ijk = p.centroidVoxel.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))).join(', ');
  const ties =
    p.voxelCount === 1
      ? 'one voxel'
      : `${p.voxelCount} tied voxels in ${p.regions} region${p.regions === 1 ? '' : 's'}, centroid`;
  return `peak           ${ties} (${ijk})  world (${mm}) mm`;
}
