// Watches the connection to the core: every call's outcome feeds the connection store, and a heartbeat
// (server.info) finds out when a lost server is back, so the page reconnects by itself after a restart.

import type { Transport } from '../../core/api/index.js';
import { useConnectionStore } from '../stores/useConnectionStore.js';
import { useSessionStore } from '../stores/useSessionStore.js';
import { sessionEndedMessage } from './signInWords.js';
import { transportKind } from './transportKind.js';
import { isUnreachable } from './unreachable.js';

/** Heartbeat periods (ms): slow while online, fast while the server is away. */
export const HEARTBEAT_MS = { online: 10_000, offline: 1_500 } as const;

/** True when `e` is the server refusing this page's access token (401). */
export function isRefusedToken(e: unknown): boolean {
  const details = (e as { details?: { status?: unknown } } | null)?.details;
  return typeof e === 'object' && e !== null && details?.status === 401;
}

/**
 * True when `e` is the server refusing this page's session (UNAUTHENTICATED) over HTTP. Too many failed
 * sign-ins (RATE_LIMITED) is not: the session may still be good once the wait is over.
 */
function sessionEnded(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'UNAUTHENTICATED' && transportKind() === 'http';
}

/**
 * Records one call's outcome in the connection store. A call of the open app refused for want of a valid
 * session (an account disabled or its token replaced mid-session, the session expired) takes the page back
 * to the sign-in screen, saying why (issue #13).
 */
export function noteOutcome(e: unknown | null): void {
  const store = useConnectionStore.getState();
  if (e === null) return store.setState('online');
  if (sessionEnded(e)) {
    if (useSessionStore.getState().phase === 'ready') useSessionStore.getState().needSignIn(sessionEndedMessage(e));
    return;
  }
  if (isRefusedToken(e)) return store.setState('refused', 'The server no longer accepts this page: its access token changed.');
  if (isUnreachable(e)) store.setState('offline', (e as Error).message ?? String(e));
}

/** `transport` with every call's outcome recorded (refusals by the core itself count as online). */
export function watchedTransport(transport: Transport): Transport {
  return {
    invoke: async (method, args, data) => {
      try {
        const out = await transport.invoke(method, args, data);
        noteOutcome(null);
        return out;
      } catch (e) {
        noteOutcome(isUnreachable(e) || isRefusedToken(e) || sessionEnded(e) ? e : null);
        throw e;
      }
    },
    subscribe: (listener) => transport.subscribe(listener),
  };
}

/**
 * Starts the heartbeat: `ping` (a cheap call through the watched transport) every HEARTBEAT_MS of the
 * current state. Returns a stop function.
 */
export function startHeartbeat(ping: () => Promise<unknown>): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const beat = async () => {
    await ping().catch(() => undefined); // the outcome reached the store through the watched transport
    if (stopped) return;
    const state = useConnectionStore.getState().state;
    timer = setTimeout(() => void beat(), state === 'online' ? HEARTBEAT_MS.online : HEARTBEAT_MS.offline);
  };
  timer = setTimeout(() => void beat(), HEARTBEAT_MS.online);
  // Losing the connection on any call switches to the fast beat at once.
  const unsubscribe = useConnectionStore.subscribe((s, before) => {
    if (s.state !== 'online' && before.state === 'online' && !stopped) {
      clearTimeout(timer);
      timer = setTimeout(() => void beat(), HEARTBEAT_MS.offline);
    }
  });
  return () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe();
  };
}
