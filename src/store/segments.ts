import type { AiscopeEvent } from '../schema/events'
import {
  COLUMN_DIMENSIONS,
  packStringList,
  type PackedStrings,
  DICTIONARY_DIMENSIONS,
  ID_DIMENSIONS,
  NUMERIC_COLUMNS,
  isIdDimension,
  type ColumnDimension,
  type IdDimension,
  type Dictionaries,
  type Dictionary,
  type EventColumns,
  type NumericColumn,
} from './columns'

/**
 * How a segment's columns are derived from its events. Bump it when `eventsToColumns`
 * changes what it writes: segments of an older version are rebuilt from their content
 * when the store opens.
 * - 2: `cacheWrite1hTokens`; `cacheWriteTokens` is the 5-minute and 1-hour split's sum when
 *   only the split was sent; `cacheExclusive` 3 (cache tokens beyond the input tokens).
 */
export const SEGMENT_COLUMNS_VERSION = 2

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

/**
 * Dictionary codes as stored: the narrowest array that holds the segment's largest code, or,
 * for codes too large for 16 bits that lie close together (the trace, span and session ids
 * first seen in this segment), their {@link OffsetCodes}.
 */
export type StoredCodes = Uint8Array | Uint16Array | Uint32Array | OffsetCodes

/** Codes stored as `base + offset`, with offset 0 standing for code 0 (absent). */
export interface OffsetCodes {
  base: number
  offsets: Uint8Array | Uint16Array
}

/**
 * A numeric column as stored: `null` when no event has a value; a plain array (NaN where
 * absent); or {@link PackedNumbers}. Most events lack most numbers: only model calls have
 * tokens, few have a time to first token or a score.
 */
export type StoredNumbers = Float64Array | Float32Array | PackedNumbers | null

/** Numbers stored as narrow as they allow, and, where few rows have one, only those rows. */
export interface PackedNumbers {
  /** Rows (of the segment) that have a value, ascending; absent when every row has one. */
  rows?: Uint16Array | Uint32Array
  /** The values, of `rows` or of every row, each times {@link PackedNumbers.scale}. */
  values: Float64Array | Float32Array | Uint16Array | Uint8Array
  /** 1000 for values with at most three decimals (latencies in seconds), which are then integers. @default 1 */
  scale?: number
}

/** Event times as stored: ms since epoch, or, when they are whole ms within 49 days of each other, offsets from the earliest. */
export type StoredTimes = Float64Array | { base: number; offsets: Uint32Array }

/**
 * A segment's columns as IndexedDB stores them: typed arrays in plain objects, each column
 * as narrow as its values allow (see {@link StoredCodes}, {@link StoredNumbers},
 * {@link StoredTimes}): less than half the bytes to write, and to read back on a cold open
 * (the generator's million events: 44 MB of columns, 93 MB as plain arrays).
 * From schema version 5 on, the id dimensions' codes are kept apart (see
 * {@link SegmentIdColumnsRecord}); segments written before hold them here, and plain typed
 * arrays everywhere, which read the same way.
 */
export interface StoredColumns {
  tsMs: StoredTimes
  dimensions: Partial<Record<ColumnDimension, StoredCodes>>
  properties: Record<string, StoredCodes>
  numbers: Record<NumericColumn, StoredNumbers>
  isError: Uint8Array
  httpStatus: Uint16Array
  isAnonymous: Uint8Array
  cacheExclusive: Uint8Array
}

/** A segment's id columns (see `ID_DIMENSIONS`), schema version 5 on: read only when a query needs ids. */
export interface SegmentIdColumnsRecord {
  segmentId: number
  dimensions: Record<IdDimension, StoredCodes>
}

/** One segment's stored columns, with what decoding them needs. */
export interface StoredSegmentColumns {
  segmentId: number
  eventCount: number
  columns: StoredColumns
  /** The id columns, when asked for. */
  idDimensions?: Partial<Record<ColumnDimension, StoredCodes>>
}

