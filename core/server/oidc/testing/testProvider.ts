// Test helper: a real OpenID Connect provider (the `oidc-provider` package, certified by the OpenID
// Foundation) on a loopback port, with one confidential client and development login pages: any login
// name signs in, and its groups come from `groups`. The HTTP server listens first so that voxlab can be
// configured with the issuer before the client (which needs voxlab's redirect URI) is registered.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const TEST_CLIENT = { clientId: 'voxlab', clientSecret: 'voxlab-test-secret-0123456789' } as const;

export interface TestProvider {
  readonly issuer: string;
  /** Registers voxlab's redirect URI and starts answering. */
  start(redirectUri: string): void;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:<free port>; `groups[login]` are the login's `groups` claim. */
export async function openTestProvider(groups: Readonly<Record<string, readonly string[]>>): Promise<TestProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler === null) {
      res.writeHead(503).end();
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    start(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: TEST_CLIENT.clientId,
            client_secret: TEST_CLIENT.clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        // The claims in the ID token itself (as voxlab reads them), not only from userinfo.
        conformIdTokenClaims: false,
        claims: { openid: ['sub'], profile: ['preferred_username', 'groups'], email: ['email'] },
        findAccount: async (_ctx, id) => ({
          accountId: id,
          claims: async () => ({ sub: id, preferred_username: id, email: `${id}@hospital.test`, groups: [...(groups[id] ?? [])] }),
        }),
        pkce: { required: () => true },
        cookies: { keys: ['voxlab-test-cookie-key'] },
      });
      provider.on('server_error', (_ctx: unknown, e: Error) => process.stderr.write(`oidc-provider: ${e.stack}\n`));
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
