// Builds the citizen portal SPA that the server serves at `/`.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import vuetify from 'vite-plugin-vuetify';

export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer/portal'),
  plugins: [vue(), vuetify({ autoImport: true })],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/portal'),
    emptyOutDir: true,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
