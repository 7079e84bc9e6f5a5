import type { AiscopeEvent } from '../schema/events'
import type { EventProblem } from '../schema/validation.types'
import { validateEvent } from '../schema/validate'
import { CONTENT_PROPERTY_NAMES } from '../schema/propertySpecs'
import type { CaptureInput } from '../ingest/captureTarget'
import { readImport, type ImportFormat, type ImportSource } from '../ingest/importers'
import {
  ID_DIMENSIONS,
  openEventStore,
  type ColumnDimension,
  type EventStore,
  type EventStoreOptions,
  type RetentionReport,
  type StoreStatus,
} from '../store'
import type { PriceOverride } from '../pricing'
import { runAggregate } from './aggregate'
import { ColumnCache, type IdNeeds, type LoadProgress } from './columnCache'
import { computeColumnCosts } from './columnCosts'
import type { Filter, QueryResult, QuerySpec } from './spec'
import { traceNameCodes } from './traceNames'
import { rowsOfTrace, runTraceQuery, TRACE_ID_DIMENSIONS } from './traceQuery'
import { runTracesQuery } from './tracesQuery'
import { runSessionQuery } from './sessionQuery'
import { runUsersQuery } from './usersQuery'
import { runErrorsQuery } from './errorsQuery'
import { runInteractionsQuery } from './interactionsQuery'
import { runGenerationsQuery } from './generationsQuery'

/** Options for {@link createEngine}: where the store lives, what reaches it, what it keeps. */
export interface EngineOptions extends Omit<EventStoreOptions, 'onRebuildProgress'> {
  /** Store no content: `$ai_input`, outputs, states and tool definitions are removed before writing. @default false */
  privacyMode?: boolean
  /** Content over this many bytes per event is truncated with a marker. @default 1_000_000 */
  maxContentBytes?: number
  /** The host's prices, applied ahead of the table whenever costs are read. @default [] */
  priceOverrides?: readonly PriceOverride[]
}

/** An event that was not stored, and why. */
export interface RejectedEvent {
  /** Position of the event in the batch handed to `ingest` (or in the import chunk). */
  index: number
  /** Where an imported event came from: `line 17`, `resourceSpans[0].scopeSpans[0].spans[3]`. */
  location?: string
  problems: EventProblem[]
}

/** What {@link AiscopeEngine.ingest} did with a batch. */
export interface IngestReport {
  /** Events written. */
  storedCount: number
  /** Events skipped because their uuid is already stored. */
  duplicateCount: number
  /** Events refused, with their problems. */
  rejected: RejectedEvent[]
  /** Events stored with a change worth knowing (truncated content, a dropped key). */
  warnedCount: number
  /** The store afterwards. */
  status: StoreStatus
  /** Set when old events were deleted to keep within the retention policy or make room on a full disk. */
  retention?: RetentionReport
}

/** Progress of an import, reported after each chunk. */
export interface ImportProgress {
  bytesRead: number
  /** The source's size when known (a `Blob`, a string). */
  totalBytes: number | null
  storedCount: number
  duplicateCount: number
  rejectedCount: number
}

/** One problem met by an import: a line that did not parse, or an event that did not validate. */
export interface ImportProblemReport {
  location: string
  message: string
}

/** What an import did. */
export interface ImportReport extends ImportProgress {
  /** The first {@link MAX_REPORTED_IMPORT_PROBLEMS} problems; `problemCount` counts them all. */
  problems: ImportProblemReport[]
  problemCount: number
  status: StoreStatus
}

/** Options of {@link AiscopeEngine.import}. */
export interface EngineImportOptions {
  format: ImportFormat
  /** Cancels the import through {@link AiscopeEngine.cancelImport}. */
  importId: string
  /** Events per chunk. @default 1000 */
  chunkSize?: number
}

/** Called after each chunk of an import; in worker mode it runs on the main thread. */
export type ImportProgressCallback = (progress: ImportProgress) => void

/**
 * The host's redaction of a chunk of imported events, applied before anything is stored;
 * `null` drops an event. In worker mode it runs on the main thread.
 */
export type ImportRedactCallback = (events: CaptureInput[]) => Promise<(CaptureInput | null)[]> | (CaptureInput | null)[]

/** Names one query, so it can be cancelled. */
export interface QueryRequest {
  requestId: string
}

/** Called while stored columns load into the engine's memory. In worker mode it runs on the main thread. */
export type LoadProgressCallback = (progress: LoadProgress) => void

/** At most this many problems are listed in an {@link ImportReport}. */
export const MAX_REPORTED_IMPORT_PROBLEMS = 1000


/**
 * The analytics engine: owns the store and answers the client's requests. The same object
 * runs inside the Web Worker (exposed over Comlink) or in-process where Workers are
 * unavailable, so both paths behave alike.
 */
