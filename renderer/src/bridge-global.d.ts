import type { TldrBridge } from '../../main/electron/bridge';

declare global {
  interface Window {
    /** Present in the Electron app (the preload's bridge); absent in a browser. */
    tldr?: TldrBridge;
  }
}
