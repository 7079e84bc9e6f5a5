/**
 * The aggregate kernel: runs an {@link AggregateSpec} over typed-array columns.
 *
 * One selection of row indices is built first (time range, event names, filters). Each
 * selected event then gets a cell (group × time bucket) and every measure is accumulated per
 * cell in single passes. Sums, counts and means merge across cells, which gives the ranking
 * over the whole range, the folded `(other)` group and the totals without another pass;
 * percentiles and distinct users do not merge, so they are recomputed over the rows of a
 * merged group. Definitions:
 *
 * - `costUsd`: the sum of the known costs; unknown (NaN) costs are never read as 0.
 *   `null` when no event of the cell has a known cost.
 * - `costPerCallUsd`: `costUsd` / the number of events with a known cost (the average price of
 *   a priced call, not diluted by unpriced ones); `null` when none has one.
 * - `unpricedCount`: `$ai_generation` and `$ai_embedding` events whose cost is unknown (other
 *   events, such as spans, carry no cost and are not "unpriced").
 * - Token measures: the sum of the known values; `null` when no event of the cell reports one.
 * - `latency.*` / `ttft.*`: over the events that report the field (seconds); `null` without
 *   samples. Percentiles by nearest rank: the value of rank ⌈p·n/100⌉ in ascending order
 *   (see `quantiles.ts`).
 * - `errorRate`: errorCount / count; `null` when count is 0 (only possible in `totals`).
 * - `uniqueUsers`: distinct non-empty users among events that are not anonymous (PostHog's
 *   "users" tile excludes events whose distinct id is the trace id).
 *
 * Rows exist for cells with at least one event; `bucketStartsMs` lists every bucket, empty
 * ones included, so a chart can fill the gaps. Rows come grouped: groups by their `orderBy`
 * value over the whole range (descending, `null` last, ties by key values in code-unit order,
 * `(other)` always last), and within a group by bucket start.
 */

import type { Dictionaries, EventColumns } from '../store'
import {
  codeMask,
  compareKeyValues,
  dimensionColumn,
  groupRows,
  MAX_GROUP_DIMENSIONS,
  scratchFloat64,
  scratchInt32,
  scratchUint32,
  selectRows,
  seriesExtentMs,
  type DimensionColumn,
} from './aggregate.utils'
import { percentilesInPlace } from './quantiles'
import {
  OTHER_GROUP,
  type AggregateResult,
  type AggregateRow,
  type AggregateSpec,
  type Interval,
  type Measure,
  type TimingStatistic,
} from './spec'
import { assignBuckets, listBuckets, type BucketList } from './timeBuckets'

/** What {@link runAggregate} reads. */
export interface AggregateInput {
  /** One column set: the caller concatenates segments, or passes one. */
  columns: EventColumns
  dictionaries: Dictionaries
  /** Cost per event in USD, from tokens and prices at read time; NaN = unknown or unpriced. */
  costUsd: Float64Array
  /** Per event: the code (in `dictionaries.spanName`) of its trace's name. Needed by the `'traceName'` dimension. */
  traceNameCodes?: Uint32Array
  /** The store's data version, copied to the result. */
  dataVersion: number
}

/** Most cells (groups × time buckets) an aggregate may have; more throws a `RangeError`. */
export const MAX_AGGREGATE_CELLS = 5000

/** Events measured when a spec names none. */
export const DEFAULT_AGGREGATE_EVENTS: readonly string[] = ['$ai_generation', '$ai_embedding']

/** Events that carry a cost: the ones `unpricedCount` counts when their cost is unknown. */
const PRICED_EVENTS = ['$ai_generation', '$ai_embedding']

/** Distinct users are marked in a (cell × user) byte array up to this size; beyond, gathered per cell. */
const MAX_USER_MARKS = 1 << 22

/** Accumulating per (group id × bucket) is used up to this many cells; beyond, groups are ranked first. */
const MAX_WIDE_CELLS = 1 << 16

