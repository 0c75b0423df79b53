// "Connect to PACS…" (issue #11): search a DICOMweb server (pacs.search) with the dialog's filters and import
// the chosen series (pacs.import, a job followed in the import panel). The URL is remembered, the
// Authorization value only held in memory (usePacsStore).

import { core } from '../../api/core.js';
import { readerForWrite } from '../../api/identity.js';
import { usePacsStore } from '../../stores/usePacsStore.js';
import { describeDicomError } from './dicomWords.js';
import { importFromPacsJob } from './importActions.js';
import { initialSelection, pacsQuery } from './pacsRows.js';

/** Searches the PACS; the found series land in the store, new ones selected. Problems in words. */
export async function searchPacs(): Promise<void> {
  const store = usePacsStore.getState();
  const checked = pacsQuery(store.form);
  if ('problem' in checked) return store.setProblem(checked.problem);
  const { query } = checked;
  store.rememberUrl(query.url);
  store.setProblem(null);
  store.setSearching(true);
  try {
    const series = await core().pacs.search(query);
    usePacsStore.getState().searched(query.url, series, initialSelection(series));
  } catch (e) {
    usePacsStore.getState().setProblem(describeDicomError(e, 'pacs'));
  }
}

/** Imports the selected series as one job; the dialog closes and the import panel follows the job. */
export function importSelected(): void {
  const store = usePacsStore.getState();
  const checked = pacsQuery(store.form);
  if ('problem' in checked) return store.setProblem(checked.problem);
  if (store.selected.length === 0) return store.setProblem('Select at least one series to import.');
  const author = readerForWrite('to import series from the PACS');
  if (author === null) return store.setProblem('Not imported: enter your name first (voxlab records who imported every scan).');
  const series = [...store.selected];
  const { query } = checked;
  store.closeDialog();
  const host = (() => {
    try {
      return new URL(query.url).host;
    } catch {
      return query.url;
    }
  })();
  importFromPacsJob(`${series.length} series from ${host}`, () => core().pacs.import({ ...query, series, author }));
}
