// The message protocol between a process hosting the core (Electron's utility process) and its caller
// (Electron main): numbered calls answered by Envelopes, and pushed events. Works over any port with
// postMessage + a message listener (utilityProcess, worker_threads, MessageChannel).

import type { Envelope } from './client.js';
import type { ApiEvent } from './types.js';
import type { ErrorCode } from '../common/errors.js';

export type RpcRequest = {
  readonly type: 'call';
  readonly id: number;
  readonly method: string;
  readonly args: unknown;
  readonly data?: ArrayBuffer;
  /** A personal token (issue #13): needed when the study has accounts; absent for a local study. */
  readonly token?: string;
};
export type RpcMessage =
  | { readonly type: 'reply'; readonly id: number; readonly envelope: Envelope }
  | { readonly type: 'event'; readonly event: ApiEvent }
  | { readonly type: 'ready' };

/** Either end of the channel. */
export interface RpcEndpoint {
  post(message: unknown): void;
  /** Adds a listener; returns its removal. */
  listen(listener: (message: unknown) => void): () => void;
}

/** The caller's end: call() resolves with the core's Envelope; close() rejects the calls still waiting. */
export class RpcClient {
  private next = 1;
  private readonly waiting = new Map<number, (e: Envelope) => void>();
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private readonly stop: () => void;

  constructor(private readonly endpoint: RpcEndpoint) {
    this.stop = endpoint.listen((raw) => {
      const m = raw as RpcMessage;
      if (m?.type === 'reply') {
        this.waiting.get(m.id)?.(m.envelope);
        this.waiting.delete(m.id);
      } else if (m?.type === 'event') for (const l of this.listeners) l(m.event);
    });
  }

  call(method: string, args: unknown, data?: ArrayBuffer, token?: string): Promise<Envelope> {
    const id = this.next++;
    return new Promise<Envelope>((resolve) => {
      this.waiting.set(id, resolve);
      const request: RpcRequest = {
        type: 'call',
        id,
        method,
        args,
        ...(data !== undefined ? { data } : {}),
        ...(token !== undefined ? { token } : {}),
      };
      this.endpoint.post(request);
    });
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Answers every waiting call with `error` (e.g. the core process died) and stops listening. */
  close(error: { code: ErrorCode; message: string }): void {
    for (const resolve of this.waiting.values())
      resolve({ ok: false, error: { name: 'VoxlabError', ...error } });
    this.waiting.clear();
    this.stop();
  }
}
