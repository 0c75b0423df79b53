// Hosts the core service on a message port (Electron's utility process, or a worker): runs each call
// through dispatch() and answers with an Envelope; forwards every core event. An upload's ArrayBuffer is
// written to a temp file in the study first, so handlers get the same input as over HTTP.

import type { Envelope, RpcEndpoint, RpcMessage, RpcRequest } from '../api/index.js';
import { VoxlabError, isVoxlabError } from '../common/errors.js';
import { resolveCaller } from './callers.js';
import { dispatch, isMethodName, refuseRole } from './dispatch.js';
import type { Upload } from './service/context.js';
import type { Service } from './service/index.js';
import { discardUpload, writeUploadFile } from './uploadFile.js';

/** An ArrayBuffer holding exactly the bytes of `view` (copied only when the view is part of a larger buffer). */
function ownBuffer(view: Uint8Array): ArrayBuffer {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? (view.buffer as ArrayBuffer)
    : (view.slice().buffer as ArrayBuffer);
}

async function answer(service: Service, req: RpcRequest): Promise<Envelope> {
  let upload: Upload | undefined;
  try {
    // Same callers as HTTP, without a server token: a local study runs as the local user.
    const study = service.context.study;
    const caller = resolveCaller(study, { token: typeof req.token === 'string' ? req.token : null });
    // As over HTTP: an empty body is no upload, and a caller refused the method stores nothing.
    const bytes = req.data === undefined ? null : new Uint8Array(req.data);
    if (bytes !== null && bytes.byteLength > 0) {
      if (isMethodName(req.method)) refuseRole(req.method, caller);
      upload = await writeUploadFile(study.dir, bytes);
    }
    const out = await dispatch(service.handlers, req.method, req.args, upload, caller, study);
    return out.bytes === undefined
      ? { ok: true, result: out.result }
      : { ok: true, result: out.result, data: ownBuffer(out.bytes) };
  } catch (e) {
    const error = isVoxlabError(e) ? e : new VoxlabError('INTERNAL', String(e));
    return { ok: false, error: error.toJSON() };
  } finally {
    await discardUpload(upload);
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
