import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

/**
 * The demo host app. It imports aiscope by its package names, as a host would; the
 * aliases point them at the sources so edits show up live.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^aiscope$/, replacement: fromRoot('src/index.ts') },
      { find: /^aiscope\/react$/, replacement: fromRoot('src/react/index.ts') },
      { find: /^aiscope\/testing$/, replacement: fromRoot('src/testing/index.ts') },
      { find: /^aiscope\/instrument$/, replacement: fromRoot('src/instrument/index.ts') },
      { find: /^aiscope\/pricing$/, replacement: fromRoot('src/pricing/index.ts') },
      { find: /^aiscope\/schema$/, replacement: fromRoot('src/schema/index.ts') },
      { find: /^aiscope\/styles\.css$/, replacement: fromRoot('src/react/styles.css') },
    ],
  },
  worker: { format: 'es' },
  server: { port: 5173, open: false },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') {
          warn(warning)
        }
      },
    },
  },
})
