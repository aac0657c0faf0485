// The dashboard build: Preact through Vite's own JSX transform (no Babel preset needed), one
// entry, output in dist/web with hashed asset names that the server caches forever.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  // Outside web/, so `scripts/ensure-web-build.mjs` sees only real source changes there.
  cacheDir: fileURLToPath(new URL('../node_modules/.vite-web', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev:web` proxies the API to a Spoor server on :8080.
    proxy: { '/api': 'http://localhost:8080', '/pa.js': 'http://localhost:8080' },
  },
  logLevel: 'warn',
});
