// Tells "the core never got this call" (network down, server stopped or restarting, core process gone) from
// a refusal by the core: only the first kind may be sent again unchanged.

/** True when `e` says the call did not reach the core (the transports raise IO_ERROR "cannot reach ..."). */
export function isUnreachable(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; message?: unknown; details?: { status?: unknown } };
  if (err.code !== 'IO_ERROR' && err.code !== 'INTERNAL') return false;
  const message = typeof err.message === 'string' ? err.message : '';
  const status = err.details?.status;
  // 502-504: a proxy in front of the server answered for it; "core process stopped": Electron's utility process.
  return /cannot reach|core process stopped|Failed to fetch|NetworkError/i.test(message) || status === 502 || status === 503 || status === 504;
}