export interface AiscopeEngine {
  /** Validates, normalises and stores a batch of events; resolves once they are durable. */
  ingest(events: readonly unknown[]): Promise<IngestReport>
  /**
   * Streams a source in, validating and storing chunk by chunk. The callbacks are separate
   * arguments so that each can cross the worker boundary as a proxy.
   */
  import(
    source: ImportSource,
    options: EngineImportOptions,
    onProgress?: ImportProgressCallback,
    redact?: ImportRedactCallback,
  ): Promise<ImportReport>
  /** Stops a running import between chunks; what was stored stays stored. */
  cancelImport(importId: string, reason?: string): void
  /**
   * Answers a query spec over every stored event, as of now. `request` names the query so
   * {@link AiscopeEngine.cancelQuery} can stop it, and takes progress reports while stored
   * columns are being loaded (the first query after a cold open, or after another tab wrote).
   */
  query<Spec extends QuerySpec>(spec: Spec, request?: QueryRequest, onProgress?: LoadProgressCallback): Promise<QueryResult<Spec>>
  /**
   * Stops a query that has not finished: it rejects with an `AbortError` before its kernel
   * runs, or, if it is waiting on a load, as soon as the load ends (the load itself goes on
   * for the queries that still need it).
   */
  cancelQuery(requestId: string, reason?: string): void
  /**
   * Counters and time range of what is stored, and any stored segment the engine could
   * not read (skipped, so totals never include garbage).
   */
  status(): Promise<StoreStatus>
  /** Deletes every stored event. */
  clear(): Promise<StoreStatus>
  /** Merges small segments and applies the retention policy now (both also run on their own). */
  compact(): Promise<{ mergedSegmentCount: number; retention: RetentionReport | null }>
  /** Closes the store. Later calls reopen it. */
  close(): Promise<void>
}

/** What queries read: the columns' costs and trace names at one data version. */
interface ReadModel {
  dataVersion: number
  costUsd: Float64Array
  traceNames: Uint32Array
}

