// Global keys: labels 1-9 / 0, undo, next unlabeled, window presets, layout, crosshairs, overlay, help.

import { useEffect } from 'react';
import { setClassLabel } from '../features/labeling/labelActions.js';
import { useUiStore } from '../stores/useUiStore.js';
import { useExplainStore } from '../stores/useExplainStore.js';
import { nextUnlabeled, useStudyStore, visibleImages } from '../stores/useStudyStore.js';
import { useViewerStore } from '../stores/useViewerStore.js';
import { resetViews } from '../viewer/resetViews.js';
import { escapeMeasure, handleViewerKey } from '../viewer/viewerKeys.js';
import { loadedVolume, scanVolumeId } from '../viewer/volumes.js';
import { presetRange, type WlPreset } from '../viewer/windowLevel.js';
import { classForKey, isTypingTarget } from './shortcuts.js';
import { redoInPanel, undoInPanel } from './undo.js';

const PRESET_KEYS: Record<string, WlPreset> = { a: 'auto', f: 'full', c: 'contrast', b: 'bright' };

/** Opens the next unlabeled scan in the list's order. */
export function openNextUnlabeled(): void {
  const s = useStudyStore.getState();
  const next = nextUnlabeled(visibleImages(s), s.selectedId);
  if (next !== null) s.select(next);
}

export function applyPreset(preset: WlPreset): void {
  const id = useViewerStore.getState().loadedId;
  const volume = id === null ? null : loadedVolume(scanVolumeId(id));
  if (volume !== null) useViewerStore.getState().setVoi(presetRange(preset, volume.meta.stats), preset);
}

export function useShortcuts(toggleHelp: () => void, closeHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target as HTMLElement | null) || e.altKey || e.metaKey) return;
      const viewer = useViewerStore.getState();
      const study = useStudyStore.getState();
      if (e.ctrlKey) {
        const k = e.key.toLowerCase();
        if (k === 'z' && !e.shiftKey) {
          e.preventDefault();
          void undoInPanel();
        } else if (k === 'y' || (k === 'z' && e.shiftKey)) {
          e.preventDefault();
          redoInPanel();
        }
        return;
      }
      if (e.key === '?') return toggleHelp();
      if (e.key === 'Escape') return void (escapeMeasure() || closeHelp());
      const cls = classForKey(e.key, study.classInfo);
      if (cls !== null && useUiStore.getState().panel === 'Label') {
        if (study.selectedId !== null) void setClassLabel(study.selectedId, cls.label);
        return;
      }
      const key = e.key.toLowerCase();
      const preset = PRESET_KEYS[key];
      if (preset !== undefined) return applyPreset(preset);
      if (handleViewerKey(key)) return;
      switch (key) {
        case 'n':
          return openNextUnlabeled();
        case 'x':
          return viewer.toggleCrosshairs();
        case 'r':
          return resetViews();
        case 'h':
          return useExplainStore.getState().setVisible(!useExplainStore.getState().visible);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleHelp, closeHelp]);
}
