import type { AiscopeEvent } from '../schema/events'
import {
  COLUMN_DIMENSIONS,
  NUMERIC_COLUMNS,
  type ColumnDimension,
  type Dictionaries,
  type EventColumns,
  type EventStore,
  type NumericColumn,
} from '../store'

/** Progress of loading stored columns into memory. */
export interface LoadProgress {
  loadedEventCount: number
  totalEventCount: number
}

/** A stored segment the engine could not read, and why: skipped, never a wrong total. */
export interface SkippedSegment {
  segmentId: number
  eventCount: number
  message: string
}

/** Where a loaded segment's rows are in the columns. */
interface LoadedSegment {
  id: number
  startRow: number
  eventCount: number
  /** Rows in the columns: 0 for a segment that could not be read. */
  rowCount: number
}

/** Segments read per request while loading, so progress moves and memory stays flat. */
const SEGMENTS_PER_READ = 8

/**
 * The worker's in-memory columns of every stored event, kept in step with the store:
 * segments written since the last query (by this tab or another) are read and appended
 * in place; merged segments are relabelled without reading anything; a cleared store, or
 * one whose old segments were deleted, is read again. Queries run over
 * {@link ColumnCache.columns}, whose codes refer to {@link ColumnCache.dictionaries}.
 */
export class ColumnCache {
  #dictionaries: Dictionaries | undefined
  #builder: ColumnBuilder
  #segments: LoadedSegment[] = []
  #compactionLogId = 0
  readonly #propertyNames: readonly string[]
  /** Segments skipped because they could not be read, with the reason. */
  skipped: SkippedSegment[] = []

  constructor(options: { propertyDimensions?: readonly string[] } = {}) {
    this.#propertyNames = [...new Set(options.propertyDimensions ?? [])]
    this.#builder = new ColumnBuilder(this.#propertyNames, 0)
  }

  /** Every loaded event as columns, as of the last {@link ColumnCache.refresh}. */
  get columns(): EventColumns {
    return this.#builder.view()
  }

  /** The dictionaries of {@link ColumnCache.columns}' codes. */
  get dictionaries(): Dictionaries {
    if (!this.#dictionaries) {
      throw new Error('aiscope: the column cache was read before its first refresh')
    }
    return this.#dictionaries
  }

