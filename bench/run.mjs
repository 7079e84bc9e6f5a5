// aiscope's benchmark harness: builds bench/page, serves it on 127.0.0.1, opens it in
// Debian's Chromium with a persistent profile (IndexedDB on disk, as users have it), runs
// the cases, then builds the library and measures what a host downloads, and writes
// bench/results/latest.json.
//   npm run bench                    1,000,000 events, with the baselines (Dexie, DuckDB-Wasm)
//   npm run bench -- --quick          100,000 events
//   npm run bench -- --events=N       N events (10 to 1,000,000)
//   npm run bench -- --no-baselines   aiscope alone (no Dexie, no DuckDB-Wasm)
//   npm run bench -- --no-dexie       without the one-row-per-event Dexie baselines (at 1M events
//                                     they take over 15 minutes on a 2-core machine)
//   npm run bench -- --no-duckdb      without the DuckDB-Wasm baseline of the re-aggregations
//   npm run bench -- --sizes-only     only the library's sizes (no browser)
//   npm run bench -- --traces-only    only the trace cases (bench/results/traces-only.json)
//   npm run bench -- --persist-only   only generating and persisting (bench/results/persist-only.json)
// Environment: AISCOPE_BENCH_OUT (folder the page is built into; default bench/dist) and
// AISCOPE_BENCH_RESULTS (the results file; default bench/results/latest.json).
import { createServer } from 'node:http'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, cpus, totalmem } from 'node:os'
import { dirname, extname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build as esbuild } from 'esbuild'
import { build } from 'vite'
import { chromium } from 'playwright-core'

const quick = process.argv.includes('--quick')
const eventsArgument = process.argv.find((argument) => argument.startsWith('--events='))
const eventCount = eventsArgument ? Number(eventsArgument.slice('--events='.length)) : quick ? 100_000 : 1_000_000
const skipBaselines = process.argv.includes('--no-baselines')
const skipDexie = skipBaselines || process.argv.includes('--no-dexie')
const skipDuckDb = skipBaselines || process.argv.includes('--no-duckdb')
// The one-row-per-event Dexie baselines store and read the first fifth of the events and are
// scaled (1M rows take Dexie about 20 minutes here); --full-baselines gives them every event.
const fullBaselines = process.argv.includes('--full-baselines')
const sizesOnly = process.argv.includes('--sizes-only')
// Only the trace cases (10k and 200k spans: query, render, scroll), for work on the trace viewer.
const tracesOnly = process.argv.includes('--traces-only')
const persistOnly = process.argv.includes('--persist-only')
if (!Number.isInteger(eventCount) || eventCount < 10 || eventCount > 1_000_000) {
  console.error('--events must be an integer from 10 to 1000000')
  process.exit(2)
}
const baselineEventCount = fullBaselines ? eventCount : Math.ceil(eventCount / 5)
const benchDir = fileURLToPath(new URL('.', import.meta.url))
const repoDir = join(benchDir, '..')
// Where the page is built (read by bench/vite.config.ts too) and the results written: other
// folders let a second run leave a running one's alone.
const distDir = process.env.AISCOPE_BENCH_OUT ?? join(benchDir, 'dist')
const resultsFile = process.env.AISCOPE_BENCH_RESULTS ?? join(benchDir, 'results', tracesOnly ? 'traces-only.json' : persistOnly ? 'persist-only.json' : 'latest.json')
const chromiumPath = process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium'

const runStartedMs = Date.now()
const results = sizesOnly ? [] : await browserCases()
if (!tracesOnly) {
  results.push(...(await librarySizes()))
}

