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

/** A segment's columns as IndexedDB stores them: typed arrays in plain objects. */
export interface StoredColumns {
  tsMs: Float64Array
  dimensions: Record<ColumnDimension, Uint32Array>
  properties: Record<string, Uint32Array>
  numbers: Record<NumericColumn, Float64Array>
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

/** Bytes of the columns of one event. */
export function columnBytesPerEvent(propertyCount: number): number {
  return 8 + COLUMN_DIMENSIONS.length * 4 + propertyCount * 4 + NUMERIC_COLUMNS.length * 8 + 1 + 2 + 1 + 1
}

/** Columns in the shape IndexedDB stores. */
export function toStoredColumns(columns: EventColumns): StoredColumns {
  return {
    tsMs: columns.tsMs,
    dimensions: columns.dimensions,
    properties: Object.fromEntries(columns.properties),
    numbers: columns.numbers,
    isError: columns.isError,
    httpStatus: columns.httpStatus,
    isAnonymous: columns.isAnonymous,
    cacheExclusive: columns.cacheExclusive,
  }
}

/**
 * Stored columns back as {@link EventColumns}, checked: a column missing or of the wrong
 * length makes the segment unreadable (the error says which), never a wrong total.
 */
export function fromStoredColumns(stored: StoredColumns, eventCount: number, segmentId: number): EventColumns {
  // By type tag, not `instanceof`: arrays cloned in another realm (jsdom's structuredClone,
  // an iframe) are still the right arrays.
  const check = <Column extends ArrayLike<number>>(name: string, column: Column | undefined, type: string): Column => {
    const isType = ArrayBuffer.isView(column) && Object.prototype.toString.call(column) === `[object ${type}]`
    if (!isType || (column as Column).length !== eventCount) {
      const found = isType ? `${(column as Column).length} values` : 'no typed array'
      throw new Error(`aiscope: segment ${segmentId} is corrupt: column ${name} has ${found}, expected ${eventCount}`)
    }
    return column as Column
  }
  const dimensions = {} as Record<ColumnDimension, Uint32Array>
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = check(`dimensions.${dimension}`, stored.dimensions?.[dimension], 'Uint32Array')
  }
  const numbers = {} as Record<NumericColumn, Float64Array>
  for (const name of NUMERIC_COLUMNS) {
    numbers[name] = check(`numbers.${name}`, stored.numbers?.[name], 'Float64Array')
  }
  const properties = new Map<string, Uint32Array>()
  for (const [name, codes] of Object.entries(stored.properties ?? {})) {
    properties.set(name, check(`properties.${name}`, codes, 'Uint32Array'))
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
