// The studio's build: React through Vite; the emulator ports come from the harness's single list, so the
// app, the harness and firebase.json cannot disagree.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { PORTS, PROJECT_ID } from '../scripts/harness/env.js';

export default defineConfig({
  plugins: [react()],
  define: {
    __EMULATOR_PORTS__: JSON.stringify({
      auth: PORTS.auth,
      functions: PORTS.functions,
      firestore: PORTS.firestore,
      storage: PORTS.storage,
    }),
    __EMULATOR_PROJECT_ID__: JSON.stringify(PROJECT_ID),
  },
  // Vite warns past 500 kB minified; the target that matters is gzipped (bench/studio.ts, under 300 KB).
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
});