const TIMING_STATISTICS: readonly TimingStatistic[] = ['mean', 'p50', 'p90', 'p95', 'p99']
type Percentile = Exclude<TimingStatistic, 'mean'>
const PERCENT_OF: Record<Percentile, number> = { p50: 50, p90: 90, p95: 95, p99: 99 }
const TOKEN_MEASURES = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const
type TokenMeasure = (typeof TOKEN_MEASURES)[number]

const MEASURES: ReadonlySet<string> = new Set<Measure>([
  'count',
  'costUsd',
  'costPerCallUsd',
  'unpricedCount',
  ...TOKEN_MEASURES,
  ...TIMING_STATISTICS.map((statistic) => `latency.${statistic}` as const),
  ...TIMING_STATISTICS.map((statistic) => `ttft.${statistic}` as const),
  'errorCount',
  'errorRate',
  'uniqueUsers',
])

/** Whether a measure of merged cells follows from the cells' accumulators (sums and counts do; percentiles and distinct counts do not). */
function mergeable(measure: Measure): boolean {
  return measure !== 'uniqueUsers' && !/\.p\d\d$/.test(measure)
}

/** Fields summed per cell, with how many events had a value. */
type SummedField = 'costUsd' | TokenMeasure | 'latency' | 'ttft'

/** Per-cell accumulators of a pass, and the totals of the measures that do not merge. */
interface Accumulation {
  count: Int32Array
  sums: Map<SummedField, { sums: Float64Array; known: Int32Array }>
  unpriced: Int32Array
  errors: Int32Array
  /** Per-cell values of the measures that do not merge (NaN = null). */
  cellValues: Map<Measure, Float64Array>
  /** Their values over all rows of the pass. */
  totalValues: Map<Measure, number>
}

/** What the measure kernels read. */
interface MeasureSources {
  columns: EventColumns
  costUsd: Float64Array
  /** 1 at the event codes of {@link PRICED_EVENTS}. */
  pricedEvents: Uint8Array
  /** Size of the user dictionary. */
  userCodeCount: number
}

/**
 * Runs an aggregate spec over columns. Throws a `RangeError` for an invalid spec (unknown
 * measure, dimension, filter or time zone, more than three `groupBy` dimensions, a `limit` that
 * is not a whole number ≥ 0) or when groups × buckets would exceed {@link MAX_AGGREGATE_CELLS},
 * and a `TypeError` when the `'traceName'` dimension is used without `traceNameCodes`.
 */
