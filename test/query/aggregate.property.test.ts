/**
 * The oracle for `runAggregate`: an obviously correct reference over an array of plain row
 * objects (filter, group with a Map of JSON keys, compute each measure naively, percentiles
 * by sorting, calendar buckets by asking Intl), compared with the kernel on random columns and
 * random specs. Values are multiples of 1/8 so every sum is exact in any order, and the
 * comparison can be exact.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { MAX_AGGREGATE_CELLS, runAggregate, type AggregateInput } from '../../src/query/aggregate'
import {
  OTHER_GROUP,
  type AggregateResult,
  type AggregateRow,
  type AggregateSpec,
  type Dimension,
  type Filter,
  type Interval,
  type Measure,
  type NumericField,
} from '../../src/query/spec'
import { columnRowsInput, localParts } from './support'

/** One event as a plain object: the reference reads these. `null` is absent. */
interface PlainEvent {
  tsMs: number
  event: string
  model: string | null
  provider: string | null
  user: string | null
  anonymous: boolean
  feature: string | null
  traceName: string | null
  plan: string | null
  latencyS: number | null
  ttftS: number | null
  inputTokens: number | null
  outputTokens: number | null
  costUsd: number | null
  isError: boolean
}

const DIMENSION_VALUES = {
  model: ['gpt-4o', 'claude', 'gemini'],
  provider: ['openai', 'anthropic'],
  user: ['ana', 'ben', 'cy', 'dee'],
  feature: ['chat', 'search', 'draft'],
  traceName: ['answer', 'summarise'],
  plan: ['free', 'pro'],
}
const EVENT_NAMES = ['$ai_generation', '$ai_embedding', '$ai_span', '$ai_trace']
const GROUPABLE: Dimension[] = ['model', 'provider', 'user', 'feature', 'traceName', 'property:plan', 'event']
const MEASURES: Measure[] = [
  'count',
  'costUsd',
  'costPerCallUsd',
  'unpricedCount',
  'inputTokens',
  'outputTokens',
  'latency.mean',
  'latency.p50',
  'latency.p90',
  'latency.p95',
  'latency.p99',
  'ttft.mean',
  'ttft.p50',
  'ttft.p95',
  'errorCount',
  'errorRate',
  'uniqueUsers',
]
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']
/** Ten days around the Berlin spring change (29 March 2026, 01:00 UTC). */
const WINDOW_START_MS = Date.parse('2026-03-24T00:00:00Z')
const WINDOW_MS = 10 * 86_400_000
const HOUR_MS = 3_600_000

// ---------------------------------------------------------------- columns from plain events

/** Unused dictionary entries enlarge the key spaces, which moves the kernel to its sparse and rank-first paths. */
function buildInput(events: readonly PlainEvent[], paddedDictionaries: number): AggregateInput {
  return columnRowsInput(events, { dataVersion: 3, paddedDictionaries })
}

// ---------------------------------------------------------------- calendar buckets, from Intl

const dayStarts = new Map<string, number>()

/** The first instant of the local date of `ms`: walk back an hour at a time, then bisect to the millisecond. */
function referenceDayStart(ms: number, timeZone: string): number {
  const date = localParts(ms, timeZone).date
  const cacheKey = `${timeZone} ${date}`
  const cached = dayStarts.get(cacheKey)
  if (cached !== undefined) {
    return cached
  }
  let inside = ms
  while (localParts(inside - HOUR_MS, timeZone).date === date) {
    inside -= HOUR_MS
  }
  let outside = inside - HOUR_MS
  while (inside - outside > 1) {
    const middle = Math.floor((inside + outside) / 2)
    if (localParts(middle, timeZone).date === date) {
      inside = middle
    } else {
      outside = middle
    }
  }
  dayStarts.set(cacheKey, inside)
  return inside
}

function referenceBucketStart(ms: number, interval: Interval, timeZone: string): number {
  if (interval === 'hour') {
    const { minute, second } = localParts(ms, timeZone)
    return ms - (((minute * 60 + second) * 1000) + (((ms % 1000) + 1000) % 1000))
  }
  let start = referenceDayStart(ms, timeZone)
  if (interval === 'week') {
    while (localParts(start, timeZone).weekday !== 'Mon') {
      start = referenceDayStart(start - 1, timeZone)
    }
  }
  return start
}

