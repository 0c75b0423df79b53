// The desktop app's main process: one window on our app:// content, the menu and dialogs, recent studies,
// and the core in a utility process wired to the window through the contract's generated IPC glue.

import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VoxlabErrorJson } from '../../core/common/errors.js';
import { staticFile } from '../../core/server/staticFiles.js';
import { coreProcessEnv } from '../native/coreEnv.js';
import { CoreProcess } from './coreProcess.js';
import { forwardEvents, wireIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { addRecent, readRecent, writeRecent } from './recentStudies.js';
import {
  APP_ORIGIN,
  APP_SCHEME,
  CSP,
  guardWebContents,
  isAllowedExternal,
  lockDownSession,
  secureWebPreferences,
} from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/electron/main
const PRELOAD = path.join(here, '..', 'preload.cjs');
const CORE_ENTRY = path.join(here, '..', 'core', 'coreMain.js');
const RENDERER = path.join(here, '..', '..', 'renderer');
const ROOT = path.join(here, '..', '..', '..'); // the checkout (or app.asar), holding node_modules

let core: CoreProcess | null = null;
let study: { dir: string } | { demo: true } = { demo: true };
let window: BrowserWindow | null = null;

const openExternal = (url: string) => {
  if (isAllowedExternal(url)) void shell.openExternal(url);
};

/** Serves dist/renderer on app://voxlab with the CSP header; nothing else. */
async function serveApp(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return new Response('not found', { status: 404 });
  const file = await staticFile(RENDERER, url.pathname);
  if (file === null) return new Response('not found', { status: 404 });
  return new Response(typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes), {
    headers: { 'content-type': file.type, 'content-security-policy': CSP },
  });
}

/** (Re)starts the core on `next` and reloads the window. */
async function openStudy(next: { dir: string } | { demo: true }): Promise<void> {
  core?.stop();
  study = next;
  const runtime = {
    moduleVersion: Number(process.versions.modules),
    platform: process.platform,
    arch: process.arch,
  };
  const env = coreProcessEnv(process.env, ROOT, runtime, app.isPackaged);
  core = new CoreProcess((m, a, o) => utilityProcess.fork(m, a, o), CORE_ENTRY, next, env, showCoreFailure);
  forwardEvents(core, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  if ('dir' in next) {
    const recent = addRecent(readRecent(app.getPath('userData')), next.dir);
    await writeRecent(app.getPath('userData'), recent);
  }
  buildMenu();
  window?.webContents.reload();
}

/** A core that could not start: its reason in a dialog (the window's calls answer with it too). */
function showCoreFailure(error: VoxlabErrorJson): void {
  const options = {
    type: 'error' as const,
    title: 'voxlab',
    message: 'The voxlab core could not start',
    detail: error.message,
  };
  void (window === null ? dialog.showMessageBox(options) : dialog.showMessageBox(window, options));
}

async function chooseStudy(): Promise<void> {
  const r = await dialog.showOpenDialog({
    title: 'Open or create a voxlab study',
    properties: ['openDirectory', 'createDirectory'],
  });
  if (!r.canceled && r.filePaths[0] !== undefined) await openStudy({ dir: r.filePaths[0] });
}

/** Copies a chosen NIfTI file into the study's incoming/ folder and adds it through the contract. */
async function chooseFile(): Promise<void> {
  if (!('dir' in study) || core === null) {
    await dialog.showMessageBox({ message: 'Open or create a study first (File → Open Study…).' });
    return;
  }
  const r = await dialog.showOpenDialog({
    title: 'Add a scan',
    properties: ['openFile'],
    filters: [{ name: 'NIfTI', extensions: ['nii', 'gz', 'hdr'] }],
  });
  const file = r.filePaths[0];
  if (r.canceled || file === undefined) return;
  const incoming = path.join(study.dir, 'incoming');
  await mkdir(incoming, { recursive: true });
  await copyFile(file, path.join(incoming, path.basename(file)));
  const answer = await core.call('datastore.add', {
    path: `incoming/${path.basename(file)}`,
    author: process.env.USER ?? 'desktop',
  });
  if (!answer.ok)
    await dialog.showMessageBox({ type: 'error', message: `${answer.error.message} [${answer.error.code}]` });
  window?.webContents.reload();
}

function buildMenu(): void {
  const actions = {
    openStudy: () => void chooseStudy(),
    openFile: () => void chooseFile(),
    openRecent: (dir: string) => void openStudy({ dir }),
    openDemo: () => void openStudy({ demo: true }),
    openExternal,
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(actions, readRecent(app.getPath('userData')), process.platform === 'darwin'),
    ),
  );
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    backgroundColor: '#111318',
    title: 'voxlab',
    webPreferences: secureWebPreferences(PRELOAD),
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  win.on('closed', () => {
    window = null;
  });
  return win;
}

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => guardWebContents(contents, openExternal));

void app.whenReady().then(async () => {
  lockDownSession(session.defaultSession);
  protocol.handle(APP_SCHEME, serveApp);
  wireIpc(ipcMain, () => core);
  const recent = readRecent(app.getPath('userData'));
  const asked = process.argv.indexOf('--study');
  const first = asked >= 0 && process.argv[asked + 1] !== undefined ? process.argv[asked + 1] : recent[0];
  await openStudy(first !== undefined ? { dir: path.resolve(first) } : { demo: true });
  window = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
});

app.on('window-all-closed', () => {
  core?.stop();
  if (process.platform !== 'darwin') app.quit();
});
