// Hosts the core service on a message port (Electron's utility process, or a worker): runs each call
// through dispatch() and answers with an Envelope; forwards every core event.

import type { Envelope, RpcEndpoint, RpcMessage, RpcRequest } from '../api/index.js';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { resolveCaller } from './callers.js';
import { dispatch } from './dispatch.js';
import type { Service } from './service/index.js';

/** An ArrayBuffer holding exactly the bytes of `view` (copied only when the view is part of a larger buffer). */
function ownBuffer(view: Uint8Array): ArrayBuffer {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? (view.buffer as ArrayBuffer)
    : (view.slice().buffer as ArrayBuffer);
}

async function answer(service: Service, req: RpcRequest): Promise<Envelope> {
  try {
    // Same callers as HTTP, without a server token: a local study runs as the local user.
    const caller = resolveCaller(service.context.study, { token: typeof req.token === 'string' ? req.token : null });
    const out = await dispatch(
      service.handlers,
      req.method,
      req.args,
      req.data === undefined ? undefined : new Uint8Array(req.data),
      caller,
      service.context.study,
    );
    return out.bytes === undefined
      ? { ok: true, result: out.result }
      : { ok: true, result: out.result, data: ownBuffer(out.bytes) };
  } catch (e) {
    const error = isVoxlabError(e) ? e : new VoxlabError('INTERNAL', String(e));
    return { ok: false, error: error.toJSON() };
  }
}

/** Serves `service` on `endpoint` until the returned function is called; posts { type: 'ready' } first. */
export function serveRpc(endpoint: RpcEndpoint, service: Service): () => void {
  const unsubscribe = service.context.events.subscribe((event) =>
    endpoint.post({ type: 'event', event } satisfies RpcMessage),
  );
  const stop = endpoint.listen((raw) => {
    const req = raw as RpcRequest;
    if (req?.type !== 'call' || typeof req.id !== 'number') return;
    void answer(service, req).then((envelope) =>
      endpoint.post({ type: 'reply', id: req.id, envelope } satisfies RpcMessage),
    );
  });
  endpoint.post({ type: 'ready' } satisfies RpcMessage);
  return () => {
    unsubscribe();
    stop();
  };
}
