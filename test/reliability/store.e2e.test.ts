/**
 * The store's reliability in real Chromium: two tabs writing one store at once, a reload in
 * the middle of an import, and a reload with captured events still on their way. Node drives
 * `test/reliability/page` through playwright-core, in a persistent profile so IndexedDB is on
 * disk as it is for users, and each page's engine runs in aiscope's own Web Worker. Only the
 * public client API is used, so the tests hold whatever the store's layout on disk.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type ViteDevServer } from 'vite'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { chromiumArgs } from '../../vite.config'
import { generateEvents } from '../../src/testing'
import type { GeneratedEventsOptions } from './page/main'

let server: ViteDevServer
let context: BrowserContext
let profileDir: string
let pageUrl: string
/** Uncaught errors and console errors of any page of the current test: each one fails it. */
let pageErrors: string[] = []
let openedPages: Page[] = []

beforeAll(async () => {
  server = await createServer({
    configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)),
    server: { port: 0, host: '127.0.0.1' },
  })
  await server.listen()
  pageUrl = server.resolvedUrls?.local[0] ?? ''
  profileDir = mkdtempSync(join(tmpdir(), 'aiscope-reliability-'))
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumArgs,
  })
  // The first load makes the dev server transform the library and the worker: do it once
  // here, so the tests' timings are the store's own.
  const warmUp = await openPage('warm-up')
  await warmUp.evaluate(() => window.reliability.status())
  await closePages()
}, 90_000)

afterEach(async () => {
  await closePages()
  const errors = pageErrors
  pageErrors = []
  expect(errors, 'errors in the pages').toEqual([])
}, 30_000)

afterAll(async () => {
  await context?.close()
  await server?.close()
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true })
  }
})

/** A new tab on the reliability page, with its client open on `dbName` in aiscope's worker. */
async function openPage(dbName: string): Promise<Page> {
  const page = await context.newPage()
  openedPages.push(page)
  page.on('pageerror', (error) => pageErrors.push(`${dbName}: ${error.stack ?? error.message}`))
  // A worker that fails to load or throws reports only to the console.
  page.on('console', (message) => {
    if (message.type() === 'error') {
      pageErrors.push(`${dbName}: console: ${message.text()}`)
    }
  })
  await page.goto(pageUrl)
  await openClient(page, dbName)
  return page
}

/**
 * Waits for the page's helpers, then creates its client; the engine must be in the worker.
 * A worker that never answers fails here with the page's errors, not at the test's timeout.
 */
