// The writes of the disk-full campaign (diskFull.ts) over HTTP, the ledger of those the server acknowledged,
// and the check that each acknowledged write reads back equal. Contents are seeded random bytes, so that
// gzip cannot shrink them and each write takes the room it says.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { routeFor, type MethodName } from '../../api/index.js';
import type { Study } from '../../datastore/index.js';
import { toAffine } from '../../common/spaces.js';
import { encodeNifti } from '../../io/encodeNifti.js';
import { serializeSafetensors } from '../../model/safetensors.js';

/** The kinds of write the campaign makes, one of each per round, named by their method. */
export const WRITE_KINDS = ['labelmaps.save', 'labels.set', 'classes.add', 'datastore.add', 'models.import', 'dicom.stage'] as const;
export type WriteKind = (typeof WRITE_KINDS)[number];

/** The image labelmaps are saved on: [nx, ny, nz], one byte per voxel (160 KiB, about as much gzipped). */
const BIG_SHAPE = [64, 64, 40] as const;
/** Scans waiting in incoming/ to be imported (one per round while they last), each of SCAN_SHAPE. */
const SCANS = 48;
const SCAN_SHAPE = [16, 16, 32] as const;
/** Float32 weights per imported model (64 KiB), and how many weights files wait in incoming/. */
const WEIGHTS = 16_384;
const WEIGHT_FILES = 8;

/** A safetensors file of WEIGHTS random finite float32 weights. */
function randomWeights(random: (n: number) => Uint8Array): Uint8Array {
  const weights = new Float32Array(random(WEIGHTS * 4).buffer).map((v) => (Number.isFinite(v) ? v : 0));
  return serializeSafetensors([['w', { dtype: 'F32', shape: [WEIGHTS], data: weights }]]);
}

/** What the server acknowledged (answered 2xx), to read back later. */
export interface Ledger {
  /** Class-label version of image 'big' → [label, note]. */
  readonly labels: Map<number, readonly [string, string]>;
  readonly labelmaps: { version: number; sha: string }[];
  readonly classes: string[];
  /** Imported scans: id and SHA-256 of their float32 voxels as datastore.volume sends them. */
  readonly images: { id: string; sha: string }[];
  readonly models: { id: string; sha: string }[];
  /**
   * DICOM files staged into upload 'diskfull' (no read API: each answer counts the upload's files and bytes,
   * which must be those acknowledged before plus this one), and the answers that did not add up.
   */
  readonly dicom: { files: number; bytes: number; mismatches: string[] };
}

/** Bytes per staged DICOM file. */
const DICOM_BYTES = 48 * 1024;

/** The scans waiting in the study's incoming/ folder, by round. */
export interface Sources {
  /** Path inside the study, the id to import it as, SHA-256 of its voxels as float32 (datastore.volume). */
  readonly scans: readonly { file: string; id: string; sha: string }[];
  /** Weights files inside the study (path inside it, bytes) for models.import with `path`. */
  readonly weights: readonly { file: string; bytes: Uint8Array }[];
  /** The scan each round imports (each scan belongs to one round). */
  readonly byRound: Map<number, Sources['scans'][number]>;
  readonly random: (n: number) => Uint8Array;
}

/** Where the server is. */
export interface Endpoint {
  readonly url: string;
  readonly token: string;
}

/**
 * A write's answer: 2xx, or the status and the error's code and message; `saved`: the error says the write
 * itself was stored and only its audit row was not (details.auditOnly, core/datastore/audit.ts).
 */
export type Outcome = { ok: true } | { ok: false; status: number; code: string; message: string; saved: boolean };

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const IDENTITY = toAffine([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** An uncompressed NIfTI-1 file of uint8 `voxels` of `shape` [nx, ny, nz], 1 mm voxels. */
const niftiOf = (shape: readonly [number, number, number], voxels: Uint8Array): Uint8Array =>
  encodeNifti({ shape, data: voxels, affine: IDENTITY }, { compress: false });

/** A seeded xorshift32 byte source (the campaign is the same on every run). */
function randomBytesOf(seed: number): (n: number) => Uint8Array {
  let s = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      out[k] = s & 0xff;
    }
    return out;
  };
}

/**
 * Adds image 'big' (referenced) and the classes 'yes' and 'no' to `study`, and writes SCANS random scans and
 * WEIGHT_FILES weights files into its incoming/ folder for datastore.add and models.import. Runs before the disk fills.
 */
