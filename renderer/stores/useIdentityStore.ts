// Who is reading: the reader's name, asked once and remembered in this browser profile (localStorage), shown in
// the header and attached to every write. The one source of identity in the renderer (server accounts, when
// they come, replace what fills it, not who reads it: renderer/api/identity.ts).

import { browserStorage } from './browserStorage.js';
import { create } from 'zustand';

/** localStorage key of the remembered reader name. */
export const READER_KEY = 'voxlab.reader';
/** Longest reader name kept (the core stores authors as text; a name, not a paragraph). */
export const MAX_READER_LENGTH = 80;

export interface IdentityState {
  /** The reader's name; null until someone says who they are. */
  readonly reader: string | null;
  /** The "who is reading?" dialog is open. */
  readonly asking: boolean;
  /** Why the dialog was opened (e.g. a write that was refused without a name); null when asked at start. */
  readonly reason: string | null;
  setReader(name: string): void;
  ask(reason?: string | null): void;
  closeDialog(): void;
  reset(): void;
}

/** A name as kept: trimmed, inner whitespace collapsed, at most MAX_READER_LENGTH characters; null when blank. */
export function cleanReaderName(raw: string): string | null {
  const name = raw.trim().replace(/\s+/g, ' ').slice(0, MAX_READER_LENGTH);
  return name === '' ? null : name;
}

function remembered(): string | null {
  try {
    const raw = browserStorage()?.getItem(READER_KEY);
    return raw === null || raw === undefined ? null : cleanReaderName(raw);
  } catch {
    return null; // storage disabled (privacy mode): ask every time, as if nothing was kept
  }
}

function remember(name: string): void {
  try {
    browserStorage()?.setItem(READER_KEY, name);
  } catch {
    // storage disabled: the name holds for this page only, which the header shows
  }
}

export const useIdentityStore = create<IdentityState>()((set) => ({
  reader: remembered(),
  asking: false,
  reason: null,
  setReader: (raw) => {
    const name = cleanReaderName(raw);
    if (name === null) return;
    remember(name);
    set({ reader: name, asking: false, reason: null });
  },
  ask: (reason = null) => set({ asking: true, reason }),
  closeDialog: () => set({ asking: false, reason: null }),
  reset: () => set({ reader: remembered(), asking: false, reason: null }),
}));
