// Everything DICOM import puts over the app (issue #11): the drop target for the whole window, the import
// panel with its report, and the PACS dialog. Mounted once by the app shell.

import { DropOverlay } from './DropOverlay.js';
import { ImportPanel } from './ImportPanel.js';
import { PacsDialog } from './PacsDialog.js';
import { useDicomDrop } from './useDicomDrop.js';

export function DicomLayer(): React.JSX.Element {
  useDicomDrop();
  return (
    <>
      <ImportPanel />
      <PacsDialog />
      <DropOverlay />
    </>
  );
}
