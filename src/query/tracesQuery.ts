/**
 * The trace list: one small row per trace (PostHog's trace-list row), filtered, searched,
 * sorted and paged by keyset.
 *
 * Per-trace accumulators live in typed arrays indexed by trace code (the trace-id
 * dictionary's size bounds them). A pass over every event accumulates only what the order and
 * the search read (always the first time and the row range of each trace, plus the one field
 * group of the sort field); the matching traces are then scanned once, and those after the
 * cursor go through a bounded heap that keeps the page, so a page costs one linear pass plus
 * O(traces · log limit), never a sort of every trace. The page's rows get every field from
 * passes over the page traces' own rows only (found through their row ranges), and their
 * evaluation scores from an index of the evaluation rows by trace (evaluations arrive after
 * their trace, outside its row range). The accumulators, that index and the last filters'
 * matches are kept for the next query over the same input, so the next page, another order
 * or a search pays only for what it adds.
 *
 * Definitions (PostHog's `traces_query_runner.py`, see `reference/posthog.md` §1.2):
 *
 * - A trace is the events sharing a trace id. Its row is computed over PostHog's trace events
 *   (`$ai_trace`, `$ai_span`, `$ai_generation`, `$ai_embedding`, `$ai_metric`, `$ai_feedback`);
 *   a trace with none of them (only evaluations or interactions, say) has no row. Events with
 *   no valid time are ignored, as every query does.
 * - Tokens and costs are summed over `$ai_generation` and `$ai_embedding`; unknown costs
 *   are never read as 0 (`costUsd` is `null` when none is known, `unpricedCount` counts them).
 *   Costs are not rounded (PostHog rounds to 4 decimals).
 * - `latencyS`: if every event with a latency > 0 is a generation, the sum of those
 *   generation latencies; otherwise the sum of the latencies of the trace's direct children
 *   (no `$ai_parent_id`, or the trace id as parent: the `$ai_trace` event itself counts).
 *   `null` when that sum has no term (PostHog shows 0). Not rounded (PostHog: 2 decimals).
 * - The name is the trace name of `traceNameCodes` (the `$ai_trace` event's, else the
 *   earliest named event's); `user` and `sessionId` are those of the earliest event that has
 *   one (anonymous events have no user).
 * - `evaluationScores`: per evaluation name, the mean score of the trace's `$ai_evaluation`
 *   events (found by trace id, like every event of the trace) that have a name and a score.
 * - A trace is in `range` when its first event is (no capture margin: every event is here).
 * - A trace matches `filters` when any one of its events, of any kind (interactions and
 *   evaluations included), passes all of them; its row still sums all its events.
 * - Order: the sort value, `null` last in both directions, then the trace id ascending (in
 *   UTF-16 code units), which makes the order total and the keyset cursor exact: a page starts
 *   strictly after the cursor's (value, trace id), whatever arrived since.
 */

import type { Dictionary } from '../store'
import { scratchFloat64, scratchInt32, scratchUint32, selectRows } from './aggregate.utils'
import type { Filter, TimeRange } from './spec'
import type { TraceQueryInput } from './traceQuery'
import { compareNumbers } from './sortOrder'

/** Fields a trace list sorts by. */
export const TRACE_SORT_FIELDS = [
  'firstSeenMs',
  'name',
  'user',
  'spanCount',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'latencyS',
  'errorCount',
  'generationCount',
] as const

/** One of {@link TRACE_SORT_FIELDS}. */
export type TraceSortField = (typeof TRACE_SORT_FIELDS)[number]

/** Rows per page when a spec names no limit (PostHog pages traces 50 at a time). */
export const DEFAULT_TRACES_LIMIT = 50

/** Most rows one page may ask for. */
export const MAX_TRACES_LIMIT = 500

/** Models listed per row, most used first. */
export const MAX_TRACE_MODELS = 5

/**
 * A page of the trace list: traces in a time range, narrowed by event filters and a search,
 * in one order, after a keyset cursor.
 * @example { kind: 'traces', filters: [{ dimension: 'model', op: 'in', values: ['gpt-4o'] }], sort: { by: 'costUsd', dir: 'desc' } }
 */
export interface TracesSpec {
  kind: 'traces'
  /** Keeps the traces whose first event lies in the range. @default every trace */
  range?: TimeRange
  /** Keeps the traces with at least one event that passes all of them. @default [] */
  filters?: readonly Filter[]
  /** Keeps the traces whose name, id, user or session id contains it, ignoring case and surrounding spaces. @default '' (no search) */
  search?: string
  /** @default { by: 'firstSeenMs', dir: 'desc' } (newest first) */
  sort?: { by: TraceSortField; dir: 'asc' | 'desc' }
  /** Rows per page, a whole number from 1 to {@link MAX_TRACES_LIMIT}. @default 50 */
  limit?: number
  /** `nextCursor` of the previous page (same sort): this page starts strictly after its last row. @default the first page */
  cursor?: string
}

/** One trace of the list: metadata and totals only, no content (a page stays a few KB). */
export interface TraceRow {
  traceId: string
  /** The `$ai_trace` event's name, else the earliest named event's. */
  name: string | null
  /** The user of the earliest event that has one; `null` when every event is anonymous. */
  user: string | null
  /** The session of the earliest event that has one. */
  sessionId: string | null
  /** Models of the generations and embeddings, most used first (ties by name), at most {@link MAX_TRACE_MODELS}. */
  models: string[]
  /** Tree nodes: `$ai_trace`, `$ai_span`, `$ai_generation` and `$ai_embedding` events. */
  spanCount: number
  generationCount: number
  /** Summed over generations and embeddings; 0 when none reports any. */
  inputTokens: number
  outputTokens: number
  /** Sum of the known costs of generations and embeddings (USD); `null` when none is known. */
  costUsd: number | null
  /** Generations and embeddings whose cost is unknown. */
  unpricedCount: number
  /** PostHog's total latency (seconds): see the module comment. `null` when unknown. */
  latencyS: number | null
  /** Events with `$ai_is_error`. */
  errorCount: number
  /** Time of the first and last event, ms since epoch. */
  firstSeenMs: number
  lastSeenMs: number
  /**
   * Mean score per evaluation name (`$ai_evaluation_name`), over the trace's `$ai_evaluation`
   * events: those with its `$ai_trace_id`, whichever of its generations they judged. A score is
   * `$ai_evaluation_numeric_result`, else `$ai_evaluation_result` as 1 (true) or 0 (false);
   * evaluations without one (categorical, skipped) or without a name are left out, and so are
   * events without a valid time. `{}` when none is left.
   * @example { helpfulness: 0.82, hallucination: 0.04 }
   */
  evaluationScores: Record<string, number>
}

