import type { AiscopeEvent } from '../schema/events'
import {
  COLUMN_DIMENSIONS,
  ID_DIMENSIONS,
  MAIN_DIMENSIONS,
  NUMERIC_COLUMNS,
  fromStoredColumns,
  fromStoredIdColumns,
  type ColumnDimension,
  type Dictionaries,
  type EventColumns,
  type EventStore,
  type NumericColumn,
  type SegmentSummary,
  type StoredSegmentColumns,
  type StoredSegmentIdColumns,
} from '../store'

/** Progress of loading stored events before the engine can answer. */
export interface LoadProgress {
  /**
   * `'reading'`: stored columns are read into memory (the first query after a cold open, or
   * after another tab wrote). `'rebuilding'`: the columns of events stored by an older
   * version of aiscope (or with other `propertyDimensions`) are rebuilt from their content,
   * once, as the store opens.
   */
  stage: 'reading' | 'rebuilding'
  loadedEventCount: number
  totalEventCount: number
}

/** A stored segment the engine could not read, and why: skipped, never a wrong total. */
export interface SkippedSegment {
  segmentId: number
  eventCount: number
  message: string
}

/**
 * What a query reads of the id dimensions (see `ID_DIMENSIONS`), which are loaded only for
 * the queries that need them.
 */
export interface IdNeeds {
  /** The id dictionaries whose strings it decodes or looks up. */
  dictionaries: readonly ColumnDimension[]
  /** Whether it reads the id columns' codes. */
  columns: boolean
}

/** A query that reads no id dimension. */
export const NO_IDS: IdNeeds = { dictionaries: [], columns: false }

/** Where a loaded segment's rows are in the columns. */
interface LoadedSegment {
  id: number
  startRow: number
  eventCount: number
  /** Rows in the columns: 0 for a segment that could not be read. */
  rowCount: number
  /** Whether its id columns were read (or found damaged: then its ids are absent). */
  idsRead: boolean
}

/** Segments read per request while loading, so progress moves and memory stays flat. */
const SEGMENTS_PER_READ = 8

/**
 * The worker's in-memory columns of every stored event, kept in step with the store:
 * segments written since the last query (by this tab or another) are read and appended
 * in place; merged segments are relabelled without reading anything; a cleared store, or
 * one whose old segments were deleted, is read again. Queries run over
 * {@link ColumnCache.columns}, whose codes refer to {@link ColumnCache.dictionaries}.
 *
 * The id columns are read only once a query needs them (then for every segment, from then
 * on); until then reading one throws, so a query that did not ask never counts zeros.
 */
export class ColumnCache {
  #dictionaries: Dictionaries | undefined
  #builder: ColumnBuilder
  #segments: LoadedSegment[] = []
  #compactionLogId = 0
  /** Set once a query needed the id columns: every segment is then read with them. */
  #withIds = false
  /** Loads and refreshes run one at a time. */
  #queue: Promise<unknown> = Promise.resolve()
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

