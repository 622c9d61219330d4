// The application menu. Open… items pick a path natively and hand it to the page.
import type { MenuItemConstructorOptions } from './electron-api';

export interface MenuActions {
  openFolder(): void;
  openFile(): void;
  about(): void;
}

export function menuTemplate(opts: {
  isMac: boolean;
  dev: boolean;
  actions: MenuActions;
}): MenuItemConstructorOptions[] {
  const { isMac, dev, actions } = opts;
  const view: MenuItemConstructorOptions[] = [
    ...(dev
      ? ([
          { role: 'reload' },
          { role: 'forceReload' },
          { role: 'toggleDevTools' },
          { type: 'separator' },
        ] as const)
      : []),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Dataset Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFolder() },
        { label: 'Open Dataset File…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFile() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: '&View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'About TL;DR Studio', click: () => actions.about() }] },
  ];
}