/** The answer to a {@link TracesSpec}. */
export interface TracesResult {
  kind: 'traces'
  /** The store's data version the page was computed at. */
  dataVersion: number
  rows: TraceRow[]
  /** Traces that match the range, filters and search (all pages). */
  totalCount: number
  /** Cursor of the next page; `null` when this page is the last. */
  nextCursor: string | null
}

/** Event kinds, as bits of a per-event-code table. */
const ROW_EVENT = 1
const TREE_NODE = 2
const GENERATION = 4
const PRICED = 8

/** The events `evaluationScores` averages. */
const EVALUATION_EVENT = '$ai_evaluation'

const EVENT_KIND_BITS: Readonly<Record<string, number>> = {
  $ai_trace: ROW_EVENT | TREE_NODE,
  $ai_span: ROW_EVENT | TREE_NODE,
  $ai_generation: ROW_EVENT | TREE_NODE | GENERATION | PRICED,
  $ai_embedding: ROW_EVENT | TREE_NODE | PRICED,
  $ai_metric: ROW_EVENT,
  $ai_feedback: ROW_EVENT,
}

/**
 * Groups of accumulated fields, as bits. The pass over every event accumulates only what the
 * order and the search read (besides times and row ranges, which it always does); the page's
 * rows get everything from a second pass over the row ranges of the page's traces.
 */
const TIMES = 1
const COUNTS = 2
const COSTS = 4
const LATENCY = 8
const PEOPLE = 16
const ALL_FIELDS = TIMES | COUNTS | COSTS | LATENCY | PEOPLE

/** The groups each order reads, besides {@link TIMES}. */
const FIELDS_OF_SORT: Readonly<Record<TraceSortField, number>> = {
  firstSeenMs: 0,
  // Names come from the trace's first row, which is always known.
  name: 0,
  user: PEOPLE,
  spanCount: COUNTS,
  generationCount: COUNTS,
  errorCount: COUNTS,
  inputTokens: COSTS,
  outputTokens: COSTS,
  costUsd: COSTS,
  latencyS: LATENCY,
}

/** The position a cursor stands for: the last row of a page, in its order. */
interface CursorPosition {
  by: TraceSortField
  dir: 'asc' | 'desc'
  value: number | string | null
  traceId: string
}

/**
 * Per-trace accumulators, indexed by trace code, in reusable scratch arrays: only the
 * entries of the traces (and fields) a pass accumulated are meaningful.
 */
interface TraceAccumulators {
  /** First and last event time; `firstMs` stays Infinity for a trace code with no row event. */
  firstMs: Float64Array
  lastMs: Float64Array
  /** Row of the trace's first row event, and 1 + the row of its last (0: none yet). */
  firstRow: Int32Array
  endRow: Int32Array
  spanCount: Int32Array
  generationCount: Int32Array
  errorCount: Int32Array
  inputTokens: Float64Array
  outputTokens: Float64Array
  costUsd: Float64Array
  pricedCount: Int32Array
  unpricedCount: Int32Array
  /** Sum and count of generation latencies > 0. */
  generationLatencyS: Float64Array
  generationLatencyCount: Int32Array
  /** Other events with a latency > 0: with one, the direct-children rule applies. */
  otherLatencyCount: Int32Array
  /** Sum and count of the latencies of the trace's direct children. */
  directLatencyS: Float64Array
  directLatencyCount: Int32Array
  userCode: Uint32Array
  userMs: Float64Array
  sessionCode: Uint32Array
  sessionMs: Float64Array
}

/** The group and initial value of each accumulator. */
const ACCUMULATORS: Readonly<Record<keyof TraceAccumulators, { group: number; initial: number }>> = {
  firstMs: { group: TIMES, initial: Infinity },
  lastMs: { group: TIMES, initial: -Infinity },
  firstRow: { group: TIMES, initial: 0 },
  endRow: { group: TIMES, initial: 0 },
  spanCount: { group: COUNTS, initial: 0 },
  generationCount: { group: COUNTS, initial: 0 },
  errorCount: { group: COUNTS, initial: 0 },
  inputTokens: { group: COSTS, initial: 0 },
  outputTokens: { group: COSTS, initial: 0 },
  costUsd: { group: COSTS, initial: 0 },
  pricedCount: { group: COSTS, initial: 0 },
  unpricedCount: { group: COSTS, initial: 0 },
  generationLatencyS: { group: LATENCY, initial: 0 },
  generationLatencyCount: { group: LATENCY, initial: 0 },
  otherLatencyCount: { group: LATENCY, initial: 0 },
  directLatencyS: { group: LATENCY, initial: 0 },
  directLatencyCount: { group: LATENCY, initial: 0 },
  userCode: { group: PEOPLE, initial: 0 },
  userMs: { group: PEOPLE, initial: Infinity },
  sessionCode: { group: PEOPLE, initial: 0 },
  sessionMs: { group: PEOPLE, initial: Infinity },
}

const ACCUMULATOR_NAMES = Object.keys(ACCUMULATORS) as (keyof TraceAccumulators)[]

/**
 * What the scratch accumulators hold: the input they were filled from (weakly: an old data
 * version's columns are not kept alive), the field groups complete for every trace, and the
 * last filters' matches. A query over the same input (the next page, another order, a search)
 * accumulates only the groups it lacks: the engine makes new arrays for every data version,
 * so the same arrays mean the same events.
 */
