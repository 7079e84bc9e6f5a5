/**
 * Building blocks of `runAggregate`: reading a dimension's codes, selecting the rows a spec
 * measures, and numbering groups. Each is one tight pass over typed arrays.
 */

import type { ColumnDimension, Dictionaries, Dictionary, EventColumns } from '../store'
import { DIMENSIONS, type Dimension, type Filter, type NumericField } from './spec'

/** What a dimension reads: a code per event, and the dictionary that decodes them. */
export interface DimensionColumn {
  dimension: Dimension
  codes: Uint32Array
  dictionary: Pick<Dictionary, 'values' | 'size' | 'find' | 'decode'>
}

/** The columns a spec reads, besides the store's own. */
export interface DimensionSources {
  columns: EventColumns
  dictionaries: Dictionaries
  /** Per event: its trace's name, as a code of `dictionaries.spanName`. */
  traceNameCodes?: Uint32Array
}

/** Stands in for a host property no event has recorded: every event reads "absent". */
const EMPTY_DICTIONARY: DimensionColumn['dictionary'] = {
  values: [''],
  size: 1,
  find: (value) => (value === null || value === '' ? 0 : -1),
  decode: () => null,
}

const BUILT_IN_DIMENSIONS: ReadonlySet<string> = new Set(DIMENSIONS)

/**
 * The codes and dictionary of a dimension. `'traceName'` needs `traceNameCodes`; a
 * `property:<name>` that was never declared reads as absent on every event.
 */
export function dimensionColumn(dimension: Dimension, sources: DimensionSources): DimensionColumn {
  const { columns, dictionaries } = sources
  if (dimension === 'traceName') {
    if (sources.traceNameCodes === undefined) {
      throw new TypeError("The 'traceName' dimension needs AggregateInput.traceNameCodes (one spanName code per event).")
    }
    return { dimension, codes: sources.traceNameCodes, dictionary: dictionaries.spanName }
  }
  if (dimension.startsWith('property:')) {
    const name = dimension.slice('property:'.length)
    return {
      dimension,
      codes: columns.properties.get(name) ?? new Uint32Array(columns.length),
      dictionary: dictionaries.properties.get(name) ?? EMPTY_DICTIONARY,
    }
  }
  if (!BUILT_IN_DIMENSIONS.has(dimension)) {
    throw new RangeError(`Unknown dimension "${dimension}": use one of ${DIMENSIONS.join(', ')} or 'property:<name>'.`)
  }
  const columnDimension = dimension as ColumnDimension
  return { dimension, codes: columns.dimensions[columnDimension], dictionary: dictionaries[columnDimension] }
}

/** 1 at each code of `values` found in `dictionary` (`null` is code 0; unknown strings mark nothing). */
export function codeMask(dictionary: DimensionColumn['dictionary'], values: readonly (string | null)[]): Uint8Array {
  const mask = new Uint8Array(dictionary.size)
  for (const value of values) {
    const code = dictionary.find(value)
    if (code >= 0) {
      mask[code] = 1
    }
  }
  return mask
}

/** What a selection reads. */
export interface SelectionSources extends DimensionSources {
  costUsd: Float64Array
}

/** The numeric column a range filter reads. */
function numericColumn(field: NumericField, sources: SelectionSources): Float64Array {
  switch (field) {
    case 'costUsd':
      return sources.costUsd
    case 'latencyS':
    case 'ttftS':
    case 'inputTokens':
    case 'outputTokens':
    case 'cacheReadTokens':
    case 'cacheWriteTokens':
    case 'reasoningTokens':
      return sources.columns.numbers[field]
    default:
      throw new RangeError(`Unknown numeric field "${field satisfies never}" in a range filter.`)
  }
}

/**
 * Indices (ascending) of the events with a name in `eventNames`, a time in `[fromMs, toMs)`
 * (events with no valid time never pass) and every filter true. Filters run one after the
 * other over the shrinking selection, each in its own monomorphic loop. The result lives in
 * a scratch buffer (see {@link scratchInt32}): it is valid until the next call.
 */
