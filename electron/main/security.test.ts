// The desktop shell follows Electron's security checklist: checked over the main-process code itself
// (the settings functions, and main.ts's use of them) without an Electron binary.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  CSP,
  guardWebContents,
  isAllowedExternal,
  isAppUrl,
  isTrustedSender,
  lockDownSession,
  secureWebPreferences,
} from './security.js';

const MAIN_SOURCE = readFileSync(
  path.join(path.dirname(new URL(import.meta.url).pathname), 'main.ts'),
  'utf8',
);

describe('webPreferences', () => {
  const prefs = secureWebPreferences('/x/preload.cjs');
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['navigateOnDragDrop', false],
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('is what every window of main.ts gets, with the sandbox forced app-wide', () => {
    const windows = MAIN_SOURCE.match(/new BrowserWindow\(/g) ?? [];
    expect(windows.length).toBeGreaterThan(0);
    expect(MAIN_SOURCE.match(/webPreferences: secureWebPreferences\(/g)?.length).toBe(windows.length);
    expect(MAIN_SOURCE).toContain('app.enableSandbox()');
    expect(MAIN_SOURCE).not.toMatch(
      /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false/,
    );
  });

  it('loads only our app:// content (no file://, no remote pages) and installs the guards', () => {
    expect(MAIN_SOURCE).toMatch(/loadURL\(`\$\{APP_ORIGIN\}\/index.html`\)/);
    expect(MAIN_SOURCE).not.toMatch(/loadFile\(|loadURL\(['"`]https?:/);
    expect(MAIN_SOURCE).toContain(
      "app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal))",
    );
    expect(MAIN_SOURCE).toContain('lockDownSession(session.defaultSession)');
    expect(MAIN_SOURCE).toContain("'content-security-policy': CSP");
  });
});

describe('Content-Security-Policy', () => {
  it('allows only our own scripts and connections', () => {
    const directives = Object.fromEntries(
      CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(CSP).not.toMatch(/https?:|\*/);
  });
});

describe('navigation, windows and links', () => {
  function fakeContents() {
    const listeners = new Map<string, (e: { url?: string; preventDefault: () => void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    return {
      on: (name: string, l: (e: { url?: string; preventDefault: () => void }) => void) =>
        listeners.set(name, l),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (openHandler = h),
      fire(name: string, url?: string) {
        const e = { url, preventDefault: vi.fn() };
        listeners.get(name)!(e);
        return e.preventDefault.mock.calls.length > 0;
      },
      open: (url: string) => openHandler!({ url }),
    };
  }

  it('blocks navigation away from app://voxlab and webview attachment', () => {
    const c = fakeContents();
    guardWebContents(c as never, () => undefined);
    expect(c.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(c.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.fire('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(c.fire('will-navigate', 'app://voxlab/index.html')).toBe(false);
    expect(c.fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window; allow-listed https links go to the system browser only', () => {
    const c = fakeContents();
    const opened: string[] = [];
    guardWebContents(c as never, (u) => opened.push(u));
    for (const url of [
      'https://github.com/voxlab',
      'https://evil.example/',
      'http://github.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
    ]) {
      expect(c.open(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://github.com/voxlab']);
  });

  it.each([
    ['https://github.com/x', true],
    ['https://docs.monai.io/en/stable/', true],
    ['https://github.com.evil.example/', false],
    ['https://user:pw@github.com/', false],
    ['http://github.com/', false],
    ['not a url', false],
  ])('isAllowedExternal(%s) = %s', (url, ok) => {
    expect(isAllowedExternal(url)).toBe(ok);
  });

  it('trusts IPC only from our own top frame', () => {
    expect(isTrustedSender({ url: 'app://voxlab/index.html' })).toBe(true);
    expect(isTrustedSender({ url: 'app://voxlab/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isAppUrl('app://voxlab.evil/')).toBe(false);
  });
});

describe('session', () => {
  it('denies every permission request and check, and cancels requests for remote content', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    let before: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
    lockDownSession({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
      webRequest: { onBeforeRequest: (h: never) => (before = h) },
    } as never);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal'])
      request!(null, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(check!()).toBe(false);
    const cancelled = (url: string) => {
      let out: boolean | null = null;
      before!({ url }, (r) => (out = r.cancel));
      return out;
    };
    expect(cancelled('https://cdn.example/x.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8731/api/info')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('app://voxlab/app.js')).toBe(false);
    expect(cancelled('blob:app://voxlab/1234')).toBe(false);
  });
});
