// Keyboard inside a modal dialog: Tab and Shift+Tab cycle through the dialog's controls (WAI-ARIA dialog
// pattern), so focus never wanders behind the backdrop.

/** The focusable controls of a dialog, in tab order (disabled and hidden ones left out). */
export const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Where Tab (or Shift+Tab with `backwards`) moves from control `current` of `count` (-1: focus is outside
 * them): the next one, wrapping from the last to the first and back. null when there is nothing to focus.
 */
export function nextFocusIndex(count: number, current: number, backwards: boolean): number | null {
  if (count <= 0) return null;
  if (current < 0) return backwards ? count - 1 : 0;
  return backwards ? (current - 1 + count) % count : (current + 1) % count;
}