export function selectRows(
  sources: SelectionSources,
  eventNames: readonly string[],
  fromMs: number,
  toMs: number,
  filters: readonly Filter[],
): Int32Array {
  const { columns, dictionaries } = sources
  const eventMask = codeMask(dictionaries.event, eventNames.filter((name) => name !== ''))
  const tsMs = columns.tsMs
  const events = columns.dimensions.event
  const rows = scratchInt32('rows', columns.length)
  let count = 0
  // Branch-free: every row is written, and the count only moves past the ones that pass
  // (a mispredicted branch per row costs more than the loop itself).
  for (let row = 0; row < columns.length; row += 1) {
    const ts = tsMs[row] as number
    rows[count] = row
    count += ((eventMask[events[row] as number] as number) & Number(ts >= fromMs)) & Number(ts < toMs)
  }
  for (const filter of filters) {
    count = applyFilter(filter, sources, rows, count)
  }
  return rows.subarray(0, count)
}

const scratchInt32Buffers = new Map<string, Int32Array>()
const scratchFloat64Buffers = new Map<string, Float64Array>()

/**
 * A reusable `Int32Array` of `length` entries, one per `name`, holding stale values. Fresh
 * multi-megabyte arrays cost more in page faults (about 3 ms per 4 MB here) than a pass over
 * them, so row-sized working arrays are kept between calls; the largest of each stays allocated.
 */
export function scratchInt32(name: string, length: number): Int32Array {
  let buffer = scratchInt32Buffers.get(name)
  if (buffer === undefined || buffer.length < length) {
    buffer = new Int32Array(length)
    scratchInt32Buffers.set(name, buffer)
  }
  return buffer.subarray(0, length)
}

const scratchUint32Buffers = new Map<string, Uint32Array>()

/** A reusable `Uint32Array`, as {@link scratchInt32}. */
export function scratchUint32(name: string, length: number): Uint32Array {
  let buffer = scratchUint32Buffers.get(name)
  if (buffer === undefined || buffer.length < length) {
    buffer = new Uint32Array(length)
    scratchUint32Buffers.set(name, buffer)
  }
  return buffer.subarray(0, length)
}

let zeros = new Uint32Array(0)

/** A `Uint32Array` of `length` zeros, shared: never write to it. */
export function zeroCodes(length: number): Uint32Array {
  if (zeros.length < length) {
    zeros = new Uint32Array(length)
  }
  return zeros.subarray(0, length)
}

/** A reusable `Float64Array`, as {@link scratchInt32}. */
export function scratchFloat64(name: string, length: number): Float64Array {
  let buffer = scratchFloat64Buffers.get(name)
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float64Array(length)
    scratchFloat64Buffers.set(name, buffer)
  }
  return buffer.subarray(0, length)
}

/** Keeps, in place, the first `count` rows that pass `filter`; returns how many are left. */
function applyFilter(filter: Filter, sources: SelectionSources, rows: Int32Array, count: number): number {
  let kept = 0
  if (filter.op === 'in' || filter.op === 'notIn') {
    const { codes, dictionary } = dimensionColumn(filter.dimension, sources)
    const mask = codeMask(dictionary, filter.values)
    // Codes beyond the dictionary cannot be listed: they fail `in` and pass `notIn`.
    const listed = filter.op === 'in'
    const flip = listed ? 0 : 1
    for (let i = 0; i < count; i += 1) {
      const row = rows[i] as number
      rows[kept] = row
      kept += Number(mask[codes[row] as number] === 1) ^ flip
    }
    return kept
  }
  if (filter.op === 'between') {
    const values = numericColumn(filter.field, sources)
    const min = filter.min ?? -Infinity
    const max = filter.max ?? Infinity
    for (let i = 0; i < count; i += 1) {
      const row = rows[i] as number
      const value = values[row] as number
      rows[kept] = row
      // NaN (absent, unpriced) fails both comparisons.
      kept += Number(value >= min) & Number(value <= max)
    }
    return kept
  }
  if (filter.op === 'equals' && filter.field === 'isError') {
    const isError = sources.columns.isError
    const wanted = filter.value ? 1 : 0
    for (let i = 0; i < count; i += 1) {
      const row = rows[i] as number
      rows[kept] = row
      kept += Number(isError[row] === wanted)
    }
    return kept
  }
  throw new RangeError(`Unknown filter ${JSON.stringify(filter)}: use a dimension 'in'/'notIn', a numeric 'between' or 'isError' 'equals'.`)
}

/**
 * Groups of a selection, as ids: `groupOfRow[row]` is the group id of a selected event (other
 * entries are stale), every id is below `groupSpace`, and some ids may have no event. With
 * small dictionaries the id is the code itself (or the codes in mixed radix, `(a × sizeB + b)
 * × sizeC + c`), so no pass is spent numbering groups; large key spaces are numbered through a Map.
 */
