// A packed app's resources/ turned into a tree plain Node can run (issue #17): app.asar becomes a folder of
// the same name holding the archive's packed files only. What electron-builder unpacked lies only in
// app.asar.unpacked, as in a user's install (Electron's fs would serve those files at their app.asar paths;
// plain Node does not), so the core run from this tree must find them through its own path mapping
// (core/runtime/packagedPath.ts), as native code and the OS must in the real app.

import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A node of the archive's header (@electron/asar's format). */
interface AsarNode {
  readonly files?: Record<string, AsarNode>;
  readonly size?: number;
  readonly offset?: string;
  readonly unpacked?: boolean;
  readonly executable?: boolean;
  readonly link?: string;
}
const asar = createRequire(import.meta.url)('@electron/asar') as {
  getRawHeader(archive: string): { header: AsarNode; headerSize: number };
};

/** Where the install tree's parts lie. */
export interface InstallTree {
  /** resources/app.asar: now a folder of the packed files. */
  readonly app: string;
  /** resources/app.asar.unpacked, left as electron-builder wrote it. */
  readonly unpacked: string;
  /** The archive file itself, moved to `archiveTo`. */
  readonly archive: string;
  /** Files the archive holds (packed and unpacked), as '/dist/...' paths. */
  readonly files: readonly string[];
  /** Of those, the files that are only in app.asar.unpacked. */
  readonly unpackedFiles: readonly string[];
}

/**
 * Replaces `resources`/app.asar by a folder of its packed files (symlinks and executable bits kept), moving
 * the archive file to `archiveTo`. Throws when `resources` holds no readable archive.
 */
export function makeInstallTree(resources: string, archiveTo: string): InstallTree {
  const archive = path.join(resources, 'app.asar');
  const { header, headerSize } = asar.getRawHeader(archive);
  const files: string[] = [];
  const unpackedFiles: string[] = [];
  const staging = path.join(resources, 'app.asar.extracting');
  const fd = openSync(archive, 'r');
  try {
    const walk = (node: AsarNode, rel: string): void => {
      const dest = path.join(staging, rel);
      if (node.files !== undefined) {
        mkdirSync(dest, { recursive: true });
        for (const [name, child] of Object.entries(node.files)) walk(child, `${rel}/${name}`);
        return;
      }
      files.push(rel);
      if (node.link !== undefined) {
        // Links are stored relative to the archive's root.
        symlinkSync(path.relative(path.dirname(rel), `/${node.link}`), dest);
      } else if (node.unpacked === true) {
        unpackedFiles.push(rel);
      } else {
        const bytes = Buffer.alloc(node.size ?? 0);
        if (bytes.length > 0) readSync(fd, bytes, 0, bytes.length, 8 + headerSize + Number(node.offset));
        writeFileSync(dest, bytes);
        if (node.executable === true) chmodSync(dest, 0o755);
      }
    };
    walk(header, '');
  } finally {
    closeSync(fd);
  }
  renameSync(archive, archiveTo);
  renameSync(staging, archive);
  return { app: archive, unpacked: `${archive}.unpacked`, archive: archiveTo, files, unpackedFiles };
}