export function runAggregate(spec: AggregateSpec, input: AggregateInput): AggregateResult {
  const { columns, dictionaries } = input
  const measures = [...new Set(spec.measures)]
  const orderBy = spec.orderBy ?? measures[0] ?? 'count'
  for (const measure of [...measures, orderBy]) {
    if (!MEASURES.has(measure)) {
      throw new RangeError(`Unknown measure "${measure}" (spec.measures / spec.orderBy).`)
    }
  }
  const groupBy = spec.groupBy ?? []
  if (groupBy.length > MAX_GROUP_DIMENSIONS) {
    throw new RangeError(`spec.groupBy has ${groupBy.length} dimensions; an aggregate groups by at most ${MAX_GROUP_DIMENSIONS}.`)
  }
  const limit = spec.limit
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`spec.limit must be a whole number ≥ 0, not ${limit}.`)
  }
  if (input.costUsd.length < columns.length) {
    throw new RangeError(`AggregateInput.costUsd has ${input.costUsd.length} entries for ${columns.length} events.`)
  }
  const dimensions = groupBy.map((dimension) => dimensionColumn(dimension, input))

  const rows = selectRows(
    input,
    spec.eventNames ?? DEFAULT_AGGREGATE_EVENTS,
    spec.range?.fromMs ?? -Infinity,
    spec.range?.toMs ?? Infinity,
    spec.filters ?? [],
  )
  const buckets = spec.interval === undefined ? undefined : listSeriesBuckets(spec, spec.interval, columns.tsMs, rows)
  const bucketCount = buckets === undefined ? 1 : buckets.startsMs.length
  const grouping = groupRows(rows, dimensions, columns.length)
  const sources: MeasureSources = {
    columns,
    costUsd: input.costUsd,
    pricedEvents: codeMask(dictionaries.event, PRICED_EVENTS),
    userCodeCount: dictionaries.user.size,
  }
  const withOrderBy = measures.includes(orderBy) ? measures : [...measures, orderBy]
  const keyOf = (group: number) => dimensions.map((dimension, index) => dimension.dictionary.decode(grouping.codeOf(group, index)))
  const checkCells = (groupCount: number) => {
    if (groupCount * bucketCount > MAX_AGGREGATE_CELLS) {
      throw new RangeError(
        `The aggregate would have ${groupCount} groups × ${bucketCount} time buckets = ${groupCount * bucketCount} cells ` +
          `(at most ${MAX_AGGREGATE_CELLS}): set a smaller spec.limit, group by fewer spec.groupBy dimensions, ` +
          'or use a coarser spec.interval or a shorter spec.range.',
      )
    }
  }
  /** Group ids with events, best first: by rank value descending (NaN last), then by key. */
  const rankGroups = (groups: number[], rankValue: (group: number) => number) => {
    const values = new Float64Array(grouping.groupSpace)
    for (const group of groups) {
      values[group] = rankValue(group)
    }
    return groups.sort((a, b) => {
      const x = values[a] as number
      const y = values[b] as number
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) {
        return Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : y - x
      }
      for (let index = 0; index < dimensions.length; index += 1) {
        const dictionary = (dimensions[index] as DimensionColumn).dictionary
        const order = compareKeyValues(dictionary.decode(grouping.codeOf(a, index)), dictionary.decode(grouping.codeOf(b, index)))
        if (order !== 0) {
          return order
        }
      }
      return 0
    })
  }

  // The result as final groups (kept groups, then `(other)`), each a list of cells per bucket
  // in `accumulation`: one cell, or several when groups were merged.
  let accumulation: Accumulation
  let finalKeys: (string | null)[][]
  let cellsOf: (position: number, bucket: number) => number[]

  const wide = bucketCount === 1 || grouping.groupSpace * bucketCount <= MAX_WIDE_CELLS
  if (dimensions.length === 0 || wide) {
    // One pass over cells = group id × bucket: values, ranking, fold and totals follow from it.
    const cellOfRow =
      buckets === undefined
        ? grouping.groupOfRow
        : assignBuckets(columns.tsMs, rows, buckets, scratchUint32('cells', columns.length), grouping.groupOfRow)
    accumulation = accumulate(sources, rows, cellOfRow, grouping.groupSpace * bucketCount, withOrderBy, true)
    const wideAccumulation = accumulation
    const bucketCells = (group: number) => Array.from({ length: bucketCount }, (_, bucket) => group * bucketCount + bucket)
    const hasEvents = new Uint8Array(grouping.groupSpace)
    for (let cell = 0; cell < accumulation.count.length; cell += 1) {
      if ((accumulation.count[cell] as number) > 0) {
        hasEvents[Math.floor(cell / bucketCount)] = 1
      }
    }
    const present: number[] = []
    hasEvents.forEach((flag, group) => {
      if (flag === 1) {
        present.push(group)
      }
    })
    if (dimensions.length > 0 && bucketCount > 1 && !mergeable(orderBy)) {
      // A percentile or distinct count over the whole range needs its own pass per group.
      const byGroup = accumulate(sources, rows, grouping.groupOfRow, grouping.groupSpace, [orderBy], false)
      rankGroups(present, (group) => measureOf(byGroup, orderBy, [group]))
    } else if (dimensions.length > 0) {
      rankGroups(present, (group) => measureOf(wideAccumulation, orderBy, bucketCount === 1 ? [group] : bucketCells(group)))
    }
    const folds = limit !== undefined && dimensions.length > 0 && present.length > limit
    const kept = folds ? present.slice(0, limit) : present
    const folded = folds ? present.slice(limit) : []
    checkCells(kept.length + (folds ? 1 : 0))
    finalKeys = dimensions.length === 0 ? [[]] : kept.map(keyOf)
    if (folds) {
      finalKeys.push(dimensions.map(() => OTHER_GROUP))
    }
    if (folds && measures.some((measure) => !mergeable(measure))) {
      // `(other)` needs its percentiles or distinct users from its own rows: a pass over final cells.
      accumulation = accumulateFinalCells(sources, rows, grouping, buckets, kept, measures)
      cellsOf = (position, bucket) => [position * bucketCount + bucket]
    } else {
      cellsOf = (position, bucket) =>
        position < kept.length
          ? [(kept[position] as number) * bucketCount + bucket]
          : folded.map((group) => group * bucketCount + bucket)
    }
  } else {
    // Too many group ids × buckets: rank the groups over the whole range first, then one
    // pass over the final cells.
    const byGroup = accumulate(sources, rows, grouping.groupOfRow, grouping.groupSpace, [orderBy], false)
    const present: number[] = []
    for (let group = 0; group < grouping.groupSpace; group += 1) {
      if ((byGroup.count[group] as number) > 0) {
        present.push(group)
      }
    }
    rankGroups(present, (group) => measureOf(byGroup, orderBy, [group]))
    const folds = limit !== undefined && present.length > limit
    const kept = folds ? present.slice(0, limit) : present
    checkCells(kept.length + (folds ? 1 : 0))
    finalKeys = kept.map(keyOf)
    if (folds) {
      finalKeys.push(dimensions.map(() => OTHER_GROUP))
    }
    accumulation = accumulateFinalCells(sources, rows, grouping, buckets, kept, measures)
    cellsOf = (position, bucket) => [position * bucketCount + bucket]
  }

  const resultRows: AggregateRow[] = []
  for (let position = 0; position < finalKeys.length; position += 1) {
    for (let bucket = 0; bucket < bucketCount; bucket += 1) {
      const cells = cellsOf(position, bucket)
      if (measureOf(accumulation, 'count', cells) === 0) {
        continue
      }
      const values: Partial<Record<Measure, number | null>> = {}
      for (const measure of measures) {
        values[measure] = nullIfNaN(measureOf(accumulation, measure, cells))
      }
      const row: AggregateRow = { key: finalKeys[position] as (string | null)[], values }
      if (buckets !== undefined) {
        row.bucketStartMs = buckets.startsMs[bucket] as number
      }
      resultRows.push(row)
    }
  }
  const totals: Partial<Record<Measure, number | null>> = {}
  for (const measure of measures) {
    totals[measure] = nullIfNaN(measureOf(accumulation, measure, null))
  }
  const result: AggregateResult = { kind: 'aggregate', dataVersion: input.dataVersion, rows: resultRows, totals }
  if (buckets !== undefined) {
    result.bucketStartsMs = Array.from(buckets.startsMs)
  }
  return result
}

