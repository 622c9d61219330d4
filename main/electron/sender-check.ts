// Every IPC handler first asks: did this come from the top frame of our main window,
// showing our own page? Anything else (a subframe, another window, a page that somehow
// navigated elsewhere) is refused.
import type { BrowserWindow, IpcMainEvent, IpcMainInvokeEvent } from './electron-api';

export type SenderCheck = (event: IpcMainInvokeEvent | IpcMainEvent) => boolean;

export function createSenderCheck(
  getWindow: () => BrowserWindow | null,
  isAppPage: (url: string) => boolean,
): SenderCheck {
  return (event) => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return false;
    if (event.sender !== win.webContents) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    const top = event.sender.mainFrame;
    if (frame.processId !== top.processId || frame.routingId !== top.routingId) return false;
    return isAppPage(frame.url);
  };
}
