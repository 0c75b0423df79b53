// Opens a study and serves it over HTTP: what `voxlab serve` and `npm start`'s fallback run.

import { openStudy } from '../datastore/index.js';
import { startHttpServer, type HttpServerOptions, type RunningServer } from './httpServer.js';
import { isLoopback, isWildcard } from './security.js';
import { studyToken } from './serveToken.js';
import { createService, type Service } from './service/index.js';
import { defaultRendererDir } from './staticFiles.js';

export interface ServeOptions {
  readonly studyDir: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Default: the study's kept token (core/server/serveToken.ts), made on first use. */
  readonly token?: string;
  /** Replace the kept token with a new one (pages and scripts holding the old one are refused). */
  readonly rotateToken?: boolean;
  readonly allowHosts?: readonly string[];
  /** Default: dist/renderer when built. */
  readonly rendererDir?: string | null;
  /** Single sign-on (see HttpServerOptions.oidc). */
  readonly oidc?: HttpServerOptions['oidc'];
}

export interface ServingStudy extends RunningServer {
  readonly token: string;
  /** 'kept': the token of earlier starts (open pages keep working); 'new': made now; 'given': options.token. */
  readonly tokenOrigin: 'kept' | 'new' | 'given';
  /** Notes about the kept token for the operator (permissions fixed, not saved, ...). */
  readonly tokenWarnings: readonly string[];
  readonly service: Service;
  /** True when bound to an address other machines can reach. */
  readonly exposed: boolean;
}

/** Opens `studyDir` (STUDY_INVALID / NOT_FOUND when it is not a study) and serves it. close() stops jobs, the server and the study. */
export async function serveStudy(options: ServeOptions): Promise<ServingStudy> {
  const study = openStudy(options.studyDir);
  const service = createService(study);
  const kept = options.token === undefined ? studyToken(study.dir, { rotate: options.rotateToken === true }) : null;
  const token = options.token ?? kept!.token;
  const host = options.host ?? '127.0.0.1';
  try {
    const running = await startHttpServer(service, {
      host,
      port: options.port ?? 0,
      token,
      rendererDir: options.rendererDir === undefined ? defaultRendererDir() : options.rendererDir,
      ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
      ...(options.oidc ? { oidc: options.oidc } : {}),
    });
    return {
      ...running,
      token,
      tokenOrigin: kept === null ? 'given' : kept.origin,
      tokenWarnings: kept?.warnings ?? [],
      service,
      exposed: !isLoopback(host) || isWildcard(host),
      close: async () => {
        await service.close();
        await running.close();
        study.close();
      },
    };
  } catch (e) {
    await service.close();
    study.close();
    throw e;
  }
}
