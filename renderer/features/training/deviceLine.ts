// The line that names where training runs, from the core's doctor report (ComputeDevice.tsx shows it).

import type { DoctorInfo } from '../../../core/api/index.js';

/** The device line for a doctor report: the WebGPU adapter in use, native TensorFlow, or the CPU backend. */
export function deviceLine(d: DoctorInfo): string {
  const a = d.webgpu.adapter;
  if (d.backend === 'webgpu' && a !== null)
    return `GPU (WebGPU): ${a.description || `${a.vendor} ${a.architecture}`.trim()}${a.software ? ' — a software adapter on the CPU' : ''}`;
  if (d.backend === 'tensorflow') return 'TensorFlow (native)';
  return `CPU (${d.backend}, ${d.threads} thread${d.threads === 1 ? '' : 's'})`;
}