/** One segment's stored id columns, with what decoding them needs. */
export interface StoredSegmentIdColumns {
  segmentId: number
  eventCount: number
  idDimensions: Partial<Record<ColumnDimension, StoredCodes>>
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

/**
 * One entry of the dictionary log (schema version 5 on): what one write added to one
 * dictionary. Indexed by `key`, so one dictionary can be read alone. From schema version 7
 * on the strings are written packed (see {@link PackedStrings}); records written before
 * hold them as `values`, and read the same way.
 */
export type DictionaryLogRecord = { id?: number; key: string; firstCode: number } & ({ packed: PackedStrings } | { values: string[] })

/** A dictionary log record of what one write added, its strings packed. */
export function toLogRecord({ key, firstCode, values }: DictionaryAddition): DictionaryLogRecord {
  return { key, firstCode, packed: packStringList(values) }
}

/** How many strings a dictionary log record adds. */
export function logRecordCount(record: DictionaryLogRecord): number {
  return 'packed' in record ? record.packed.ends.length : record.values.length
}

/** An entry of the dictionary log as schema versions 3 and 4 wrote it: one write's additions to every dictionary. */
export interface LegacyDictionaryLogRecord {
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

/** Columns in the shape IndexedDB stores, the id columns apart (see {@link SegmentIdColumnsRecord}). */
export function toStoredSegment(columns: EventColumns): { columns: StoredColumns; idDimensions: SegmentIdColumnsRecord['dimensions'] } {
  const stored = toStoredColumns(columns)
  const idDimensions = {} as SegmentIdColumnsRecord['dimensions']
  for (const dimension of ID_DIMENSIONS) {
    idDimensions[dimension] = stored.dimensions[dimension] as StoredCodes
    delete stored.dimensions[dimension]
  }
  return { columns: stored, idDimensions }
}

/** Columns in the shape IndexedDB stores (see {@link StoredColumns}), every dimension in one record. */
export function toStoredColumns(columns: EventColumns): StoredColumns {
  const dimensions = {} as Record<ColumnDimension, StoredCodes>
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = storeCodes(columns.dimensions[dimension])
  }
  const numbers = {} as Record<NumericColumn, StoredNumbers>
  for (const name of NUMERIC_COLUMNS) {
    numbers[name] = storeNumbers(columns.numbers[name])
  }
  return {
    tsMs: storeTimes(columns.tsMs),
    dimensions,
    properties: Object.fromEntries([...columns.properties].map(([name, codes]) => [name, storeCodes(codes)])),
    numbers,
    isError: columns.isError,
    httpStatus: columns.httpStatus,
    isAnonymous: columns.isAnonymous,
    cacheExclusive: columns.cacheExclusive,
  }
}

/** Codes as narrow as they fit (see {@link StoredCodes}). */
export function storeCodes(codes: Uint32Array): StoredCodes {
  let largest = 0
  let smallest = Number.POSITIVE_INFINITY
  for (const code of codes) {
    if (code > largest) {
      largest = code
    }
    if (code !== 0 && code < smallest) {
      smallest = code
    }
  }
  if (largest < 256) {
    return new Uint8Array(codes)
  }
  if (largest < 65_536) {
    return new Uint16Array(codes)
  }
  const spread = largest - smallest + 1
  if (spread >= 65_536) {
    return codes
  }
  const base = smallest - 1
  const offsets = spread < 256 ? new Uint8Array(codes.length) : new Uint16Array(codes.length)
  codes.forEach((code, row) => {
    offsets[row] = code === 0 ? 0 : code - base
  })
  return { base, offsets }
}

function storeTimes(tsMs: Float64Array): StoredTimes {
  const { firstTsMs, lastTsMs } = timeRange(tsMs)
  const offsetsFit = tsMs.length > 0 && lastTsMs - firstTsMs < 2 ** 32 && tsMs.every((value) => Number.isInteger(value))
  if (!offsetsFit) {
    return tsMs
  }
  return { base: firstTsMs, offsets: Uint32Array.from(tsMs, (value) => value - firstTsMs) }
}

/** How narrow a set of numbers can be stored exactly: 1 (uint8), 2 (uint16), 4 (float32) or 8 bytes each. */
type ValueWidth = 1 | 2 | 4 | 8

/** The narrowest exact width of `value` (never NaN). */
function widthOf(value: number): ValueWidth {
  if (Number.isInteger(value) && value >= 0 && !Object.is(value, -0)) {
    if (value < 256) {
      return 1
    }
    if (value < 65_536) {
      return 2
    }
  }
  return Math.fround(value) === value ? 4 : 8
}

/** Values with at most three decimals are stored as integer thousandths when that is narrower. */
const DECIMAL_SCALE = 1000

function storeNumbers(values: Float64Array): StoredNumbers {
  let present = 0
  let width: ValueWidth = 1
  let scaledWidth: ValueWidth | null = 1
  for (const value of values) {
    if (value !== value) {
      continue
    }
    present += 1
    width = Math.max(width, widthOf(value)) as ValueWidth
    if (scaledWidth !== null) {
      const scaled = Math.round(value * DECIMAL_SCALE)
      scaledWidth = scaled / DECIMAL_SCALE === value ? (Math.max(scaledWidth, widthOf(scaled)) as ValueWidth) : null
    }
  }
  if (present === 0) {
    return null
  }
  const scale = scaledWidth !== null && scaledWidth < width ? DECIMAL_SCALE : 1
  const valueWidth = scale === 1 ? width : (scaledWidth as ValueWidth)
  // Dense values hold NaN for the absent rows, which only floats can.
  const denseWidth: ValueWidth = present === values.length ? valueWidth : valueWidth === 8 ? 8 : 4
  const rowWidth = values.length <= 65_536 ? 2 : 4
  const dense = present * (rowWidth + valueWidth) >= values.length * denseWidth
  const packed = dense ? values : values.filter((value) => value === value)
  const stored = newValues(dense ? denseWidth : valueWidth, packed.length)
  packed.forEach((value, index) => {
    stored[index] = scale === 1 ? value : Math.round(value * scale)
  })
  if (dense && scale === 1 && (denseWidth === 8 || denseWidth === 4)) {
    return stored as Float64Array | Float32Array
  }
  const packedNumbers: PackedNumbers = { values: stored }
  if (!dense) {
    const rows = rowWidth === 2 ? new Uint16Array(present) : new Uint32Array(present)
    let next = 0
    values.forEach((value, row) => {
      if (value === value) {
        rows[next] = row
        next += 1
      }
    })
    packedNumbers.rows = rows
  }
  if (scale !== 1) {
    packedNumbers.scale = scale
  }
  return packedNumbers
}

function newValues(width: ValueWidth, length: number): PackedNumbers['values'] {
  switch (width) {
    case 1:
      return new Uint8Array(length)
    case 2:
      return new Uint16Array(length)
    case 4:
      return new Float32Array(length)
    case 8:
      return new Float64Array(length)
    default:
      width satisfies never
      throw new Error(`aiscope: no value width ${String(width)}`)
  }
}

/** Empty columns of `length` rows, to decode stored columns into. */
export function allocateColumns(length: number, propertyNames: Iterable<string>): EventColumns {
  const dimensions = {} as Record<ColumnDimension, Uint32Array>
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = new Uint32Array(length)
  }
  const numbers = {} as Record<NumericColumn, Float64Array>
  for (const name of NUMERIC_COLUMNS) {
    numbers[name] = new Float64Array(length)
  }
  return {
    length,
    tsMs: new Float64Array(length),
    dimensions,
    properties: new Map([...propertyNames].map((name) => [name, new Uint32Array(length)])),
    numbers,
    isError: new Uint8Array(length),
    httpStatus: new Uint16Array(length),
    isAnonymous: new Uint8Array(length),
    cacheExclusive: new Uint8Array(length),
  }
}