/** `null` for NaN; `-0` becomes `0`. */
function nullIfNaN(value: number): number | null {
  return Number.isNaN(value) ? null : value + 0
}

/** Buckets of a series: over the spec's range, or the selected events' extent where the range is open. */
function listSeriesBuckets(spec: AggregateSpec, interval: Interval, tsMs: Float64Array, rows: Int32Array): BucketList {
  const { fromMs, toMs } = seriesExtentMs(spec.range, tsMs, rows)
  return listBuckets(fromMs, toMs, interval, spec.timeZone ?? 'UTC', MAX_AGGREGATE_CELLS)
}

/**
 * Accumulates `measures` over final cells: kept group `position` × bucket, with every other
 * group folded into position `kept.length`.
 */
function accumulateFinalCells(
  sources: MeasureSources,
  rows: Int32Array,
  grouping: ReturnType<typeof groupRows>,
  buckets: BucketList | undefined,
  kept: readonly number[],
  measures: readonly Measure[],
): Accumulation {
  const bucketCount = buckets === undefined ? 1 : buckets.startsMs.length
  const finalOf = new Uint32Array(grouping.groupSpace).fill(kept.length)
  kept.forEach((group, position) => {
    finalOf[group] = position
  })
  const groupOfRow = grouping.groupOfRow
  const finalGroupOfRow = scratchUint32('finalGroups', sources.columns.length)
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    finalGroupOfRow[row] = finalOf[groupOfRow[row] as number] as number
  }
  const cellOfRow =
    buckets === undefined
      ? finalGroupOfRow
      : assignBuckets(sources.columns.tsMs, rows, buckets, scratchUint32('cells', sources.columns.length), finalGroupOfRow)
  return accumulate(sources, rows, cellOfRow, (kept.length + 1) * bucketCount, measures, true)
}