/** Every bucket overlapping [fromMs, toMs): the distinct starts of instants an hour apart, plus the last instant. */
function referenceBuckets(fromMs: number, toMs: number, interval: Interval, timeZone: string): number[] {
  if (!(fromMs < toMs)) {
    return []
  }
  const starts = new Set<number>()
  for (let ms = fromMs; ms < toMs; ms += HOUR_MS) {
    starts.add(referenceBucketStart(ms, interval, timeZone))
  }
  starts.add(referenceBucketStart(toMs - 1, interval, timeZone))
  return [...starts].sort((a, b) => a - b)
}

// ---------------------------------------------------------------- the reference aggregate

function dimensionValue(event: PlainEvent, dimension: Dimension): string | null {
  switch (dimension) {
    case 'model':
    case 'provider':
    case 'user':
    case 'feature':
    case 'traceName':
    case 'event':
      return event[dimension]
    case 'property:plan':
      return event.plan
    default:
      return null
  }
}

function numericValue(event: PlainEvent, field: NumericField): number | null {
  switch (field) {
    case 'latencyS':
    case 'ttftS':
    case 'inputTokens':
    case 'outputTokens':
    case 'costUsd':
      return event[field]
    default:
      return null
  }
}

function passes(event: PlainEvent, filter: Filter): boolean {
  if (filter.op === 'equals') {
    return event.isError === filter.value
  }
  if (filter.op === 'between') {
    const value = numericValue(event, filter.field)
    return value !== null && value >= (filter.min ?? -Infinity) && value <= (filter.max ?? Infinity)
  }
  const listed = filter.values.includes(dimensionValue(event, filter.dimension))
  return filter.op === 'in' ? listed : !listed
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
const known = (values: (number | null)[]) => values.filter((value): value is number => value !== null)

function percentile(values: number[], percent: number): number | null {
  if (values.length === 0) {
    return null
  }
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil((percent * sorted.length) / 100) - 1] as number
}

function timing(values: number[], statistic: string): number | null {
  if (statistic === 'mean') {
    return values.length === 0 ? null : sum(values) / values.length
  }
  return percentile(values, Number(statistic.slice(1)))
}

function measure(events: PlainEvent[], name: Measure): number | null {
  const costs = known(events.map((event) => event.costUsd))
  switch (name) {
    case 'count':
      return events.length
    case 'costUsd':
      return costs.length === 0 ? null : sum(costs)
    case 'costPerCallUsd':
      return costs.length === 0 ? null : sum(costs) / costs.length
    case 'unpricedCount':
      return events.filter((event) => event.costUsd === null && ['$ai_generation', '$ai_embedding'].includes(event.event)).length
    case 'inputTokens':
    case 'outputTokens':
    case 'cacheReadTokens':
    case 'cacheWriteTokens':
    case 'reasoningTokens': {
      const field = name === 'inputTokens' || name === 'outputTokens' ? name : null
      const values = known(events.map((event) => (field === null ? null : event[field])))
      return values.length === 0 ? null : sum(values)
    }
    case 'errorCount':
      return events.filter((event) => event.isError).length
    case 'errorRate':
      return events.length === 0 ? null : events.filter((event) => event.isError).length / events.length
    case 'uniqueUsers':
      return new Set(events.filter((event) => !event.anonymous && event.user !== null).map((event) => event.user)).size
    default: {
      const [field, statistic] = name.split('.') as [string, string]
      return timing(known(events.map((event) => (field === 'latency' ? event.latencyS : event.ttftS))), statistic)
    }
  }
}

function compareKeys(a: (string | null)[], b: (string | null)[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] as string | null
    const y = b[index] as string | null
    if (x !== y) {
      return x === null ? -1 : y === null ? 1 : x < y ? -1 : 1
    }
  }
  return 0
}