interface FilledState {
  columns: WeakRef<TraceQueryInput['columns']>
  costUsd: WeakRef<Float64Array>
  traceNameCodes: WeakRef<Uint32Array>
  dataVersion: number
  length: number
  traceSpace: number
  groups: number
  filtersKey: string | undefined
  matched: Uint8Array | undefined
  /** Made by the first query that shows a row. */
  evaluations: EvaluationIndex | undefined
}

/**
 * The evaluation rows that count for `evaluationScores` (named, scored, with a trace and a
 * valid time), grouped by trace code: those of trace `t` are `rows[start[t]]` up to
 * `rows[start[t + 1]]` (excluded), in row order.
 */
interface EvaluationIndex {
  start: Int32Array
  rows: Int32Array
}

let filled: FilledState | undefined

const SORT_FIELD_SET: ReadonlySet<string> = new Set(TRACE_SORT_FIELDS)

/**
 * One page of the trace list; see {@link TracesSpec} and the module comment for the rules.
 * Throws a `RangeError` for an invalid `limit`, `sort` or `cursor` (not one this function
 * gave, or given for another sort), for inputs shorter than the columns, and for invalid
 * filters as `runAggregate` does.
 */
export function runTracesQuery(spec: TracesSpec, input: TraceQueryInput): TracesResult {
  const { columns, dictionaries } = input
  const limit = spec.limit ?? DEFAULT_TRACES_LIMIT
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_TRACES_LIMIT)) {
    throw new RangeError(`spec.limit must be a whole number from 1 to ${MAX_TRACES_LIMIT}, not ${limit}.`)
  }
  const sort = spec.sort ?? { by: 'firstSeenMs', dir: 'desc' }
  if (!SORT_FIELD_SET.has(sort.by) || (sort.dir !== 'asc' && sort.dir !== 'desc')) {
    throw new RangeError(`spec.sort must be { by: one of ${TRACE_SORT_FIELDS.join(', ')}; dir: 'asc' | 'desc' }, not ${JSON.stringify(sort)}.`)
  }
  if (input.costUsd.length < columns.length || input.traceNameCodes.length < columns.length) {
    throw new RangeError(
      `TraceQueryInput.costUsd (${input.costUsd.length}) and traceNameCodes (${input.traceNameCodes.length}) need one entry per event (${columns.length}).`,
    )
  }
  const cursor = spec.cursor === undefined ? undefined : decodeCursor(spec.cursor, sort)
  const search = spec.search?.trim() ?? ''
  const traceSpace = dictionaries.traceId.size
  const state = filledState(input, traceSpace)
  const needed = TIMES | FIELDS_OF_SORT[sort.by] | (search === '' ? 0 : PEOPLE)
  const missing = needed & ~state.groups
  const traces = scratchAccumulators(traceSpace, missing)
  const kinds = eventKinds(dictionaries)
  if (missing !== 0) {
    // Times and row ranges are minima, maxima and first/last rows: accumulating them again changes nothing.
    accumulateGroups(input, kinds, traces, missing, [[0, columns.length]])
    state.groups |= missing
  }
  const matched = traceMatches(input, spec.filters ?? [], state)
  const searched = search === '' ? undefined : searchMatcher(search, input, traces)
  const fromMs = spec.range?.fromMs ?? -Infinity
  const toMs = spec.range?.toMs ?? Infinity
  const order = traceOrder(sort, traces, input)
  const heap = new PageHeap(limit, order)
  let totalCount = 0
  let afterCursorCount = 0
  const { firstMs } = traces
  // Codes are given in order of arrival, so newest first offers the page's traces early and
  // the heap turns most others away with one comparison. The order offered changes nothing else.
  const newestFirst = sort.by === 'firstSeenMs' && sort.dir === 'desc'
  for (let index = 1; index < traceSpace; index += 1) {
    const trace = newestFirst ? traceSpace - index : index
    const first = firstMs[trace] as number
    // Trace codes without row events keep firstMs = Infinity, which no range holds.
    if (!(first >= fromMs && first < toMs)) {
      continue
    }
    if ((matched !== undefined && matched[trace] === 0) || (searched !== undefined && !searched(trace))) {
      continue
    }
    totalCount += 1
    order.prepare(trace)
    if (cursor !== undefined && order.compareToCursor(trace, cursor) <= 0) {
      continue
    }
    afterCursorCount += 1
    heap.offer(trace)
  }

  const page = heap.sorted()
  const models = accumulatePage(input, kinds, traces, page)
  const evaluations = page.length === 0 ? undefined : (state.evaluations ??= indexEvaluations(input, traceSpace))
  const rows = page.map((trace, position) =>
    traceRow(trace, traces, input, models[position] ?? [], evaluations === undefined ? {} : meanEvaluationScores(trace, evaluations, input)),
  )
  const last = page[page.length - 1]
  const nextCursor =
    afterCursorCount > limit && last !== undefined
      ? encodeCursor({ by: sort.by, dir: sort.dir, value: order.valueOf(last), traceId: dictionaries.traceId.values[last] as string })
      : null
  return { kind: 'traces', dataVersion: input.dataVersion, rows, totalCount, nextCursor }
}

