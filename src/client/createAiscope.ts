import type { EventProblem } from '../schema/validation.types'
import type { CaptureInput, CaptureTarget } from '../ingest/captureTarget'
import {
  applyCaptureContext,
  createCaptureContext,
  makeRandomUuid,
  type CaptureContext,
} from '../ingest/captureContext'
import { createCaptureQueue } from '../ingest/captureQueue'
import type { ImportFormat, ImportSource } from '../ingest/importers'
import type { RetentionPolicy, RetentionReport, StoreStatus } from '../store'
import type { ImportProgress, ImportReport, IngestReport, LoadProgress, QueryResult, QuerySpec, RejectedEvent } from '../query'
import type { PriceOverride } from '../pricing'
import { startEngine, type ConnectedEngine, type EngineMode } from './connectEngine'
import { createChangeFeed } from './changeFeed'

export type { EngineMode } from './connectEngine'

/** An event that was not stored, handed to {@link AiscopeOptions.onError}. */
export interface CaptureRejection {
  /** The event as it was captured (before context and redaction). */
  event: unknown
  /** Each field that is wrong and why: `$ai_latency: expected seconds as a finite number >= 0, got "12ms"`. */
  problems: EventProblem[]
}

/** Running totals of what `capture()` did. */
export interface CaptureStats {
  /** Calls to `capture()`. */
  capturedCount: number
  /** Events written to the store. */
  storedCount: number
  /** Events skipped because their uuid was already stored. */
  duplicateCount: number
  /** Events refused: bad input, or a store failure. Each was reported to `onError`. */
  rejectedCount: number
  /** Events the `redact` hook dropped by returning `null`. */
  redactedCount: number
}

/** Options for {@link createAiscope}. */
export interface AiscopeOptions {
  /** IndexedDB database name; two clients with the same name share one store. @default 'aiscope' */
  dbName?: string
  /**
   * Where aggregation runs. `'auto'` starts aiscope's Web Worker when the environment has
   * one and runs in-process otherwise (SSR, Node, tests); `'off'` always runs in-process;
   * a function returns a Worker of the host's making (for a CSP or a custom bundler setup).
   * @default 'auto'
   */
  worker?: 'auto' | 'off' | (() => Worker)
  /** Called once for each captured event that was not stored, with every problem found. */
  onError?: (rejection: CaptureRejection) => void
  /**
   * Applied to every event before anything is stored (captured, ingested or imported):
   * return the event to keep (changed or not), or `null` to drop it. Runs on the main thread.
   */
  redact?: (event: CaptureInput) => CaptureInput | null
  /**
   * How long and how much to keep: `maxAgeDays` (by event time), `maxEvents`, `maxBytes`.
   * The oldest events go first, a stored segment at a time. Whatever the policy, a full
   * disk (`QuotaExceededError`) deletes the oldest tenth of the store (or more, as the
   * write needs) and tries the write once more. @default {} (keep everything)
   */
  retention?: RetentionPolicy
  /** Called when retention deleted events (for the policy or a full disk), to alert or log. */
  onRetention?: (report: RetentionReport) => void
  /** Tests only: behave as if the browser's storage quota were this many bytes. */
  quotaBytesForTesting?: number
  /** Store no content (inputs, outputs, states, tool definitions): only metadata and numbers. @default false */
  privacyMode?: boolean
  /** Content over this many bytes (UTF-8) per event is truncated with a marker. @default 1_000_000 */
  maxContentBytes?: number
  /** Captured events are sent for storage in batches of at most this many… @default 1000 */
  maxBatchSize?: number
  /** …or after this many ms, whichever comes first. @default 250 */
  maxBatchDelayMs?: number
  /** The host's own prices, ahead of the price table, applied whenever costs are read. @default [] */
  priceOverrides?: readonly PriceOverride[]
  /** `$groups` key that names the organisation dimension. @default 'company' */
  organisationGroup?: string
  /** Host properties to offer as dimensions (`property:<name>` in query specs). @default [] */
  dimensions?: readonly string[]
  /**
   * IndexedDB factory for in-process mode where there is no global one (Node tests with
   * fake-indexeddb). Ignored in worker mode.
   */
  indexedDB?: IDBFactory
  /** `IDBKeyRange` matching {@link AiscopeOptions.indexedDB}. */
  IDBKeyRange?: typeof IDBKeyRange
}