/** What the kernel has to answer, or `'too many cells'`. */
function referenceAggregate(
  spec: AggregateSpec,
  events: readonly PlainEvent[],
): Omit<AggregateResult, 'kind' | 'dataVersion'> | 'too many cells' {
  const eventNames = spec.eventNames ?? ['$ai_generation', '$ai_embedding']
  const fromMs = spec.range?.fromMs ?? -Infinity
  const toMs = spec.range?.toMs ?? Infinity
  const selected = events.filter(
    (event) =>
      eventNames.includes(event.event) &&
      event.tsMs >= fromMs &&
      event.tsMs < toMs &&
      (spec.filters ?? []).every((filter) => passes(event, filter)),
  )
  const groupBy = spec.groupBy ?? []
  const orderBy = spec.orderBy ?? spec.measures[0] ?? 'count'
  const groups = new Map<string, { key: (string | null)[]; events: PlainEvent[] }>()
  for (const event of selected) {
    const key = groupBy.map((dimension) => dimensionValue(event, dimension))
    const id = JSON.stringify(key)
    const group = groups.get(id) ?? { key, events: [] }
    group.events.push(event)
    groups.set(id, group)
  }
  const ranked = [...groups.values()].sort((a, b) => {
    const x = measure(a.events, orderBy)
    const y = measure(b.events, orderBy)
    if (x !== y) {
      return x === null ? 1 : y === null ? -1 : y - x
    }
    return compareKeys(a.key, b.key)
  })
  let finalGroups = ranked
  if (spec.limit !== undefined && groupBy.length > 0 && ranked.length > spec.limit) {
    const rest = ranked.slice(spec.limit)
    finalGroups = [...ranked.slice(0, spec.limit), { key: groupBy.map(() => OTHER_GROUP), events: rest.flatMap((group) => group.events) }]
  }

  let buckets: number[] | undefined
  if (spec.interval !== undefined) {
    const times = selected.map((event) => event.tsMs)
    const start = Number.isFinite(fromMs) ? fromMs : Math.min(...times)
    const end = Number.isFinite(toMs) ? toMs : Math.max(...times) + 1
    buckets = selected.length === 0 && !Number.isFinite(fromMs) ? [] : referenceBuckets(start, end, spec.interval, spec.timeZone ?? 'UTC')
  }
  if (finalGroups.length * (buckets?.length ?? 1) > MAX_AGGREGATE_CELLS) {
    return 'too many cells'
  }
  const valuesOf = (group: PlainEvent[]) => Object.fromEntries(spec.measures.map((name) => [name, measure(group, name)]))
  const rows: AggregateRow[] = []
  for (const group of finalGroups) {
    if (buckets === undefined) {
      rows.push({ key: group.key, values: valuesOf(group.events) })
      continue
    }
    for (const bucketStartMs of buckets) {
      const inBucket = group.events.filter(
        (event) => referenceBucketStart(event.tsMs, spec.interval as Interval, spec.timeZone ?? 'UTC') === bucketStartMs,
      )
      if (inBucket.length > 0) {
        rows.push({ key: group.key, bucketStartMs, values: valuesOf(inBucket) })
      }
    }
  }
  return { rows, totals: valuesOf(selected), ...(buckets === undefined ? {} : { bucketStartsMs: buckets }) }
}

// ---------------------------------------------------------------- random events and specs

const eighths = (max: number) => fc.integer({ min: 0, max: max * 8 }).map((value) => value / 8)
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null, freq: 3 })
const valueOf = (values: string[]) => maybe(fc.constantFrom(...values))

const plainEvent: fc.Arbitrary<PlainEvent> = fc.record({
  tsMs: fc.oneof(
    fc.integer({ min: WINDOW_START_MS, max: WINDOW_START_MS + WINDOW_MS - 1 }),
    // Close to the Berlin change and to local midnights, where buckets go wrong first.
    fc.integer({ min: Date.parse('2026-03-28T21:00:00Z'), max: Date.parse('2026-03-29T03:00:00Z') }),
  ),
  event: fc.constantFrom(...EVENT_NAMES, '$ai_generation', '$ai_generation'),
  model: valueOf(DIMENSION_VALUES.model),
  provider: valueOf(DIMENSION_VALUES.provider),
  user: valueOf(DIMENSION_VALUES.user),
  anonymous: fc.boolean(),
  feature: valueOf(DIMENSION_VALUES.feature),
  traceName: valueOf(DIMENSION_VALUES.traceName),
  plan: valueOf(DIMENSION_VALUES.plan),
  latencyS: maybe(eighths(4)),
  ttftS: maybe(eighths(1)),
  inputTokens: maybe(fc.integer({ min: 0, max: 1000 })),
  outputTokens: maybe(fc.integer({ min: 0, max: 100 })),
  costUsd: maybe(eighths(2)),
  isError: fc.boolean(),
})

const dimensionFilter: fc.Arbitrary<Filter> = fc.record({
  dimension: fc.constantFrom(...GROUPABLE),
  op: fc.constantFrom('in' as const, 'notIn' as const),
  values: fc.subarray([...Object.values(DIMENSION_VALUES).flat(), ...EVENT_NAMES, null, 'unknown-value']),
})