/**
 * The value of `measure` over the union of `cells` (all rows when `null`); NaN for `null`.
 * Measures that do not merge are read for one cell, or in total.
 */
function measureOf(accumulation: Accumulation, measure: Measure, cells: readonly number[] | null): number {
  const total = (values: Int32Array | Float64Array) => {
    let sum = 0
    if (cells === null) {
      for (let cell = 0; cell < values.length; cell += 1) {
        sum += values[cell] as number
      }
    } else {
      for (const cell of cells) {
        sum += values[cell] as number
      }
    }
    return sum
  }
  const summed = (field: SummedField) => accumulation.sums.get(field) as { sums: Float64Array; known: Int32Array }
  switch (measure) {
    case 'count':
      return total(accumulation.count)
    case 'costUsd':
    case 'inputTokens':
    case 'outputTokens':
    case 'cacheReadTokens':
    case 'cacheWriteTokens':
    case 'reasoningTokens': {
      const { sums, known } = summed(measure)
      return total(known) > 0 ? total(sums) : Number.NaN
    }
    case 'costPerCallUsd': {
      const { sums, known } = summed('costUsd')
      return ratio(total(sums), total(known))
    }
    case 'unpricedCount':
      return total(accumulation.unpriced)
    case 'errorCount':
      return total(accumulation.errors)
    case 'errorRate':
      return ratio(total(accumulation.errors), total(accumulation.count))
    case 'latency.mean':
    case 'ttft.mean': {
      const { sums, known } = summed(measure === 'latency.mean' ? 'latency' : 'ttft')
      return ratio(total(sums), total(known))
    }
    default: {
      if (cells === null) {
        return accumulation.totalValues.get(measure) as number
      }
      if (cells.length !== 1) {
        throw new Error(`${measure} cannot be merged across cells.`)
      }
      return (accumulation.cellValues.get(measure) as Float64Array)[cells[0] as number] as number
    }
  }
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : Number.NaN
}

/**
 * Accumulates what `measures` need for each of `cellCount` cells (row `rows[i]` belongs to
 * cell `cellOfRow[rows[i]]`): counts, costs, unpriced calls and errors share one pass; each
 * other field takes one, percentiles and distinct users a second one to gather each cell's
 * values side by side (a counting sort) before working cell by cell. Without `withTotals`
 * the totals of percentiles and distinct users are left out (NaN).
 */