  /** Brings the columns up to date with the store; resolves to whether anything changed. */
  async refresh(store: EventStore, onProgress?: (progress: LoadProgress) => void): Promise<boolean> {
    await store.syncDictionaries()
    let changed = false
    if (store.dictionaries !== this.#dictionaries) {
      await this.#reset(store)
      changed = true
    }
    const compactions = await store.compactionsSince(this.#compactionLogId)
    for (const compaction of compactions) {
      if (!this.#relabel(compaction.sourceIds, compaction.targetId)) {
        await this.#reset(store)
        return this.#load(store, onProgress).then(() => true)
      }
      this.#compactionLogId = compaction.id as number
      changed = true
    }
    const summaries = await store.listSegments()
    const storedCounts = new Map(summaries.map((summary) => [summary.id, summary.eventCount]))
    if (this.#segments.some((segment) => storedCounts.get(segment.id) !== segment.eventCount)) {
      // Deleted by retention, or changed in a way the compaction log did not explain.
      await this.#reset(store)
      changed = true
    }
    return (await this.#load(store, onProgress)) || changed
  }

  /**
   * The stored events of the given rows (full content, parsed now), in the order asked:
   * only the segments holding those rows are read.
   */
  async readRows(store: EventStore, rows: readonly number[]): Promise<AiscopeEvent[]> {
    const starts = this.#segments.map((segment) => segment.startRow)
    const located = rows.map((row) => {
      const index = upperBound(starts, row) - 1
      const segment = this.#segments[index]
      return { segment, offset: row - (segment?.startRow ?? 0) }
    })
    const segmentIds = [...new Set(located.flatMap(({ segment }) => (segment ? [segment.id] : [])))]
    const contents = await store.readEvents(segmentIds)
    const eventsBySegment = new Map(segmentIds.map((segmentId, index) => [segmentId, contents[index] ?? []]))
    return located.flatMap(({ segment, offset }) => {
      const event = segment && offset < segment.rowCount ? eventsBySegment.get(segment.id)?.[offset] : undefined
      return event ? [event] : []
    })
  }

  /** Reads every stored segment not loaded yet. */
  async #load(store: EventStore, onProgress?: (progress: LoadProgress) => void): Promise<boolean> {
    const loaded = new Set(this.#segments.map((segment) => segment.id))
    const fresh = (await store.listSegments()).filter((summary) => !loaded.has(summary.id))
    if (fresh.length === 0) {
      return false
    }
    const totalEventCount = fresh.reduce((sum, summary) => sum + summary.eventCount, 0)
    this.#builder.reserve(this.#builder.length + totalEventCount)
    let loadedEventCount = 0
    for (let start = 0; start < fresh.length; start += SEGMENTS_PER_READ) {
      const chunk = fresh.slice(start, start + SEGMENTS_PER_READ)
      const parts = await store.readColumns(chunk.map((summary) => summary.id))
      chunk.forEach((summary, index) => {
        const part = parts[index]
        if (part === undefined) {
          return // deleted since it was listed: the next refresh sees why
        }
        const startRow = this.#builder.length
        if (part instanceof Error) {
          this.skipped.push({ segmentId: summary.id, eventCount: summary.eventCount, message: part.message })
          this.#segments.push({ id: summary.id, startRow, eventCount: summary.eventCount, rowCount: 0 })
          return
        }
        this.#builder.append(part)
        this.#segments.push({ id: summary.id, startRow, eventCount: summary.eventCount, rowCount: part.length })
      })
      loadedEventCount += chunk.reduce((sum, summary) => sum + summary.eventCount, 0)
      onProgress?.({ loadedEventCount, totalEventCount })
    }
    // Codes in what was just read may be newer than the dictionaries.
    await store.syncDictionaries()
    return true
  }

  /** Merged segments take the first one's place: rows stay where they are. */
  #relabel(sourceIds: readonly number[], targetId: number): boolean {
    const first = this.#segments.findIndex((segment) => segment.id === sourceIds[0])
    const loadedSources = this.#segments.filter((segment) => sourceIds.includes(segment.id)).length
    if (loadedSources === 0) {
      return true // none of it was loaded: the merged segment will be read as new
    }
    const run = this.#segments.slice(first, first + sourceIds.length)
    const inOrder = first >= 0 && run.length === sourceIds.length && run.every((segment, index) => segment.id === sourceIds[index])
    if (!inOrder || run.some((segment) => segment.rowCount !== segment.eventCount)) {
      return false
    }
    const eventCount = run.reduce((sum, segment) => sum + segment.eventCount, 0)
    const merged = { id: targetId, startRow: run[0]?.startRow ?? 0, eventCount, rowCount: eventCount }
    this.#segments.splice(first, sourceIds.length, merged)
    return true
  }

  async #reset(store: EventStore): Promise<void> {
    this.#dictionaries = store.dictionaries
    this.#builder = new ColumnBuilder(this.#propertyNames, 0)
    this.#segments = []
    this.skipped = []
    const compactions = await store.compactionsSince(0)
    this.#compactionLogId = (compactions.at(-1)?.id as number | undefined) ?? 0
  }
}

type FlagColumn = 'isError' | 'httpStatus' | 'isAnonymous' | 'cacheExclusive'

/**
 * Columns that grow in place: typed arrays with spare capacity, handed out as exact-length
 * views. Appending a few events to a million copies a few events, not a million.
 */
class ColumnBuilder {
  #length = 0
  #capacity: number
  #tsMs: Float64Array
  #dimensions = {} as Record<ColumnDimension, Uint32Array>
  #numbers = {} as Record<NumericColumn, Float64Array>
  #properties = new Map<string, Uint32Array>()
  #flags: { isError: Uint8Array; httpStatus: Uint16Array; isAnonymous: Uint8Array; cacheExclusive: Uint8Array }
  #view: EventColumns | undefined

