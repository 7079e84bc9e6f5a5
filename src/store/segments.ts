import type { AiscopeEvent } from '../schema/events'
import {
  COLUMN_DIMENSIONS,
  NUMERIC_COLUMNS,
  type ColumnDimension,
  type Dictionaries,
  type Dictionary,
  type EventColumns,
  type NumericColumn,
} from './columns'

/**
 * How a segment's columns are derived from its events. Bump it when `eventsToColumns`
 * changes what it writes: segments of an older version are rebuilt from their content
 * when the store opens.
 */
export const SEGMENT_COLUMNS_VERSION = 1

/**
 * A segment: a run of stored events, written in one transaction. The small summary lives
 * in `segments`; its columns, content, uuids and uuid fingerprints live in tables of their
 * own keyed by the segment id, so listing segments or reading columns never reads content.
 */
export interface SegmentSummary {
  /** Auto-incremented key: segments are read back in the order they were written. */
  id: number
  eventCount: number
  /** Earliest event time in the segment, ms since epoch (`Infinity` when none parses). */
  firstTsMs: number
  /** Latest event time in the segment, ms since epoch (`-Infinity` when none parses). */
  lastTsMs: number
  /** Approximate size on disk: the content's characters plus the columns' bytes. */
  storedBytes: number
  /** {@link SEGMENT_COLUMNS_VERSION} the columns were written with. */
  columnsVersion: number
  /** `$groups` key the organisation column was read from. */
  organisationGroup: string
  /** Host properties written as dimension columns. */
  propertyNames: string[]
}

/** Dictionary codes as stored: the narrowest array that holds the segment's largest code. */
export type StoredCodes = Uint8Array | Uint16Array | Uint32Array

/**
 * A segment's columns as IndexedDB stores them: typed arrays in plain objects, each code
 * column as narrow as its codes allow and token counts as `Float32Array` when every count
 * fits exactly (below 2^24): about half the bytes to write and to read back on a cold open.
 */
export interface StoredColumns {
  tsMs: Float64Array
  dimensions: Record<ColumnDimension, StoredCodes>
  properties: Record<string, StoredCodes>
  numbers: Record<NumericColumn, Float64Array | Float32Array>
  isError: Uint8Array
  httpStatus: Uint16Array
  isAnonymous: Uint8Array
  cacheExclusive: Uint8Array
}

export interface SegmentColumnsRecord {
  segmentId: number
  columns: StoredColumns
}

export interface SegmentContentRecord {
  segmentId: number
  /**
   * The events as IndexedDB clones them: read only when a trace or generation is opened.
   * (Measured in Chromium: cloning costs less than half of `JSON.stringify` plus a string
   * put, and reads back twice as fast as `JSON.parse`.)
   */
  events: AiscopeEvent[]
}

export interface SegmentUuidsRecord {
  segmentId: number
  uuids: string[]
}

export interface SegmentFingerprintsRecord {
  segmentId: number
  /** The uuids' 64-bit fingerprints, high and low halves in turn (see `uuidFingerprints`). */
  fingerprints: Uint32Array
}

/** Strings one write added to one dictionary: codes `firstCode` on, in order. */
export interface DictionaryAddition {
  /** A column dimension, or `property:<name>`. */
  key: string
  firstCode: number
  values: string[]
}

/** One entry of the dictionary log: what one write added to the shared dictionaries. */
export interface DictionaryLogRecord {
  id?: number
  additions: DictionaryAddition[]
}

/**
 * One entry of the compaction log: segments `sourceIds` (consecutive, oldest first) were
 * merged, in order, into one segment stored under `targetId` (the first source's id).
 * Readers holding the sources in memory relabel them instead of reading anything again.
 */
export interface CompactionLogRecord {
  id?: number
  targetId: number
  sourceIds: number[]
}

