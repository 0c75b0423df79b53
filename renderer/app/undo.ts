// Ctrl+Z / Ctrl+Y act on what the reader sees: the active panel's history (class labels of the scan on
// screen in the Label panel, paint strokes in the Segment panel), and say what they undid (issue #10: Ctrl+Z
// with the brush off undid a class label out of sight).

import { undoLabel } from '../features/labeling/labelActions.js';
import { redoPaint, undoPaint } from '../features/segmentation/segActions.js';
import { useUiStore } from '../stores/useUiStore.js';

/** Undoes the last change of the active panel and shows what was undone (or that there was nothing). */
export async function undoInPanel(): Promise<void> {
  const ui = useUiStore.getState();
  switch (ui.panel) {
    case 'Label': {
      const text = await undoLabel();
      return ui.notify(text ?? 'Nothing to undo: no label change of this scan in this session.');
    }
    case 'Segment': {
      return ui.notify(undoPaint() ?? 'Nothing to undo: no paint stroke on this scan.');
    }
    default:
      return ui.notify(`Nothing to undo in the ${ui.panel} panel.`);
  }
}

/** Redoes a paint stroke in the Segment panel; elsewhere says there is nothing to redo. */
export function redoInPanel(): void {
  const ui = useUiStore.getState();
  if (ui.panel !== 'Segment') return ui.notify(`Nothing to redo in the ${ui.panel} panel.`);
  ui.notify(redoPaint() ?? 'Nothing to redo.');
}
