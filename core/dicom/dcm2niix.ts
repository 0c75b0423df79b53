// DICOM series to NIfTI with dcm2niix itself: the WebAssembly build that @niivue/dcm2niix ships (dcm2niix
// 1.0.2024x with JPEG, JPEG-LS, JPEG 2000 and RLE decoders), run in this Node process. Chosen over our own
// reader on dicom-parser/dcmjs because it IS the reference: same slice ordering, geometry, scaling,
// mosaic/enhanced/multi-echo splits and sidecars as the dcm2niix a lab already trusts (issue #11; on the
// MPRAGE in ../shared/data/dicom: 0.57 s to convert, 0.12 s to copy the files in).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mapLimited } from '../common/mapLimited.js';
import { VoxlabError } from '../common/errors.js';
import { provenanceOf, type DicomProvenance } from './provenance.js';
import { readInstanceRef, seriesRefs, type InstanceRef, type SeriesRefs } from './refs.js';

/** The part of an Emscripten module this uses (MEMFS and main). */
interface Dcm2niixModule {
  FS: {
    mkdir(path: string): void;
    writeFile(path: string, data: Uint8Array): void;
    writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void;
    readdir(path: string): string[];
    readFile(path: string): Uint8Array;
    lookupPath(path: string): { node: { contents: Uint8Array | null; usedBytes: number } };
  };
  callMain(args: string[]): number;
}
/** A compiled WebAssembly.Module (opaque here: our TS lib set has no DOM types to describe WebAssembly). */
export type CompiledWasm = { readonly __brand: 'WebAssembly.Module' };
type WasmInstance = { readonly __brand: 'WebAssembly.Instance' };
/** What this file uses of the WebAssembly global. */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<CompiledWasm>;
  instantiate(module: CompiledWasm, imports: unknown): Promise<WasmInstance>;
}
const wasm = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Emscripten's hook to instantiate the module ourselves (from a compiled WebAssembly.Module). */
type InstantiateWasm = (imports: unknown, receive: (instance: WasmInstance, module: CompiledWasm) => unknown) => Promise<unknown>;
type ModuleFactory = (options: { print: (s: string) => void; printErr: (s: string) => void; instantiateWasm?: InstantiateWasm }) => Promise<Dcm2niixModule>;

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
  /**
   * The source instances of its series (UIDs, positions) and the patient/study attributes a DICOM SEG
   * copies (refs.ts); PHI. Null when the series has no UID or its files could not be read as headers.
   */
  readonly refs: SeriesRefs | null;
}

export interface ConvertResult {
  readonly series: readonly ConvertedSeries[];
  /** dcm2niix's own messages (warnings about missing slices, skipped files, ...), one per line. */
  readonly log: readonly string[];
}

let factory: Promise<ModuleFactory> | null = null;
let compiled: Promise<CompiledWasm> | null = null;


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

/** The file of the WebAssembly build beside the Emscripten factory. */
function wasmFile(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.resolve('@niivue/dcm2niix'))), 'dcm2niix.jpeg.wasm');
}

/**
 * dcm2niix's WebAssembly code, compiled once per process (each conversion still gets a fresh instance and
 * memory). A WebAssembly.Module can be posted to a worker thread, which then skips compiling it.
 */
export function compiledDcm2niix(): Promise<CompiledWasm> {
  compiled ??= readFile(wasmFile()).then((bytes) => wasm().compile(bytes));
  return compiled;
}

/** Uses `module` (e.g. received from the main thread) instead of compiling dcm2niix here. */
export function useCompiledDcm2niix(module: CompiledWasm): void {
  compiled = Promise.resolve(module);
}

/** A fresh dcm2niix instance whose messages go to `log`. */
async function instantiate(log: string[]): Promise<Dcm2niixModule> {
  const [make, module] = await Promise.all([loadFactory(), compiledDcm2niix()]);
  // This Emscripten build awaits what the hook returns as the module's exports: `receive`'s answer.
  return make({
    print: (s) => log.push(s),
    printErr: (s) => log.push(s),
    instantiateWasm: (imports, receive) => wasm().instantiate(module, imports).then((instance) => receive(instance, module)),
  });
}

/**
 * Converts the DICOM `files` (absolute paths; any mix of series) with dcm2niix: one NIfTI and sidecar per
 * series (split where dcm2niix splits: echoes, orientations, ...). NOT_FOUND / IO_ERROR for a file that
 * cannot be read; see convertDicomBuffers for the rest.
 */
