// Finds the user's own Python with PyTorch and MONAI (issue #14), which runs exported MONAI bundles: the
// `--python PATH` given, else VOXLAB_PYTHON, else python3 on PATH. voxlab never ships or installs Python.

import { execFile } from 'node:child_process';

/** What probing one Python found. `found` is true only when both torch and monai import. */
export interface PythonReport {
  readonly found: boolean;
  /** The interpreter asked (as given) and the one that answered (sys.executable), null when it did not start. */
  readonly command: string;
  readonly executable: string | null;
  /** Versions: Python, torch, MONAI; null when missing. */
  readonly python: string | null;
  readonly torch: string | null;
  readonly monai: string | null;
  /** CUDA devices torch sees (0 without CUDA or without torch). */
  readonly cudaDevices: number;
  /** One line for people: what was found, or why not and how to get one. */
  readonly detail: string;
}

export interface FindPythonOptions {
  /** An interpreter named by the user (`--python`); when given, it is the only candidate. */
  readonly python?: string;
  /** Environment of the probe and of the runs (default process.env): VOXLAB_PYTHON, PATH, PYTHONPATH. */
  readonly env?: NodeJS.ProcessEnv;
  /** Give up on a probe after this long (ms; default 60 s: importing torch can take seconds on a cold disk). */
  readonly timeoutMs?: number;
}

/** How to get a Python that voxlab can use, for messages. */
export const PYTHON_HELP =
  'install PyTorch and MONAI into a Python (pip install torch monai) and give it with --python PATH or VOXLAB_PYTHON';

/** Prints one JSON line: versions, or the import that failed. Runs under any Python 3. */
const PROBE = [
  'import json, sys',
  'r = {"executable": sys.executable, "python": sys.version.split()[0], "torch": None, "monai": None, "cuda": 0, "error": None}',
  'try:',
  '    import torch',
  '    r["torch"] = torch.__version__',
  '    r["cuda"] = torch.cuda.device_count() if torch.cuda.is_available() else 0',
  '    import monai',
  '    r["monai"] = monai.__version__',
  'except Exception as e:',
  '    r["error"] = "%s: %s" % (type(e).__name__, e)',
  'print(json.dumps(r))',
].join('\n');

/** The interpreters to try, in order: `python` alone when given, else VOXLAB_PYTHON, else python3. */
export function pythonCandidates(options: FindPythonOptions = {}): string[] {
  if (options.python !== undefined && options.python.trim() !== '') return [options.python];
  const fromEnv = (options.env ?? process.env).VOXLAB_PYTHON;
  return fromEnv !== undefined && fromEnv.trim() !== '' ? [fromEnv] : ['python3'];
}

/** Probes the candidate interpreter (see pythonCandidates); never throws: `found` and `detail` say what is wrong. */
export async function findPython(options: FindPythonOptions = {}): Promise<PythonReport> {
  return probePython(pythonCandidates(options)[0]!, options);
}

/** Runs `command` with the probe script and reports what it imports. Never throws. */
export function probePython(command: string, options: FindPythonOptions = {}): Promise<PythonReport> {
  const none = { executable: null, python: null, torch: null, monai: null, cudaDevices: 0 };
  return new Promise((resolve) => {
    execFile(
      command,
      ['-c', PROBE],
      { env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, windowsHide: true },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        let r: { executable: string; python: string; torch: string | null; monai: string | null; cuda: number; error: string | null };
        try {
          r = JSON.parse(line) as typeof r;
        } catch {
          const why =
            (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'
              ? 'not found'
              : (stderr.trim().split('\n').at(-1) ?? error?.message ?? 'no answer');
          resolve({ ...none, found: false, command, detail: `no usable Python at ${command} (${why}): ${PYTHON_HELP}` });
          return;
        }
        const found = r.torch !== null && r.monai !== null;
        const versions = `Python ${r.python}, torch ${r.torch ?? '-'}, MONAI ${r.monai ?? '-'}`;
        const detail = found
          ? `${r.executable}: ${versions}${r.cuda > 0 ? `, ${r.cuda} CUDA device(s)` : ', CPU only'}`
          : `${r.executable} (${versions}) cannot import ${r.torch === null ? 'torch' : 'monai'} (${r.error ?? '?'}): ${PYTHON_HELP}`;
        resolve({
          found,
          command,
          executable: r.executable,
          python: r.python,
          torch: r.torch,
          monai: r.monai,
          cudaDevices: r.cuda,
          detail,
        });
      },
    );
  });
}
