// A stand-in for the user's Python in tests (no torch needed): a shell script that answers voxlab's probe
// with torch and MONAI versions and, for `-m monai.bundle run`, runs fakeBundle.mjs, which writes a
// metrics.jsonl like an exported bundle's (mode from FAKE_BUNDLE: ok, error, crash, slow, partial).

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FAKE_BUNDLE = fileURLToPath(new URL('./fakeBundle.mjs', import.meta.url));

/** Writes `dir`/python (executable) and returns its path. `withMonai: false` answers the probe without monai. */
export async function writeFakePython(dir: string, options: { withMonai?: boolean } = {}): Promise<string> {
  const probe = JSON.stringify({
    executable: path.join(dir, 'python'),
    python: '3.11.0',
    torch: '2.1.0',
    monai: options.withMonai === false ? null : '1.3.2',
    cuda: 0,
    error: options.withMonai === false ? "ModuleNotFoundError: No module named 'monai'" : null,
  });
  const script = [
    '#!/bin/sh',
    `if [ "$1" = "-c" ]; then echo '${probe}'; exit 0; fi`,
    `exec "${process.execPath}" "${FAKE_BUNDLE}" "$@"`,
    '',
  ].join('\n');
  const file = path.join(dir, 'python');
  await fsp.writeFile(file, script, { mode: 0o755 });
  return file;
}

/** A minimal bundle folder (configs/train.json and metadata.json) for runBundle to accept. */
export async function writeFakeBundle(dir: string): Promise<void> {
  await fsp.mkdir(path.join(dir, 'configs'), { recursive: true });
  await fsp.writeFile(path.join(dir, 'configs', 'train.json'), '{"run": []}\n');
  const metadata = { network_data_format: { inputs: { image: { spatial_shape: [32, 32, 32] } } } };
  await fsp.writeFile(path.join(dir, 'configs', 'metadata.json'), JSON.stringify(metadata));
}
