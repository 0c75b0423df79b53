// Global keys: labels 1-9 / 0, undo, next unlabeled, window presets, layout, crosshairs, overlay, help.

import { useEffect } from 'react';
import { setClassLabel, undoLabel } from '../features/labeling/labelActions.js';
import { redoPaint, undoPaint } from '../features/segmentation/segActions.js';
import { useSegmentationStore } from '../stores/useSegmentationStore.js';
import { useExplainStore } from '../stores/useExplainStore.js';
import { nextUnlabeled, useStudyStore, visibleImages } from '../stores/useStudyStore.js';
import { VIEWS, useViewerStore } from '../stores/useViewerStore.js';
import { resetViews } from '../viewer/resetViews.js';
import { loadedVolume, scanVolumeId } from '../viewer/volumes.js';
import { presetRange, type WlPreset } from '../viewer/windowLevel.js';
import { classForKey, isTypingTarget } from './shortcuts.js';

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
        const painting = useSegmentationStore.getState().tool !== 'none';
        const k = e.key.toLowerCase();
        if (k === 'z' && !e.shiftKey) {
          e.preventDefault();
          if (painting) undoPaint();
          else void undoLabel();
        } else if (painting && (k === 'y' || (k === 'z' && e.shiftKey))) {
          e.preventDefault();
          redoPaint();
        }
        return;
      }
      if (e.key === '?') return toggleHelp();
      if (e.key === 'Escape') return closeHelp();
      const cls = classForKey(e.key, study.classes);
      if (cls !== null) {
        if (study.selectedId !== null) void setClassLabel(study.selectedId, cls.label);
        return;
      }
      const key = e.key.toLowerCase();
      const preset = PRESET_KEYS[key];
      if (preset !== undefined) return applyPreset(preset);
      switch (key) {
        case 'n':
          return openNextUnlabeled();
        case 'm':
          return viewer.setLayout(viewer.layout === 'mpr' ? 'single' : 'mpr');
        case 'v': {
          const next = VIEWS[(VIEWS.indexOf(viewer.singleView) + 1) % VIEWS.length]!;
          return viewer.setLayout('single', next);
        }
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