export async function prepareSources(study: Study, seed: number): Promise<Sources> {
  const random = randomBytesOf(seed);
  const big = path.join(study.dir, 'incoming', 'big.nii');
  writeFileSync(big, niftiOf(BIG_SHAPE, random(BIG_SHAPE[0] * BIG_SHAPE[1] * BIG_SHAPE[2])));
  await study.addImage(big, { copy: false, id: 'big' });
  for (const name of ['yes', 'no']) study.addClass({ name, author: 'setup' });
  const scans: Sources['scans'][number][] = [];
  for (let k = 0; k < SCANS; k++) {
    const file = `incoming/scan-${k}.nii`;
    const voxels = random(SCAN_SHAPE[0] * SCAN_SHAPE[1] * SCAN_SHAPE[2]);
    writeFileSync(path.join(study.dir, file), niftiOf(SCAN_SHAPE, voxels));
    scans.push({ file, id: `scan-${k}`, sha: sha(asFloat32Bytes(voxels)) });
  }
  const weights = Array.from({ length: WEIGHT_FILES }, (_, k) => ({ file: `incoming/weights-${k}.safetensors`, bytes: randomWeights(random) }));
  for (const w of weights) writeFileSync(path.join(study.dir, w.file), w.bytes);
  return { scans, weights, byRound: new Map(), random };
}

