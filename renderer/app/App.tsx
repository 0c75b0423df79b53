// The application shell: study list (left), viewer with toolbar and readout (centre), and the label,
// explanation and training panels (right, as tabs).

import { useCallback, useEffect, useState } from 'react';
import { core } from '../api/core.js';
import { ExplainPanel } from '../features/explain/ExplainPanel.js';
import { LabelPanel } from '../features/labeling/LabelPanel.js';
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
import { ShortcutOverlay } from './ShortcutOverlay.js';
import { StatusBar } from './StatusBar.js';
import { Toolbar } from './Toolbar.js';
import { useShortcuts } from './useShortcuts.js';

const TABS = ['Label', 'Segment', 'Explain', 'Train'] as const;
type Tab = (typeof TABS)[number];

export function App(): React.JSX.Element {
  const [help, setHelp] = useState(false);
  const [tab, setTab] = useState<Tab>('Label');
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
    <div className="app">
      <header className="app-header">
        <span className="brand">voxlab</span>
        <span className="muted">{selectedId ?? ''}</span>
      </header>
      <StudyList />
      <main className="centre">
        <Toolbar onHelp={() => setHelp(true)} />
        <Viewer onStrokeEnd={onStrokeEnd} />
        <StatusBar />
      </main>
      <aside className="panel side">
        <nav className="tabs" role="tablist">
          {TABS.map((t) => (
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
        </div>
      </aside>
      {help && <ShortcutOverlay onClose={() => setHelp(false)} />}
    </div>
  );
}
