// The files chosen for a DICOM import, from the folder picker (<input webkitdirectory>) or a drop, walked out of
// directory entries (FileSystemDirectoryEntry, read in batches until an empty one). File handles only: no
// bytes are read here (each file is read right before its upload, so a large folder never sits in memory).
// Typed structurally, so the walk is tested in Node with fake entry trees.

/** What the upload needs of a File (its bytes are read only when it is sent). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A chosen file and where it sat inside what was chosen, '/'-separated ('MR/IM0001'). */
export interface PickedFile {
  readonly file: FileLike;
  readonly path: string;
}

/** The part of FileSystemEntry the walk uses (FileSystemFileEntry / FileSystemDirectoryEntry in the DOM). */
export interface EntryLike {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly name: string;
  readonly fullPath: string;
  /** Files only. */
  file?(ok: (file: FileLike) => void, fail?: (error: unknown) => void): void;
  /** Directories only. */
  createReader?(): { readEntries(ok: (entries: readonly EntryLike[]) => void, fail?: (error: unknown) => void): void };
}

/** What a walk found: the files in path order, and the entries it could not read (named, for the reader). */
export interface WalkResult {
  readonly files: PickedFile[];
  readonly unreadable: string[];
}

/**
 * Names that are never DICOM and only cost an upload: hidden files such as macOS's .DS_Store and its `._x`
 * resource forks, and Windows' Thumbs.db / desktop.ini.
 */
export function isClutter(name: string): boolean {
  return name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

const relative = (fullPath: string) => fullPath.replace(/^\/+/, '');

function fileOf(entry: EntryLike): Promise<FileLike> {
  return new Promise((resolve, reject) => entry.file!(resolve, reject));
}

/** Every entry of a directory: readEntries answers in batches (100 in Chromium) until an empty one. */
async function childrenOf(entry: EntryLike): Promise<EntryLike[]> {
  const reader = entry.createReader!();
  const all: EntryLike[] = [];
  for (;;) {
    const batch = await new Promise<readonly EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Walks dropped entries (files and folders, recursively) into the files to upload, sorted by path. */
export async function walkEntries(entries: readonly EntryLike[]): Promise<WalkResult> {
  const files: PickedFile[] = [];
  const unreadable: string[] = [];
  const visit = async (entry: EntryLike): Promise<void> => {
    if (isClutter(entry.name)) return;
    try {
      if (entry.isFile && entry.file !== undefined) files.push({ file: await fileOf(entry), path: relative(entry.fullPath) || entry.name });
      else if (entry.isDirectory && entry.createReader !== undefined) for (const child of await childrenOf(entry)) await visit(child);
    } catch {
      // The browser gives no reason worth showing (a permission or a file gone meanwhile): the path is named.
      unreadable.push(relative(entry.fullPath) || entry.name);
    }
  };
  for (const entry of entries) await visit(entry);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unreadable };
}

/** The files of a folder picker (webkitRelativePath = 'folder/sub/name'), clutter left out, sorted by path. */
export function pickedFromInput(list: Iterable<FileLike & { readonly webkitRelativePath?: string }>): PickedFile[] {
  const files = [...list]
    .filter((f) => !isClutter(f.name))
    .map((f) => ({ file: f, path: f.webkitRelativePath || f.name }));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A name for what was chosen: the common top folder ('trio_b17_t1_mprage'), else the count of files. */
export function chosenName(files: readonly PickedFile[]): string {
  const tops = new Set(files.map((f) => (f.path.includes('/') ? f.path.split('/')[0]! : '')));
  const [top] = tops;
  if (tops.size === 1 && top !== undefined && top !== '') return top;
  return files.length === 1 ? files[0]!.path : `${files.length} files`;
}
