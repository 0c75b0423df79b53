// A short notice at the bottom of the viewer after an action ("Undid ...", "Nothing to undo ..."), gone after
// a few seconds or on click.

import { useEffect } from 'react';
import { useUiStore } from '../stores/useUiStore.js';

/** How long a notice stays (ms). */
const NOTICE_MS = 5000;

export function NoticeBar(): React.JSX.Element | null {
  const notice = useUiStore((s) => s.notice);
  const dismiss = useUiStore((s) => s.dismiss);
  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(dismiss, NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  if (notice === null) return null;
  return (
    <div className={`notice notice-${notice.tone}`} role="status" data-testid="notice" onClick={dismiss}>
      {notice.text}
    </div>
  );
}
