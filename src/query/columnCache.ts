import type { AiscopeEvent } from '../schema/events'
import {
  COLUMN_DIMENSIONS,
  NUMERIC_COLUMNS,
  createDictionaries,
  eventsToColumns,
  type ColumnOptions,
  type Dictionaries,
  type EventColumns,
  type EventStore,
} from '../store'

/**
 * The worker's in-memory columns of every stored event, kept in step with the store:
 * batches written since the last query (by this tab or another) are converted and
 * appended; a cleared store starts over. Queries run over {@link ColumnCache.columns}.
 */
export class ColumnCache {
  dictionaries: Dictionaries = createDictionaries()
  #columns: EventColumns
  #loadedBatchIds: number[] = []
  /** First row of each loaded batch, in the order of `#loadedBatchIds`. */
  #batchStartRows: number[] = []
  readonly #options: ColumnOptions

  constructor(options: ColumnOptions = {}) {
    this.#options = options
    this.#columns = eventsToColumns([], this.dictionaries, options)
  }

  /** Every stored event as columns, as of the last {@link ColumnCache.refresh}. */
  get columns(): EventColumns {
    return this.#columns
  }

  /** Brings the columns up to date with the store; resolves to whether anything changed. */
  async refresh(store: EventStore): Promise<boolean> {
    const storedIds = await store.batchIds()
    const stored = new Set(storedIds)
    if (this.#loadedBatchIds.some((batchId) => !stored.has(batchId))) {
      this.dictionaries = createDictionaries()
      this.#columns = eventsToColumns([], this.dictionaries, this.#options)
      this.#loadedBatchIds = []
      this.#batchStartRows = []
    }
    const loaded = new Set(this.#loadedBatchIds)
    const newIds = storedIds.filter((batchId) => !loaded.has(batchId))
    if (newIds.length === 0) {
      return false
    }
    const batches = await store.readBatches(newIds)
    let startRow = this.#columns.length
    for (const events of batches) {
      this.#batchStartRows.push(startRow)
      startRow += events.length
    }
    const parts = [this.#columns, ...batches.map((events) => eventsToColumns(events, this.dictionaries, this.#options))]
    this.#columns = concatColumns(parts)
    this.#loadedBatchIds.push(...newIds)
    return true
  }

  /**
   * The stored events of the given rows (full content, parsed now), in the order asked:
   * only the batches holding those rows are read.
   */
  async readRows(store: EventStore, rows: readonly number[]): Promise<AiscopeEvent[]> {
    const located = rows.map((row) => {
      const batchIndex = upperBound(this.#batchStartRows, row) - 1
      return { batchIndex, offset: row - (this.#batchStartRows[batchIndex] ?? 0) }
    })
    const batchIndexes = [...new Set(located.map(({ batchIndex }) => batchIndex))]
    const batches = await store.readBatches(batchIndexes.map((batchIndex) => this.#loadedBatchIds[batchIndex] as number))
    const eventsByBatchIndex = new Map(batchIndexes.map((batchIndex, index) => [batchIndex, batches[index] ?? []]))
    return located.flatMap(({ batchIndex, offset }) => {
      const event = eventsByBatchIndex.get(batchIndex)?.[offset]
      return event ? [event] : []
    })
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

/** Column sets appended in order. */
export function concatColumns(parts: readonly EventColumns[]): EventColumns {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  const join = <Column extends Float64Array | Uint32Array | Uint8Array | Uint16Array>(
    pick: (part: EventColumns) => Column,
    make: (length: number) => Column,
  ): Column => {
    const joined = make(length)
    let offset = 0
    for (const part of parts) {
      joined.set(pick(part), offset)
      offset += part.length
    }
    return joined
  }
  const dimensions = {} as EventColumns['dimensions']
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = join((part) => part.dimensions[dimension], (size) => new Uint32Array(size))
  }
  const numbers = {} as EventColumns['numbers']
  for (const column of NUMERIC_COLUMNS) {
    numbers[column] = join((part) => part.numbers[column], (size) => new Float64Array(size))
  }
  const properties = new Map<string, Uint32Array>()
  for (const name of parts[0]?.properties.keys() ?? []) {
    properties.set(name, join((part) => part.properties.get(name) ?? new Uint32Array(part.length), (size) => new Uint32Array(size)))
  }
  return {
    length,
    tsMs: join((part) => part.tsMs, (size) => new Float64Array(size)),
    dimensions,
    properties,
    numbers,
    isError: join((part) => part.isError, (size) => new Uint8Array(size)),
    httpStatus: join((part) => part.httpStatus, (size) => new Uint16Array(size)),
    isAnonymous: join((part) => part.isAnonymous, (size) => new Uint8Array(size)),
    cacheExclusive: join((part) => part.cacheExclusive, (size) => new Uint8Array(size)),
  }
}
