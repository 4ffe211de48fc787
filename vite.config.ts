import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs: the same build loads from file:// in Electron and from the preview server.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    // ECharts and React Flow make one large chunk; it loads from disk, never over a network.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    host: '127.0.0.1',
    // The renderer imports ../shared, which lies outside Vite's root.
    fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] },
  },
});