  constructor(propertyNames: readonly string[], capacity: number) {
    this.#capacity = capacity
    this.#tsMs = new Float64Array(capacity)
    for (const dimension of COLUMN_DIMENSIONS) {
      this.#dimensions[dimension] = new Uint32Array(capacity)
    }
    for (const name of NUMERIC_COLUMNS) {
      this.#numbers[name] = new Float64Array(capacity)
    }
    for (const name of propertyNames) {
      this.#properties.set(name, new Uint32Array(capacity))
    }
    this.#flags = {
      isError: new Uint8Array(capacity),
      httpStatus: new Uint16Array(capacity),
      isAnonymous: new Uint8Array(capacity),
      cacheExclusive: new Uint8Array(capacity),
    }
  }

  get length(): number {
    return this.#length
  }

  /** Makes room for `capacity` rows in total. */
  reserve(capacity: number): void {
    if (capacity <= this.#capacity) {
      return
    }
    const grown = <Column extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      column: Column,
      make: (size: number) => Column,
    ): Column => {
      const next = make(capacity)
      next.set(column.subarray(0, this.#length))
      return next
    }
    this.#tsMs = grown(this.#tsMs, (size) => new Float64Array(size))
    for (const dimension of COLUMN_DIMENSIONS) {
      this.#dimensions[dimension] = grown(this.#dimensions[dimension], (size) => new Uint32Array(size))
    }
    for (const name of NUMERIC_COLUMNS) {
      this.#numbers[name] = grown(this.#numbers[name], (size) => new Float64Array(size))
    }
    for (const [name, codes] of this.#properties) {
      this.#properties.set(name, grown(codes, (size) => new Uint32Array(size)))
    }
    this.#flags = {
      isError: grown(this.#flags.isError, (size) => new Uint8Array(size)),
      httpStatus: grown(this.#flags.httpStatus, (size) => new Uint16Array(size)),
      isAnonymous: grown(this.#flags.isAnonymous, (size) => new Uint8Array(size)),
      cacheExclusive: grown(this.#flags.cacheExclusive, (size) => new Uint8Array(size)),
    }
    this.#capacity = capacity
  }

  append(part: EventColumns): void {
    if (this.#length + part.length > this.#capacity) {
      this.reserve(Math.max(this.#length + part.length, Math.ceil(this.#capacity * 1.5), 1024))
    }
    const at = this.#length
    this.#tsMs.set(part.tsMs, at)
    for (const dimension of COLUMN_DIMENSIONS) {
      this.#dimensions[dimension].set(part.dimensions[dimension], at)
    }
    for (const name of NUMERIC_COLUMNS) {
      this.#numbers[name].set(part.numbers[name], at)
    }
    for (const [name, codes] of this.#properties) {
      const partCodes = part.properties.get(name)
      if (partCodes) {
        codes.set(partCodes, at)
      } else {
        codes.fill(0, at, at + part.length)
      }
    }
    for (const flag of ['isError', 'httpStatus', 'isAnonymous', 'cacheExclusive'] as const satisfies FlagColumn[]) {
      this.#flags[flag].set(part[flag], at)
    }
    this.#length += part.length
    this.#view = undefined
  }

  /** The columns as exact-length views (no copy). */
  view(): EventColumns {
    if (!this.#view) {
      const length = this.#length
      const dimensions = {} as Record<ColumnDimension, Uint32Array>
      for (const dimension of COLUMN_DIMENSIONS) {
        dimensions[dimension] = this.#dimensions[dimension].subarray(0, length)
      }
      const numbers = {} as Record<NumericColumn, Float64Array>
      for (const name of NUMERIC_COLUMNS) {
        numbers[name] = this.#numbers[name].subarray(0, length)
      }
      this.#view = {
        length,
        tsMs: this.#tsMs.subarray(0, length),
        dimensions,
        properties: new Map([...this.#properties].map(([name, codes]) => [name, codes.subarray(0, length)])),
        numbers,
        isError: this.#flags.isError.subarray(0, length),
        httpStatus: this.#flags.httpStatus.subarray(0, length),
        isAnonymous: this.#flags.isAnonymous.subarray(0, length),
        cacheExclusive: this.#flags.cacheExclusive.subarray(0, length),
      }
    }
    return this.#view
  }
}

/** Index of the first element greater than `value` in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) <= value) {
      low = middle + 1
    } else {
      high = middle
    }
  }
  return low
}