/** Creates an engine; the store opens on first use. */
export function createEngine(options: EngineOptions = {}): AiscopeEngine {
  /** Queries waiting on a load, with their progress callbacks. */
  const loadListeners = new Set<LoadProgressCallback>()
  const reportLoad = (progress: LoadProgress) => {
    for (const listener of loadListeners) {
      listener(progress)
    }
  }
  let store: Promise<EventStore> | undefined
  const openStore = () =>
    (store ??= openEventStore({
      ...options,
      onRebuildProgress: ({ rebuiltEventCount, totalEventCount }) =>
        reportLoad({ stage: 'rebuilding', loadedEventCount: rebuiltEventCount, totalEventCount }),
    }))
  const runningImports = new Map<string, AbortController>()
  const validateOptions = { maxContentBytes: options.maxContentBytes }
  const columnCache = new ColumnCache({ propertyDimensions: options.propertyDimensions })
  /** Queries not finished yet, by request id. */
  const runningQueries = new Map<string, AbortController>()
  /** What queries read, derived from the columns at one data version. */
  let readModel: Promise<ReadModel> | undefined

  /**
   * The columns and their costs at the store's current data version, refreshed once per
   * change, with what `idNeeds` asks for of the id dimensions loaded too.
   */
  const currentReadModel = async (idNeeds: IdNeeds): Promise<ReadModel> => {
    const store = await openStore()
    const { dataVersion } = await store.status()
    const pending = readModel
    const known = await pending?.catch(() => undefined)
    if (known?.dataVersion === dataVersion) {
      await columnCache.loadIds(store, idNeeds)
      return known
    }
    if (readModel !== pending) {
      // Another query started a refresh while this one waited: share it.
      return currentReadModel(idNeeds)
    }
    readModel = (async () => {
      await columnCache.refresh(store, reportLoad, idNeeds)
      const { columns, dictionaries } = columnCache
      let traceNames: Uint32Array | undefined
      return {
        dataVersion,
        costUsd: computeColumnCosts(columns, dictionaries, { overrides: options.priceOverrides }),
        // Only the trace queries and the traceName dimension need them: the first aggregate
        // after a cold open does not wait for them (nor for the trace ids they are made of,
        // hence the columns as they are when first asked).
        get traceNames() {
          return (traceNames ??= traceNameCodes(columnCache.columns, dictionaries))
        },
      }
    })()
    const model = await readModel
    // The refresh may have been started by a query that needed less.
    await columnCache.loadIds(store, idNeeds)
    return model
  }

  /** The read model with what `spec` reads of the id dimensions loaded. */
  const readModelFor = async (spec: QuerySpec): Promise<ReadModel> => {
    const idNeeds = idNeedsOf(spec)
    for (let attempt = 1; ; attempt += 1) {
      const model = await currentReadModel(idNeeds)
      // A clear (here or in another tab) between the refresh and the load replaces the
      // dictionaries: read again. Past a few tries the kernel reports what is missing.
      if (attempt >= 3 || columnCache.hasIds(idNeeds)) {
        return model
      }
    }
  }

  /** Validates a batch and stores what passes. */
  const validateAndStore = async (inputs: readonly unknown[]) => {
    const valid: AiscopeEvent[] = []
    const rejected: RejectedEvent[] = []
    let warnedCount = 0
    inputs.forEach((input, index) => {
      const result = validateEvent(input, validateOptions)
      if (!result.ok) {
        rejected.push({ index, problems: result.problems })
        return
      }
      if (result.warnings.length > 0) {
        warnedCount += 1
      }
      valid.push(options.privacyMode ? withoutContent(result.event) : result.event)
    })
    const appended = await (await openStore()).append(valid)
    return {
      storedCount: appended.storedCount,
      duplicateCount: appended.duplicateUuids.length,
      rejected,
      warnedCount,
      status: appended.status,
      ...(appended.retention ? { retention: appended.retention } : {}),
    }
  }

  return {
    ingest: validateAndStore,

    async import(source, { format, importId, chunkSize }, onProgress, redact) {
      const controller = new AbortController()
      runningImports.set(importId, controller)
      const report: ImportReport = {
        bytesRead: 0,
        totalBytes: null,
        storedCount: 0,
        duplicateCount: 0,
        rejectedCount: 0,
        problems: [],
        problemCount: 0,
        status: await (await openStore()).status(),
      }
      const addProblem = (problem: ImportProblemReport) => {
        report.problemCount += 1
        if (report.problems.length < MAX_REPORTED_IMPORT_PROBLEMS) {
          report.problems.push(problem)
        }
      }
      try {
        for await (const chunk of readImport(source, { format, chunkSize, signal: controller.signal })) {
          for (const problem of chunk.problems) {
            addProblem(problem)
          }
          const inputs = redact ? await redact(chunk.events) : chunk.events
          const kept = inputs.flatMap((event, index) => (event ? [{ event, location: chunk.locations[index] }] : []))
          const stored = await validateAndStore(kept.map(({ event }) => event))
          for (const rejection of stored.rejected) {
            const location = kept[rejection.index]?.location ?? 'unknown location'
            for (const problem of rejection.problems) {
              addProblem({ location, message: `${problem.field}: ${problem.reason}` })
            }
          }
          report.bytesRead = chunk.bytesRead
          report.totalBytes = chunk.totalBytes
          report.storedCount += stored.storedCount
          report.duplicateCount += stored.duplicateCount
          report.rejectedCount += stored.rejected.length
          report.status = stored.status
          onProgress?.({
            bytesRead: report.bytesRead,
            totalBytes: report.totalBytes,
            storedCount: report.storedCount,
            duplicateCount: report.duplicateCount,
            rejectedCount: report.rejectedCount,
          })
        }
      } finally {
        runningImports.delete(importId)
      }
      return report
    },

    cancelImport(importId, reason = 'The import was cancelled.') {
      runningImports.get(importId)?.abort(new DOMException(reason, 'AbortError'))
    },

    async query(spec, request, onProgress) {
      const controller = new AbortController()
      if (request) {
        runningQueries.set(request.requestId, controller)
      }
      if (onProgress) {
        loadListeners.add(onProgress)
      }
      try {
        const model = await readModelFor(spec)
        // Let a cancel that arrived meanwhile be handled before the kernel takes the thread.
        await new Promise((resolve) => setTimeout(resolve, 0))
        controller.signal.throwIfAborted()
        return await answer(spec, model)
      } finally {
        if (request) {
          runningQueries.delete(request.requestId)
        }
        if (onProgress) {
          loadListeners.delete(onProgress)
        }
      }
    },

    cancelQuery(requestId, reason = 'The query was cancelled.') {
      runningQueries.get(requestId)?.abort(new DOMException(reason, 'AbortError'))
    },

    async status() {
      const status = await (await openStore()).status()
      const skipped = columnCache.skipped
      if (skipped.length === 0) {
        return status
      }
      return {
        ...status,
        unreadable: {
          segmentCount: skipped.length,
          eventCount: skipped.reduce((sum, segment) => sum + segment.eventCount, 0),
          messages: skipped.map((segment) => segment.message),
        },
      }
    },

    async clear() {
      readModel = undefined
      return (await openStore()).clear()
    },

    async compact() {
      const opened = await openStore()
      const mergedSegmentCount = await opened.compact()
      return { mergedSegmentCount, retention: await opened.applyRetention() }
    },

    async close() {
      for (const controller of [...runningImports.values(), ...runningQueries.values()]) {
        controller.abort(new DOMException('The store was closed.', 'AbortError'))
      }
      const opened = store
      store = undefined
      if (opened) {
        ;(await opened).close()
      }
    },
  }

  /** Runs a spec's kernel over one read model. */
  async function answer<Spec extends QuerySpec>(spec: Spec, model: ReadModel): Promise<QueryResult<Spec>> {
    const { columns, dictionaries } = columnCache
    const { dataVersion, costUsd } = model
    // Trace names are derived on first read (see the read model).
    const input = {
      columns,
      dictionaries,
      costUsd,
      get traceNameCodes() {
        return model.traceNames
      },
      dataVersion,
    }
    switch (spec.kind) {
      case 'session':
        return runSessionQuery(spec, input) as QueryResult<typeof spec>
      case 'users':
        return runUsersQuery(spec, input) as QueryResult<typeof spec>
      case 'errors':
        return runErrorsQuery(spec, input) as QueryResult<typeof spec>
      case 'interactions':
        return runInteractionsQuery(spec, input) as QueryResult<typeof spec>
      case 'aggregate':
        return runAggregate(spec, input) as QueryResult<typeof spec>
      case 'traces':
        return runTracesQuery(spec, input) as QueryResult<typeof spec>
      case 'trace':
        return runTraceQuery(spec, input) as QueryResult<typeof spec>
      case 'generations':
        return runGenerationsQuery(spec, input) as QueryResult<typeof spec>
      case 'traceEvents': {
        const rows = Array.from(rowsOfTrace(columns, dictionaries.traceId.find(spec.traceId)))
        const wanted = spec.nodeIds ? new Map(spec.nodeIds.map((nodeId, index) => [nodeId, index])) : undefined
        const chosen = wanted
          ? rows
              .map((row) => ({ row, order: wanted.get(dictionaries.spanId.decode(columns.dimensions.spanId[row] as number) ?? '') }))
              .filter((entry): entry is { row: number; order: number } => entry.order !== undefined)
              .sort((a, b) => a.order - b.order)
              .map(({ row }) => row)
          : rows
        const events = await columnCache.readRows(await openStore(), chosen)
        return { kind: 'traceEvents', dataVersion, traceId: spec.traceId, events } as QueryResult<typeof spec>
      }
      default:
        spec satisfies never
        throw new Error(`aiscope: unknown query kind ${JSON.stringify((spec as { kind?: unknown }).kind)}`)
    }
  }
}