export interface Grouping {
  /** Group id per event, indexed by row: meaningful for the selected rows only. */
  groupOfRow: Uint32Array
  /** Ids are below this. */
  groupSpace: number
  /** The code of group `group` in dimension `index`. */
  codeOf(group: number, index: number): number
}

/** Key spaces up to this size are used as group ids directly. */
const MAX_DENSE_GROUP_SPACE = 1 << 16

/** Most dimensions {@link groupRows} combines. */
export const MAX_GROUP_DIMENSIONS = 3

/**
 * Groups the selected `rows` by `dimensions` (0 to {@link MAX_GROUP_DIMENSIONS}). Codes must
 * come from the dimensions' dictionaries (below their size). Arrays it returns may be scratch
 * buffers, valid until the next call; `eventCount` is the length of the columns.
 */
export function groupRows(rows: Int32Array, dimensions: readonly DimensionColumn[], eventCount: number): Grouping {
  if (dimensions.length > MAX_GROUP_DIMENSIONS) {
    throw new RangeError(`Rows group by at most ${MAX_GROUP_DIMENSIONS} dimensions, not ${dimensions.length}.`)
  }
  return groupRowsInto(rows, dimensions, eventCount, 'groups')
}

/** {@link groupRows}, writing its group ids into the scratch buffer `scratchName`. */
function groupRowsInto(rows: Int32Array, dimensions: readonly DimensionColumn[], eventCount: number, scratchName: string): Grouping {
  const first = dimensions[0]
  if (first === undefined) {
    return { groupOfRow: zeroCodes(eventCount), groupSpace: 1, codeOf: () => 0 }
  }
  const sizes = dimensions.map((dimension) => Math.max(1, dimension.dictionary.size))
  const keySpace = sizes.reduce((product, size) => product * size, 1)
  // Dense ids cost arrays of keySpace entries per measure: worth it while that is small next to the selection.
  const dense = keySpace <= Math.max(MAX_DENSE_GROUP_SPACE, rows.length >>> 2)
  if (dimensions.length === 1 && dense) {
    return { groupOfRow: first.codes, groupSpace: keySpace, codeOf: (group) => group }
  }
  if (keySpace > Number.MAX_SAFE_INTEGER) {
    return groupByPrefixThenLast(rows, dimensions, eventCount, scratchName)
  }
  // Mixed radix: key = Σ code[index] × strides[index], the last dimension varying fastest.
  const strides = sizes.map((_, index) => sizes.slice(index + 1).reduce((product, size) => product * size, 1))
  const decode = (key: number, index: number) => Math.floor(key / (strides[index] as number)) % (sizes[index] as number)
  const groupOfRow = scratchUint32(scratchName, eventCount)
  const codesA = first.codes
  const codesB = dimensions[1]?.codes
  const codesC = dimensions[2]?.codes
  const strideA = strides[0] as number
  const strideB = strides[1] as number
  if (dense && codesB !== undefined && codesC === undefined) {
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as number
      groupOfRow[row] = (codesA[row] as number) * strideA + (codesB[row] as number)
    }
    return { groupOfRow, groupSpace: keySpace, codeOf: decode }
  }
  if (dense && codesB !== undefined && codesC !== undefined) {
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as number
      groupOfRow[row] = (codesA[row] as number) * strideA + (codesB[row] as number) * strideB + (codesC[row] as number)
    }
    return { groupOfRow, groupSpace: keySpace, codeOf: decode }
  }
  const keys: number[] = []
  const lookup = new Map<number, number>()
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const key =
      codesB === undefined
        ? (codesA[row] as number)
        : codesC === undefined
          ? (codesA[row] as number) * strideA + (codesB[row] as number)
          : (codesA[row] as number) * strideA + (codesB[row] as number) * strideB + (codesC[row] as number)
    let group = lookup.get(key)
    if (group === undefined) {
      group = keys.length
      keys.push(key)
      lookup.set(key, group)
    }
    groupOfRow[row] = group
  }
  return { groupOfRow, groupSpace: keys.length, codeOf: (group, index) => decode(keys[group] as number, index) }
}

/**
 * Groups whose mixed-radix key would pass 2^53 (three dictionaries of ~200k values each):
 * the leading dimensions are numbered first, then each (prefix group, last code) pair. Prefix
 * ids are below max(65,536, selection size), so that pair's key stays far below 2^53.
 */
