// core/server: the core service (one handler per contract method) and its HTTP transport (`voxlab serve`).

export { createService, voxlabVersion, type Service } from './service/index.js';
export type { Handlers, ServiceContext } from './service/context.js';
export { dispatch, isMethodName, type Dispatched } from './dispatch.js';
export { startHttpServer, type HttpServerOptions, type RunningServer } from './httpServer.js';
export { newToken, isLoopback } from './security.js';
export { defaultRendererDir } from './staticFiles.js';
export { EventHub } from './events.js';
export { JobManager } from './jobs.js';
export { serveStudy, type ServeOptions, type ServingStudy } from './serveStudy.js';
export { serveRpc } from './rpcHost.js';
