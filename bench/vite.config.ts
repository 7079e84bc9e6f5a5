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
      { find: /^aiscope\/react$/, replacement: fromRoot('src/react/index.ts') },
      { find: /^aiscope\/testing$/, replacement: fromRoot('src/testing/index.ts') },
      { find: /^aiscope\/instrument$/, replacement: fromRoot('src/instrument/index.ts') },
      { find: /^aiscope\/pricing$/, replacement: fromRoot('src/pricing/index.ts') },
      { find: /^aiscope\/schema$/, replacement: fromRoot('src/schema/index.ts') },
    ],
  },
  worker: { format: 'es' },
  build: {
    // AISCOPE_BENCH_OUT: another folder, so a second run leaves a running one's page alone.
    outDir: process.env.AISCOPE_BENCH_OUT ?? fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The page's build time is not a benchmark: no warnings about slow plugins on a busy machine.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // The panels' 'use client' directives mean nothing in this page's bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') {
          warn(warning)
        }
      },
    },
  },
})
