// aiscope's benchmark harness: builds bench/page, serves it on 127.0.0.1, opens it in
// Debian's Chromium with a persistent profile (IndexedDB on disk, as users have it), runs
// the cases and writes bench/results/latest.json.
//   npm run bench                    1,000,000 events, with the one-row-per-event baselines
//   npm run bench -- --quick          100,000 events
//   npm run bench -- --events=N       N events (10 to 1,000,000)
//   npm run bench -- --no-baselines   aiscope alone (skips the slow Dexie baselines)
import { createServer } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, cpus, totalmem } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { chromium } from 'playwright-core'

const quick = process.argv.includes('--quick')
const eventsArgument = process.argv.find((argument) => argument.startsWith('--events='))
const eventCount = eventsArgument ? Number(eventsArgument.slice('--events='.length)) : quick ? 100_000 : 1_000_000
const skipBaselines = process.argv.includes('--no-baselines')
if (!Number.isInteger(eventCount) || eventCount < 10 || eventCount > 1_000_000) {
  console.error('--events must be an integer from 10 to 1000000')
  process.exit(2)
}
const benchDir = fileURLToPath(new URL('.', import.meta.url))
const distDir = join(benchDir, 'dist')
const chromiumPath = process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium'

await build({ configFile: join(benchDir, 'vite.config.ts') })

const contentTypes = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }
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
let results
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
  const persisted = await first.evaluate((options) => window.runPersistCases(options), { eventCount, skipBaselines })
  // A host's page has not just generated a million events: measure it in a fresh one.
  const hostPage = await openPage()
  const host = await hostPage.evaluate((options) => window.runHostPageCases(options), { eventCount, dbName: persisted.dbName })
  await hostPage.close()
  const later = await first.evaluate((options) => window.runBaselineAndTraceCases(options), {
    eventCount,
    coldMs: host.coldMs,
    rowsDbName: persisted.rowsDbName,
  })
  results = [...persisted.results, ...later.slice(0, 1), ...host.results, ...later.slice(1)]
} finally {
  await context.close()
  server.close()
  rmSync(profileDir, { recursive: true, force: true })
}

const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`\naiscope benchmarks (${eventCount.toLocaleString('en-US')} events, ${machine})\n`)
console.table(
  results.map((result) => ({
    case: result.name,
    value: `${result.value} ${result.unit}`,
    baseline: result.baseline ? `${result.baseline.value} ${result.unit} (${result.baseline.name})` : '–',
    'times better': result.ratio ?? '–',
  })),
)
mkdirSync(join(benchDir, 'results'), { recursive: true })
writeFileSync(join(benchDir, 'results', 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
console.log('wrote bench/results/latest.json')
