// Which Node ABI a native addon (.node file) was compiled for, read from its bytes without loading it, so a
// mismatch is found before Electron's core process dies on it (issue #17).

import { readFileSync } from 'node:fs';

/**
 * What a .node file was built for:
 * - `node-api`: a Node-API addon (exports `napi_register_module_v1`): loads in any Node or Electron.
 * - `module-version`: a V8-API addon (exports `node_register_module_v<N>`): loads only where
 *   `process.versions.modules` is N (Node 20: 115; Electron 45: 150).
 * - `unknown`: neither symbol found (an old `NODE_MODULE` addon registers through a constructor only).
 */
export type AddonAbi =
  | { readonly kind: 'node-api' }
  | { readonly kind: 'module-version'; readonly moduleVersion: number }
  | { readonly kind: 'unknown' };

/** Node's NODE_MODULE_INIT exports this name with NODE_MODULE_VERSION appended (node.h). */
const PER_VERSION_SYMBOL = 'node_register_module_v';
const NODE_API_SYMBOL = 'napi_register_module_v';

/**
 * Reads the ABI from an addon's bytes. The export's name is plain text in the dynamic symbol table of ELF,
 * the string table of Mach-O (with a leading `_`) and the export directory of PE, so one search serves all
 * three. A per-version symbol wins over a Node-API one: such a file still needs its exact Node.
 */
export function addonAbiOfBytes(bytes: Uint8Array): AddonAbi {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = buf.indexOf(PER_VERSION_SYMBOL, 0, 'latin1');
  if (at >= 0) {
    let end = at + PER_VERSION_SYMBOL.length;
    while (end < buf.length && buf[end]! >= 0x30 && buf[end]! <= 0x39) end++;
    const digits = buf.toString('latin1', at + PER_VERSION_SYMBOL.length, end);
    if (digits.length > 0) return { kind: 'module-version', moduleVersion: Number(digits) };
  }
  if (buf.includes(NODE_API_SYMBOL, 0, 'latin1')) return { kind: 'node-api' };
  return { kind: 'unknown' };
}

/** addonAbiOfBytes of the file `file`. Throws what readFileSync throws (ENOENT when it is missing). */
export function addonAbi(file: string): AddonAbi {
  return addonAbiOfBytes(readFileSync(file));
}

/** The ABI in words, for messages: "NODE_MODULE_VERSION 115", "Node-API (any runtime)". */
export function describeAbi(abi: AddonAbi): string {
  if (abi.kind === 'module-version') return `NODE_MODULE_VERSION ${abi.moduleVersion}`;
  return abi.kind === 'node-api' ? 'Node-API (any runtime)' : 'an ABI voxlab cannot read from the file';
}