/** Dimensions a segment's main columns record holds from schema version 5 on. */
export const MAIN_DIMENSIONS: readonly ColumnDimension[] = COLUMN_DIMENSIONS.filter((dimension) => !isIdDimension(dimension))

/**
 * Stored columns back as {@link EventColumns}, checked: a column missing or of the wrong
 * length makes the segment unreadable (the error says which), never a wrong total. With
 * `into` (columns of `eventCount` rows, say views of a larger set), the values are written
 * there, and the stored properties `into` has no column for are skipped. Of the dimensions,
 * only `dimensions` are read (the id columns are stored apart: see
 * {@link fromStoredIdColumns}); the others are left as they are.
 */
export function fromStoredColumns(
  stored: StoredColumns,
  eventCount: number,
  segmentId: number,
  into?: EventColumns,
  dimensions: readonly ColumnDimension[] = COLUMN_DIMENSIONS,
): EventColumns {
  const reader = new ColumnReader(segmentId, eventCount)
  const propertyNames = Object.keys(stored.properties ?? {})
  const columns = into ?? allocateColumns(eventCount, propertyNames)
  if (columns.length !== eventCount) {
    throw new Error(`aiscope: segment ${segmentId} was to be read into ${columns.length} rows, not ${eventCount}`)
  }
  reader.times(stored.tsMs, columns.tsMs)
  for (const dimension of dimensions) {
    reader.codes(`dimensions.${dimension}`, stored.dimensions?.[dimension], columns.dimensions[dimension])
  }
  for (const name of NUMERIC_COLUMNS) {
    reader.numbers(`numbers.${name}`, stored.numbers?.[name], columns.numbers[name])
  }
  for (const [name, out] of columns.properties) {
    if (stored.properties?.[name] === undefined) {
      out.fill(0) // a property declared after this segment was written
    } else {
      reader.codes(`properties.${name}`, stored.properties[name], out)
    }
  }
  columns.isError.set(reader.typed('isError', stored.isError, ['Uint8Array']))
  columns.httpStatus.set(reader.typed('httpStatus', stored.httpStatus, ['Uint16Array']))
  columns.isAnonymous.set(reader.typed('isAnonymous', stored.isAnonymous, ['Uint8Array']))
  columns.cacheExclusive.set(reader.typed('cacheExclusive', stored.cacheExclusive, ['Uint8Array']))
  return columns
}

