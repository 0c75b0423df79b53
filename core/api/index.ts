// core/api: the one contract between the core and its clients (renderer, Electron, scripts), and the
// generic client over any transport. Free of Node built-ins: the renderer imports it.

export { API_VERSION, MAX_JSON_BODY, METHODS, METHOD_NAMES, specOf } from './methods.js';
export type { ApiTypes, IsUpload, MethodKind, MethodName, MethodSpec, NoArgs, Req, Res } from './methods.js';
export { createClient, openEnvelope, toArrayBuffer } from './client.js';
export { shareEvents } from './shareEvents.js';
export type { CoreApi, Envelope, MethodFn, RawResult, Transport } from './client.js';
export { HEADERS, httpTransport } from './httpTransport.js';
export type { HttpTransportOptions } from './httpTransport.js';
export { API_PREFIX, EVENTS_PATH, ROUTES, matchRoute, routeFor } from './routes.js';
export type { Route } from './routes.js';
export { decodeQueryValue, encodeQueryValue, parseSpec, validateArgs } from './schema.js';
export type { FieldSpec, RequestSchema } from './schema.js';
export * from './types.js';
export {
  EVENT_CHANNEL,
  INVOKE_CHANNELS,
  IPC_PREFIX,
  bridgeTransport,
  buildExposedApi,
  channelOf,
  methodOfChannel,
} from './ipc.js';
export type { ExposedApi, IpcRendererLike } from './ipc.js';
export { RpcClient } from './rpc.js';
export type { RpcEndpoint, RpcMessage, RpcRequest } from './rpc.js';
