// `voxlab serve --study DIR`: serve a study's API and UI over HTTP (loopback by default, token required).

import { VoxlabError } from '../../common/errors.js';
import { serveStudy } from '../../server/serveStudy.js';
import { ensureDemoStudy, voxlabHome } from '../../synth/demoStudy.js';
import { numberOption, stringOption, type Command } from '../command.js';

export const serveCommand: Command = {
  name: 'serve',
  usage: '--study DIR [--port P] [--host 127.0.0.1] [--allow-host NAME] [--rotate-token] [--json] | --demo',
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
