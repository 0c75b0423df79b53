// DICOM series to NIfTI with dcm2niix itself: the WebAssembly build that @niivue/dcm2niix ships (dcm2niix
// 1.0.2024x with JPEG, JPEG-LS, JPEG 2000 and RLE decoders), run in this Node process. Chosen over our own
// reader on dicom-parser/dcmjs because it IS the reference: same slice ordering, geometry, scaling,
// mosaic/enhanced/multi-echo splits and sidecars as the dcm2niix a lab already trusts (issue #11; on the
// MPRAGE in ../shared/data/dicom: 0.57 s to convert, 0.12 s to copy the files in).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { VoxlabError } from '../common/errors.js';
import { provenanceOf, type DicomProvenance } from './provenance.js';

/** The part of an Emscripten module this uses (MEMFS and main). */
interface Dcm2niixModule {
  FS: {
    mkdir(path: string): void;
    writeFile(path: string, data: Uint8Array): void;
    readdir(path: string): string[];
    readFile(path: string): Uint8Array;
  };
  callMain(args: string[]): number;
}
type ModuleFactory = (options: { print: (s: string) => void; printErr: (s: string) => void }) => Promise<Dcm2niixModule>;

/** One converted series: its NIfTI file and dcm2niix's BIDS-style sidecar. */
export interface ConvertedSeries {
  /** `<SeriesNumber>_<SeriesDescription>` plus dcm2niix's suffixes (_e2, _ph, ...), as `dcm2niix -f %s_%d` names it. */
  readonly name: string;
  /** An uncompressed NIfTI-1 file. */
  readonly nifti: Uint8Array;
  /**
   * The whole JSON sidecar, PHI included (BIDS fields: SeriesNumber, SeriesDescription, Modality, UIDs,
   * patient fields, ...): write it only through withoutPhi unless the user asked for PHI.
   */
  readonly sidecar: Record<string, unknown>;
  readonly provenance: DicomProvenance;
}

export interface ConvertResult {
  readonly series: readonly ConvertedSeries[];
  /** dcm2niix's own messages (warnings about missing slices, skipped files, ...), one per line. */
  readonly log: readonly string[];
}

let factory: Promise<ModuleFactory> | null = null;

/** Runs `task` on every item, at most `limit` at a time; the first failure is thrown once the running ones end. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const i = next++;
      await task(items[i]!, i).catch((e: unknown) => {
        failure ??= e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== null) throw failure;
}

/**
 * The Emscripten factory, imported once by file URL (the package exports only its browser worker wrapper).
 * Node warns that the package's files are ES modules without `"type": "module"`; that one warning is
 * about a dependency's packaging, not the user's data, so it is kept off the user's terminal.
 */
function loadFactory(): Promise<ModuleFactory> {
  factory ??= (async () => {
    const entry = fileURLToPath(import.meta.resolve('@niivue/dcm2niix'));
    const url = pathToFileURL(path.join(path.dirname(entry), 'dcm2niix.jpeg.js')).href;
    const emit = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (String(typeof warning === 'string' ? warning : warning.message).includes('"type"')) return;
      (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return ((await import(url)) as { default: ModuleFactory }).default;
    } finally {
      process.emitWarning = emit;
    }
  })();
  return factory;
}

/**
 * Converts the DICOM `files` (absolute paths; any mix of series) with dcm2niix: one NIfTI and sidecar per
 * series (split where dcm2niix splits: echoes, orientations, ...). NOT_FOUND / IO_ERROR for a file that
 * cannot be read; see convertDicomBuffers for the rest.
 */
export async function convertDicomFiles(files: readonly string[]): Promise<ConvertResult> {
  if (!Array.isArray(files) || files.length === 0)
    throw new VoxlabError('BAD_ARGUMENT', 'convertDicomFiles: give at least one DICOM file');
  const inputs: { name: string; bytes: Uint8Array }[] = new Array(files.length);
  // Reads go 8 at a time (libuv's threads overlap them).
  await forEachLimited(files, 8, async (file, i) => {
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new VoxlabError(e.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `${file}: ${e.message}`, { path: file }, { cause: e });
    });
    inputs[i] = { name: path.basename(file), bytes };
  });
  return convertDicomBuffers(inputs);
}

/**
 * Converts DICOM files given as bytes (`name` only labels them). Each call runs a fresh instance (dcm2niix's
 * main keeps global state), holding the inputs in memory. NOT_A_VOLUME when nothing in them converts (no
 * image DICOM), with dcm2niix's messages; damage that stops dcm2niix itself (a WebAssembly trap) is
 * NOT_A_VOLUME too, never an uncaught error.
 */
export async function convertDicomBuffers(inputs: readonly { name: string; bytes: Uint8Array }[]): Promise<ConvertResult> {
  if (inputs.length === 0) throw new VoxlabError('BAD_ARGUMENT', 'convertDicomBuffers: give at least one DICOM file');
  const log: string[] = [];
  const mod = await (await loadFactory())({ print: (s) => log.push(s), printErr: (s) => log.push(s) });
  mod.FS.mkdir('/in');
  mod.FS.mkdir('/out');
  // Flat names in memory: dcm2niix orders slices by their DICOM positions, never by file name.
  inputs.forEach(({ name, bytes }, i) => mod.FS.writeFile(`/in/${i}_${name.replace(/[^A-Za-z0-9._-]/g, '_')}`, bytes));
  // -f %s_%d: dcm2niix's SeriesNumber_SeriesDescription names; -z n: we gzip ourselves; -b y: sidecars;
  // -ba n: keep the UIDs and patient fields in memory for provenance (withoutPhi strips them for files).
  let code: number;
  try {
    code = mod.callMain(['-o', '/out', '-f', '%s_%d', '-z', 'n', '-b', 'y', '-ba', 'n', '/in']);
  } catch (e) {
    throw new VoxlabError('NOT_A_VOLUME', `dcm2niix stopped on damaged DICOM data (${(e as Error).message})`, { files: inputs.length }, { cause: e });
  }
  const written = mod.FS.readdir('/out');
  const names = written.filter((n) => n.endsWith('.nii'));
  if (names.length === 0)
    throw new VoxlabError('NOT_A_VOLUME', `dcm2niix found no image series in ${inputs.length} file(s) (exit code ${code}): ${log.slice(-3).join(' / ')}`, { files: inputs.length, code });
  const series = names.sort().map((file): ConvertedSeries => {
    const name = file.slice(0, -'.nii'.length);
    const json = written.includes(`${name}.json`) ? new TextDecoder().decode(mod.FS.readFile(`/out/${name}.json`)) : '{}';
    const sidecar = parseSidecar(json, log);
    // FS.readFile returns a fresh array (copied out of the module's memory): no second copy needed.
    return { name, nifti: mod.FS.readFile(`/out/${file}`), sidecar, provenance: provenanceOf(sidecar) };
  });
  return { series, log };
}

/** A sidecar as an object; text that is not a JSON object (damaged input) gives {} and a line in `log`. */
function parseSidecar(json: string, log: string[]): Record<string, unknown> {
  try {
    const value = JSON.parse(json) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  log.push('Warning: dcm2niix wrote a sidecar that is not a JSON object; it was left out');
  return {};
}
