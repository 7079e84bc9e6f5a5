import { readFileSync } from 'node:fs'
import { defineConfig, type Plugin } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import pkg from './package.json' with { type: 'json' }

/** Packages the library never bundles: its dependencies and peers stay imports. */
const externalPackages = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]

/** Debian's Chromium, as CI installs it; the flags keep it off this machine's closed network. */
const chromiumPath = process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium'
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Emits the optional theme as `dist/styles.css`, untouched, beside the entries. */
function emitStylesheet(): Plugin {
  return {
    name: 'aiscope:stylesheet',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'styles.css',
        source: readFileSync(new URL('./src/react/styles.css', import.meta.url), 'utf8'),
      })
    },
  }
}

export default defineConfig({
  plugins: [react(), emitStylesheet()],
  // Relative base: the worker chunk's URL resolves against the module that loads it,
  // not against the host's site root (library mode otherwise emits "/assets/...").
  base: './',
  // The worker ships as ONE self-contained file: a host's bundler copies it as an asset,
  // and a chunk it imports would be left behind.
  worker: { format: 'es', rolldownOptions: { output: { codeSplitting: false } } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    minify: true,
    copyPublicDir: false,
    lib: {
      entry: {
        index: 'src/index.ts',
        react: 'src/react/index.ts',
        instrument: 'src/instrument/index.ts',
        pricing: 'src/pricing/index.ts',
        schema: 'src/schema/index.ts',
        testing: 'src/testing/index.ts',
      },
      formats: ['es'],
    },
    rolldownOptions: {
      external: (id) => externalPackages.some((name) => id === name || id.startsWith(`${name}/`)),
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') {
          warn(warning)
        }
      },
    },
  },
  test: {
    // Generous: a 2-core CI machine under load takes seconds for the first dynamic import of
    // the engine. Speed is measured by the benchmarks, never by test timeouts.
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          setupFiles: ['test/support/fastCheck.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.*', 'test/**/*.e2e.test.*'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          setupFiles: ['test/support/fastCheck.ts'],
          include: ['test/**/*.test.tsx'],
          exclude: ['test/**/*.browser.test.*'],
        },
      },
      {
        extends: true,
        test: {
          // Node drives a real Chromium through playwright-core: the demo app end to end.
          name: 'e2e',
          environment: 'node',
          globalSetup: ['test/support/requireChromium.ts'],
          include: ['test/**/*.e2e.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          globalSetup: ['test/support/requireChromium.ts'],
          include: ['test/**/*.browser.test.{ts,tsx}'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
          },
        },
      },
    ],
  },
})