function accumulate(
  sources: MeasureSources,
  rows: Int32Array,
  cellOfRow: Uint32Array,
  cellCount: number,
  measures: readonly Measure[],
  withTotals: boolean,
): Accumulation {
  const { columns, costUsd, pricedEvents } = sources
  const wanted = new Set(measures)
  const wantsCost = wanted.has('costUsd') || wanted.has('costPerCallUsd') || wanted.has('unpricedCount')
  const wantsErrors = wanted.has('errorCount') || wanted.has('errorRate')

  const count = new Int32Array(cellCount)
  const costSums = new Float64Array(wantsCost ? cellCount : 0)
  const pricedCounts = new Int32Array(costSums.length)
  const unpriced = new Int32Array(costSums.length)
  const errors = new Int32Array(wantsErrors ? cellCount : 0)
  const events = columns.dimensions.event
  const isError = columns.isError
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const cell = cellOfRow[row] as number
    count[cell] = (count[cell] as number) + 1
    if (wantsCost) {
      // Branch-free: whether a cost is known is data, and mispredicting it costs more than the loads.
      const cost = costUsd[row] as number
      const priced = Number(cost === cost)
      costSums[cell] = (costSums[cell] as number) + (priced === 1 ? cost : 0)
      pricedCounts[cell] = (pricedCounts[cell] as number) + priced
      unpriced[cell] = (unpriced[cell] as number) + ((priced ^ 1) & (pricedEvents[events[row] as number] as number))
    }
    if (wantsErrors) {
      errors[cell] = (errors[cell] as number) + (isError[row] as number)
    }
  }
  const accumulation: Accumulation = {
    count,
    sums: new Map([['costUsd', { sums: costSums, known: pricedCounts }]]),
    unpriced,
    errors,
    cellValues: new Map(),
    totalValues: new Map(),
  }
  for (const measure of TOKEN_MEASURES) {
    if (wanted.has(measure)) {
      accumulation.sums.set(measure, knownSums(columns.numbers[measure], rows, cellOfRow, cellCount))
    }
  }
  for (const [prefix, column] of [
    ['latency', columns.numbers.latencyS],
    ['ttft', columns.numbers.ttftS],
  ] as const) {
    const percentiles = (['p50', 'p90', 'p95', 'p99'] as const).filter((statistic) => wanted.has(`${prefix}.${statistic}`))
    if (percentiles.length > 0) {
      const found = timingPercentiles(column, rows, cellOfRow, count, percentiles, withTotals)
      accumulation.sums.set(prefix, found.sums)
      percentiles.forEach((statistic, index) => {
        accumulation.cellValues.set(`${prefix}.${statistic}`, found.cells[index] as Float64Array)
        accumulation.totalValues.set(`${prefix}.${statistic}`, found.totals[index] as number)
      })
    } else if (wanted.has(`${prefix}.mean`)) {
      accumulation.sums.set(prefix, knownSums(column, rows, cellOfRow, cellCount))
    }
  }
  if (wanted.has('uniqueUsers')) {
    const users = uniqueUsers(sources, rows, cellOfRow, cellCount, withTotals)
    accumulation.cellValues.set('uniqueUsers', users.cells)
    accumulation.totalValues.set('uniqueUsers', users.total)
  }
  return accumulation
}

/** Sums of the non-NaN values per cell, and how many there were. */
function knownSums(column: Float64Array, rows: Int32Array, cellOfRow: Uint32Array, cellCount: number) {
  const sums = new Float64Array(cellCount)
  const known = new Int32Array(cellCount)
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const value = column[row] as number
    if (value === value) {
      const cell = cellOfRow[row] as number
      sums[cell] = (sums[cell] as number) + value
      known[cell] = (known[cell] as number) + 1
    }
  }
  return { sums, known }
}

/**
 * Sums, sample counts and nearest-rank percentiles of the non-NaN values of `column`, per cell
 * and in total. `count` (events per cell) sizes each cell's slice of a scratch array, so the
 * values are gathered and summed in one pass.
 */
function timingPercentiles(
  column: Float64Array,
  rows: Int32Array,
  cellOfRow: Uint32Array,
  count: Int32Array,
  percentiles: readonly Percentile[],
  withTotals: boolean,
): { sums: { sums: Float64Array; known: Int32Array }; cells: Float64Array[]; totals: number[] } {
  const cellCount = count.length
  const offsets = new Int32Array(cellCount + 1)
  for (let cell = 0; cell < cellCount; cell += 1) {
    offsets[cell + 1] = (offsets[cell] as number) + (count[cell] as number)
  }
  const samples = scratchFloat64('samples', offsets[cellCount] as number)
  const cursor = scratchInt32('cursor', cellCount)
  cursor.set(offsets.subarray(0, cellCount))
  const sums = new Float64Array(cellCount)
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const value = column[row] as number
    if (value === value) {
      const cell = cellOfRow[row] as number
      const position = cursor[cell] as number
      samples[position] = value
      cursor[cell] = position + 1
      sums[cell] = (sums[cell] as number) + value
    }
  }
  const known = new Int32Array(cellCount)
  const percents = percentiles.map((statistic) => PERCENT_OF[statistic])
  const cells = percentiles.map(() => new Float64Array(cellCount))
  for (let cell = 0; cell < cellCount; cell += 1) {
    const start = offsets[cell] as number
    const end = cursor[cell] as number
    known[cell] = end - start
    const found = start === end ? null : percentilesInPlace(samples, start, end, percents)
    cells.forEach((values, index) => {
      values[cell] = found === null ? Number.NaN : (found[index] as number)
    })
  }
  let totals = percents.map(() => Number.NaN)
  if (withTotals) {
    // Close the gaps left by events without a value; the samples, in any order, are all of them.
    let sampleCount = 0
    for (let cell = 0; cell < cellCount; cell += 1) {
      samples.copyWithin(sampleCount, offsets[cell] as number, cursor[cell] as number)
      sampleCount += known[cell] as number
    }
    totals = percentilesInPlace(samples, 0, sampleCount, percents)
  }
  return { sums: { sums, known }, cells, totals }
}

