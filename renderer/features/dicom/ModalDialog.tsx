// A modal dialog: backdrop, focus moved in on open (the first control, or one marked data-autofocus) and back
// to where it was on close, Tab kept inside, Escape closes. Keys typed inside never reach the app's global
// shortcuts (a digit in a field must not label the scan behind).

import { useEffect, useRef } from 'react';
import { FOCUSABLE, nextFocusIndex } from './focusTrap.js';

export function ModalDialog(props: {
  label: string;
  className?: string;
  onClose: () => void;
  children: React.ReactNode;
}): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>('[data-autofocus]') ?? box.current?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (opener !== null && opener.isConnected) opener.focus();
    };
  }, []);
  const onKeyDown = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onClose();
      return;
    }
    if (e.key !== 'Tab' || box.current === null) return;
    const controls = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const next = nextFocusIndex(controls.length, controls.indexOf(document.activeElement as HTMLElement), e.shiftKey);
    e.preventDefault();
    if (next !== null) controls[next]!.focus();
  };
  return (
    <div className="overlay-backdrop" role="presentation">
      <div
        ref={box}
        className={`dicom-dialog ${props.className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.label}
        onKeyDown={onKeyDown}
      >
        {props.children}
      </div>
    </div>
  );
}