const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`\naiscope benchmarks (${sizesOnly ? 'sizes only' : tracesOnly ? 'trace cases only' : `${eventCount.toLocaleString('en-US')} events`}, ${machine})\n`)
console.table(
  results.map((result) => ({
    case: result.name,
    value: `${result.value} ${result.unit}`,
    baseline: result.baseline ? `${result.baseline.value} ${result.unit} (${result.baseline.name})` : '–',
    'times better': result.ratio ?? '–',
  })),
)
mkdirSync(dirname(resultsFile), { recursive: true })
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`)
console.log(`wrote ${relative(process.cwd(), resultsFile)} (${((Date.now() - runStartedMs) / 1000).toFixed(0)} s in all)`)

/**
 * What a host downloads: the library built from the current sources with the repo's
 * vite.config.ts (into a temporary folder, so dist/ is left as it is), then one import at a
 * time bundled by esbuild (`--bundle --minify --splitting --format=esm`) with the peers (react,
 * react-dom, dexie) external and the dependencies (@tanstack/*, @visx/*, comlink) included,
 * as a host's bundler would; gzip level 9.
 */
async function librarySizes() {
  const libDir = mkdtempSync(join(tmpdir(), 'aiscope-lib-'))
  try {
    await build({
      root: repoDir,
      configFile: join(repoDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: libDir, emptyOutDir: true, sourcemap: false },
    })
    const kilobytesGzipped = (bytes) => Number((gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1))
    let entryCount = 0
    /** One import bundled (with splitting, as a host's bundler would): KB gz loaded up front, and in chunks loaded on demand. */
    const bundled = async (contents) => {
      entryCount += 1
      const entry = join(libDir, `entry-${entryCount}.js`)
      writeFileSync(entry, `${contents}\n`)
      const output = await esbuild({
        entryPoints: [entry],
        absWorkingDir: libDir,
        outdir: join(libDir, `out-${entryCount}`),
        bundle: true,
        minify: true,
        splitting: true,
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'error',
        external: ['react', 'react/*', 'react-dom', 'react-dom/*', 'dexie'],
        // The built entries import their dependencies by name: resolve them from the repo.
        nodePaths: [join(repoDir, 'node_modules')],
        plugins: [
          {
            name: 'aiscope-built',
            setup(plugin) {
              plugin.onResolve({ filter: /^aiscope(\/react)?$/ }, ({ path }) => ({
                path: join(libDir, path === 'aiscope' ? 'index.js' : 'react.js'),
              }))
            },
          },
        ],
      })
      const sizes = new Map(output.outputFiles.filter((file) => file.path.endsWith('.js')).map((file) => [relative(libDir, file.path), file.contents]))
      const outputs = output.metafile.outputs
      const eager = new Set([Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined)])
      for (const path of eager) {
        for (const imported of outputs[path].imports) {
          if (imported.kind === 'import-statement' && !imported.external) {
            eager.add(imported.path)
          }
        }
      }
      const sum = (paths) => Number(paths.reduce((total, path) => total + kilobytesGzipped(sizes.get(path)), 0).toFixed(1))
      const lazy = [...sizes.keys()].filter((path) => !eager.has(path))
      /** KB gz of the chunks loaded on demand whose inputs `test` accepts. */
      const lazyWith = (test) => sum(lazy.filter((path) => Object.keys(outputs[path].inputs).some(test)))
      return { eager: sum([...eager]), lazy: sum(lazy), lazyWith }
    }
    const sizeRow = (name, value) => ({ name: `size: ${name}`, value, unit: 'KB gz', baseline: null, ratio: null })
    const main = await bundled("export * from 'aiscope'")
    const comlink = main.lazyWith((input) => input.includes('node_modules/comlink/'))
    const rows = [
      sizeRow(
        "main entry 'aiscope' alone, on the main thread (dist/index.js, the chunks it imports, and comlink, imported when the worker starts)",
        Number((main.eager + comlink).toFixed(1)),
      ),
      sizeRow("main entry 'aiscope': the in-process engine, imported only where there is no Worker", Number((main.lazy - comlink).toFixed(1))),
    ]
    for (const panel of ['TraceExplorer', 'CostBreakdown', 'ModelHealth']) {
      const family = await bundled(`export { ${panel} } from 'aiscope/react'`)
      rows.push(
        sizeRow(
          `${panel} imported alone from 'aiscope/react' (with @tanstack and @visx; react, react-dom, dexie external)`,
          Number((family.eager + family.lazy).toFixed(1)),
        ),
      )
    }
    const workerFile = readdirSync(join(libDir, 'assets')).find((file) => /^aiscope\.worker-.*\.js$/.test(file))
    if (workerFile) {
      rows.push(sizeRow('worker chunk dist/assets/aiscope.worker-*.js (as built; never loads on the main thread)', kilobytesGzipped(readFileSync(join(libDir, 'assets', workerFile)))))
    }
    return rows
  } finally {
    rmSync(libDir, { recursive: true, force: true })
  }
}

/** Builds and serves bench/page, and runs its phases in Chromium. */
async function browserCases() {
  await build({ configFile: join(benchDir, 'vite.config.ts') })

  const contentTypes = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' }
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
    const file = join(distDir, path === '/' ? 'index.html' : path)
    if (!file.startsWith(distDir)) {
      response.writeHead(403).end()
      return
    }
    try {
      const body = readFileSync(file)
      response.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
        // Cross-origin isolation, so the page may measure the worker's memory.
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      })
      response.end(body)
    } catch {
      response.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())

  const profileDir = mkdtempSync(join(tmpdir(), 'aiscope-bench-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory'],
  })
  try {
    const startedMs = Date.now()
    const openPage = async () => {
      const page = await context.newPage()
      page.on('pageerror', (error) => console.error('page error:', error.message))
      await page.exposeFunction('benchLog', (message) => console.log(`  ${((Date.now() - startedMs) / 1000).toFixed(0)} s: ${message}`))
      await page.goto(`http://127.0.0.1:${port}/`)
      await page.waitForFunction(() => typeof window.runPersistCases === 'function')
      return page
    }
    const first = await openPage()
    if (tracesOnly) {
      return await first.evaluate(() => window.runTraceCases())
    }
    const persisted = await first.evaluate((options) => window.runPersistCases(options), { eventCount, skipBaselines: skipDexie, baselineEventCount })
    if (persistOnly) {
      return persisted.results
    }
    // A host's page has not just generated a million events: measure it in a fresh one.
    const hostPage = await openPage()
    const host = await hostPage.evaluate((options) => window.runHostPageCases(options), { eventCount, dbName: persisted.dbName })
    if (!skipDuckDb) {
      // In the same page, after its cases: the same events into DuckDB-Wasm, the same queries as SQL.
      const duck = await hostPage.evaluate((options) => window.runDuckDbCases(options), { eventCount })
      const withBaselines = new Map(duck.reaggregations.map((result) => [result.name, result]))
      const last = host.results.findLastIndex((result) => withBaselines.has(result.name))
      host.results = host.results.map((result) => withBaselines.get(result.name) ?? result)
      host.results.splice(last + 1, 0, ...duck.results)
    }
    await hostPage.close()
    const later = await first.evaluate((options) => window.runBaselineAndTraceCases(options), {
      eventCount,
      coldMs: host.coldMs,
      rowsDbName: persisted.rowsDbName,
      baselineEventCount,
    })
    return [...persisted.results, ...later.slice(0, 1), ...host.results, ...later.slice(1)]
  } finally {
    await context.close()
    server.close()
    rmSync(profileDir, { recursive: true, force: true })
  }
}
