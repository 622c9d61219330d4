/// <reference types="vite/client" />
import type { TldrBridge } from '../../main/electron/bridge';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Present in the Electron app (the preload's bridge); absent in a browser. */
    tldr?: TldrBridge;
  }
}
