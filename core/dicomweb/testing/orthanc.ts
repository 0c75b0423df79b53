// A real PACS for tests: Orthanc (Debian packages `orthanc` and `orthanc-dicomweb`; 1.10.1 with DICOMweb plugin
// 1.7 here and in CI) on a free loopback port with a throwaway storage folder. Only node: imports, so the
// Playwright specs under e2e/ can start one too.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The Orthanc binary (env ORTHANC overrides) and the DICOMweb plugin (env ORTHANC_DICOMWEB_PLUGIN overrides). */
export const ORTHANC_BIN = process.env.ORTHANC ?? '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = process.env.ORTHANC_DICOMWEB_PLUGIN ?? '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/** Whether Orthanc and its DICOMweb plugin are installed. Tests skip only when they are not (CI installs them). */
export function orthancAvailable(): boolean {
  return existsSync(ORTHANC_BIN) && existsSync(DICOMWEB_PLUGIN);
}

export interface OrthancServer {
  /** The DICOMweb root, e.g. http://127.0.0.1:41234/dicom-web */
  readonly root: string;
  /** Orthanc's own REST API, e.g. http://127.0.0.1:41234 */
  readonly rest: string;
  /** Stops Orthanc and removes its storage. */
  stop(): Promise<void>;
  /** Stores DICOM files through the REST API (`POST /instances`). */
  uploadFiles(paths: readonly string[]): Promise<void>;
  /** Stores DICOM files given as bytes, the same way. */
  uploadBytes(files: readonly Uint8Array[]): Promise<void>;
  /** How many instances Orthanc holds. */
  countInstances(): Promise<number>;
}

/** A port nobody listens on now (the OS picks it for a socket bound to port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const STARTUP_MS = 20_000;

/**
 * Starts Orthanc with the DICOMweb plugin on a free loopback port, storage in a fresh temp folder, no DICOM
 * (DIMSE) server, no authentication; resolves once `GET /system` answers. Throws (with the tail of Orthanc's
 * log) when it does not within 20 s.
 */
export async function startOrthanc(): Promise<OrthancServer> {
  if (!orthancAvailable()) throw new Error(`Orthanc is not installed (${ORTHANC_BIN}, ${DICOMWEB_PLUGIN}): apt-get install orthanc orthanc-dicomweb`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'voxlab-orthanc-'));
  const port = await freePort();
  const config = {
    Name: 'voxlab-test',
    HttpPort: port,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    DicomServerEnabled: false,
    StorageDirectory: path.join(dir, 'storage'),
    IndexDirectory: path.join(dir, 'storage'),
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false },
    // HTTP compression stays on (Orthanc's default, as in real deployments); nothing kept between runs.
    StorageCompression: false,
    SaveJobs: false,
    HttpDescribeErrors: true,
    StableAge: 1,
  };
  const configFile = path.join(dir, 'orthanc.json');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  // Through a shell that stops Orthanc when its stdin closes: on stop(), and also when this process dies without
  // cleaning up (a test worker killed on a timeout), so no Orthanc outlives its test run.
  // (stdin is passed on as fd 3 explicitly: sh gives background jobs /dev/null as stdin otherwise.)
  const script = 'exec 3<&0; "$0" "$1" </dev/null & pid=$!; (cat <&3 >/dev/null; kill $pid 2>/dev/null) & exec 3<&-; wait $pid';
  const child = spawn('/bin/sh', ['-c', script, ORTHANC_BIN, configFile], { stdio: ['pipe', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    log = (log + s).slice(-4000);
  });
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.once('error', (e) => (exited = `could not start: ${e.message}`));
  const rest = `http://127.0.0.1:${port}`;

  const stop = async () => {
    const gone = exited === null ? new Promise((resolve) => child.once('exit', resolve)) : null;
    child.stdin.end();
    if (gone !== null) await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`Orthanc ${exited} before answering:\n${log.slice(-1500)}`);
    }
    const ok = await fetch(`${rest}/system`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Orthanc did not answer on ${rest} within ${STARTUP_MS / 1000} s:\n${log.slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  /** POSTs each of `count` files (`load(i)` gives its bytes and a name for errors), four at a time. */
  const upload = async (count: number, load: (i: number) => Promise<{ name: string; bytes: Uint8Array }>) => {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const { name, bytes } = await load(next++);
        const res = await fetch(`${rest}/instances`, { method: 'POST', body: bytes, headers: { 'Content-Type': 'application/dicom' } });
        if (!res.ok) throw new Error(`Orthanc refused ${name}: HTTP ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
  };

  return {
    root: `${rest}/dicom-web`,
    rest,
    stop,
    uploadFiles: (paths) => upload(paths.length, async (i) => ({ name: paths[i]!, bytes: await readFile(paths[i]!) })),
    uploadBytes: (files) => upload(files.length, async (i) => ({ name: `file ${i + 1}`, bytes: files[i]! })),
    async countInstances() {
      const res = await fetch(`${rest}/statistics`);
      return ((await res.json()) as { CountInstances: number }).CountInstances;
    },
  };
}