/** Options of {@link AiscopeClient.query}. */
export interface QueryOptions {
  /**
   * Cancels the query: the promise rejects with the signal's reason at once, and the
   * engine drops the query before its kernel runs if it has not started yet.
   */
  signal?: AbortSignal
  /**
   * Called while stored events load into the engine's memory before the query can run
   * (after a cold open, or when another tab wrote a lot): how many of how many are loaded.
   */
  onProgress?: (progress: LoadProgress) => void
}

/** Options of {@link AiscopeClient.import}. */
export interface ImportOptions {
  /** What the source holds. */
  format: ImportFormat
  /** Called after each chunk is stored. */
  onProgress?: (progress: ImportProgress) => void
  /** Stops the import between chunks; what was stored stays stored. */
  signal?: AbortSignal
  /** Events per chunk. @default 1000 */
  chunkSize?: number
}

/** Called with the new store status after every change this client makes. */
export type StatusListener = (status: StoreStatus) => void

/** The main-thread handle on an aiscope store and engine. */
export interface AiscopeClient extends CaptureTarget {
  /**
   * Takes one event in PostHog's envelope. Synchronous and constant time; never throws:
   * an event that cannot be stored is reported to `onError` and counted in `captureStats()`.
   * Events leave in batches (see `maxBatchSize`, `maxBatchDelayMs`).
   */
  capture(event: CaptureInput): void
  /** Resolves when every event captured before the call is durable in IndexedDB. */
  flush(): Promise<void>
  /** Later events without a `distinct_id` belong to this user. */
  identify(distinctId: string): void
  /** Later events carry this group in `$groups` (PostHog's group analytics). */
  group(groupType: string, groupKey: string): void
  /** Later events carry these properties unless they set them themselves. */
  register(properties: Record<string, unknown>): void
  /** Stops attaching a super property. */
  unregister(property: string): void
  /** Forgets the user, groups and super properties (on logout). */
  reset(): void
  /** What `capture()` has done so far. */
  captureStats(): CaptureStats
  /**
   * Validates and stores a batch of events now, bypassing the capture buffer; resolves
   * with what happened to each once they are durable.
   */
  ingest(events: readonly unknown[]): Promise<IngestReport>
  /** Streams a PostHog or OTLP export into the store; see the README's importers section. */
  import(source: ImportSource, options: ImportOptions): Promise<ImportReport>
  /** Answers a query spec (see the README's query section) over every stored event. */
  query<Spec extends QuerySpec>(spec: Spec, options?: QueryOptions): Promise<QueryResult<Spec>>
  /** Counters and time range of what is stored. */
  status(): Promise<StoreStatus>
  /** Deletes every stored event. */
  clear(): Promise<StoreStatus>
  /**
   * Listens for store changes, made by this client or by another tab on the same store;
   * calls come at most 4 times a second. Returns the function that stops listening.
   */
  subscribe(listener: StatusListener): () => void
  /** Resolves with where the engine runs, starting it if it has not started yet. */
  mode(): Promise<EngineMode>
  /** Flushes, closes the store and stops the worker. The client cannot be used afterwards. */
  close(): Promise<void>
}

/**
 * Creates a client. Nothing starts until the first call that needs the store: creating a
 * client during server rendering touches no browser API.
 */
