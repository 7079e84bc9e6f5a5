import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type ViteDevServer } from 'vite'
import { chromium, type Browser, type Page } from 'playwright-core'
import { chromiumArgs } from '../../vite.config'
import { generateEvents } from '../../src/testing'

let server: ViteDevServer
let browser: Browser
let page: Page
let demoUrl: string

beforeAll(async () => {
  server = await createServer({
    configFile: fileURLToPath(new URL('../../demo/vite.config.ts', import.meta.url)),
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'silent',
  })
  await server.listen()
  demoUrl = server.resolvedUrls?.local[0] ?? ''
  browser = await chromium.launch({
    executablePath: process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumArgs,
  })
  page = await browser.newPage()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the demo host app', () => {
  it('seeds its store on first open, with progress, and shows what is stored', async () => {
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    await page.goto(`${demoUrl}?events=3000#/overview`)

    await expect.poll(() => page.getByText(/Seeding the local store/).count(), { timeout: 20_000 }).toBeGreaterThan(0)
    const storedCount = page.locator('dt', { hasText: 'Events stored' }).locator('xpath=following-sibling::dd')
    await expect.poll(() => storedCount.textContent(), { timeout: 60_000 }).toBe('3,000')
    expect(await page.getByText(/Seeding the local store/).count()).toBe(0)
    expect(pageErrors).toEqual([])
  }, 90_000)

  it('keeps the store on reload instead of seeding again', async () => {
    await page.reload()
    const storedCount = page.locator('dt', { hasText: 'Events stored' }).locator('xpath=following-sibling::dd')
    await expect.poll(() => storedCount.textContent(), { timeout: 20_000 }).toBe('3,000')
    expect(await page.locator('dt', { hasText: 'Data version' }).locator('xpath=following-sibling::dd').textContent()).toBe('2')
  }, 30_000)

  it('shows the host-built usage summary, computed in the worker from what was seeded', async () => {
    // The demo seeds with seed 42, 30 days ending at the current hour.
    const endMs = Math.floor(Date.now() / 3_600_000) * 3_600_000
    const expectedCalls = generateEvents({ size: 3_000, seed: 42, endMs, days: 30 }).filter(
      (event) => event.event === '$ai_generation' || event.event === '$ai_embedding',
    ).length
    const summary = page.getByRole('region', { name: 'AI calls in the store' })
    const calls = summary.locator('dt', { hasText: /^Calls$/ }).locator('xpath=following-sibling::dd')
    await expect.poll(() => calls.textContent(), { timeout: 20_000 }).toBe(expectedCalls.toLocaleString('en-US'))
    expect(await summary.getByRole('table', { name: /Cost by model/ }).locator('tbody tr').count()).toBeGreaterThan(3)
  }, 30_000)

  it('has every page an admin expects, each saying plainly which panels are not built yet', async () => {
    const titles = ['Overview', 'Traces', 'Costs', 'Evals', 'Sessions', 'Experiments', 'Errors']
    const built = new Set(['Overview', 'Traces', 'Costs'])
    for (const title of titles) {
      await page.getByRole('navigation').getByRole('link', { name: title, exact: true }).click()
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(title)
      expect(await page.getByRole('link', { name: title, exact: true }).getAttribute('aria-current')).toBe('page')
      const notBuilt = page.getByRole('region', { name: 'Panels not built yet' })
      if (built.has(title)) {
        expect(await notBuilt.count()).toBe(0)
      } else {
        expect(await notBuilt.textContent()).toMatch(/^Not built yet\./)
      }
    }
  }, 30_000)

  it('lists the seeded traces and opens one as a tree, keeping it in the URL', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Traces', exact: true }).click()
    const firstTrace = page.locator('tbody .aiscope-RowButton').first()
    await expect.poll(() => firstTrace.count(), { timeout: 20_000 }).toBeGreaterThan(0)
    const traceName = (await firstTrace.textContent()) ?? ''
    await firstTrace.click()
    const tree = page.getByRole('tree').first()
    await expect.poll(() => tree.getByRole('treeitem').count(), { timeout: 20_000 }).toBeGreaterThan(0)
    expect(page.url()).toMatch(/#\/traces\/[^/]+/)
    expect(traceName.length).toBeGreaterThan(0)
  }, 60_000)
})