/** The scratch accumulators for `traceSpace` trace codes, those of the `reset` groups set to their initial values. */
function scratchAccumulators(traceSpace: number, reset: number): TraceAccumulators {
  const float = (name: keyof TraceAccumulators) => scratchFloat64(`traces.${name}`, traceSpace)
  const int = (name: keyof TraceAccumulators) => scratchInt32(`traces.${name}`, traceSpace)
  const code = (name: keyof TraceAccumulators) => scratchUint32(`traces.${name}`, traceSpace)
  // One literal, so every query's object has the same hidden class (properties added one by
  // one under computed names turn it into a slow dictionary object).
  const traces: TraceAccumulators = {
    firstMs: float('firstMs'),
    lastMs: float('lastMs'),
    firstRow: int('firstRow'),
    endRow: int('endRow'),
    spanCount: int('spanCount'),
    generationCount: int('generationCount'),
    errorCount: int('errorCount'),
    inputTokens: float('inputTokens'),
    outputTokens: float('outputTokens'),
    costUsd: float('costUsd'),
    pricedCount: int('pricedCount'),
    unpricedCount: int('unpricedCount'),
    generationLatencyS: float('generationLatencyS'),
    generationLatencyCount: int('generationLatencyCount'),
    otherLatencyCount: int('otherLatencyCount'),
    directLatencyS: float('directLatencyS'),
    directLatencyCount: int('directLatencyCount'),
    userCode: code('userCode'),
    userMs: float('userMs'),
    sessionCode: code('sessionCode'),
    sessionMs: float('sessionMs'),
  }
  for (const name of ACCUMULATOR_NAMES) {
    const { group, initial } = ACCUMULATORS[name]
    if ((group & reset) !== 0) {
      traces[name].fill(initial)
    }
  }
  return traces
}

/** What the passes of one query share: the kind of each event code, and the parent-id test. */
interface EventKinds {
  /** The {@link EVENT_KIND_BITS} of each event code. */
  kindOfEvent: Uint8Array
  /** The test of {@link parentTraceMatcher}, made on first use. */
  parentIsTrace(): (parent: number, trace: number) => boolean
}

function eventKinds(dictionaries: TraceQueryInput['dictionaries']): EventKinds {
  const kindOfEvent = new Uint8Array(dictionaries.event.size)
  for (const [name, bits] of Object.entries(EVENT_KIND_BITS)) {
    const eventCode = dictionaries.event.find(name)
    if (eventCode > 0) {
      kindOfEvent[eventCode] = bits
    }
  }
  let parentIsTrace: ((parent: number, trace: number) => boolean) | undefined
  return {
    kindOfEvent,
    parentIsTrace: () => {
      parentIsTrace ??= parentTraceMatcher(dictionaries)
      return parentIsTrace
    },
  }
}

/** A pass over rows `[from, to)` that accumulates one field group (and times) into `traces`. */
type GroupPass = (input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, from: number, to: number) => void

/**
 * One pass per field group, each a loop of its own that also keeps times and row ranges
 * (minima, maxima, first and last rows: running it twice changes nothing). A specialised
 * loop measured about 20 % faster than one loop testing which groups to keep.
 */
const GROUP_PASSES: readonly (readonly [number, GroupPass])[] = [
  [TIMES, accumulateTimes],
  [COUNTS, accumulateCounts],
  [COSTS, accumulateCosts],
  [LATENCY, accumulateLatency],
  [PEOPLE, accumulatePeople],
]

/** Accumulates the groups of `groups` (and times) over half-open row ranges, one pass per group. */
function accumulateGroups(
  input: TraceQueryInput,
  kinds: EventKinds,
  traces: TraceAccumulators,
  groups: number,
  ranges: readonly (readonly [number, number])[],
): void {
  const passes = GROUP_PASSES.filter(([group]) => (groups & group) !== 0 && group !== TIMES)
  for (const [, pass] of passes.length === 0 ? GROUP_PASSES.slice(0, 1) : passes) {
    for (const [from, to] of ranges) {
      pass(input, kinds, traces, from, to)
    }
  }
}

/** Keeps the first and last time and the row range of a trace. Small enough to be inlined into every pass. */
function noteTime(traces: TraceAccumulators, trace: number, row: number, ts: number): void {
  if (traces.endRow[trace] === 0) {
    traces.firstRow[trace] = row
  }
  traces.endRow[trace] = row + 1
  if (ts < (traces.firstMs[trace] as number)) {
    traces.firstMs[trace] = ts
  }
  if (ts > (traces.lastMs[trace] as number)) {
    traces.lastMs[trace] = ts
  }
}

function accumulateTimes(input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, from: number, to: number): void {
  const { kindOfEvent } = kinds
  const { tsMs } = input.columns
  const { traceId: traceIds, event: events } = input.columns.dimensions
  for (let row = from; row < to; row += 1) {
    const trace = traceIds[row] as number
    const ts = tsMs[row] as number
    // NaN times fail `ts === ts`.
    if (trace === 0 || kindOfEvent[events[row] as number] === 0 || ts !== ts) {
      continue
    }
    noteTime(traces, trace, row, ts)
  }
}

function accumulateCounts(input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, from: number, to: number): void {
  const { kindOfEvent } = kinds
  const { tsMs, isError } = input.columns
  const { traceId: traceIds, event: events } = input.columns.dimensions
  const { spanCount, generationCount, errorCount } = traces
  for (let row = from; row < to; row += 1) {
    const trace = traceIds[row] as number
    const kind = kindOfEvent[events[row] as number] as number
    const ts = tsMs[row] as number
    if (trace === 0 || kind === 0 || ts !== ts) {
      continue
    }
    noteTime(traces, trace, row, ts)
    spanCount[trace] = (spanCount[trace] as number) + ((kind & TREE_NODE) === 0 ? 0 : 1)
    generationCount[trace] = (generationCount[trace] as number) + ((kind & GENERATION) === 0 ? 0 : 1)
    errorCount[trace] = (errorCount[trace] as number) + (isError[row] as number)
  }
}

function accumulateCosts(input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, from: number, to: number): void {
  const { kindOfEvent } = kinds
  const { costUsd } = input
  const { tsMs } = input.columns
  const { traceId: traceIds, event: events } = input.columns.dimensions
  const { inputTokens, outputTokens } = input.columns.numbers
  const { pricedCount, unpricedCount } = traces
  const inputTotals = traces.inputTokens
  const outputTotals = traces.outputTokens
  const costTotals = traces.costUsd
  for (let row = from; row < to; row += 1) {
    const trace = traceIds[row] as number
    const kind = kindOfEvent[events[row] as number] as number
    const ts = tsMs[row] as number
    if (trace === 0 || kind === 0 || ts !== ts) {
      continue
    }
    noteTime(traces, trace, row, ts)
    if ((kind & PRICED) === 0) {
      continue
    }
    const input = inputTokens[row] as number
    const output = outputTokens[row] as number
    const cost = costUsd[row] as number
    if (input === input) {
      inputTotals[trace] = (inputTotals[trace] as number) + input
    }
    if (output === output) {
      outputTotals[trace] = (outputTotals[trace] as number) + output
    }
    if (cost === cost) {
      costTotals[trace] = (costTotals[trace] as number) + cost
      pricedCount[trace] = (pricedCount[trace] as number) + 1
    } else {
      unpricedCount[trace] = (unpricedCount[trace] as number) + 1
    }
  }
}

