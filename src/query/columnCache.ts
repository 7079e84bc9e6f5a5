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
    }
    const loaded = new Set(this.#loadedBatchIds)
    const newIds = storedIds.filter((batchId) => !loaded.has(batchId))
    if (newIds.length === 0) {
      return false
    }
    const batches = await store.readBatches(newIds)
    const parts = [this.#columns, ...batches.map((events) => eventsToColumns(events, this.dictionaries, this.#options))]
    this.#columns = concatColumns(parts)
    this.#loadedBatchIds.push(...newIds)
    return true
  }
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
