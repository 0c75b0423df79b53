// The load campaign's event watcher (issue #15, item 5): reads the server-sent event stream (GET
// /api/events) on its own connection and notes when each event arrived, so the campaign can tell whether
// every acknowledged write and every training epoch reached the stream, and how late.

import { request as httpRequest, type ClientRequest } from 'node:http';
import { EVENTS_PATH, HEADERS, type ApiEvent } from '../../api/index.js';
import { VoxlabError } from '../../common/errors.js';

/** How long open() waits for the stream's first bytes. */
const OPEN_MS = 15_000;

export class EventWatch {
  /** Events received, by type. */
  readonly byType = new Map<string, number>();
  /** When (performance.now()) the label.changed event of each author arrived. */
  readonly labelEventAt = new Map<string, number>();
  /** The train.epoch epochs received, by job id. */
  readonly epochs = new Map<string, Set<number>>();
  received = 0;
  /** Why the stream ended before close(), or null while it is open. */
  endedEarly: string | null = null;
  private req: ClientRequest | null = null;
  private closing = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Opens the stream; resolves once the server's first comment arrived (subscribed), else IO_ERROR. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`no answer in ${OPEN_MS} ms`), OPEN_MS);
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new VoxlabError('IO_ERROR', `EventWatch: cannot open ${EVENTS_PATH}: ${why}`));
      };
      const req = httpRequest(`${this.baseUrl}${EVENTS_PATH}`, {
        headers: { [HEADERS.token]: this.token, accept: 'text/event-stream' },
        agent: false,
      });
      this.req = req;
      req.on('error', (e) => {
        if (this.closing) return;
        this.endedEarly ??= e.message;
        fail(e.message); // no effect once open() resolved
        this.wake();
      });
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return fail(`HTTP ${res.statusCode}`);
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          clearTimeout(timer);
          resolve();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.block(buffer.slice(0, end), performance.now());
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('close', () => {
          if (!this.closing) this.endedEarly ??= 'the server closed the event stream';
          this.wake();
        });
      });
      req.end();
    });
  }

  /**
   * Resolves true once `ready()` holds (checked after every event), false after `timeoutMs` or when the
   * stream ended.
   */
  waitFor(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (!ready() && this.endedEarly === null) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(ready());
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(ready());
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.closing = true;
    this.req?.destroy();
  }

  private block(text: string, at: number): void {
    const data = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trimStart())
      .join('\n');
    if (data === '') return; // a comment (the greeting, a ping)
    const e = JSON.parse(data) as ApiEvent;
    this.received++;
    this.byType.set(e.type, (this.byType.get(e.type) ?? 0) + 1);
    if (e.type === 'label.changed' && !this.labelEventAt.has(e.author)) this.labelEventAt.set(e.author, at);
    if (e.type === 'train.epoch') {
      const seen = this.epochs.get(e.jobId) ?? new Set<number>();
      seen.add(e.epoch);
      this.epochs.set(e.jobId, seen);
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
