// The Reading panel's calls (issue #13): the reading settings and agreement figures, the reads of the scan
// under review with its reference label, adjudication (reads.adjudicate: the reviewer's answer becomes the
// reference, recorded with who and when) and, for admins, the reading settings. Each refusal in words.

import type { ReadingSettings } from '../../../core/api/index.js';
import { core } from '../../api/core.js';
import { describeError } from '../../api/describeError.js';
import { readerForWrite } from '../../api/identity.js';
import { refusal } from '../../api/permissions.js';
import { scanOnScreen } from '../../app/scanOnScreen.js';
import { useReadingStore } from '../../stores/useReadingStore.js';
import { useSessionStore } from '../../stores/useSessionStore.js';
import { useStudyStore } from '../../stores/useStudyStore.js';
import { parseAgreement } from './agreementView.js';
import { referenceFromReport, referenceFromVersion } from './referenceLabel.js';

const role = () => useSessionStore.getState().caller?.role ?? null;

/** Loads the reading settings and, where the role may see it, the agreement report. */
export async function loadReading(): Promise<void> {
  const store = useReadingStore.getState();
  try {
    store.setSettings(await core().reading.get());
  } catch (e) {
    store.setReport(null, describeError(e));
    return;
  }
  const why = refusal('agreement.report', role());
  if (why !== null) return store.setReport(null, why);
  try {
    store.setReport(parseAgreement(await core().agreement.report()));
  } catch (e) {
    store.setReport(null, describeError(e));
  }
}

/** Loads every reader's latest read of `imageId` and its reference label into the store. */
export async function loadScanReads(imageId: string): Promise<void> {
  const store = useReadingStore.getState();
  store.openScan(imageId);
  const why = refusal('reads.list', role());
  if (why !== null) return store.setProblem(why);
  try {
    const [reads, report] = await Promise.all([core().reads.list({ imageId }), core().report.series({ imageId })]);
    useReadingStore.getState().setScan(imageId, reads, referenceFromReport(report));
  } catch (e) {
    if (useReadingStore.getState().imageId === imageId) useReadingStore.getState().setProblem(describeError(e));
  }
}

/** Opens `imageId` for review: it becomes the chosen scan (the viewer shows it) and its reads are loaded. */
export function reviewScan(imageId: string): void {
  useStudyStore.getState().select(imageId);
  void loadScanReads(imageId);
}

/**
 * Sets the reference label of `imageId` to `label` (adjudication), against the reference version last
 * seen (a reference changed meanwhile is reported as a conflict, not overwritten). Refuses, with the reason
 * shown, when the scan is not on screen or the role may not adjudicate. Reloads the reads and figures.
 */
export async function adjudicate(imageId: string, label: string | null): Promise<void> {
  const store = useReadingStore.getState();
  const why = refusal('reads.adjudicate', role());
  if (why !== null) return store.setProblem(why);
  if (scanOnScreen() !== imageId)
    return store.setProblem(`Not saved: ${imageId} is not on screen. Set the reference only on a scan you can see.`);
  const author = readerForWrite('to set the reference label');
  if (author === null) return store.setProblem('Not saved: enter your name first (voxlab records who set every reference).');
  const seen = store.imageId === imageId ? store.reference : null;
  store.setBusy(true);
  store.setProblem(null);
  try {
    const v = await core().reads.adjudicate({
      imageId,
      label,
      author,
      ...(seen !== null ? { expectedVersion: seen.version } : {}),
    });
    useReadingStore.getState().setScan(imageId, useReadingStore.getState().reads, referenceFromVersion(v));
  } catch (e) {
    useReadingStore.getState().setProblem(describeError(e));
  } finally {
    useReadingStore.getState().setBusy(false);
  }
  await Promise.all([loadScanReads(imageId), loadReading()]);
}

/** Changes the reading settings (admins). Returns the problem in words, or null. */
export async function saveReadingSettings(change: Partial<ReadingSettings>): Promise<string | null> {
  try {
    useReadingStore.getState().setSettings(await core().reading.set(change));
    return null;
  } catch (e) {
    return describeError(e);
  }
}