function groupByPrefixThenLast(rows: Int32Array, dimensions: readonly DimensionColumn[], eventCount: number, scratchName: string): Grouping {
  const prefixCount = dimensions.length - 1
  const prefix = groupRowsInto(rows, dimensions.slice(0, prefixCount), eventCount, `${scratchName}.prefix`)
  const last = dimensions[prefixCount] as DimensionColumn
  const lastSize = Math.max(1, last.dictionary.size)
  const prefixOfRow = prefix.groupOfRow
  const lastCodes = last.codes
  const groupOfRow = scratchUint32(scratchName, eventCount)
  const keys: number[] = []
  const lookup = new Map<number, number>()
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const key = (prefixOfRow[row] as number) * lastSize + (lastCodes[row] as number)
    let group = lookup.get(key)
    if (group === undefined) {
      group = keys.length
      keys.push(key)
      lookup.set(key, group)
    }
    groupOfRow[row] = group
  }
  return {
    groupOfRow,
    groupSpace: keys.length,
    codeOf: (group, index) => {
      const key = keys[group] as number
      return index === prefixCount ? key % lastSize : prefix.codeOf(Math.floor(key / lastSize), index)
    },
  }
}

/** Orders key values: absent (`null`) first, then strings by UTF-16 code units (locale-independent). */
export function compareKeyValues(a: string | null, b: string | null): number {
  if (a === b) {
    return 0
  }
  if (a === null) {
    return -1
  }
  if (b === null) {
    return 1
  }
  return a < b ? -1 : 1
}

/**
 * Counts distinct `(group, code)` pairs, per group, in one pass. Each code remembers the first
 * group that saw it; pairs with any other group go through a `Set` of `group × codeCount +
 * code`. Codes mostly belong to one group (a trace to one user, a user to one organisation),
 * so the set stays small. Code 0 (absent) is never counted.
 */
export class DistinctPairCounter {
  /** Distinct codes per group. */
  counts: Int32Array
  readonly #firstGroupOf: Int32Array
  readonly #codeCount: number
  readonly #otherPairs = new Set<number>()

  /**
   * @param groupCount groups expected (more grow the counts)
   * @param codeCount codes are below this (a dictionary's size)
   * @param scratchName keeps the per-code array between calls under this name (see `scratchInt32`): a
   *   counter that is done with before the next one of that name is made
   */
  constructor(groupCount: number, codeCount: number, scratchName?: string) {
    this.#codeCount = Math.max(1, codeCount)
    this.counts = new Int32Array(Math.max(1, groupCount))
    this.#firstGroupOf =
      scratchName === undefined ? new Int32Array(this.#codeCount) : scratchInt32(scratchName, this.#codeCount).fill(0)
  }

  /** Counts `code` for `group` unless seen before; true when it was new. */
  add(group: number, code: number): boolean {
    if (code === 0) {
      return false
    }
    if (group >= this.counts.length) {
      const grown = new Int32Array(Math.max(group + 1, this.counts.length * 2))
      grown.set(this.counts)
      this.counts = grown
    }
    const first = this.#firstGroupOf[code] as number
    if (first === group + 1) {
      return false
    }
    if (first === 0) {
      this.#firstGroupOf[code] = group + 1
    } else {
      const pair = group * this.#codeCount + code
      if (this.#otherPairs.has(pair)) {
        return false
      }
      this.#otherPairs.add(pair)
    }
    this.counts[group] = (this.counts[group] as number) + 1
    return true
  }
}

/**
 * The time span a series covers: the range where it is closed, else the extent of the
 * selected rows' times (to the last event's ms inclusive).
 */
export function seriesExtentMs(
  range: { fromMs: number; toMs: number } | undefined,
  tsMs: Float64Array,
  rows: Int32Array,
): { fromMs: number; toMs: number } {
  let fromMs = range?.fromMs ?? -Infinity
  let toMs = range?.toMs ?? Infinity
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) {
    let earliestMs = Infinity
    let latestMs = -Infinity
    for (let i = 0; i < rows.length; i += 1) {
      const ts = tsMs[rows[i] as number] as number
      earliestMs = ts < earliestMs ? ts : earliestMs
      latestMs = ts > latestMs ? ts : latestMs
    }
    fromMs = Number.isFinite(fromMs) ? fromMs : earliestMs
    toMs = Number.isFinite(toMs) ? toMs : latestMs + 1
  }
  return { fromMs, toMs }
}