/** A segment's stored id columns written into `into` (columns of `eventCount` rows), checked as {@link fromStoredColumns} checks. */
export function fromStoredIdColumns(
  stored: Partial<Record<ColumnDimension, StoredCodes>>,
  eventCount: number,
  segmentId: number,
  into: Record<ColumnDimension, Uint32Array>,
): void {
  const reader = new ColumnReader(segmentId, eventCount)
  for (const dimension of ID_DIMENSIONS) {
    reader.codes(`dimensions.${dimension}`, stored[dimension], into[dimension])
  }
}

/** One stored code column read back (widened), checked as {@link fromStoredColumns} checks: `name` is named if it is not what was written. */
export function readStoredCodes(stored: unknown, eventCount: number, segmentId: number, name: string): Uint32Array {
  const codes = new Uint32Array(eventCount)
  new ColumnReader(segmentId, eventCount).codes(name, stored, codes)
  return codes
}

/** Reads one segment's stored columns, each checked: a column that is not what was written throws, naming it. */
class ColumnReader {
  constructor(
    readonly segmentId: number,
    readonly eventCount: number,
  ) {}

  /** A typed array of one of `types` and of `length` values. */
  typed<Column extends ArrayLike<number>>(name: string, column: unknown, types: readonly string[], length = this.eventCount): Column {
    if (!isTyped(column, types)) {
      throw this.#corrupt(name, `has no typed array, expected ${length}`)
    }
    if (column.length !== length) {
      throw this.#corrupt(name, `has ${column.length} values, expected ${length}`)
    }
    return column as Column
  }

