// The keyboard shortcuts, as data: the overlay (?) lists them and the key handler dispatches on them.
// Close to Slicer / OHIF habits: arrows and Page keys scroll, number keys for labels, ? for help.

export interface Shortcut {
  readonly keys: string;
  readonly action: string;
  readonly group: 'View' | 'Label' | 'Overlay' | 'App';
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: '↑ / ↓', action: 'Previous / next slice (view under the mouse)', group: 'View' },
  { keys: 'PgUp / PgDn', action: 'Ten slices back / forward', group: 'View' },
  { keys: 'Wheel', action: 'Scroll slices', group: 'View' },
  { keys: 'Left drag', action: 'Window / level on every view (or crosshairs, a paint tool, a measurement)', group: 'View' },
  { keys: 'Middle drag', action: 'Pan', group: 'View' },
  { keys: 'Right drag', action: 'Zoom', group: 'View' },
  { keys: 'X', action: 'Crosshairs on / off (left button)', group: 'View' },
  { keys: 'A / F / C / B', action: 'Window: auto (p1–p99), full, contrast, bright', group: 'View' },
  { keys: 'M', action: 'Next layout: 1×3, focus view large (1+2), focus view alone (1×1)', group: 'View' },
  { keys: 'V', action: 'Next focus view (axial, coronal, sagittal)', group: 'View' },
  { keys: 'W', action: 'Left button: window / level', group: 'View' },
  { keys: 'L', action: 'Left button: measure a length (drag, or click twice)', group: 'View' },
  { keys: 'E / Q', action: 'Left button: ellipse / rectangle region (statistics of the scan and the map)', group: 'View' },
  { keys: 'R', action: 'Reset zoom, pan and slices', group: 'View' },
  { keys: '1 – 9', action: 'Set class label 1–9 (Label panel; saved at once, only once the scan is on screen)', group: 'Label' },
  { keys: '0', action: 'Clear the class label', group: 'Label' },
  { keys: 'Ctrl+Z', action: "Undo in the active panel: this scan's last label change (Label), the last paint stroke (Segment)", group: 'Label' },
  { keys: 'Ctrl+Y', action: 'Redo a paint stroke (Segment panel)', group: 'Label' },
  { keys: 'N', action: 'Open the next unlabeled scan', group: 'Label' },
  { keys: 'H', action: 'Show / hide the heatmap overlay', group: 'Overlay' },
  { keys: '?', action: 'Show / hide this list', group: 'App' },
  { keys: 'Esc', action: 'Drop a half-drawn measurement, or close this list', group: 'App' },
];

/** True when a key event comes from a field where typing must not trigger shortcuts. */
export function isTypingTarget(target: { tagName?: string; isContentEditable?: boolean } | null): boolean {
  if (target === null) return false;
  const tag = (target.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true;
}

/** The class for a digit key 1-9 (the key each class was given, see classes.list), null for another key or an unassigned one; '0' = clear. */
export function classForKey(
  key: string,
  classes: readonly { readonly name: string; readonly key: number | null }[],
): { label: string | null } | null {
  if (key === '0') return { label: null };
  if (!/^[1-9]$/.test(key)) return null;
  const cls = classes.find((c) => c.key === Number(key));
  return cls === undefined ? null : { label: cls.name };
}
