// Child of the `dicom` bench's memory check: converts the DICOM folder argv[2] the way an import does (a worker
// thread, dcm2niix in WebAssembly) and prints one JSON line: the process's peak resident memory (main thread
// and worker together), before and after, and the sizes involved. Peak = Linux's VmHWM of this process (reset
// by exec, unlike getrusage's maxrss, which a spawned child inherits from its parent); maxRSS elsewhere.

import { readFileSync } from 'node:fs';
import { convertDicom } from '../../core/dicom/convertInWorker.js';
import { findDicomFiles } from '../../core/dicom/findDicomFiles.js';

/** Peak resident memory of this process so far, MiB. */
function peakMb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm !== null) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

const dir = process.argv[2]!;
const { files } = await findDicomFiles(dir);
const before = peakMb();
const t0 = process.hrtime.bigint();
const { series } = await convertDicom({ files });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(
  `${JSON.stringify({
    files: files.length,
    nifti_bytes: series.reduce((s, x) => s + x.nifti.length, 0),
    seconds,
    rss_before_mb: before,
    peak_rss_mb: peakMb(),
  })}\n`,
);
