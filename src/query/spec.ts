/**
 * The query contract: every panel reads through one of these specs. They name domain
 * dimensions and measures, never storage details, so the same spec can run over the
 * worker's columns or, for a team that outgrows one browser, as SQL on ClickHouse.
 * Results are plain serialisable data carrying the data version they were computed at.
 */

/** Dimensions events can be grouped and filtered by. */
export const DIMENSIONS = [
  'event',
  'model',
  'provider',
  'user',
  'organisation',
  'feature',
  'promptName',
  'promptVersion',
  'traceName',
  'traceId',
  'sessionId',
  'spanType',
  'errorKind',
  'interaction',
] as const

/** A built-in dimension (see {@link DIMENSIONS}), or a host-declared property as `property:<name>`. */
export type Dimension = (typeof DIMENSIONS)[number] | `property:${string}`

/** Numeric fields that ranges filter on. */
export type NumericField =
  | 'latencyS'
  | 'ttftS'
  | 'costUsd'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'

/** Percentile and mean statistics of a timing field. */
export type TimingStatistic = 'mean' | 'p50' | 'p90' | 'p95' | 'p99'

/** What an aggregate computes per group. */
export type Measure =
  | 'count'
  | 'costUsd'
  | 'costPerCallUsd'
  | 'unpricedCount'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheReadTokens'
  | 'cacheWriteTokens'
  | 'reasoningTokens'
  | `latency.${TimingStatistic}`
  | `ttft.${TimingStatistic}`
  | 'errorCount'
  | 'errorRate'
  | 'uniqueUsers'

/** A time range, inclusive of `fromMs`, exclusive of `toMs` (ms since epoch). */
export interface TimeRange {
  fromMs: number
  toMs: number
}

/** Keeps events whose dimension value is (or is not) one of `values`; `null` stands for "absent". */
export interface DimensionFilter {
  dimension: Dimension
  op: 'in' | 'notIn'
  values: readonly (string | null)[]
}

/** Keeps events whose numeric field lies in `[min, max]`; events without the field are dropped. */
export interface RangeFilter {
  field: NumericField
  op: 'between'
  /** @default -Infinity */
  min?: number
  /** @default Infinity */
  max?: number
}

/** Keeps failed (or successful) calls only. */
export interface ErrorFilter {
  field: 'isError'
  op: 'equals'
  value: boolean
}

/** One condition; a spec's filters all have to hold. */
export type Filter = DimensionFilter | RangeFilter | ErrorFilter

/** Time buckets for a series. */
export type Interval = 'hour' | 'day' | 'week'

/**
 * Measures grouped by up to two dimensions, optionally as a time series.
 * @example { kind: 'aggregate', measures: ['costUsd', 'latency.p95'], groupBy: ['model'], interval: 'day' }
 */
export interface AggregateSpec {
  kind: 'aggregate'
  measures: readonly Measure[]
  /** @default [] (one group: the totals) */
  groupBy?: readonly Dimension[]
  /** Buckets the groups by time as well. */
  interval?: Interval
  /** IANA time zone of the buckets (a day starts at local midnight, a week on Monday). @default 'UTC' */
  timeZone?: string
  range?: TimeRange
  filters?: readonly Filter[]
  /** Which events are measured. @default ['$ai_generation', '$ai_embedding'] */
  eventNames?: readonly string[]
  /**
   * Keeps the `limit` largest groups by `orderBy` (over the whole range) and folds the rest
   * into one group whose key values are `'(other)'`.
   */
  limit?: number
  /** @default the first measure */
  orderBy?: Measure
}

/** One group of an aggregate: its key, its time bucket, and the measures' values. */
export interface AggregateRow {
  /** One value per `groupBy` dimension; `null` for events without it, `'(other)'` for the folded rest. */
  key: (string | null)[]
  /** Start of the bucket (ms since epoch) when the spec has an `interval`. */
  bucketStartMs?: number
  /** Each requested measure; `null` where it is undefined (no latency samples, nothing priced). */
  values: Partial<Record<Measure, number | null>>
}

/** The answer to an {@link AggregateSpec}. */
export interface AggregateResult {
  kind: 'aggregate'
  /** The store's data version the result was computed at. */
  dataVersion: number
  rows: AggregateRow[]
  /** The measures over every event that passed the filters. */
  totals: Partial<Record<Measure, number | null>>
  /** Bucket starts of the series, in order, empty buckets included (when the spec has an `interval`). */
  bucketStartsMs?: number[]
}

/** Every query spec. */
export type QuerySpec = AggregateSpec

/** The result of each spec, by kind. */
export interface QueryResultByKind {
  aggregate: AggregateResult
}

/** The result type of a spec. */
export type QueryResult<Spec extends QuerySpec = QuerySpec> = QueryResultByKind[Spec['kind']]

/** Value of a folded group's key. */
export const OTHER_GROUP = '(other)'
