// The application menu: File (open study, open file, recent studies, quit), View, Help.

import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openStudy(): void;
  openFile(): void;
  openRecent(dir: string): void;
  openDemo(): void;
  openExternal(url: string): void;
}

export function menuTemplate(
  actions: MenuActions,
  recent: readonly string[],
  isMac: boolean,
): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] =
    recent.length === 0
      ? [{ label: 'No recent studies', enabled: false }]
      : recent.map((dir) => ({ label: dir, click: () => actions.openRecent(dir) }));
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open or Create Study…', accelerator: 'CmdOrCtrl+O', click: () => actions.openStudy() },
        { label: 'Add Scan…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFile() },
        { label: 'Open Recent', submenu: recentItems },
        { label: 'Open Demo Study', click: () => actions.openDemo() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'copy' },
        { role: 'paste' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'voxlab on GitHub', click: () => actions.openExternal('https://github.com/voxlab/voxlab') },
      ],
    },
  ];
}