const rangeFilter: fc.Arbitrary<Filter> = fc
  .record({
    field: fc.constantFrom<NumericField>('latencyS', 'ttftS', 'costUsd', 'inputTokens', 'outputTokens'),
    min: fc.option(eighths(2), { nil: undefined }),
    max: fc.option(eighths(4), { nil: undefined }),
  })
  .map(({ field, min, max }) => ({
    field,
    op: 'between' as const,
    ...(min === undefined ? {} : { min }),
    ...(max === undefined ? {} : { max }),
  }))

const errorFilter: fc.Arbitrary<Filter> = fc.boolean().map((value) => ({ field: 'isError' as const, op: 'equals' as const, value }))

const spec: fc.Arbitrary<AggregateSpec> = fc
  .record({
    measures: fc.subarray(MEASURES, { minLength: 1 }),
    groupBy: fc
      .subarray(GROUPABLE, { maxLength: 3 })
      .chain((dimensions) => fc.shuffledSubarray(dimensions, { minLength: dimensions.length })),
    interval: fc.option(fc.constantFrom<Interval>('hour', 'day', 'week'), { nil: undefined }),
    timeZone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
    range: fc.option(
      fc
        .tuple(fc.integer({ min: 0, max: WINDOW_MS }), fc.integer({ min: 0, max: WINDOW_MS }))
        .map(([a, b]) => ({ fromMs: WINDOW_START_MS + Math.min(a, b), toMs: WINDOW_START_MS + Math.max(a, b) })),
      { nil: undefined },
    ),
    filters: fc.array(fc.oneof(dimensionFilter, dimensionFilter, rangeFilter, errorFilter), { maxLength: 2 }),
    eventNames: fc.option(fc.subarray([...EVENT_NAMES, '$ai_unknown'], { minLength: 1 }), { nil: undefined, freq: 3 }),
    limit: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
    orderBy: fc.option(fc.constantFrom(...MEASURES), { nil: undefined }),
  })
  .map((fields) => {
    const result: AggregateSpec = { kind: 'aggregate', measures: fields.measures, groupBy: fields.groupBy, filters: fields.filters }
    for (const key of ['interval', 'timeZone', 'range', 'eventNames', 'limit', 'orderBy'] as const) {
      if (fields[key] !== undefined) {
        Object.assign(result, { [key]: fields[key] })
      }
    }
    return result
  })

// ---------------------------------------------------------------- the properties

function checkAgainstReference(aggregateSpec: AggregateSpec, events: PlainEvent[], paddedDictionaries: number) {
  const expected = referenceAggregate(aggregateSpec, events)
  const input = buildInput(events, paddedDictionaries)
  if (expected === 'too many cells') {
    expect(() => runAggregate(aggregateSpec, input)).toThrow(RangeError)
    return
  }
  const actual = runAggregate(aggregateSpec, input)
  expect(actual).toEqual({ kind: 'aggregate', dataVersion: 3, ...expected })
}

describe('runAggregate against the reference', () => {
  it('equals the reference on random events and specs', () => {
    fc.assert(
      fc.property(spec, fc.array(plainEvent, { maxLength: 80 }), (aggregateSpec, events) => {
        checkAgainstReference(aggregateSpec, events, 0)
      }),
      { numRuns: 300 },
    )
  })

  it('equals the reference when key spaces are large (sparse group ids, ranking before the series pass)', () => {
    fc.assert(
      fc.property(spec, fc.array(plainEvent, { maxLength: 40 }), (aggregateSpec, events) => {
        checkAgainstReference(aggregateSpec, events, 7000)
      }),
      { numRuns: 40 },
    )
  })

  it('equals the reference on a series folded to the top groups by a percentile', () => {
    fc.assert(
      fc.property(
        fc.array(plainEvent, { minLength: 20, maxLength: 80 }),
        fc.constantFrom(...GROUPABLE),
        fc.constantFrom<Interval>('hour', 'day'),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(0, 7000),
        (events, dimension, interval, timeZone, limit, padding) => {
          const aggregateSpec: AggregateSpec = {
            kind: 'aggregate',
            measures: ['count', 'latency.p95', 'uniqueUsers', 'costUsd'],
            groupBy: [dimension],
            interval,
            timeZone,
            limit,
            orderBy: 'latency.p90',
            eventNames: EVENT_NAMES,
          }
          checkAgainstReference(aggregateSpec, events, padding)
        },
      ),
      { numRuns: 60 },
    )
  })
})