/** Calls `method` over HTTP; resolves the JSON result or the raw bytes with their status. Never rejects. */
async function call(
  at: Endpoint,
  method: MethodName,
  args: Record<string, unknown>,
  data?: Uint8Array,
): Promise<{ status: number; json?: unknown; bytes?: Uint8Array; error?: { code: string; message: string; details?: Record<string, unknown> } }> {
  const { verb, path: route, body } = routeFor(method, args);
  const headers: Record<string, string> = { 'x-voxlab-token': at.token };
  if (data !== undefined) headers['content-type'] = 'application/octet-stream';
  else if (body !== null) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${at.url}${route}`, {
      method: verb,
      headers,
      body: data !== undefined ? data : body !== null ? JSON.stringify(body) : null,
    });
  } catch (e) {
    return { status: 0, error: { code: 'NO_ANSWER', message: `${method}: ${(e as Error).message} (${String((e as { cause?: unknown }).cause)})` } };
  }
  const raw = new Uint8Array(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  if (res.ok) return type.includes('json') ? { status: res.status, json: JSON.parse(Buffer.from(raw).toString('utf8')) } : { status: res.status, bytes: raw };
  try {
    const err = (JSON.parse(Buffer.from(raw).toString('utf8')) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
    return { status: res.status, error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
  } catch {
    return { status: res.status, error: { code: 'NOT_JSON', message: Buffer.from(raw).toString('utf8').slice(0, 200) } };
  }
}

/** The float32 voxels datastore.volume answers for a uint8 scan file's voxels. */
const asFloat32Bytes = (voxels: Uint8Array): Uint8Array => new Uint8Array(Float32Array.from(voxels).buffer);

/**
 * Makes one write of `kind` (its target depends on `round`: a second call with the same round tries the same
 * class name, scan or model id again), records it in `ledger` when acknowledged, and returns its outcome;
 * null when there is nothing left to write of that kind (every scan used).
 */
export async function writeOnce(at: Endpoint, kind: WriteKind, round: number, sources: Sources, ledger: Ledger): Promise<Outcome | null> {
  const author = 'diskfull';
  let answer: Awaited<ReturnType<typeof call>>;
  let onOk: (json: unknown) => void;
  if (kind === 'labelmaps.save') {
    const bytes = sources.random(BIG_SHAPE[0] * BIG_SHAPE[1] * BIG_SHAPE[2]);
    answer = await call(at, kind, { imageId: 'big', author }, bytes);
    onOk = (json) => ledger.labelmaps.push({ version: (json as { version: number }).version, sha: sha(bytes) });
  } else if (kind === 'labels.set') {
    const label = round % 2 === 0 ? 'yes' : 'no';
    const note = Buffer.from(sources.random(1500)).toString('hex'); // 3000 characters: the database grows too
    answer = await call(at, kind, { imageId: 'big', label, author, note });
    onOk = (json) => ledger.labels.set((json as { version: number }).version, [label, note]);
  } else if (kind === 'classes.add') {
    const name = `class-${round}`;
    answer = await call(at, kind, { name, author });
    onOk = () => ledger.classes.push(name);
  } else if (kind === 'datastore.add') {
    // A round's scan is fixed once picked, so that trying a round again tries the same scan.
    let scan = sources.byRound.get(round);
    if (scan === undefined) {
      scan = sources.scans[sources.byRound.size];
      if (scan === undefined) return null;
      sources.byRound.set(round, scan);
    }
    answer = await call(at, kind, { path: scan.file, author, id: scan.id });
    onOk = () => ledger.images.push({ id: scan.id, sha: scan.sha });
  } else if (kind === 'dicom.stage') {
    answer = await call(at, kind, { uploadId: 'diskfull', name: `IM${round}` }, sources.random(DICOM_BYTES));
    onOk = (json) => {
      const { files, bytes } = json as { files: number; bytes: number };
      const d = ledger.dicom;
      if (files !== d.files + 1 || bytes !== d.bytes + DICOM_BYTES)
        d.mismatches.push(`dicom.stage: after ${d.files} staged files (${d.bytes} bytes) and IM${round}, the upload holds ${files} (${bytes} bytes)`);
      d.files = files;
      d.bytes = bytes;
    };
  } else {
    // Odd rounds name a weights file already in the study (no upload: only the model's own write can fail).
    const modelId = `model-${round}`;
    const inside = round % 2 === 1 ? sources.weights[(round >> 1) % sources.weights.length]! : undefined;
    const bytes = inside?.bytes ?? randomWeights(sources.random);
    const args = { modelId, format: 'safetensors', classes: ['no', 'yes'], ...(inside !== undefined ? { path: inside.file } : {}) };
    answer = await call(at, kind, args, inside === undefined ? bytes : undefined);
    onOk = () => ledger.models.push({ id: modelId, sha: sha(bytes) });
  }
  if (answer.error !== undefined)
    return { ok: false, status: answer.status, code: answer.error.code, message: answer.error.message, saved: answer.error.details?.auditOnly === true };
  onOk(answer.json);
  return { ok: true };
}

/**
 * Reads back every write in `ledger` over HTTP: `lost` has one line per write that is missing or differs
 * (empty: nothing acknowledged was lost), `refused` one per read refused DISK_FULL for its audit row.
 */
export async function verifyAcknowledged(at: Endpoint, ledger: Ledger): Promise<{ lost: string[]; refused: string[] }> {
  const lost: string[] = [...ledger.dicom.mismatches];
  const refused: string[] = [];
  const history = await call(at, 'labels.history', { imageId: 'big' });
  const versions = new Map(((history.json ?? []) as { version: number; label: string | null; note: string | null }[]).map((v) => [v.version, v]));
  for (const [version, [label, note]] of ledger.labels) {
    const v = versions.get(version);
    if (v === undefined || v.label !== label || v.note !== note) lost.push(`labels.set: version ${version} of "big" reads ${JSON.stringify(v?.label)}, not "${label}" with its note`);
  }
  for (const { version, sha: want } of ledger.labelmaps) {
    const got = await call(at, 'labelmaps.get', { imageId: 'big', version });
    if (got.bytes === undefined || sha(got.bytes) !== want) lost.push(`labelmaps.save: version ${version} of "big" ${got.error ? `answers ${got.error.code}` : 'differs'}`);
  }
  const classes = await call(at, 'classes.list', {});
  const names = new Set(((classes.json ?? []) as { name: string }[]).map((c) => c.name));
  for (const name of ledger.classes) if (!names.has(name)) lost.push(`classes.add: class "${name}" is missing`);
  for (const { id, sha: want } of ledger.images) {
    const got = await call(at, 'datastore.volume', { imageId: id });
    if (got.bytes === undefined || sha(got.bytes) !== want) lost.push(`datastore.add: scan "${id}" ${got.error ? `answers ${got.error.code}` : 'has other voxels'}`);
  }
  for (const { id, sha: want } of ledger.models) {
    const got = await call(at, 'models.export', { modelId: id });
    // An export is audited: on a full disk it is refused for its audit row, which says nothing of the model.
    if (got.error?.code === 'DISK_FULL' && got.error.details?.auditOnly === true) refused.push(`models.export of "${id}"`);
    else if (got.bytes === undefined || sha(got.bytes) !== want) lost.push(`models.import: model "${id}" ${got.error ? `answers ${got.error.code}` : 'exports other bytes'}`);
  }
  return { lost, refused };
}
