// Pages a browser gets instead of raw JSON when it asks for a page the server refuses (401: no or an old
// access token; 403: a foreign Host or Origin; 404: no such page): what happened and what to do, in words.
// Scripts asking for JSON keep getting the coded error.

import type { IncomingMessage } from 'node:http';
import { EVENTS_PATH } from '../api/index.js';

/** True when `req` is a browser asking for a page (not the API, not the event stream). */
export function wantsPage(req: IncomingMessage): boolean {
  const url = req.url ?? '/';
  if (req.method !== 'GET' || url.startsWith('/api/') || url.startsWith(EVENTS_PATH)) return false;
  return (req.headers.accept ?? '').includes('text/html');
}

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const ADVICE: Readonly<Record<number, { title: string; what: string }>> = {
  401: {
    title: 'This voxlab page needs its access link',
    what:
      'The study server only answers pages opened through the link it printed when it started (it ends with ' +
      '<code>/?token=…</code>). Open that link again. The link stays the same when the server restarts; it ' +
      'changes only when someone starts it with <code>--rotate-token</code>: then ask them for the new link.',
  },
  403: {
    title: 'voxlab refused this request',
    what: 'The page was reached under a name or from a site the server does not accept. Open the link <code>voxlab serve</code> printed, exactly as printed.',
  },
  404: {
    title: 'No such page',
    what: 'This address is not part of voxlab. <a href="/">Go to the study</a>.',
  },
};

/** Pages of a team study's sign-in (issue #13), by error code: they replace the access-link advice. */
const SIGN_IN_ADVICE: Readonly<Record<string, { title: string; what: string }>> = {
  UNAUTHENTICATED: {
    title: 'You are not signed in',
    what: 'This study has accounts. <a href="/">Sign in again</a> with your personal token or your institution\'s sign-in.',
  },
  FORBIDDEN: {
    title: 'Your account may not do this',
    what: 'You are known, but your role does not allow it. Ask a voxlab admin or your institution\'s administrator. <a href="/">Go to the study</a>.',
  },
  RATE_LIMITED: {
    title: 'Too many failed sign-ins',
    what: 'Wait a minute, then <a href="/">try again</a>.',
  },
};

/** The HTML page for `status` (and the error's `code`) with the server's `message` shown as detail. */
export function errorPage(status: number, message: string, code?: string): string {
  const advice = (code !== undefined ? SIGN_IN_ADVICE[code] : undefined) ??
    ADVICE[status] ?? { title: 'voxlab could not answer', what: 'Go back and try again, or <a href="/">go to the study</a>.' };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>voxlab: ${escape(advice.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;background:#0e1014;color:#d7dce4;max-width:40em;margin:12vh auto;padding:0 1em}
h1{font-size:20px;color:#fff}code{background:#232935;padding:0 4px;border-radius:3px}a{color:#4aa3ff}.detail{color:#8790a0;font-size:13px}</style>
</head><body><h1>${escape(advice.title)}</h1><p>${advice.what}</p>
<p class="detail">HTTP ${status}: ${escape(message)}</p></body></html>
`;
}
