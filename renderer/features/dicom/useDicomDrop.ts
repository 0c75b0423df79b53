// Files or folders dropped anywhere on the app window start a DICOM import (issue #11). Folders are walked
// from their FileSystemEntry (webkitGetAsEntry), which must be taken during the drop event itself.

import { useEffect } from 'react';
import { useDicomImportStore } from '../../stores/useDicomImportStore.js';
import { importPickedFiles } from './importActions.js';
import { walkEntries, type EntryLike, type PickedFile } from './pickedFiles.js';

const carriesFiles = (e: DragEvent) => e.dataTransfer !== null && [...e.dataTransfer.types].includes('Files');

/** The dropped items as entries (folders walkable), plain files where the browser gives no entry. */
function droppedEntries(transfer: DataTransfer): { entries: EntryLike[]; loose: PickedFile[] } {
  const entries: EntryLike[] = [];
  const loose: PickedFile[] = [];
  for (const item of [...transfer.items]) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() as unknown as EntryLike | null;
    if (entry !== null && entry !== undefined) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file !== null) loose.push({ file, path: file.name });
    }
  }
  return { entries, loose };
}

export function useDicomDrop(): void {
  useEffect(() => {
    let hide: ReturnType<typeof setTimeout> | undefined;
    const setDragging = (on: boolean) => {
      if (useDicomImportStore.getState().dragging !== on) useDicomImportStore.getState().setDragging(on);
    };
    const onDragOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer!.dropEffect = 'copy';
      setDragging(true);
      // dragleave fires for every child crossed; no dragover for a moment means the files left the window.
      clearTimeout(hide);
      hide = setTimeout(() => setDragging(false), 250);
    };
    const onDrop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      clearTimeout(hide);
      setDragging(false);
      const { entries, loose } = droppedEntries(e.dataTransfer!);
      void walkEntries(entries).then(({ files, unreadable }) => importPickedFiles([...files, ...loose], unreadable));
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      clearTimeout(hide);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
}
