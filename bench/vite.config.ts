import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

/** Builds the benchmark page: aiscope by its package names, pointed at the sources. */
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^aiscope$/, replacement: fromRoot('src/index.ts') },
      { find: /^aiscope\/testing$/, replacement: fromRoot('src/testing/index.ts') },
      { find: /^aiscope\/instrument$/, replacement: fromRoot('src/instrument/index.ts') },
      { find: /^aiscope\/pricing$/, replacement: fromRoot('src/pricing/index.ts') },
      { find: /^aiscope\/schema$/, replacement: fromRoot('src/schema/index.ts') },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The page's build time is not a benchmark: no warnings about slow plugins on a busy machine.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
})
