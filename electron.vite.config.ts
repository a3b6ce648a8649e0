/** Builds the three parts of the app into out/: main, preload and the renderer. */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import type { Plugin } from 'vite';
import { PAGE_CONTENT_SECURITY_POLICY } from './electron/main/security';

/** Writes the page's CSP meta tag, before any script, from the policy main also sends as a header. */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'bulk-cancel:csp-meta',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: PAGE_CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: { rollupOptions: { input: { index: resolve('electron/main/index.ts') } } },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload cannot load ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react(), contentSecurityPolicyMeta()],
    build: { minify: true, rollupOptions: { input: { index: resolve('renderer/index.html') } } },
  },
});
