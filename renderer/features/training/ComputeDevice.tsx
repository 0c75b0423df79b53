// Where training runs (issue #12: "the app shows the device in use"): the core's backend choice from
// doctor.report — a WebGPU adapter (named, software ones marked), native TensorFlow, or the CPU's wasm
// threads — and, when no GPU is used, the core's line on what to do to get one.

import { useEffect, useState } from 'react';
import type { DoctorInfo } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { deviceLine } from './deviceLine.js';

export function ComputeDevice(): React.JSX.Element | null {
  const [report, setReport] = useState<DoctorInfo | null>(null);
  useEffect(() => {
    let live = true;
    core()
      .doctor.report({})
      .then((r) => live && setReport(r))
      .catch(() => undefined); // the panel works without it; the connection light says when the server is away
    return () => {
      live = false;
    };
  }, []);
  if (report === null) return null;
  return (
    <p className="muted small" data-testid="compute-device" title={report.webgpu.detail}>
      Runs on: {deviceLine(report)}
      {report.backend !== 'webgpu' && (
        <>
          <br />
          {report.webgpu.detail}
        </>
      )}
    </p>
  );
}
