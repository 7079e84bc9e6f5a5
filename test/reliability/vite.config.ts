import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

/**
 * The store reliability page, served by Vite's dev server for `store.e2e.test.ts`. It
 * imports aiscope by its package names, as a host would; the aliases point them at the
 * sources. The engine's worker is the one `createAiscope` starts by default.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  resolve: {
    alias: [
      { find: /^aiscope$/, replacement: fromRoot('src/index.ts') },
      { find: /^aiscope\/testing$/, replacement: fromRoot('src/testing/index.ts') },
    ],
  },
  // Optimised up front, not on discovery: a dependency found late makes the dev server reload
  // every page mid-test. A cache of its own, so the demo's dev server (same Vitest run) never
  // rewrites it under us.
  optimizeDeps: { include: ['dexie', 'comlink'] },
  cacheDir: fromRoot('node_modules/.vite-reliability'),
  worker: { format: 'es' },
  // No file watching and no HMR: an edit to the sources mid-run would otherwise reload every
  // page, which these tests must do only on purpose.
  server: { hmr: false, watch: null },
  logLevel: 'warn',
})
