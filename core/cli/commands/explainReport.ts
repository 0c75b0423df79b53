// What `voxlab explain` prints: the report as JSON (--json) or a few lines for people, with where the map
// was written and, with --study, where it was stored in the study.

import type { ExplanationRecord } from '../../datastore/index.js';
import type { ExplainScanReport } from '../../explain/index.js';
import type { ResolvedModel } from '../../infer/index.js';
import type { ParsedArgs } from '../command.js';

/** The report on stdout: JSON with --json, else a few lines for people. */
export function printReport(
  args: ParsedArgs,
  r: {
    file: string;
    model: ResolvedModel;
    engine: string;
    report: ExplainScanReport;
    stored: ExplanationRecord | null;
    out: string | undefined;
  },
): void {
  const { report, stored } = r;
  const storedIn =
    stored === null ? {} : { mapId: stored.id, storedAs: stored.storedPath, imageId: stored.imageId };
  if (args.values.json === true) {
    const full = {
      file: r.file,
      model: { id: r.model.id, kind: r.model.kind, engine: r.engine },
      ...report,
      ...storedIn,
    };
    process.stdout.write(`${JSON.stringify(full)}\n`);
    return;
  }
  const probs = report.classes.map((c, i) => `${c} ${report.probabilities[i]!.toFixed(3)}`).join('  ');
  process.stdout.write(
    [
      `${r.file}: ${report.classes[report.classIndex]} explained by ${report.method}${report.windows !== undefined ? ` (${report.windows} windows)` : ''} in ${report.seconds.toFixed(1)} s`,
      `probabilities  ${probs}`,
      `map            min ${report.map.min.toPrecision(4)}  max ${report.map.max.toPrecision(4)}  mean ${report.map.mean.toPrecision(4)}`,
      `peak           voxel (${report.peak.voxel.join(', ')})  world (${report.peak.worldMm.map((v) => v.toFixed(1)).join(', ')}) mm`,
      ...(r.out !== undefined ? [`written        ${r.out}`] : []),
      ...(stored !== null
        ? [`stored         ${stored.storedPath} in the study (image ${stored.imageId}, map ${stored.id})`]
        : []),
    ].join('\n') + '\n',
  );
}