export function createAiscope(options: AiscopeOptions = {}): AiscopeClient {
  const listeners = new Set<StatusListener>()
  const context: CaptureContext = createCaptureContext()
  const anonymousId = `anon_${makeRandomUuid()}`
  const stats: CaptureStats = { capturedCount: 0, storedCount: 0, duplicateCount: 0, rejectedCount: 0, redactedCount: 0 }
  let connection: Promise<ConnectedEngine> | undefined
  let closed = false

  const connect = () => {
    if (closed) {
      return Promise.reject(new Error('aiscope: this client is closed; create a new one with createAiscope()'))
    }
    return (connection ??= startEngine(options))
  }

  const changes = createChangeFeed(options.dbName ?? 'aiscope', (status) => {
    for (const listener of listeners) {
      callSafely(() => listener(status))
    }
  })
  /** When retention last deleted events, as far as this client has told the host. */
  let retentionSeenAtMs = Date.now()
  /** Tells this tab's listeners (coalesced) and the other tabs about a change. */
  const notify = (status: StoreStatus) => {
    changes.publish(status)
    const retention = status.lastRetention
    if (retention && retention.atMs > retentionSeenAtMs) {
      retentionSeenAtMs = retention.atMs
      const onRetention = options.onRetention
      if (onRetention) {
        queueMicrotask(() => callSafely(() => onRetention(retention)))
      }
    }
    return status
  }

  const reportRejections = (rejections: CaptureRejection[]) => {
    stats.rejectedCount += rejections.length
    if (options.onError && rejections.length > 0) {
      const onError = options.onError
      queueMicrotask(() => {
        for (const rejection of rejections) {
          callSafely(() => onError(rejection))
        }
      })
    }
  }

  /**
   * Applies the host's `redact` to each prepared event. `positions[i]` is the place of
   * `events[i]` in the batch, so a report points at the host's input and a rejection can
   * hand back the host's own object.
   */
  const redactAll = (items: readonly QueuedEvent[]) => {
    const events: unknown[] = []
    const positions: number[] = []
    const rejected: RejectedEvent[] = []
    let redactedCount = 0
    items.forEach(({ prepared }, position) => {
      if (!options.redact) {
        // Even `null` goes on: the engine rejects it with its reason.
        events.push(prepared)
        positions.push(position)
        return
      }
      try {
        const redacted = options.redact(prepared as CaptureInput)
        if (redacted === null) {
          redactedCount += 1
          return
        }
        events.push(redacted)
        positions.push(position)
      } catch (error) {
        rejected.push({ index: position, problems: [{ field: 'event', reason: `redact() threw: ${describe(error)}` }] })
      }
    })
    return { events, positions, rejected, redactedCount }
  }

  /**
   * Redacts, then validates and stores in the engine, setting aside events that cannot
   * cross to the worker. The report's `rejected` lists every event not stored, by its
   * place in `items`, whichever side refused it.
   */
  const store = async (items: readonly QueuedEvent[]) => {
    const redacted = redactAll(items)
    const { engine } = await connect()
    let { events, positions } = redacted
    const rejected = [...redacted.rejected]
    let report: IngestReport
    try {
      report = await engine.ingest(events)
    } catch (error) {
      if (!(error instanceof Error && error.name === 'DataCloneError')) {
        throw error
      }
      // Something in the batch cannot be copied to the worker (a function, a DOM node):
      // find those events, report them, and store the rest.
      const cloneable = events.map(canBeCloned)
      positions.forEach((position, index) => {
        if (!cloneable[index]) {
          rejected.push({ index: position, problems: [{ field: 'event', reason: uncloneableReason }] })
        }
      })
      events = events.filter((_, index) => cloneable[index])
      positions = positions.filter((_, index) => cloneable[index])
      report = await engine.ingest(events)
    }
    for (const { index, problems, location } of report.rejected) {
      rejected.push({ index: positions[index] as number, problems, ...(location ? { location } : {}) })
    }
    rejected.sort((a, b) => a.index - b.index)
    notify(report.status)
    const rejections = rejected.map(({ index, problems }) => ({ event: items[index]?.original, problems }))
    return { report: { ...report, rejected }, rejections, redactedCount: redacted.redactedCount }
  }

  const queue = createCaptureQueue<QueuedEvent>({
    maxBatchSize: options.maxBatchSize,
    maxDelayMs: options.maxBatchDelayMs,
    async send(batch) {
      try {
        const { report, rejections, redactedCount } = await store(batch)
        stats.storedCount += report.storedCount
        stats.duplicateCount += report.duplicateCount
        stats.redactedCount += redactedCount
        reportRejections(rejections)
      } catch (error) {
        reportRejections(
          batch.map(({ original }) => ({
            event: original,
            problems: [{ field: 'event', reason: `not stored: ${describe(error)}` }],
          })),
        )
        throw error
      }
    },
  })

  return {
    capture(input) {
      stats.capturedCount += 1
      if (closed) {
        reportRejections([{ event: input, problems: [{ field: 'event', reason: 'captured after close()' }] }])
        return
      }
      try {
        const prepared = applyCaptureContext(input, context, { nowMs: Date.now(), makeUuid: makeRandomUuid, anonymousId })
        queue.push({ original: input, prepared })
      } catch (error) {
        reportRejections([{ event: input, problems: [{ field: 'event', reason: `could not be read: ${describe(error)}` }] }])
      }
    },
    flush: () => queue.flush(),
    identify(distinctId) {
      context.distinctId = String(distinctId)
    },
    group(groupType, groupKey) {
      context.groups = { ...context.groups, [groupType]: String(groupKey) }
    },
    register(properties) {
      context.superProperties = { ...context.superProperties, ...properties }
    },
    unregister(property) {
      const { [property]: _removed, ...rest } = context.superProperties
      context.superProperties = rest
    },
    reset() {
      Object.assign(context, createCaptureContext())
    },
    captureStats: () => ({ ...stats }),
    async ingest(events) {
      return (await store(events.map((event) => ({ original: event, prepared: event })))).report
    },
    async import(source, { format, onProgress, signal, chunkSize }) {
      signal?.throwIfAborted()
      const { engine, mode, exportCallback, transferable } = await connect()
      const importId = makeRandomUuid()
      const cancel = () => engine.cancelImport(importId, describe(signal?.reason ?? 'The import was cancelled.'))
      signal?.addEventListener('abort', cancel, { once: true })
      const redact = options.redact
      try {
        const report = await engine.import(
          mode === 'worker' ? transferable(source) : source,
          { format, importId, chunkSize },
          onProgress ? exportCallback((progress: ImportProgress) => callSafely(() => onProgress(progress))) : undefined,
          redact ? exportCallback((events: CaptureInput[]) => events.map((event) => callRedact(redact, event))) : undefined,
        )
        notify(report.status)
        return report
      } finally {
        signal?.removeEventListener('abort', cancel)
      }
    },
    async query(spec, { signal, onProgress } = {}) {
      signal?.throwIfAborted()
      const { engine, exportCallback } = await connect()
      signal?.throwIfAborted()
      const request = { requestId: makeRandomUuid() }
      const progress = onProgress
        ? exportCallback((loaded: LoadProgress) => callSafely(() => onProgress(loaded)))
        : undefined
      const answer = engine.query(spec, request, progress)
      if (!signal) {
        return answer
      }
      return new Promise((resolve, reject) => {
        const abandon = () => {
          reject(signal.reason)
          engine.cancelQuery(request.requestId, describe(signal.reason))
        }
        signal.addEventListener('abort', abandon, { once: true })
        answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', abandon))
      })
    },
    async status() {
      return (await connect()).engine.status()
    },
    async clear() {
      const { engine } = await connect()
      return notify(await engine.clear())
    },
    subscribe(listener) {
      listeners.add(listener)
      changes.listen()
      return () => {
        listeners.delete(listener)
      }
    },
    async mode() {
      return (await connect()).mode
    },
    async close() {
      if (closed) {
        return
      }
      const opened = connection
      if (opened) {
        await queue.flush().catch(() => undefined)
      }
      closed = true
      listeners.clear()
      changes.close()
      if (opened) {
        const { engine, dispose } = await opened
        await engine.close()
        dispose()
      }
    },
  }
}

/** A captured event: what the host passed, and what will be stored (context applied). */
interface QueuedEvent {
  original: unknown
  prepared: unknown
}

const uncloneableReason =
  'cannot be copied to the worker (it holds a function, a symbol or a DOM node): send plain JSON-like data'

function canBeCloned(value: unknown): boolean {
  try {
    structuredClone(value)
    return true
  } catch {
    return false
  }
}

/** The host's redact, where a throw drops the event rather than storing it unredacted. */
function callRedact(redact: (event: CaptureInput) => CaptureInput | null, event: CaptureInput): CaptureInput | null {
  try {
    return redact(event)
  } catch {
    return null
  }
}

function callSafely(callback: () => void): void {
  try {
    callback()
  } catch (error) {
    console.error('aiscope: a listener threw', error)
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
