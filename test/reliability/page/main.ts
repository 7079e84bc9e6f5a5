/**
 * The store reliability page. `test/reliability/store.e2e.test.ts` opens it in Chromium and
 * drives it through `window.reliability`: one aiscope client per page, with its engine in
 * aiscope's own Web Worker over the page's real IndexedDB, used only through the public API.
 */
import {
  createAiscope,
  type AiscopeClient,
  type AiscopeEvent,
  type CaptureStats,
  type EngineMode,
  type ImportProgress,
  type ImportReport,
  type StoreStatus,
} from 'aiscope'
import { generateEvents } from 'aiscope/testing'

/** Which generated events: `generateEvents({ size, seed })`. */
export interface GeneratedEventsOptions {
  size: number
  seed: number
}

/** Options of {@link ReliabilityPage.captureInChunks}. */
export interface ChunkedCaptureOptions {
  /** Events captured in one go, before yielding to the event loop. */
  chunkSize: number
  /** Pause after each chunk, in ms, so another page's writes get their turn. */
  pauseMs: number
}

/** When a chunked capture ran, by the wall clock every page shares. */
export interface ChunkedCaptureRun {
  /** `Date.now()` at the first `capture()`. */
  startedMs: number
  /** `Date.now()` when `flush()` resolved. */
  flushedMs: number
  stats: CaptureStats
}

/** Where the import started by {@link ReliabilityPage.startImport} has got to. */
export interface ImportState {
  /** The latest `onProgress` call, or `null` before the first chunk is stored. */
  progress: ImportProgress | null
  /** The report, once the import resolved. */
  report: ImportReport | null
  /** The error message, if the import rejected. */
  error: string | null
}

/** The helpers the test calls with `page.evaluate`. */
export interface ReliabilityPage {
  /** Creates this page's client on `dbName` with default options and resolves with where its engine runs. */
  open(dbName: string): Promise<EngineMode>
  /** `client.status()`. */
  status(): Promise<StoreStatus>
  /** The last status `client.subscribe` delivered (this page's changes or another page's), or `null`. */
  heardStatus(): StoreStatus | null
  /** `totals.count` of an aggregate over `eventNames` (the aggregate's default events when omitted). */
  countEvents(eventNames?: string[]): Promise<number | null>
  /** Generates events and keeps them for the capture helpers; resolves with how many. */
  prepareEvents(options: GeneratedEventsOptions): number
  /** Captures every prepared event in chunks with pauses between them, then flushes. */
  captureInChunks(options: ChunkedCaptureOptions): Promise<ChunkedCaptureRun>
  /** Captures prepared events `[from, to)` and returns at once, without flushing. */
  captureWithoutFlush(from: number, to: number): CaptureStats
  /** `client.flush()`, then `client.captureStats()`. */
  flush(): Promise<CaptureStats>
  /** Starts importing the generated events as a PostHog JSONL file; follow it with {@link ReliabilityPage.importState}. */
  startImport(options: GeneratedEventsOptions): void
  importState(): ImportState
  /** Imports the generated events as a PostHog JSONL file and resolves with the report. */
  runImport(options: GeneratedEventsOptions): Promise<ImportReport>
}

declare global {
  interface Window {
    reliability: ReliabilityPage
  }
}

let openedClient: AiscopeClient | undefined
let heardStatus: StoreStatus | null = null
let preparedEvents: AiscopeEvent[] = []
let importState: ImportState = { progress: null, report: null, error: null }

function client(): AiscopeClient {
  if (!openedClient) {
    throw new Error('reliability page: call open(dbName) first')
  }
  return openedClient
}

/** The generated events as PostHog's JSON Lines export: one event per line. */
function postHogJsonLines({ size, seed }: GeneratedEventsOptions): Blob {
  const lines = generateEvents({ size, seed }).map((event) => JSON.stringify(event))
  return new Blob([lines.join('\n')], { type: 'application/x-ndjson' })
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

window.reliability = {
  async open(dbName) {
    openedClient = createAiscope({ dbName })
    openedClient.subscribe((status) => {
      heardStatus = status
    })
    return openedClient.mode()
  },

  status: () => client().status(),

  heardStatus: () => heardStatus,

  async countEvents(eventNames) {
    const result = await client().query({ kind: 'aggregate', measures: ['count'], ...(eventNames ? { eventNames } : {}) })
    return result.totals.count ?? null
  },

  prepareEvents(options) {
    preparedEvents = generateEvents(options)
    return preparedEvents.length
  },

  async captureInChunks({ chunkSize, pauseMs }) {
    const capturing = client()
    const startedMs = Date.now()
    for (let start = 0; start < preparedEvents.length; start += chunkSize) {
      for (const event of preparedEvents.slice(start, start + chunkSize)) {
        capturing.capture(event)
      }
      await pause(pauseMs)
    }
    await capturing.flush()
    return { startedMs, flushedMs: Date.now(), stats: capturing.captureStats() }
  },

  captureWithoutFlush(from, to) {
    const capturing = client()
    for (const event of preparedEvents.slice(from, to)) {
      capturing.capture(event)
    }
    return capturing.captureStats()
  },

  async flush() {
    await client().flush()
    return client().captureStats()
  },

  startImport(options) {
    importState = { progress: null, report: null, error: null }
    client()
      .import(postHogJsonLines(options), {
        format: 'posthog-jsonl',
        onProgress: (progress) => {
          importState.progress = progress
        },
      })
      .then(
        (report) => {
          importState.report = report
        },
        (error: unknown) => {
          importState.error = error instanceof Error ? error.message : String(error)
        },
      )
  },

  importState: () => importState,

  runImport: (options) => client().import(postHogJsonLines(options), { format: 'posthog-jsonl' }),
}
