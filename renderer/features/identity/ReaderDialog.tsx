// "Who is reading?": asked once (the name is remembered in this browser profile), again from the header's
// Change button, and whenever a write finds no name. Nothing is written until a name is given.

import { useEffect, useRef, useState } from 'react';
import { MAX_READER_LENGTH, cleanReaderName, useIdentityStore } from '../../stores/useIdentityStore.js';

export function ReaderDialog(): React.JSX.Element | null {
  const { asking, reason, reader, setReader, closeDialog } = useIdentityStore();
  const [name, setName] = useState(reader ?? '');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (asking) {
      setName(useIdentityStore.getState().reader ?? '');
      requestAnimationFrame(() => input.current?.focus());
    }
  }, [asking]);
  if (!asking) return null;
  const valid = cleanReaderName(name) !== null;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (valid) setReader(name);
  };
  return (
    <div className="overlay-backdrop" role="presentation">
      <form className="reader-dialog" role="dialog" aria-label="Who is reading?" onSubmit={submit}>
        <h2>Who is reading?</h2>
        <p className="muted">
          {reason ?? 'voxlab records who set every label and painted every region.'} Your name is remembered on this
          computer and shown at the top; change it there.
        </p>
        <input
          ref={input}
          value={name}
          maxLength={MAX_READER_LENGTH}
          placeholder="e.g. Dr. A. Reader"
          aria-label="Your name"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.stopPropagation()}
        />
        <div className="row-actions">
          <button type="submit" className="primary" disabled={!valid}>
            Start reading
          </button>
          {reader !== null && (
            <button type="button" onClick={closeDialog}>
              Keep {reader}
            </button>
          )}
        </div>
        {!valid && name !== '' && <p className="problem">A name cannot be blank.</p>}
      </form>
    </div>
  );
}