function accumulateLatency(input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, from: number, to: number): void {
  const { kindOfEvent } = kinds
  const parentIsTrace = kinds.parentIsTrace()
  const { tsMs } = input.columns
  const { traceId: traceIds, event: events, parentId: parentIds } = input.columns.dimensions
  const { latencyS } = input.columns.numbers
  const { generationLatencyS, generationLatencyCount, otherLatencyCount, directLatencyS, directLatencyCount } = traces
  for (let row = from; row < to; row += 1) {
    const trace = traceIds[row] as number
    const kind = kindOfEvent[events[row] as number] as number
    const ts = tsMs[row] as number
    if (trace === 0 || kind === 0 || ts !== ts) {
      continue
    }
    noteTime(traces, trace, row, ts)
    const latency = latencyS[row] as number
    if (latency !== latency) {
      continue
    }
    if (latency > 0) {
      if ((kind & GENERATION) !== 0) {
        generationLatencyS[trace] = (generationLatencyS[trace] as number) + latency
        generationLatencyCount[trace] = (generationLatencyCount[trace] as number) + 1
      } else {
        otherLatencyCount[trace] = (otherLatencyCount[trace] as number) + 1
      }
    }
    const parent = parentIds[row] as number
    if (parent === 0 || parentIsTrace(parent, trace)) {
      directLatencyS[trace] = (directLatencyS[trace] as number) + latency
      directLatencyCount[trace] = (directLatencyCount[trace] as number) + 1
    }
  }
}

function accumulatePeople(input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, from: number, to: number): void {
  const { kindOfEvent } = kinds
  const { tsMs } = input.columns
  const { traceId: traceIds, event: events, user: users, sessionId: sessions } = input.columns.dimensions
  const { userCode, userMs, sessionCode, sessionMs } = traces
  for (let row = from; row < to; row += 1) {
    const trace = traceIds[row] as number
    const ts = tsMs[row] as number
    if (trace === 0 || kindOfEvent[events[row] as number] === 0 || ts !== ts) {
      continue
    }
    noteTime(traces, trace, row, ts)
    // The earliest event with a user (or session) gives it; the first row of equal times wins.
    const user = users[row] as number
    if (user !== 0 && ts < (userMs[trace] as number)) {
      userCode[trace] = user
      userMs[trace] = ts
    }
    const session = sessions[row] as number
    if (session !== 0 && ts < (sessionMs[trace] as number)) {
      sessionCode[trace] = session
      sessionMs[trace] = ts
    }
  }
}

/**
 * Whether a parent id is the id of a given trace. The ids live in different dictionaries, so
 * this compares strings (where the parent ids are kept: they may still be packed as the store
 * read them), and each comparison costs a cache miss or two: the answer is kept per parent
 * code for the last trace it was compared with (a parent's children are usually of one
 * trace, and near each other).
 */
function parentTraceMatcher(dictionaries: TraceQueryInput['dictionaries']): (parent: number, trace: number) => boolean {
  const traceValues = dictionaries.traceId.values
  const parentIds = dictionaries.parentId
  // Per parent code: trace + 1 when equal to that trace's id, -(trace + 1) when not, 0 before any comparison.
  const comparedWith = scratchInt32('traces.parentComparedWith', parentIds.size).fill(0)
  return (parent, trace) => {
    let comparison = comparedWith[parent] as number
    if (comparison !== trace + 1 && comparison !== -(trace + 1)) {
      comparison = parentIds.equals(parent, traceValues[trace] as string) ? trace + 1 : -(trace + 1)
      comparedWith[parent] = comparison
    }
    return comparison > 0
  }
}

/**
 * Accumulates every field of the page's traces and counts their models (most used first, per
 * page trace). Only the rows of the page's traces are read: one scan over their row ranges
 * finds the runs of rows that belong to them (a trace's events are mostly adjacent, as they
 * arrive together), and the passes run over those runs.
 */
