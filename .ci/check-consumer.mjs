// Builds a tiny host app against the built package (as `npm install aiscope` would give
// it), serves it under a nested path, and runs it in Chromium: the worker chunk must load
// from wherever the host's bundler put it, and store events in real IndexedDB.
import { createServer } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { chromium } from 'playwright-core'

const repoDir = fileURLToPath(new URL('..', import.meta.url))
const appDir = mkdtempSync(join(tmpdir(), 'aiscope-consumer-'))
const mountPath = '/admin/ai-observability/'

try {
  mkdirSync(join(appDir, 'node_modules'))
  symlinkSync(repoDir, join(appDir, 'node_modules', 'aiscope'), 'dir')
  writeFileSync(
    join(appDir, 'index.html'),
    '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>',
  )
  writeFileSync(
    join(appDir, 'main.js'),
    `import { createAiscope } from 'aiscope'
const client = createAiscope({ dbName: 'consumer-check' })
try {
  client.capture({ event: '$ai_generation', distinct_id: 'u1',
    properties: { $ai_trace_id: 't1', $ai_model: 'gpt-4o-mini', $ai_provider: 'openai', $ai_latency: 0.5 } })
  await client.flush()
  const { eventCount } = await client.status()
  document.body.dataset.result = JSON.stringify({ mode: await client.mode(), eventCount })
} catch (error) {
  document.body.dataset.result = JSON.stringify({ error: String(error) })
}
`,
  )
  await build({ root: appDir, base: './', logLevel: 'warn', configFile: false, build: { outDir: 'dist' } })

  const distDir = join(appDir, 'dist')
  const missing = []
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    if (path === '/favicon.ico') {
      response.writeHead(404).end()
      return
    }
    if (!path.startsWith(mountPath)) {
      missing.push(path)
      response.writeHead(404).end()
      return
    }
    const file = normalize(join(distDir, path.slice(mountPath.length) || 'index.html'))
    try {
      const body = readFileSync(file)
      const type = { '.html': 'text/html', '.js': 'text/javascript' }[extname(file)] ?? 'application/octet-stream'
      response.writeHead(200, { 'content-type': type }).end(body)
    } catch {
      missing.push(path)
      response.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const browser = await chromium.launch({
    executablePath: process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
  let result
  try {
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${server.address().port}${mountPath}`)
    await page.waitForFunction(() => document.body.dataset.result, undefined, { timeout: 20_000 })
    result = JSON.parse(await page.evaluate(() => document.body.dataset.result))
  } finally {
    await browser.close()
    server.close()
  }
  if (result.mode !== 'worker' || result.eventCount !== 1 || missing.length > 0) {
    console.error('consumer check failed:', JSON.stringify({ result, missing }))
    process.exit(1)
  }
  console.log(`consumer OK: a host app served at ${mountPath} ran the engine in its worker and stored 1 event`)
} finally {
  rmSync(appDir, { recursive: true, force: true })
}
