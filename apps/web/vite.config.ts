import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/trpc': { target: apiTarget, changeOrigin: false }, '/dev': apiTarget, '/healthz': apiTarget },
  },
  preview: { host: '127.0.0.1', port: 4173, proxy: { '/trpc': apiTarget, '/dev': apiTarget } },
  // The markdown renderer (KaTeX, highlight.js grammars) is one lazy chunk of ~600 kB, loaded after the
  // first paint: the size warning would only repeat that.
  build: { sourcemap: true, target: 'es2022', chunkSizeWarningLimit: 700 },
});
