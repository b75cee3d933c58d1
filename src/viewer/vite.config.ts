// Builds the viewer into dist/viewer (static files the server serves; three.js bundled in, no CDN).
// Paths are relative to the package root, where `npm run build` runs.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/viewer',
  base: './',
  logLevel: 'warn',
  build: {
    outDir: '../../dist/viewer',
    emptyOutDir: true,
    // three.js alone is ~700 kB; one chunk is simplest to serve from a local server.
    chunkSizeWarningLimit: 1500,
  },
});
