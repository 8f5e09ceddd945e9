// The playground as static files: web/ -> dist/web/, assets from dist/web-assets/ (scripts/web-assets.mjs).
// Relative base, so the files work from any folder of any static host.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const at = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: at('.'),
  base: './',
  publicDir: at('../dist/web-assets'),
  build: {
    outDir: at('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // the wasm engine loads its platform lazily for Node; the worker imports the browser's directly
    rollupOptions: { onwarn: (w, warn) => (w.code === 'INEFFECTIVE_DYNAMIC_IMPORT' ? undefined : warn(w)) },
  },
  worker: { format: 'es' },
  logLevel: 'warn',
});
