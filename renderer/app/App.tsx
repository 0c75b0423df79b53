// The application shell: study list (left), viewer with toolbar and readout (centre), and the label,
// explanation, training, reading and admin panels (right, as tabs; the admin panel's tables widen it).

import { useCallback, useEffect, useState } from 'react';
import { core } from '../api/core.js';
import { DicomLayer } from '../features/dicom/DicomLayer.js';
import { ExplainPanel } from '../features/explain/ExplainPanel.js';
import { LabelPanel } from '../features/labeling/LabelPanel.js';
import { MeasurePanel } from '../features/measure/MeasurePanel.js';
import { SegmentationPanel } from '../features/segmentation/SegmentationPanel.js';
import { loadLabelmapFor, saveLabelmap } from '../features/segmentation/segActions.js';
import { StudyList } from '../features/studyList/StudyList.js';
import { useStudyLoader } from '../features/studyList/useStudyLoader.js';
import { TrainingPanel } from '../features/training/TrainingPanel.js';
import { onTrainEvent, refreshModels } from '../features/training/trainActions.js';
import { useExplainStore } from '../stores/useExplainStore.js';
import { useStudyStore } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';
import { Viewer } from '../viewer/Viewer.js';
import { ReaderDialog } from '../features/identity/ReaderDialog.js';
import { ReadingPanel } from '../features/reading/ReadingPanel.js';
import { AdminPanel } from '../features/admin/AdminPanel.js';
import { useIdentityStore } from '../stores/useIdentityStore.js';
import { signedInAccount, useSessionStore } from '../stores/useSessionStore.js';
import { useUiStore } from '../stores/useUiStore.js';
import { Header } from './Header.js';
import { panelsFor } from './panels.js';
import { NoticeBar } from './NoticeBar.js';
import { ShortcutOverlay } from './ShortcutOverlay.js';
import { useConnection } from './useConnection.js';
import { StatusBar } from './StatusBar.js';
import { Toolbar } from './Toolbar.js';
import { useShortcuts } from './useShortcuts.js';


export function App(): React.JSX.Element {
  const [help, setHelp] = useState(false);
  const role = useSessionStore((s) => s.caller?.role ?? null);
  const accounts = useSessionStore((s) => s.accounts);
  const panels = panelsFor(role, accounts);
  const chosen = useUiStore((s) => s.panel);
  const tab = panels.includes(chosen) ? chosen : 'Label';
  const setTab = useUiStore((s) => s.setPanel);
  useConnection();
  useEffect(() => {
    // A signed-in account is the author of every write: nobody is asked for a name (issue #13).
    if (signedInAccount() === null && useIdentityStore.getState().reader === null) useIdentityStore.getState().ask();
  }, []);
  const selectedId = useStudyStore((s) => s.selectedId);
  useStudyLoader();
  useShortcuts(
    useCallback(() => setHelp((h) => !h), []),
    useCallback(() => setHelp(false), []),
  );
  useEffect(() => {
    void refreshModels();
    return core().events.subscribe(onTrainEvent);
  }, []);
  useEffect(() => {
    if (selectedId !== null) useExplainStore.getState().forImage(selectedId);
  }, [selectedId]);
  const loadedId = useViewerStore((s) => s.loadedId);
  useEffect(() => {
    if (loadedId !== null) void loadLabelmapFor(loadedId);
  }, [loadedId]);
  const onStrokeEnd = useCallback(() => void saveLabelmap(), []);

  return (
    <div className={`app${tab === 'Admin' ? ' side-wide' : ''}`}>
      <Header />
      <StudyList />
      <main className="centre">
        <Toolbar onHelp={() => setHelp(true)} />
        <Viewer onStrokeEnd={onStrokeEnd} />
        <MeasurePanel />
        <StatusBar />
      </main>
      <aside className="panel side">
        <nav className={`tabs${panels.length > 4 ? ' many' : ''}`} role="tablist">
          {panels.map((t) => (
            <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
              {t}
            </button>
          ))}
        </nav>
        <div className="tab-body">
          {tab === 'Label' && <LabelPanel />}
          {tab === 'Segment' && <SegmentationPanel />}
          {tab === 'Explain' && <ExplainPanel />}
          {tab === 'Train' && <TrainingPanel />}
          {tab === 'Reading' && <ReadingPanel />}
          {tab === 'Admin' && <AdminPanel />}
        </div>
      </aside>
      {help && <ShortcutOverlay onClose={() => setHelp(false)} />}
      <DicomLayer />
      <NoticeBar />
      <ReaderDialog />
    </div>
  );
}