/**
 * The id dictionaries the trace and generation lists read whatever they are asked: ids,
 * sessions and parents (for roots). Not the replay sessions or page URLs, which only a
 * session's timeline shows.
 */
const LIST_ID_DIMENSIONS: readonly ColumnDimension[] = ['traceId', 'sessionId', 'spanId', 'parentId']

/**
 * What a query reads of the id dimensions (see `ID_DIMENSIONS`): an aggregate only the
 * dimensions it groups or filters by (a trace's name comes from its trace id); users, errors
 * and interactions the id columns' codes and the dimensions they filter by; a trace its
 * trace and node ids; the trace and generation lists {@link LIST_ID_DIMENSIONS}; a session's
 * timeline every id dimension.
 */
export function idNeedsOf(spec: QuerySpec): IdNeeds {
  switch (spec.kind) {
    case 'aggregate': {
      const named = new Set<string>([...(spec.groupBy ?? []), ...filteredDimensions(spec.filters)])
      const dictionaries = ID_DIMENSIONS.filter((dimension) => named.has(dimension))
      return { dictionaries, columns: dictionaries.length > 0 || named.has('traceName') }
    }
    case 'users':
    case 'errors':
    case 'interactions': {
      // They count distinct traces, sessions and generations by code (sized by the
      // dictionaries' sizes, known unloaded) and decode no id.
      const named = new Set<string>(filteredDimensions(spec.filters))
      return { dictionaries: ID_DIMENSIONS.filter((dimension) => named.has(dimension)), columns: true }
    }
    case 'trace':
    case 'traceEvents':
      return { dictionaries: TRACE_ID_DIMENSIONS, columns: true }
    case 'traces':
    case 'generations':
      // Filters name no other id dimension (see `DIMENSIONS`).
      return { dictionaries: LIST_ID_DIMENSIONS, columns: true }
    default:
      return { dictionaries: ID_DIMENSIONS, columns: true }
  }
}

/** The dimensions `filters` select on. */
function filteredDimensions(filters: readonly Filter[] | undefined): string[] {
  return (filters ?? []).flatMap((filter) => ('dimension' in filter ? [filter.dimension] : []))
}

function withoutContent(event: AiscopeEvent): AiscopeEvent {
  const properties = { ...event.properties }
  for (const key of CONTENT_PROPERTY_NAMES) {
    if (key in properties) {
      properties[key] = null
    }
  }
  return { ...event, properties }
}