  codes(name: string, column: unknown, out: Uint32Array): void {
    const offsetCodes = plainObject(column)
    if (!offsetCodes) {
      out.set(this.typed<StoredCodes & ArrayLike<number>>(name, column, ['Uint8Array', 'Uint16Array', 'Uint32Array']))
      return
    }
    const { base } = offsetCodes
    const offsets = this.typed<Uint8Array | Uint16Array>(name, offsetCodes.offsets, ['Uint8Array', 'Uint16Array'])
    if (typeof base !== 'number' || !Number.isInteger(base) || base < 0) {
      throw this.#corrupt(name, 'has no base code')
    }
    for (let row = 0; row < this.eventCount; row += 1) {
      const offset = offsets[row] as number
      out[row] = offset === 0 ? 0 : base + offset
    }
  }

  numbers(name: string, column: unknown, out: Float64Array): void {
    if (column === null) {
      out.fill(Number.NaN) // no event of the segment has this number
      return
    }
    const packed = plainObject(column)
    if (!packed) {
      out.set(this.typed<Float64Array | Float32Array>(name, column, ['Float64Array', 'Float32Array']))
      return
    }
    const scale = packed.scale ?? 1
    if (typeof scale !== 'number' || !(scale > 0)) {
      throw this.#corrupt(name, 'has no scale')
    }
    const valueTypes = ['Float64Array', 'Float32Array', 'Uint16Array', 'Uint8Array']
    if (packed.rows === undefined) {
      const values = this.typed<PackedNumbers['values']>(name, packed.values, valueTypes)
      for (let row = 0; row < this.eventCount; row += 1) {
        out[row] = (values[row] as number) / scale
      }
      return
    }
    if (!isTyped(packed.rows, ['Uint16Array', 'Uint32Array'])) {
      throw this.#corrupt(name, 'has no rows')
    }
    const rows = packed.rows
    const values = this.typed<PackedNumbers['values']>(name, packed.values, valueTypes, rows.length)
    out.fill(Number.NaN)
    for (let index = 0; index < rows.length; index += 1) {
      const row = rows[index] as number
      if (row >= this.eventCount) {
        throw this.#corrupt(name, `has a value for row ${row}`)
      }
      out[row] = (values[index] as number) / scale
    }
  }

  times(column: unknown, out: Float64Array): void {
    const offsetTimes = plainObject(column)
    if (!offsetTimes) {
      out.set(this.typed<Float64Array>('tsMs', column, ['Float64Array']))
      return
    }
    const offsets = this.typed<Uint32Array>('tsMs', offsetTimes.offsets, ['Uint32Array'])
    const { base } = offsetTimes
    if (typeof base !== 'number' || !Number.isFinite(base)) {
      throw this.#corrupt('tsMs', 'has no base time')
    }
    for (let row = 0; row < this.eventCount; row += 1) {
      out[row] = base + (offsets[row] as number)
    }
  }

  #corrupt(name: string, problem: string): Error {
    return new Error(`aiscope: segment ${this.segmentId} is corrupt: column ${name} ${problem}`)
  }
}

/**
 * Whether `column` is a typed array of one of `types`, by type tag, not `instanceof`: arrays
 * cloned in another realm (jsdom's structuredClone, an iframe) are still the right arrays.
 */
function isTyped(column: unknown, types: readonly string[]): column is ArrayLike<number> {
  return ArrayBuffer.isView(column) && types.includes(Object.prototype.toString.call(column).slice(8, -1))
}

function plainObject(column: unknown): Record<string, unknown> | undefined {
  return typeof column === 'object' && column !== null && !ArrayBuffer.isView(column) ? (column as Record<string, unknown>) : undefined
}

/**
 * Every dictionary of a set, by log key: the column dimensions with a dictionary of their
 * own (a shared one is logged once, under its owner), then `property:<name>`.
 */
export function dictionariesByKey(dictionaries: Dictionaries): Map<string, Dictionary> {
  const byKey = new Map<string, Dictionary>()
  for (const dimension of DICTIONARY_DIMENSIONS) {
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