function accumulatePage(input: TraceQueryInput, kinds: EventKinds, traces: TraceAccumulators, page: readonly number[]): string[][] {
  const { columns, dictionaries } = input
  const onPage = new Uint8Array(dictionaries.traceId.size)
  const ranges: [number, number][] = []
  for (const trace of page) {
    onPage[trace] = 1
    ranges.push([traces.firstRow[trace] as number, traces.endRow[trace] as number])
    for (const name of ACCUMULATOR_NAMES) {
      traces[name][trace] = ACCUMULATORS[name].initial
    }
  }
  const { traceId: traceIds, event: events, model: models } = columns.dimensions
  const runs = rowRuns(traceIds, onPage, mergeRanges(ranges))
  accumulateGroups(input, kinds, traces, ALL_FIELDS, runs)

  const positionOf = new Map(page.map((trace, position) => [trace, position]))
  const counts = page.map(() => new Map<number, number>())
  const { kindOfEvent } = kinds
  const tsMs = columns.tsMs
  for (const [from, to] of runs) {
    for (let row = from; row < to; row += 1) {
      const model = models[row] as number
      const ts = tsMs[row] as number
      if (model === 0 || ((kindOfEvent[events[row] as number] as number) & PRICED) === 0 || ts !== ts) {
        continue
      }
      const modelCounts = counts[positionOf.get(traceIds[row] as number) as number] as Map<number, number>
      modelCounts.set(model, (modelCounts.get(model) ?? 0) + 1)
    }
  }
  return counts.map((modelCounts) =>
    [...modelCounts]
      .map(([model, count]) => ({ name: dictionaries.model.values[model] as string, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, MAX_TRACE_MODELS)
      .map(({ name }) => name),
  )
}

/** The runs of consecutive rows, within `ranges`, whose trace is marked in `marked`. */
function rowRuns(traceIds: Uint32Array, marked: Uint8Array, ranges: readonly [number, number][]): [number, number][] {
  const runs: [number, number][] = []
  for (const [from, to] of ranges) {
    let runStart = -1
    for (let row = from; row < to; row += 1) {
      if (marked[traceIds[row] as number] === 1) {
        runStart = runStart < 0 ? row : runStart
      } else if (runStart >= 0) {
        runs.push([runStart, row])
        runStart = -1
      }
    }
    if (runStart >= 0) {
      runs.push([runStart, to])
    }
  }
  return runs
}

/** Half-open ranges, sorted and merged where they overlap or touch. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const merged: [number, number][] = []
  for (const [from, to] of ranges.sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1]
    if (last !== undefined && from <= last[1]) {
      last[1] = Math.max(last[1], to)
    } else {
      merged.push([from, to])
    }
  }
  return merged
}

/** The state of the scratch accumulators for `input`: the one filled last if it was filled from the same input, else a new, empty one. */
function filledState(input: TraceQueryInput, traceSpace: number): FilledState {
  const { columns, costUsd, traceNameCodes, dataVersion } = input
  if (
    filled === undefined ||
    filled.columns.deref() !== columns ||
    filled.costUsd.deref() !== costUsd ||
    filled.traceNameCodes.deref() !== traceNameCodes ||
    filled.dataVersion !== dataVersion ||
    filled.length !== columns.length ||
    filled.traceSpace !== traceSpace
  ) {
    filled = {
      columns: new WeakRef(columns),
      costUsd: new WeakRef(costUsd),
      traceNameCodes: new WeakRef(traceNameCodes),
      dataVersion,
      length: columns.length,
      traceSpace,
      groups: 0,
      filtersKey: undefined,
      matched: undefined,
      evaluations: undefined,
    }
  }
  return filled
}

/** 1 per trace code with an event (of any kind) that passes every filter (kept for the same filters); `undefined` without filters. */
function traceMatches(input: TraceQueryInput, filters: readonly Filter[], state: FilledState): Uint8Array | undefined {
  if (filters.length === 0) {
    return undefined
  }
  // Non-finite bounds spelt out: JSON would write NaN and Infinity alike as null.
  const filtersKey = JSON.stringify(filters, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  )
  if (state.filtersKey === filtersKey && state.matched !== undefined) {
    return state.matched
  }
  const rows = selectRows(input, input.dictionaries.event.values, -Infinity, Infinity, filters)
  const traceIds = input.columns.dimensions.traceId
  const matched = new Uint8Array(state.traceSpace)
  for (let index = 0; index < rows.length; index += 1) {
    matched[traceIds[rows[index] as number] as number] = 1
  }
  state.filtersKey = filtersKey
  state.matched = matched
  return matched
}

/** Whether a trace's name, id, user or session id contains the search. Needs the PEOPLE fields. */
function searchMatcher(search: string, input: TraceQueryInput, traces: TraceAccumulators): (trace: number) => boolean {
  const { dictionaries, traceNameCodes } = input
  // A case-insensitive pattern tests each string without making a lower-cased copy of it.
  const pattern = new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu')
  const names = dictionaryMatcher(dictionaries.spanName, pattern)
  const users = dictionaryMatcher(dictionaries.user, pattern)
  const sessions = dictionaryMatcher(dictionaries.sessionId, pattern)
  const traceValues = dictionaries.traceId.values
  return (trace) =>
    names(traceNameCodes[traces.firstRow[trace] as number] as number) ||
    users(traces.userCode[trace] as number) ||
    sessions(traces.sessionCode[trace] as number) ||
    pattern.test(traceValues[trace] as string)
}

/** Whether a code's value matches `pattern`, each code tested once. */
function dictionaryMatcher(dictionary: Dictionary, pattern: RegExp): (code: number) => boolean {
  // 0 not tested yet, 1 matches, 2 does not.
  const known = new Uint8Array(dictionary.size)
  return (code) => {
    if (code === 0) {
      return false
    }
    if (known[code] === 0) {
      known[code] = pattern.test(dictionary.values[code] as string) ? 1 : 2
    }
    return known[code] === 1
  }
}

/** The latency of a trace by PostHog's rule; NaN when unknown. */
function traceLatencyS(traces: TraceAccumulators, trace: number): number {
  if (traces.otherLatencyCount[trace] === 0 && (traces.generationLatencyCount[trace] as number) > 0) {
    return traces.generationLatencyS[trace] as number
  }
  return (traces.directLatencyCount[trace] as number) > 0 ? (traces.directLatencyS[trace] as number) : Number.NaN
}

/** The known cost of a trace; NaN when none of its costs is known. */
function traceCostUsd(traces: TraceAccumulators, trace: number): number {
  return (traces.pricedCount[trace] as number) > 0 ? (traces.costUsd[trace] as number) : Number.NaN
}

/**
 * The order of a sort: the sort value, `null` last either way, then the trace id ascending.
 * Classes rather than closures: a query makes new closures, and code optimised for one
 * closure deoptimises on the next query's.
 */
abstract class TraceOrder {
  protected readonly sign: number
  protected readonly traceValues: readonly string[]

  constructor(dir: 'asc' | 'desc', traceValues: readonly string[]) {
    this.sign = dir === 'asc' ? 1 : -1
    this.traceValues = traceValues
  }

  /** Computes the sort key of a trace; call before comparing it. */
  abstract prepare(trace: number): void
  /** Negative when trace `a` comes first. */
  abstract compare(a: number, b: number): number
  /** Negative when the trace comes before the cursor's position, 0 when it is the cursor's trace. */
  abstract compareToCursor(trace: number, cursor: CursorPosition): number
  /** The sort value of a (prepared) trace, as a cursor holds it. */
  abstract valueOf(trace: number): number | string | null

  protected compareIds(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0
  }
}

/** Orders by a number per trace (NaN for `null`). */
class NumericTraceOrder extends TraceOrder {
  readonly #by: NumericSortField
  readonly #traces: TraceAccumulators
  readonly #keys: Float64Array

  constructor(by: NumericSortField, dir: 'asc' | 'desc', traceValues: readonly string[], traces: TraceAccumulators) {
    super(dir, traceValues)
    this.#by = by
    this.#traces = traces
    this.#keys = scratchFloat64('traces.sortKey', traceValues.length)
  }

  prepare(trace: number): void {
    this.#keys[trace] = numericSortValue(this.#by, this.#traces, trace)
  }

  compare(a: number, b: number): number {
    return (
      compareNumbers(this.#keys[a] as number, this.#keys[b] as number, this.sign) ||
      this.compareIds(this.traceValues[a] as string, this.traceValues[b] as string)
    )
  }

  compareToCursor(trace: number, cursor: CursorPosition): number {
    const value = cursor.value === null ? Number.NaN : (cursor.value as number)
    return compareNumbers(this.#keys[trace] as number, value, this.sign) || this.compareIds(this.traceValues[trace] as string, cursor.traceId)
  }

  valueOf(trace: number): number | null {
    const key = this.#keys[trace] as number
    return Number.isNaN(key) ? null : key
  }
}

/** Orders by a dictionary string per trace (code 0 for `null`), in UTF-16 code units. */
class TextTraceOrder extends TraceOrder {
  readonly #codes: Uint32Array
  readonly #values: readonly string[]

  constructor(dir: 'asc' | 'desc', traceValues: readonly string[], codes: Uint32Array, values: readonly string[]) {
    super(dir, traceValues)
    this.#codes = codes
    this.#values = values
  }

  prepare(): void {}

  compare(a: number, b: number): number {
    return (
      compareStrings(this.valueOf(a), this.valueOf(b), this.sign) ||
      this.compareIds(this.traceValues[a] as string, this.traceValues[b] as string)
    )
  }

  compareToCursor(trace: number, cursor: CursorPosition): number {
    return (
      compareStrings(this.valueOf(trace), cursor.value as string | null, this.sign) ||
      this.compareIds(this.traceValues[trace] as string, cursor.traceId)
    )
  }

  valueOf(trace: number): string | null {
    const code = this.#codes[trace] as number
    return code === 0 ? null : (this.#values[code] as string)
  }
}

function traceOrder(sort: { by: TraceSortField; dir: 'asc' | 'desc' }, traces: TraceAccumulators, input: TraceQueryInput): TraceOrder {
  const { dictionaries, traceNameCodes } = input
  const traceValues = dictionaries.traceId.values
  if (sort.by === 'name') {
    // The name code of each trace, from its first row (every row of a trace has its trace's name).
    const nameCodes = scratchUint32('traces.nameCode', traceValues.length)
    const { firstRow, firstMs } = traces
    for (let trace = 1; trace < traceValues.length; trace += 1) {
      nameCodes[trace] = firstMs[trace] === Infinity ? 0 : (traceNameCodes[firstRow[trace] as number] as number)
    }
    return new TextTraceOrder(sort.dir, traceValues, nameCodes, dictionaries.spanName.values)
  }
  if (sort.by === 'user') {
    return new TextTraceOrder(sort.dir, traceValues, traces.userCode, dictionaries.user.values)
  }
  return new NumericTraceOrder(sort.by, sort.dir, traceValues, traces)
}

type NumericSortField = Exclude<TraceSortField, 'name' | 'user'>

/** The value of a numeric sort field for a trace (NaN for `null`). */
function numericSortValue(by: NumericSortField, traces: TraceAccumulators, trace: number): number {
  switch (by) {
    case 'firstSeenMs':
      return traces.firstMs[trace] as number
    case 'spanCount':
      return traces.spanCount[trace] as number
    case 'inputTokens':
      return traces.inputTokens[trace] as number
    case 'outputTokens':
      return traces.outputTokens[trace] as number
    case 'costUsd':
      return traceCostUsd(traces, trace)
    case 'latencyS':
      return traceLatencyS(traces, trace)
    case 'errorCount':
      return traces.errorCount[trace] as number
    case 'generationCount':
      return traces.generationCount[trace] as number
    default:
      throw new RangeError(`Unknown sort field "${by satisfies never}".`)
  }
}

/** Strings by UTF-16 code units in the direction of `sign`, `null` last either way. */
function compareStrings(x: string | null, y: string | null, sign: number): number {
  if (x === y) {
    return 0
  }
  if (x === null) {
    return 1
  }
  if (y === null) {
    return -1
  }
  return x < y ? -sign : sign
}

/**
 * The first `limit` traces offered, in order: a binary heap whose root is the last of the
 * kept traces, so most offers cost one comparison.
 */
class PageHeap {
  readonly #limit: number
  readonly #order: TraceOrder
  readonly #items: number[] = []

  constructor(limit: number, order: TraceOrder) {
    this.#limit = limit
    this.#order = order
  }

  offer(trace: number): void {
    const items = this.#items
    if (items.length < this.#limit) {
      items.push(trace)
      this.#siftUp(items.length - 1)
    } else if (this.#order.compare(trace, items[0] as number) < 0) {
      items[0] = trace
      this.#siftDown(0)
    }
  }

  /** The kept traces, first to last. */
  sorted(): number[] {
    return [...this.#items].sort((a, b) => this.#order.compare(a, b))
  }

  #siftUp(index: number): void {
    const items = this.#items
    const item = items[index] as number
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (this.#order.compare(items[parent] as number, item) >= 0) {
        break
      }
      items[index] = items[parent] as number
      index = parent
    }
    items[index] = item
  }

  #siftDown(index: number): void {
    const items = this.#items
    const item = items[index] as number
    const length = items.length
    for (;;) {
      let child = 2 * index + 1
      if (child >= length) {
        break
      }
      if (child + 1 < length && this.#order.compare(items[child + 1] as number, items[child] as number) > 0) {
        child += 1
      }
      if (this.#order.compare(items[child] as number, item) <= 0) {
        break
      }
      items[index] = items[child] as number
      index = child
    }
    items[index] = item
  }
}

/** The row of a page trace, whose accumulators hold every field. */
function traceRow(
  trace: number,
  traces: TraceAccumulators,
  input: TraceQueryInput,
  models: string[],
  evaluationScores: Record<string, number>,
): TraceRow {
  const { dictionaries } = input
  const cost = traceCostUsd(traces, trace)
  const latency = traceLatencyS(traces, trace)
  return {
    traceId: dictionaries.traceId.values[trace] as string,
    name: dictionaries.spanName.decode(input.traceNameCodes[traces.firstRow[trace] as number] as number),
    user: dictionaries.user.decode(traces.userCode[trace] as number),
    sessionId: dictionaries.sessionId.decode(traces.sessionCode[trace] as number),
    models,
    spanCount: traces.spanCount[trace] as number,
    generationCount: traces.generationCount[trace] as number,
    inputTokens: traces.inputTokens[trace] as number,
    outputTokens: traces.outputTokens[trace] as number,
    costUsd: Number.isNaN(cost) ? null : cost,
    unpricedCount: traces.unpricedCount[trace] as number,
    latencyS: Number.isNaN(latency) ? null : latency,
    errorCount: traces.errorCount[trace] as number,
    firstSeenMs: traces.firstMs[trace] as number,
    lastSeenMs: traces.lastMs[trace] as number,
    evaluationScores,
  }
}

// ---------------------------------------------------------------- evaluation scores

/** Indexes the evaluation rows of every trace: one pass over the event column, then a counting sort of the rows found. */
function indexEvaluations(input: TraceQueryInput, traceSpace: number): EvaluationIndex {
  const { columns, dictionaries } = input
  const start = new Int32Array(traceSpace + 1)
  const evaluationCode = dictionaries.event.find(EVALUATION_EVENT)
  if (evaluationCode <= 0) {
    return { start, rows: new Int32Array(0) }
  }
  const { tsMs } = columns
  const { event: events, traceId: traceIds, evaluationName: names } = columns.dimensions
  const scores = columns.numbers.evaluationScore
  const found: number[] = []
  for (let row = 0; row < columns.length; row += 1) {
    if (events[row] !== evaluationCode) {
      continue
    }
    const trace = traceIds[row] as number
    const score = scores[row] as number
    const ts = tsMs[row] as number
    // NaN scores and times fail `x === x`.
    if (trace === 0 || names[row] === 0 || score !== score || ts !== ts) {
      continue
    }
    found.push(row)
    start[trace + 1] = (start[trace + 1] as number) + 1
  }
  for (let trace = 1; trace <= traceSpace; trace += 1) {
    start[trace] = (start[trace] as number) + (start[trace - 1] as number)
  }
  const rows = new Int32Array(found.length)
  const next = start.slice(0, traceSpace)
  for (const row of found) {
    const trace = traceIds[row] as number
    rows[next[trace] as number] = row
    next[trace] = (next[trace] as number) + 1
  }
  return { start, rows }
}

/** The mean score per evaluation name of one trace, names in code-unit order. */
function meanEvaluationScores(trace: number, index: EvaluationIndex, input: TraceQueryInput): Record<string, number> {
  const from = index.start[trace] as number
  const to = index.start[trace + 1] as number
  if (from === to) {
    return {}
  }
  const names = input.columns.dimensions.evaluationName
  const scores = input.columns.numbers.evaluationScore
  const byName = new Map<number, { sum: number; count: number }>()
  for (let position = from; position < to; position += 1) {
    const row = index.rows[position] as number
    const name = names[row] as number
    const total = byName.get(name) ?? { sum: 0, count: 0 }
    total.sum += scores[row] as number
    total.count += 1
    byName.set(name, total)
  }
  const nameValues = input.dictionaries.evaluationName.values
  return Object.fromEntries(
    [...byName]
      .map(([name, { sum, count }]) => [nameValues[name] as string, sum / count] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  )
}

// ---------------------------------------------------------------- cursors

/** Base64url of the UTF-8 JSON of a position (opaque to callers, stable across data versions). */
function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify({ v: 1, by: position.by, dir: position.dir, value: position.value, id: position.traceId })
  let binary = ''
  for (const byte of new TextEncoder().encode(json)) {
    binary += String.fromCharCode(byte)
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** The position of a cursor; a `RangeError` naming `spec.cursor` when it is not one for this sort. */
function decodeCursor(cursor: string, sort: { by: TraceSortField; dir: 'asc' | 'desc' }): CursorPosition {
  const invalid = (why: string) =>
    new RangeError(`spec.cursor is not a valid trace-list cursor (${why}): pass the nextCursor of a previous page with the same sort, or omit it.`)
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(cursor)) {
      throw new Error('not base64url')
    }
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0))
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw invalid('it does not decode')
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw invalid('it does not decode')
  }
  const { v, by, dir, value, id } = parsed as Record<string, unknown>
  if (v !== 1 || typeof id !== 'string' || typeof by !== 'string' || typeof dir !== 'string') {
    throw invalid('unknown shape')
  }
  if (by !== sort.by || dir !== sort.dir) {
    throw invalid(`it was made for sort ${by} ${dir}, this spec sorts by ${sort.by} ${sort.dir}`)
  }
  const stringValued = by === 'name' || by === 'user'
  const valueOk = value === null || (stringValued ? typeof value === 'string' : typeof value === 'number' && Number.isFinite(value))
  if (!valueOk) {
    throw invalid('its sort value has the wrong type')
  }
  return { by: sort.by, dir: sort.dir, value: value as number | string | null, traceId: id }
}