  /** Whether what `needs` asks for is loaded: its id dictionaries, and the id columns if it reads them. */
  hasIds(needs: IdNeeds): boolean {
    const dictionaries = this.#dictionaries
    return (
      dictionaries !== undefined &&
      needs.dictionaries.every((dimension) => dictionaries[dimension].loaded) &&
      (!needs.columns || this.#builder.idColumnsReadable)
    )
  }

  /**
   * Brings the columns up to date with the store, with what `needs` asks for of the id
   * dimensions (their strings are read with the other dictionaries, before the segments);
   * resolves to whether any column changed.
   */
  refresh(store: EventStore, onProgress?: (progress: LoadProgress) => void, needs: IdNeeds = NO_IDS): Promise<boolean> {
    return this.#exclusive(async () => {
      // The id dictionaries are read with the others, in one wait on IndexedDB: a 200k-span
      // trace on a new client answered 15-20 ms sooner than with them read beside the columns.
      const idsLoaded = needs.dictionaries.every((dimension) => store.dictionaries[dimension].loaded)
      await (idsLoaded ? store.syncDictionaries() : store.loadDictionaries(needs.dictionaries))
      return this.#refreshColumns(store, onProgress, needs.columns)
    })
  }

  /** Loads what `needs` asks for of the id dimensions into the columns as they are (no refresh). */
  async loadIds(store: EventStore, needs: IdNeeds): Promise<void> {
    if (this.hasIds(needs)) {
      return
    }
    await this.#exclusive(() =>
      Promise.all([needs.columns ? this.#loadIdColumns(store) : undefined, store.loadDictionaries(needs.dictionaries)]),
    )
  }

  #exclusive<Result>(operation: () => Promise<Result>): Promise<Result> {
    const result = this.#queue.then(operation)
    this.#queue = result.catch(() => undefined)
    return result
  }

  async #refreshColumns(store: EventStore, onProgress: ((progress: LoadProgress) => void) | undefined, withIds: boolean): Promise<boolean> {
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
    if (withIds) {
      await this.#loadIdColumns(store)
    }
    return (await this.#load(store, onProgress, summaries)) || changed
  }

  /** Reads the id columns of the loaded segments that lack them; segments loaded from now on come with theirs. */
  async #loadIdColumns(store: EventStore): Promise<void> {
    this.#withIds = true
    const builder = this.#builder
    const lacking = this.#segments.filter((segment) => !segment.idsRead && segment.rowCount > 0)
    await readInChunks(lacking, (chunk) => store.readStoredIdColumns(chunk.map((segment) => segment.id)), (segment, record) => {
      segment.idsRead = true
      if (record === undefined || (!(record instanceof Error) && record.eventCount !== segment.rowCount)) {
        return // deleted or merged since it was loaded: the next refresh reads it again
      }
      this.#readIds(segment.id, segment.eventCount, record, builder.rowsAt(segment.startRow, segment.rowCount))
    })
    if (this.#builder === builder) {
      builder.idColumnsReadable = true
    }
  }

  /**
   * Decodes a segment's id columns into `into`. Damaged ones are reported and read as
   * absent: the segment's other columns are intact, so it still counts where ids do not matter.
   */
  #readIds(segmentId: number, eventCount: number, record: StoredSegmentIdColumns | StoredSegmentColumns | Error, into: EventColumns): void {
    try {
      if (record instanceof Error) {
        throw record
      }
      fromStoredIdColumns(record.idDimensions ?? {}, record.eventCount, record.segmentId, into.dimensions)
    } catch (error) {
      for (const dimension of ID_DIMENSIONS) {
        into.dimensions[dimension].fill(0)
      }
      this.skipped.push({ segmentId, eventCount, message: `${(error as Error).message} (its ids are left out)` })
    }
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

  /** Reads every stored segment not loaded yet, of `listed` when the caller has just listed them. */
  async #load(store: EventStore, onProgress?: (progress: LoadProgress) => void, listed?: readonly SegmentSummary[]): Promise<boolean> {
    const loaded = new Set(this.#segments.map((segment) => segment.id))
    const fresh = (listed ?? (await store.listSegments())).filter((summary) => !loaded.has(summary.id))
    if (fresh.length === 0) {
      return false
    }
    const totalEventCount = fresh.reduce((sum, summary) => sum + summary.eventCount, 0)
    this.#builder.reserve(this.#builder.length + totalEventCount)
    const withIds = this.#withIds
    let loadedEventCount = 0
    const read = (chunk: typeof fresh) => store.readStoredColumns(chunk.map((summary) => summary.id), { withIds })
    await readInChunks(fresh, read, (summary, record) => {
      if (record === undefined) {
        return // deleted since it was listed: the next refresh sees why
      }
      const startRow = this.#builder.length
      try {
        if (record instanceof Error) {
          throw record
        }
        // Decoded straight into the columns: no copy of a segment's values is made.
        const rows = this.#builder.rowsAtEnd(record.eventCount)
        fromStoredColumns(record.columns, record.eventCount, record.segmentId, rows, MAIN_DIMENSIONS)
        if (withIds) {
          this.#readIds(summary.id, summary.eventCount, record, rows)
        }
        this.#builder.commit(record.eventCount)
        this.#segments.push({ id: summary.id, startRow, eventCount: summary.eventCount, rowCount: record.eventCount, idsRead: withIds })
      } catch (error) {
        this.skipped.push({ segmentId: summary.id, eventCount: summary.eventCount, message: (error as Error).message })
        this.#segments.push({ id: summary.id, startRow, eventCount: summary.eventCount, rowCount: 0, idsRead: withIds })
      }
    }, (chunk) => {
      loadedEventCount += chunk.reduce((sum, summary) => sum + summary.eventCount, 0)
      onProgress?.({ stage: 'reading', loadedEventCount, totalEventCount })
    })
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
    const idsRead = run.every((segment) => segment.idsRead)
    const merged = { id: targetId, startRow: run[0]?.startRow ?? 0, eventCount, rowCount: eventCount, idsRead }
    this.#segments.splice(first, sourceIds.length, merged)
    return true
  }

  async #reset(store: EventStore): Promise<void> {
    this.#dictionaries = store.dictionaries
    this.#builder = new ColumnBuilder(this.#propertyNames, 0)
    // Every segment will be read anew, with its ids if queries have needed them.
    this.#builder.idColumnsReadable = this.#withIds
    this.#segments = []
    this.skipped = []
    const compactions = await store.compactionsSince(0)
    this.#compactionLogId = (compactions.at(-1)?.id as number | undefined) ?? 0
  }
}