export async function convertDicomFiles(files: readonly string[]): Promise<ConvertResult> {
  if (!Array.isArray(files) || files.length === 0)
    throw new VoxlabError('BAD_ARGUMENT', 'convertDicomFiles: give at least one DICOM file');
  const log: string[] = [];
  // The instance starts while the files are read (8 at a time: libuv's threads overlap them).
  const starting = instantiate(log);
  const inputs = await mapLimited(files, 8, async (file) => {
    const bytes = await readFile(file).catch((e: NodeJS.ErrnoException) => {
      throw new VoxlabError(e.code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', `${file}: ${e.message}`, { path: file }, { cause: e });
    });
    return { name: path.basename(file), bytes };
  }).catch(async (e: unknown) => {
    await starting.catch(() => undefined);
    throw e;
  });
  return runDcm2niix(await starting, inputs, log);
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
  return runDcm2niix(await instantiate(log), inputs, log);
}

/**
 * Runs dcm2niix on `inputs` in the fresh instance `mod`. The input arrays are handed to its in-memory file
 * system without a copy (the caller must not change them until this returns); the NIfTI bytes returned are
 * views of the output files, not copies.
 */
function runDcm2niix(mod: Dcm2niixModule, inputs: readonly { name: string; bytes: Uint8Array }[], log: string[]): ConvertResult {
  mod.FS.mkdir('/in');
  mod.FS.mkdir('/out');
  // Flat names in memory: dcm2niix orders slices by their DICOM positions, never by file name.
  inputs.forEach(({ name, bytes }, i) => mod.FS.writeFile(`/in/${i}_${name.replace(/[^A-Za-z0-9._-]/g, '_')}`, bytes, { canOwn: true }));
  // -f %s_%d: dcm2niix's SeriesNumber_SeriesDescription names; -z n: we gzip ourselves; -b y: sidecars;
  // -ba n: keep the UIDs and patient fields in memory for provenance (withoutPhi strips them for files).
  let code: number;
  try {
    code = mod.callMain(['-o', '/out', '-f', '%s_%d', '-z', 'n', '-b', 'y', '-ba', 'n', '/in']);
  } catch (e) {
    throw new VoxlabError('NOT_A_VOLUME', `dcm2niix stopped on damaged DICOM data (${(e as Error).message})`, { files: inputs.length }, { cause: e });
  }
  tidyLog(log, inputs);
  const written = mod.FS.readdir('/out');
  const names = written.filter((n) => n.endsWith('.nii'));
  if (names.length === 0)
    throw new VoxlabError('NOT_A_VOLUME', `dcm2niix found no image series in ${inputs.length} file(s) (exit code ${code}): ${log.slice(-3).join(' / ')}`, { files: inputs.length, code });
  const refsOf = instanceRefsBySeries(inputs);
  const series = names.sort().map((file): ConvertedSeries => {
    const name = file.slice(0, -'.nii'.length);
    const json = written.includes(`${name}.json`) ? new TextDecoder().decode(mod.FS.readFile(`/out/${name}.json`)) : '{}';
    const sidecar = parseSidecar(json, log);
    // The file's own array in the in-memory file system (outside the WebAssembly heap): a view, no copy.
    const node = mod.FS.lookupPath(`/out/${file}`).node;
    const nifti = node.contents === null ? new Uint8Array(0) : node.contents.subarray(0, node.usedBytes);
    const provenance = provenanceOf(sidecar);
    return { name, nifti, sidecar, provenance, refs: provenance.seriesInstanceUid === null ? null : refsOf(provenance.seriesInstanceUid) };
  });
  return { series, log };
}

/**
 * The SeriesRefs of a series UID, from the headers of `inputs` (read once, on first use; the references of
 * every instance of the series, which writeSeg matches to a converted volume by geometry).
 */
function instanceRefsBySeries(inputs: readonly { bytes: Uint8Array }[]): (seriesUid: string) => SeriesRefs | null {
  let groups: Map<string, InstanceRef[]> | null = null;
  return (uid) => {
    if (groups === null) {
      groups = new Map();
      for (const { bytes } of inputs) {
        const ref = readInstanceRef(bytes);
        if (ref !== null) groups.set(ref.seriesInstanceUid, [...(groups.get(ref.seriesInstanceUid) ?? []), ref]);
      }
    }
    const group = groups.get(uid);
    return group === undefined ? null : seriesRefs(group);
  };
}

/**
 * dcm2niix's messages as a user can read them, in place: the in-memory names it saw (`/in/<n>_<name>`) become
 * the files' own names, and its advice about MRtrix's dwidenoise/mrdegibbs (partial Fourier, interpolated
 * acquisitions: about preprocessing diffusion data with MRtrix, not about reading the images) is dropped.
 */
export function tidyLog(log: string[], inputs: readonly { name: string }[]): void {
  const kept = log
    .filter((line) => !/dwidenoise|mrdegibbs/.test(line))
    .map((line) => line.replace(/\/in\/(\d+)_[^\s,;:'"()]*/g, (whole, n: string) => inputs[Number(n)]?.name ?? whole));
  log.splice(0, log.length, ...kept);
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