/** Distinct non-zero users per cell, and in total, among events that are not anonymous. */
function uniqueUsers(
  sources: MeasureSources,
  rows: Int32Array,
  cellOfRow: Uint32Array,
  cellCount: number,
  withTotals: boolean,
): { cells: Float64Array; total: number } {
  const { user } = sources.columns.dimensions
  const { isAnonymous } = sources.columns
  const userCodeCount = sources.userCodeCount
  if (cellCount * userCodeCount <= MAX_USER_MARKS) {
    // One pass: a byte per (cell, user) and per user for the total.
    const marks = new Uint8Array(cellCount * userCodeCount)
    const totalMarks = new Uint8Array(userCodeCount)
    const cells = new Float64Array(cellCount)
    let total = 0
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as number
      const code = user[row] as number
      if (code !== 0 && isAnonymous[row] === 0 && code < userCodeCount) {
        const cell = cellOfRow[row] as number
        const mark = cell * userCodeCount + code
        if (marks[mark] === 0) {
          marks[mark] = 1
          cells[cell] = (cells[cell] as number) + 1
          if (totalMarks[code] === 0) {
            totalMarks[code] = 1
            total += 1
          }
        }
      }
    }
    return { cells, total: withTotals ? total : Number.NaN }
  }
  const offsets = new Int32Array(cellCount + 1)
  let largestCode = 0
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const code = user[row] as number
    if (code !== 0 && isAnonymous[row] === 0) {
      const next = (cellOfRow[row] as number) + 1
      offsets[next] = (offsets[next] as number) + 1
      largestCode = code > largestCode ? code : largestCode
    }
  }
  for (let cell = 0; cell < cellCount; cell += 1) {
    offsets[cell + 1] = (offsets[cell + 1] as number) + (offsets[cell] as number)
  }
  const codeCount = offsets[cellCount] as number
  const codes = scratchUint32('users', codeCount)
  const cursor = scratchInt32('cursor', cellCount)
  cursor.set(offsets.subarray(0, cellCount))
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const code = user[row] as number
    if (code !== 0 && isAnonymous[row] === 0) {
      const cell = cellOfRow[row] as number
      const position = cursor[cell] as number
      codes[position] = code
      cursor[cell] = position + 1
    }
  }
  // The last stamp (cell + 1; cellCount + 1 for the total) each user was seen under: the
  // cells are visited in order, so one array serves them all.
  const seenUnder = new Int32Array(Math.max(sources.userCodeCount, largestCode + 1))
  const cells = new Float64Array(cellCount)
  for (let cell = 0; cell < cellCount; cell += 1) {
    cells[cell] = countDistinct(codes, offsets[cell] as number, offsets[cell + 1] as number, seenUnder, cell + 1)
  }
  return { cells, total: withTotals ? countDistinct(codes, 0, codeCount, seenUnder, cellCount + 1) : Number.NaN }
}

function countDistinct(codes: Uint32Array, start: number, end: number, seenUnder: Int32Array, stamp: number): number {
  let distinct = 0
  for (let k = start; k < end; k += 1) {
    const code = codes[k] as number
    if (seenUnder[code] !== stamp) {
      seenUnder[code] = stamp
      distinct += 1
    }
  }
  return distinct
}
