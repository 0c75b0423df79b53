// Rate limiting of failed sign-ins (issue #13): once an address has failed more than MAX_FAILURES times
// within WINDOW_MS (from its first failure), its further failures are answered RATE_LIMITED (HTTP 429)
// instead of 401. Valid credentials always pass (readers behind one proxy share an address; a 256-bit token
// cannot be guessed, so refusing right answers would protect nothing); the limit keeps a misconfigured
// client or a scanner from filling logs and CPU, and tells a person pasting wrong tokens to stop.

import { VoxlabError } from '../common/errors.js';

export const MAX_FAILURES = 20;
export const WINDOW_MS = 60_000;

export class SignInLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws RATE_LIMITED when `address` is over the limit. */
  check(address: string): void {
    const f = this.failures.get(address);
    if (f === undefined) return;
    const age = this.now() - f.since;
    if (age >= WINDOW_MS) {
      this.failures.delete(address);
      return;
    }
    if (f.count > MAX_FAILURES)
      throw new VoxlabError(
        'RATE_LIMITED',
        `Too many failed sign-ins from this address: try again in ${Math.ceil((WINDOW_MS - age) / 1000)} s`,
        { retryAfterS: Math.ceil((WINDOW_MS - age) / 1000) },
      );
  }

  /** Counts a failure of `address`. */
  failed(address: string): void {
    const f = this.failures.get(address);
    if (f === undefined || this.now() - f.since >= WINDOW_MS) this.failures.set(address, { count: 1, since: this.now() });
    else f.count++;
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }
}