/** Bytes of the columns of one event, at most (narrow code columns take less). */
export function columnBytesPerEvent(propertyCount: number): number {
  return 8 + COLUMN_DIMENSIONS.length * 4 + propertyCount * 4 + NUMERIC_COLUMNS.length * 8 + 1 + 2 + 1 + 1
}

/** Columns in the shape IndexedDB stores (see {@link StoredColumns}). */
export function toStoredColumns(columns: EventColumns): StoredColumns {
  const dimensions = {} as Record<ColumnDimension, StoredCodes>
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = narrowCodes(columns.dimensions[dimension])
  }
  const numbers = {} as Record<NumericColumn, Float64Array | Float32Array>
  for (const name of NUMERIC_COLUMNS) {
    numbers[name] = TOKEN_COLUMNS.has(name) ? narrowCounts(columns.numbers[name]) : columns.numbers[name]
  }
  return {
    tsMs: columns.tsMs,
    dimensions,
    properties: Object.fromEntries([...columns.properties].map(([name, codes]) => [name, narrowCodes(codes)])),
    numbers,
    isError: columns.isError,
    httpStatus: columns.httpStatus,
    isAnonymous: columns.isAnonymous,
    cacheExclusive: columns.cacheExclusive,
  }
}

/** Integer token counts: exact in a `Float32Array` below 2^24. */
const TOKEN_COLUMNS: ReadonlySet<NumericColumn> = new Set([
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
])
const FLOAT32_EXACT_INTEGER_LIMIT = 2 ** 24

function narrowCodes(codes: Uint32Array): StoredCodes {
  let largest = 0
  for (const code of codes) {
    if (code > largest) {
      largest = code
    }
  }
  return largest < 256 ? new Uint8Array(codes) : largest < 65_536 ? new Uint16Array(codes) : codes
}

function narrowCounts(counts: Float64Array): Float64Array | Float32Array {
  for (const count of counts) {
    if (count >= FLOAT32_EXACT_INTEGER_LIMIT || (count === count && !Number.isInteger(count))) {
      return counts
    }
  }
  return new Float32Array(counts)
}

/**
 * Stored columns back as {@link EventColumns}, checked: a column missing or of the wrong
 * length makes the segment unreadable (the error says which), never a wrong total.
 */
export function fromStoredColumns(stored: StoredColumns, eventCount: number, segmentId: number): EventColumns {
  // By type tag, not `instanceof`: arrays cloned in another realm (jsdom's structuredClone,
  // an iframe) are still the right arrays.
  const check = <Column extends ArrayLike<number>>(name: string, column: Column | undefined, type: string | string[]): Column => {
    const types = Array.isArray(type) ? type : [type]
    const isType = ArrayBuffer.isView(column) && types.some((name) => Object.prototype.toString.call(column) === `[object ${name}]`)
    if (!isType || (column as Column).length !== eventCount) {
      const found = isType ? `${(column as Column).length} values` : 'no typed array'
      throw new Error(`aiscope: segment ${segmentId} is corrupt: column ${name} has ${found}, expected ${eventCount}`)
    }
    return column as Column
  }
  // Narrow stored arrays are widened back: kernels read one type per column.
  const isTagged = (column: ArrayLike<number>, type: string) => Object.prototype.toString.call(column) === `[object ${type}]`
  const codes = (name: string, column: StoredCodes | undefined) => {
    const checked = check(name, column, ['Uint8Array', 'Uint16Array', 'Uint32Array'])
    return isTagged(checked, 'Uint32Array') ? (checked as Uint32Array) : new Uint32Array(checked)
  }
  const dimensions = {} as Record<ColumnDimension, Uint32Array>
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = codes(`dimensions.${dimension}`, stored.dimensions?.[dimension])
  }
  const numbers = {} as Record<NumericColumn, Float64Array>
  for (const name of NUMERIC_COLUMNS) {
    const checked = check(`numbers.${name}`, stored.numbers?.[name], ['Float64Array', 'Float32Array'])
    numbers[name] = isTagged(checked, 'Float64Array') ? (checked as Float64Array) : new Float64Array(checked)
  }
  const properties = new Map<string, Uint32Array>()
  for (const [name, propertyCodes] of Object.entries(stored.properties ?? {})) {
    properties.set(name, codes(`properties.${name}`, propertyCodes))
  }
  return {
    length: eventCount,
    tsMs: check('tsMs', stored.tsMs, 'Float64Array'),
    dimensions,
    properties,
    numbers,
    isError: check('isError', stored.isError, 'Uint8Array'),
    httpStatus: check('httpStatus', stored.httpStatus, 'Uint16Array'),
    isAnonymous: check('isAnonymous', stored.isAnonymous, 'Uint8Array'),
    cacheExclusive: check('cacheExclusive', stored.cacheExclusive, 'Uint8Array'),
  }
}