/**
 * Reads `items` (segments) a chunk at a time, the next chunk's read running while this one's
 * records are handled: the browser reads IndexedDB on a thread of its own.
 */
async function readInChunks<Item, StoredRecord>(
  items: readonly Item[],
  read: (chunk: Item[]) => Promise<StoredRecord[]>,
  handle: (item: Item, record: StoredRecord | undefined) => void,
  afterChunk?: (chunk: Item[]) => void,
): Promise<void> {
  const chunks: Item[][] = []
  for (let start = 0; start < items.length; start += SEGMENTS_PER_READ) {
    chunks.push(items.slice(start, start + SEGMENTS_PER_READ))
  }
  let reading = chunks.length > 0 ? read(chunks[0] as Item[]) : undefined
  for (const [index, chunk] of chunks.entries()) {
    const records = await (reading as Promise<StoredRecord[]>)
    const next = chunks[index + 1]
    reading = next ? read(next) : undefined
    chunk.forEach((item, position) => handle(item, records[position]))
    afterChunk?.(chunk)
  }
}

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
  #idColumnsReadable = false

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

  /** Whether the id columns hold every row's codes; until then, {@link ColumnBuilder.view} refuses to hand them out. */
  get idColumnsReadable(): boolean {
    return this.#idColumnsReadable
  }

  set idColumnsReadable(readable: boolean) {
    this.#idColumnsReadable = readable
    this.#view = undefined
  }

  /**
   * Views of the `length` rows after the last one, to write a segment's values into; they
   * become part of the columns on {@link ColumnBuilder.commit}.
   */
  rowsAtEnd(length: number): EventColumns {
    if (this.#length + length > this.#capacity) {
      this.reserve(Math.max(this.#length + length, Math.ceil(this.#capacity * 1.5), 1024))
    }
    return this.#views(this.#length, this.#length + length)
  }

  /** Views of `length` rows from `start`, to write values of rows already in the columns. */
  rowsAt(start: number, length: number): EventColumns {
    return this.#views(start, start + length)
  }

  /** Takes the `length` rows written through {@link ColumnBuilder.rowsAtEnd} into the columns. */
  commit(length: number): void {
    this.#length += length
    this.#view = undefined
  }

  /** The columns as exact-length views (no copy). */
  view(): EventColumns {
    if (!this.#view) {
      const view = this.#views(0, this.#length)
      if (!this.#idColumnsReadable) {
        for (const dimension of ID_DIMENSIONS) {
          Object.defineProperty(view.dimensions, dimension, {
            enumerable: true,
            get() {
              throw new Error(`aiscope: the ${dimension} column was read before the id columns were loaded (ColumnCache.loadIds)`)
            },
          })
        }
      }
      this.#view = view
    }
    return this.#view
  }

  /** Views of rows `start` to `end` (exclusive) of every column. */
  #views(start: number, end: number): EventColumns {
    const dimensions = {} as Record<ColumnDimension, Uint32Array>
    for (const dimension of COLUMN_DIMENSIONS) {
      dimensions[dimension] = this.#dimensions[dimension].subarray(start, end)
    }
    const numbers = {} as Record<NumericColumn, Float64Array>
    for (const name of NUMERIC_COLUMNS) {
      numbers[name] = this.#numbers[name].subarray(start, end)
    }
    return {
      length: end - start,
      tsMs: this.#tsMs.subarray(start, end),
      dimensions,
      properties: new Map([...this.#properties].map(([name, codes]) => [name, codes.subarray(start, end)])),
      numbers,
      isError: this.#flags.isError.subarray(start, end),
      httpStatus: this.#flags.httpStatus.subarray(start, end),
      isAnonymous: this.#flags.isAnonymous.subarray(start, end),
      cacheExclusive: this.#flags.cacheExclusive.subarray(start, end),
    }
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
