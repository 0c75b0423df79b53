// `voxlab serve --study DIR`: serve a study's API and UI over HTTP (loopback by default, token required).

import { VoxlabError } from '../../common/errors.js';
import { parseRoleMap } from '../../server/oidc/oidcClient.js';
import { serveStudy, type ServeOptions } from '../../server/serveStudy.js';
import { ensureDemoStudy, voxlabHome } from '../../synth/demoStudy.js';
import { numberOption, stringOption, type Command, type ParsedArgs } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  usage:
    '--study DIR [--port P] [--host 127.0.0.1] [--allow-host NAME] [--rotate-token] [--oidc-issuer URL --oidc-client-id ID --oidc-roles V=ROLE,...] [--json] | --demo',
  summary: 'Serve a study to the browser UI and API clients (token-protected, loopback unless --host).',
  positionals: [0, 0],
  options: {
    study: { type: 'string', help: 'the study folder' },
    demo: { type: 'boolean', help: 'serve the demo study (created on first use) instead of --study' },
    port: { type: 'string', help: 'TCP port (0 = any free port)', default: '8731' },
    host: {
      type: 'string',
      help: 'address to bind; anything but loopback exposes the study to the network',
      default: '127.0.0.1',
    },
    'allow-host': { type: 'string', help: "a further Host name to accept (e.g. this server's DNS name)" },
    'rotate-token': {
      type: 'boolean',
      help: "replace the study's access token (kept in STUDY/serve.token, owner-only): pages and scripts using the old one are refused",
    },
    json: { type: 'boolean', help: 'print {url, openUrl, token, tokenOrigin} as one JSON line on stdout' },
    'oidc-issuer': { type: 'string', help: "single sign-on: the OpenID Connect provider's issuer URL" },
    'oidc-client-id': { type: 'string', help: 'single sign-on: voxlab\'s client id at the provider' },
    'oidc-roles': { type: 'string', help: 'single sign-on: CLAIM_VALUE=ROLE,... (e.g. "radiology=annotator,ai-lab=researcher")' },
    'oidc-role-claim': { type: 'string', help: 'single sign-on: the claim holding groups/roles', default: 'groups' },
    'oidc-name-claim': { type: 'string', help: 'single sign-on: the claim naming the person', default: 'preferred_username' },
    'oidc-label': { type: 'string', help: 'single sign-on: the sign-in button\'s words', default: 'Sign in with your institution' },
    'public-url': { type: 'string', help: 'the URL users reach this server at (behind a TLS proxy): the sign-on redirect goes there' },
  },
  async run(args) {
    const demo = args.values.demo === true;
    let studyDir = stringOption(args, 'study');
    if (demo === (studyDir !== undefined))
      throw new VoxlabError('BAD_ARGUMENT', 'give either --study DIR or --demo');
    if (demo) studyDir = (await ensureDemoStudy(voxlabHome())).dir;
    const port = numberOption(args, 'port', { integer: true, min: 0 }) ?? 8731;
    if (port > 65535) throw new VoxlabError('BAD_ARGUMENT', `--port must be at most 65535, got ${port}`);
    const host = stringOption(args, 'host') ?? '127.0.0.1';
    const allow = stringOption(args, 'allow-host');
    const serving = await serveStudy({
      studyDir: studyDir!,
      host,
      port,
      ...(allow ? { allowHosts: [allow] } : {}),
      rotateToken: args.values['rotate-token'] === true,
      ...oidcOptions(args),
    });
    for (const w of serving.tokenWarnings) process.stderr.write(`warning: ${w}\n`);
    if (args.values.json === true) {
      process.stdout.write(
        `${JSON.stringify({ url: serving.url, openUrl: serving.openUrl, token: serving.token, tokenOrigin: serving.tokenOrigin })}\n`,
      );
    } else {
      process.stdout.write(
        `voxlab serving ${studyDir}\n  open   ${serving.openUrl}\n  api    ${serving.url}/api (header X-Voxlab-Token: ${serving.token})\n` +
          (serving.tokenOrigin === 'kept'
            ? '  token  the same as on earlier starts: open pages keep working (--rotate-token makes a new one)\n'
            : serving.tokenOrigin === 'new'
              ? '  token  new; kept in the study folder (owner-only) for the next start\n'
              : ''),
      );
      if (serving.exposed)
        process.stderr.write(
          `warning: bound to ${host}: other machines can reach this server (the token still guards it; use TLS in front of it)\n`,
        );
      process.stdout.write('Ctrl-C stops.\n');
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await serving.close();
    return 0;
  },
};

/**
 * The single sign-on options, or nothing without --oidc-issuer. The client secret comes from the
 * environment (VOXLAB_OIDC_CLIENT_SECRET), never the command line (other users can read a process's
 * arguments); without it the client is public (PKCE alone).
 */
function oidcOptions(args: ParsedArgs): { oidc?: NonNullable<ServeOptions['oidc']> } {
  const issuer = stringOption(args, 'oidc-issuer');
  if (issuer === undefined) return {};
  const clientId = stringOption(args, 'oidc-client-id');
  const roles = stringOption(args, 'oidc-roles');
  if (clientId === undefined || roles === undefined)
    throw new VoxlabError('BAD_ARGUMENT', '--oidc-issuer needs --oidc-client-id and --oidc-roles CLAIM_VALUE=ROLE,...');
  const secret = process.env.VOXLAB_OIDC_CLIENT_SECRET;
  const publicUrl = stringOption(args, 'public-url');
  return {
    oidc: {
      issuer,
      clientId,
      ...(secret !== undefined && secret !== '' ? { clientSecret: secret } : {}),
      roleMap: parseRoleMap(roles),
      roleClaim: stringOption(args, 'oidc-role-claim') ?? 'groups',
      nameClaim: stringOption(args, 'oidc-name-claim') ?? 'preferred_username',
      label: stringOption(args, 'oidc-label') ?? 'Sign in with your institution',
      ...(publicUrl !== undefined ? { publicUrl } : {}),
    },
  };
}
