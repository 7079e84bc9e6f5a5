// aiscope's benchmark harness: builds bench/page, serves it on 127.0.0.1, opens it in
// Debian's Chromium with a persistent profile (IndexedDB on disk, as users have it), runs
// the cases and writes bench/results/latest.json.
//   npm run bench              100,000 events
//   npm run bench -- --quick    20,000 events
import { createServer } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, cpus, totalmem } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { chromium } from 'playwright-core'

const quick = process.argv.includes('--quick')
const eventCount = quick ? 20_000 : 100_000
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
    response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' })
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
    '--disable-component-update', '--disable-sync'],
})
let results
try {
  const page = await context.newPage()
  await page.goto(`http://127.0.0.1:${port}/`)
  await page.waitForFunction(() => typeof window.runBenchmarks === 'function')
  results = await page.evaluate((options) => window.runBenchmarks(options), { eventCount })
} finally {
  await context.close()
  server.close()
  rmSync(profileDir, { recursive: true, force: true })
}

const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`\naiscope benchmarks (${quick ? 'quick' : 'full'}, ${machine})\n`)
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
