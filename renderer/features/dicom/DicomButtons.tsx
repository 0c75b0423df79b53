// The toolbar's way in (issue #11): "Open DICOM folder…" (a hidden folder picker, <input webkitdirectory>)
// and "Connect to PACS…". Not offered to roles that may not import (issue #13).

import { useRef } from 'react';
import { importRunning, useDicomImportStore } from '../../stores/useDicomImportStore.js';
import { usePacsStore } from '../../stores/usePacsStore.js';
import { useRefusal } from '../session/useRefusal.js';
import { importPickedFiles } from './importActions.js';
import { pickedFromInput } from './pickedFiles.js';

/** Chromium's folder picker attributes (not in React's input props); `directory` for others that follow it. */
const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;

export function DicomButtons(): React.JSX.Element | null {
  const input = useRef<HTMLInputElement>(null);
  const running = useDicomImportStore(importRunning);
  const openPacs = usePacsStore((s) => s.openDialog);
  const mayImport = useRefusal('dicom.stage') === null;
  const mayUsePacs = useRefusal('pacs.search') === null;
  const onChosen = (e: React.ChangeEvent<HTMLInputElement>) => {
    const files = pickedFromInput(Array.from(e.target.files ?? []));
    e.target.value = ''; // choosing the same folder again fires change again
    importPickedFiles(files);
  };
  if (!mayImport && !mayUsePacs) return null;
  return (
    <div className="tool-group" role="group" aria-label="DICOM">
      <button
        onClick={() => input.current?.click()}
        disabled={running || !mayImport}
        hidden={!mayImport}
        title={running ? 'An import is running' : 'Upload a folder of DICOM files and import its series (or drop files or folders on the window)'}
      >
        Open DICOM folder…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="dicom-folder-input"
        aria-label="DICOM folder"
        onChange={onChosen}
        {...FOLDER_PICKER}
      />
      {mayUsePacs && (
        <button onClick={() => openPacs()} title="Search a PACS over DICOMweb and import series from it">
          Connect to PACS…
        </button>
      )}
    </div>
  );
}
