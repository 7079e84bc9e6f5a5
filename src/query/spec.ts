import type { AiscopeEvent } from '../schema/events'
import type { TracesResult, TracesSpec } from './tracesQuery'
import type { CodedStrings } from './traceStrings'

import type { SessionResult, SessionSpec } from './sessionQuery'
import type { UsersResult, UsersSpec } from './usersQuery'
import type { ErrorsResult, ErrorsSpec } from './errorsQuery'
import type { InteractionsResult, InteractionsSpec } from './interactionsQuery'
import type { GenerationsResult, GenerationsSpec } from './generationsQuery'

export type { TraceRow, TraceSortField, TracesResult, TracesSpec } from './tracesQuery'
export type { CodedStrings, PackedStrings } from './traceStrings'
export type { SessionEventRow, SessionResult, SessionSpec } from './sessionQuery'
export type { UsersResult, UsersRow, UsersSpec } from './usersQuery'
export type { ErrorsResult, ErrorsSpec } from './errorsQuery'
export type { InteractionsResult, InteractionsRow, InteractionsSpec } from './interactionsQuery'
export type { GenerationRow, GenerationSortField, GenerationsResult, GenerationsSpec } from './generationsQuery'

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
 * Measures grouped by up to three dimensions (a key per combination that has events; more
 * throw a `RangeError`), optionally as a time series.
 * @example { kind: 'aggregate', measures: ['costUsd', 'latency.p95'], groupBy: ['model'], interval: 'day' }
 * @example { kind: 'aggregate', measures: ['count'], groupBy: ['model', 'provider', 'errorKind'], filters: [{ field: 'isError', op: 'equals', value: true }] }
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

/**
 * The tree of one trace, with each node's own and rolled-up cost, tokens and latency
 * (PostHog's rules), built without recursion; orphans become flagged roots, cycles are broken.
 * @example { kind: 'trace', traceId: 'trace_abc' }
 */
export interface TraceSpec {
  kind: 'trace'
  traceId: string
  /**
   * At most this many nodes in the result: the first ones in depth-first pre-order, so every
   * node comes with its ancestors. Roll-ups still cover the whole trace. @default no cap
   */
  maxSpans?: number
}

/**
 * The nodes of a trace in depth-first pre-order, as parallel arrays (compact to send, ready
 * for a virtualised tree and waterfall). Content is not included: ask for it with a
 * {@link TraceEventsSpec} for the nodes on screen.
 */
export interface TraceResult {
  kind: 'trace'
  dataVersion: number
  traceId: string
  /** `false` when no stored event has this trace id (then every array is empty). */
  found: boolean
  /** The trace's name: its `$ai_trace` event's, else its earliest named event's. */
  name: string | null
  /** Nodes in this result (the length of every per-node array). */
  nodeCount: number
  /** Nodes of the whole trace: more than `nodeCount` when `maxSpans` cut the result. */
  totalNodeCount: number
  /** Node id per position (generation id, else span id, else event uuid): read with `stringAt(trace.nodeIds, position)`. */
  nodeIds: CodedStrings
  /** `$ai_generation`, `$ai_span`, ... per position: read with `stringAt(trace.eventNames, position)`. */
  eventNames: CodedStrings
  /** Span name, else model, per position (`stringAt`). */
  names: CodedStrings
  /** Model per position (`stringAt`). */
  models: CodedStrings
  depth: Uint16Array
  parentPosition: Int32Array
  /** Nodes in each node's subtree, itself included: the whole trace's, so past `nodeCount` when `maxSpans` cut it. */
  subtreeSize: Int32Array
  startMs: Float64Array
  endMs: Float64Array
  /** NaN where absent or unknown (costs are never unknown-as-0). */
  ownCostUsd: Float64Array
  rolledCostUsd: Float64Array
  ownLatencyS: Float64Array
  rolledLatencyS: Float64Array
  ownInputTokens: Float64Array
  rolledInputTokens: Float64Array
  ownOutputTokens: Float64Array
  rolledOutputTokens: Float64Array
  ttftS: Float64Array
  isError: Uint8Array
  isOrphan: Uint8Array
  subtreeUnknownCostCount: Int32Array
  subtreeErrorCount: Int32Array
  orphanCount: number
  brokenCycleCount: number
  /** Events of the trace that are not tree nodes (metrics, feedback, evaluations, interactions). */
  excludedCount: number
  /** The whole trace's figures, also when `maxSpans` left nodes out of the result. */
  totals: TraceTotals
  traceStartMs: number
  traceEndMs: number
}

/** Figures of a whole trace: the sums over its top-level nodes' subtrees. */
export interface TraceTotals {
  /** Cost of its priced calls; `null` when none is priced (never 0 for unknown). */
  costUsd: number | null
  /** Calls whose cost is unknown. */
  unpricedCount: number
  errorCount: number
}

/** The full stored events (content included) of some nodes of one trace. */
export interface TraceEventsSpec {
  kind: 'traceEvents'
  traceId: string
  /** Node ids as a {@link TraceResult} lists them; @default every event of the trace */
  nodeIds?: readonly string[]
}

/** The answer to a {@link TraceEventsSpec}: the events, in the order of `nodeIds`. */
export interface TraceEventsResult {
  kind: 'traceEvents'
  dataVersion: number
  traceId: string
  events: AiscopeEvent[]
}

/** Every query spec. */
export type QuerySpec =
  | AggregateSpec
  | TracesSpec
  | TraceSpec
  | TraceEventsSpec
  | SessionSpec
  | UsersSpec
  | ErrorsSpec
  | InteractionsSpec
  | GenerationsSpec

/** The result of each spec, by kind. */
export interface QueryResultByKind {
  aggregate: AggregateResult
  traces: TracesResult
  session: SessionResult
  users: UsersResult
  errors: ErrorsResult
  interactions: InteractionsResult
  trace: TraceResult
  traceEvents: TraceEventsResult
  generations: GenerationsResult
}

/** The result type of a spec. */
export type QueryResult<Spec extends QuerySpec = QuerySpec> = QueryResultByKind[Spec['kind']]

/** Value of a folded group's key. */
export const OTHER_GROUP = '(other)'