async function openClient(page: Page, dbName: string): Promise<void> {
  await page.waitForFunction(() => window.reliability !== undefined)
  let timer: ReturnType<typeof setTimeout> | undefined
  const mode = await Promise.race([
    page.evaluate((name) => window.reliability.open(name), dbName),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the client on "${dbName}" did not start in 30 s; page errors: ${JSON.stringify(pageErrors)}`)),
        30_000,
      )
    }),
  ]).finally(() => clearTimeout(timer))
  expect(mode).toBe('worker')
}

async function closePages(): Promise<void> {
  const pages = openedPages
  openedPages = []
  await Promise.all(pages.map((page) => page.close()))
}

const eventCountOf = async (page: Page) => (await page.evaluate(() => window.reliability.status())).eventCount
const countEvents = (page: Page, eventNames?: string[]) =>
  page.evaluate((names) => window.reliability.countEvents(names), eventNames)

/** What the page will generate, computed here independently: the counts a user must see. */
function describeGenerated(options: GeneratedEventsOptions) {
  const events = generateEvents(options)
  return {
    uuids: events.map((event) => event.uuid),
    /** Every event name: an aggregate over these counts every stored event. */
    eventNames: [...new Set(events.map((event) => event.event))].sort(),
    /** What an aggregate counts by default. */
    aiCallCount: events.filter((event) => event.event === '$ai_generation' || event.event === '$ai_embedding').length,
  }
}

describe('the store in real Chromium', () => {
  it('keeps all 40,000 events when two tabs capture 20,000 each at the same time, and each tab sees them all without a reload', async () => {
    const dbName = 'two-tabs'
    const firstEvents = { size: 20_000, seed: 101 }
    const secondEvents = { size: 20_000, seed: 202 }
    const first = describeGenerated(firstEvents)
    const second = describeGenerated(secondEvents)
    expect(new Set([...first.uuids, ...second.uuids]).size, 'the two data sets share no uuid').toBe(40_000)
    const eventNames = [...new Set([...first.eventNames, ...second.eventNames])]

    const tabs = await Promise.all([openPage(dbName), openPage(dbName)])
    const [firstTab, secondTab] = tabs
    expect(
      await Promise.all([
        firstTab.evaluate((options) => window.reliability.prepareEvents(options), firstEvents),
        secondTab.evaluate((options) => window.reliability.prepareEvents(options), secondEvents),
      ]),
    ).toEqual([20_000, 20_000])

    const chunks = { chunkSize: 250, pauseMs: 10 }
    const [firstRun, secondRun] = await Promise.all([
      firstTab.evaluate((options) => window.reliability.captureInChunks(options), chunks),
      secondTab.evaluate((options) => window.reliability.captureInChunks(options), chunks),
    ])
    // The two tabs really captured at the same time: each started before the other's flush ended.
    expect(firstRun.startedMs).toBeLessThan(secondRun.flushedMs)
    expect(secondRun.startedMs).toBeLessThan(firstRun.flushedMs)
    const everyEventStored = { capturedCount: 20_000, storedCount: 20_000, duplicateCount: 0, rejectedCount: 0, redactedCount: 0 }
    expect(firstRun.stats).toEqual(everyEventStored)
    expect(secondRun.stats).toEqual(everyEventStored)

    for (const tab of tabs) {
      expect(await eventCountOf(tab)).toBe(40_000)
      expect(await countEvents(tab, eventNames)).toBe(40_000)
      expect(await countEvents(tab)).toBe(first.aiCallCount + second.aiCallCount)
      // What `useQuery` listens to: the last change heard, this tab's or the other's.
      await expect.poll(() => tab.evaluate(() => window.reliability.heardStatus()?.eventCount)).toBe(40_000)
    }
  }, 120_000)

  it('keeps what an import stored when the page reloads in its middle, and importing the file again stores only the rest', async () => {
    const dbName = 'import-reload'
    const file = { size: 30_000, seed: 303 }
    const fileEventCount = file.size
    const { eventNames } = describeGenerated(file)
    const page = await openPage(dbName)

    await page.evaluate((options) => window.reliability.startImport(options), file)
    await expect
      .poll(() => page.evaluate(() => window.reliability.importState().progress?.storedCount ?? 0), {
        timeout: 60_000,
        interval: 10,
      })
      .toBeGreaterThan(0)
    const interrupted = await page.evaluate(() => window.reliability.importState())
    expect(interrupted.report, 'the import finished before the reload: make the file bigger').toBeNull()
    expect(interrupted.error).toBeNull()
    const reportedStoredCount = interrupted.progress?.storedCount ?? 0
    await page.reload()
    await openClient(page, dbName)

    const storedBeforeRetry = await eventCountOf(page)
    // Every chunk the import reported as stored survived the reload; the import was cut short.
    expect(storedBeforeRetry).toBeGreaterThanOrEqual(reportedStoredCount)
    expect(storedBeforeRetry, 'the import ended before the reload: make the file bigger').toBeLessThan(fileEventCount)

    const report = await page.evaluate((options) => window.reliability.runImport(options), file)
    expect({
      storedCount: report.storedCount,
      duplicateCount: report.duplicateCount,
      rejectedCount: report.rejectedCount,
      problemCount: report.problemCount,
      eventCount: report.status.eventCount,
    }).toEqual({
      storedCount: fileEventCount - storedBeforeRetry,
      duplicateCount: storedBeforeRetry,
      rejectedCount: 0,
      problemCount: 0,
      eventCount: fileEventCount,
    })
    expect(await eventCountOf(page)).toBe(fileEventCount)
    expect(await countEvents(page, eventNames)).toBe(fileEventCount)
  }, 120_000)

  it('keeps every flushed event through a reload right after more captures, and capturing them all again stores each once', async () => {
    const dbName = 'capture-reload'
    const flushedCount = 5_000
    const events = { size: 2 * flushedCount, seed: 404 }
    const { eventNames } = describeGenerated(events)
    const page = await openPage(dbName)

    expect(await page.evaluate((options) => window.reliability.prepareEvents(options), events)).toBe(events.size)
    await page.evaluate((count) => window.reliability.captureWithoutFlush(0, count), flushedCount)
    expect(await page.evaluate(() => window.reliability.flush())).toMatchObject({ storedCount: flushedCount, rejectedCount: 0 })
    await page.evaluate((count) => window.reliability.captureWithoutFlush(count, 2 * count), flushedCount)
    await page.reload()
    await openClient(page, dbName)

    const storedAfterReload = await eventCountOf(page)
    expect(storedAfterReload).toBeGreaterThanOrEqual(flushedCount)
    expect(storedAfterReload).toBeLessThanOrEqual(events.size)

    expect(await page.evaluate((options) => window.reliability.prepareEvents(options), events)).toBe(events.size)
    await page.evaluate((count) => window.reliability.captureWithoutFlush(0, count), events.size)
    expect(await page.evaluate(() => window.reliability.flush())).toEqual({
      capturedCount: events.size,
      storedCount: events.size - storedAfterReload,
      duplicateCount: storedAfterReload,
      rejectedCount: 0,
      redactedCount: 0,
    })
    expect(await eventCountOf(page)).toBe(events.size)
    expect(await countEvents(page, eventNames)).toBe(events.size)
  }, 120_000)
})
