// The connection to the core as the reader should see it: online, reconnecting (calls do not get through),
// or refused (the server no longer accepts this page's access token). Fed by renderer/api/connection.ts.

import { create } from 'zustand';

export type ConnectionState = 'online' | 'offline' | 'refused';

export interface ConnectionStoreState {
  readonly state: ConnectionState;
  /** ISO time of the last change of state. */
  readonly since: string;
  /** The last failure in words (null while online). */
  readonly detail: string | null;
  /** Bumped each time the connection comes back after being lost (listeners refresh what they show). */
  readonly reconnects: number;
  setState(state: ConnectionState, detail?: string | null): void;
  reset(): void;
}

const now = () => new Date().toISOString();

export const useConnectionStore = create<ConnectionStoreState>()((set, get) => ({
  state: 'online',
  since: now(),
  detail: null,
  reconnects: 0,
  setState: (state, detail = null) => {
    const before = get().state;
    if (before === state && get().detail === detail) return;
    set({
      state,
      detail,
      since: before === state ? get().since : now(),
      reconnects: get().reconnects + (state === 'online' && before !== 'online' ? 1 : 0),
    });
  },
  reset: () => set({ state: 'online', since: now(), detail: null, reconnects: 0 }),
}));