/** Every dictionary of a set, by log key: the column dimensions, then `property:<name>`. */
export function dictionariesByKey(dictionaries: Dictionaries): Map<string, Dictionary> {
  const byKey = new Map<string, Dictionary>()
  for (const dimension of COLUMN_DIMENSIONS) {
    byKey.set(dimension, dictionaries[dimension])
  }
  for (const [name, dictionary] of dictionaries.properties) {
    byKey.set(`property:${name}`, dictionary)
  }
  return byKey
}

/** The size of every dictionary, to tell later what a write added. */
export function dictionarySizes(dictionaries: Dictionaries): Map<string, number> {
  return new Map([...dictionariesByKey(dictionaries)].map(([key, dictionary]) => [key, dictionary.size]))
}

/** What was added to the dictionaries since `sizes` were taken. */
export function dictionaryAdditions(dictionaries: Dictionaries, sizes: ReadonlyMap<string, number>): DictionaryAddition[] {
  const additions: DictionaryAddition[] = []
  for (const [key, dictionary] of dictionariesByKey(dictionaries)) {
    const firstCode = sizes.get(key) ?? 1
    if (dictionary.size > firstCode) {
      additions.push({ key, firstCode, values: dictionary.values.slice(firstCode) })
    }
  }
  return additions
}

/** Takes back additions that were never written (their transaction failed). */
export function rollBackDictionaries(dictionaries: Dictionaries, sizes: ReadonlyMap<string, number>): void {
  for (const [key, dictionary] of dictionariesByKey(dictionaries)) {
    dictionary.truncate(sizes.get(key) ?? 1)
  }
}

/** Events sampled to estimate a segment's content size, evenly spread. */
const SIZE_SAMPLE_EVENTS = 64

/**
 * About how many characters the events' JSON takes, from a sample: used to weigh segments
 * for size limits and quota, where an estimate is enough and serialising all would cost
 * as much again as storing them.
 */
export function estimateContentBytes(events: readonly AiscopeEvent[]): number {
  if (events.length <= SIZE_SAMPLE_EVENTS) {
    return JSON.stringify(events).length
  }
  const step = events.length / SIZE_SAMPLE_EVENTS
  let sampledBytes = 0
  for (let index = 0; index < SIZE_SAMPLE_EVENTS; index += 1) {
    sampledBytes += JSON.stringify(events[Math.floor(index * step)]).length + 1
  }
  return Math.round((sampledBytes / SIZE_SAMPLE_EVENTS) * events.length)
}

/** Earliest and latest parseable event time. */
export function timeRange(tsMs: Float64Array): { firstTsMs: number; lastTsMs: number } {
  let firstTsMs = Number.POSITIVE_INFINITY
  let lastTsMs = Number.NEGATIVE_INFINITY
  for (const value of tsMs) {
    if (value < firstTsMs) {
      firstTsMs = value
    }
    if (value > lastTsMs) {
      lastTsMs = value
    }
  }
  return { firstTsMs, lastTsMs }
}
