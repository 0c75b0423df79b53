// The desktop shell's security settings, per Electron's security checklist
// (https://www.electronjs.org/docs/latest/tutorial/security): isolated, sandboxed renderers without Node,
// a strict CSP, only our own app:// content, no navigation or new windows, external links by allow-list,
// no permissions. Electron is only a type here, so a test checks all of it without the binary.

import type {
  Event,
  HandlerDetails,
  Session,
  WebContents,
  WebContentsWillNavigateEventParams,
  WebContentsWillRedirectEventParams,
  WebPreferences,
} from 'electron';

/** Our content's scheme and origin: the built renderer served by protocol.handle (never file://). */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://voxlab';

/** Content-Security-Policy of every page: own scripts only (wasm allowed), no remote anything. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Hosts whose https pages may open in the user's browser (help and project links). */
export const EXTERNAL_ALLOW_LIST: readonly string[] = [
  'github.com',
  'docs.monai.io',
  'voxlab.org',
  'brain-development.org',
];

/** The webPreferences of every window: checklist items 2-4, 6, 8-10 and 12. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** True for an https URL on an allow-listed host (or its subdomain), without credentials. */
export function isAllowedExternal(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '') return false;
  return EXTERNAL_ALLOW_LIST.some((h) => u.hostname === h || u.hostname.endsWith(`.${h}`));
}

/** True for a URL of our own content. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Blocks navigation away from our content and every new window (checklist 13-14); allow-listed https
 * links open in the system browser through `openExternal` (checklist 15), nothing else does.
 */
export function guardWebContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event: Event<WebContentsWillNavigateEventParams>) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event: Event<WebContentsWillRedirectEventParams>) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    if (isAllowedExternal(details.url)) openExternal(details.url);
    return { action: 'deny' };
  });
}

/** True for requests our pages may make: our own content, and in-page data and blob URLs. */
export function isAllowedRequest(url: string): boolean {
  return isAppUrl(url) || url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('devtools:');
}

/**
 * Session-wide: deny every permission request and check (camera, notifications, ...), checklist 5, and
 * cancel every request for remote content (http, https, file, ...), checklist 1.
 */
export function lockDownSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url) }),
  );
}

/** True when an IPC message comes from our own top frame (checklist 17: validate the sender of every message). */
export function isTrustedSender(frame: { url: string; parent?: unknown } | null | undefined): boolean {
  return frame !== null && frame !== undefined && !frame.parent && isAppUrl(frame.url);
}
