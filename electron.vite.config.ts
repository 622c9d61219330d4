// Build of the desktop app: the Electron main process and the engine's utility-process
// entry (out/main/engine-child.js, next to the bundled engine client), the sandboxed
// preload (CommonJS, dependencies bundled in), and the Vue renderer (out/renderer, also
// what `tldr-studio serve` serves).
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { rendererMetaCsp } from './main/server/csp';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The built page carries the CSP itself: file:// pages get no response headers in Electron. */
function cspMeta(): Plugin {
  return {
    name: 'tldr-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: rendererMetaCsp() },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * ECharts and zrender in a chunk of their own, marked with V8's explicit compile hint:
 * V8 then compiles all of its functions while the script streams in (off the main
 * thread) instead of lazily inside the first chart's setOption, where about half of that
 * chart's main-thread time went to compiling some 1,300 functions.
 */
const CHARTS_CHUNK = 'charts';
function eagerCharts(): Plugin {
  return {
    name: 'tldr-eager-charts',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.name === CHARTS_CHUNK)
          file.code = `//# allFunctionsCalledOnLoad\n${file.code}`;
      }
    },
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(root, 'main/electron/index.ts'),
          'engine-child': resolve(root, 'main/engine/child.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require() from node_modules: bundle everything.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: {
        input: resolve(root, 'renderer/index.html'),
        output: {
          manualChunks: (id) =>
            /[\\/]node_modules[\\/](echarts|zrender)[\\/]/.test(id) ? CHARTS_CHUNK : undefined,
        },
      },
      // Served over SSH tunnels too: keep it small.
      minify: true,
      chunkSizeWarningLimit: 1500,
    },
    plugins: [vue(), cspMeta(), eagerCharts()],
  },
});
