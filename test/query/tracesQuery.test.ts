/**
 * The trace list: hand-built traces with exact rows (PostHog's rules), keyset pages, and an
 * obviously correct reference over plain objects compared on random data. Costs and
 * latencies are multiples of 1/8, so every sum is exact in any order.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Filter } from '../../src/query/spec'
import type { TraceQueryInput } from '../../src/query/traceQuery'
import {
  MAX_TRACES_LIMIT,
  TRACE_SORT_FIELDS,
  runTracesQuery,
  type TraceRow,
  type TraceSortField,
  type TracesResult,
  type TracesSpec,
} from '../../src/query/tracesQuery'
import type { AiscopeEvent } from '../../src/schema'
import { allPages, appendedInput, kernelInput, testEvent } from './support'

/** One event as a plain object; absent fields are absent. */
interface PlainEvent {
  event: string
  /** Seconds after {@link T0_MS}. */
  atS: number
  traceId?: string
  parentId?: string
  spanId?: string
  /** The distinct id; absent means anonymous (PostHog: the distinct id is the trace id). */
  user?: string
  sessionId?: string
  spanName?: string
  model?: string
  latencyS?: number
  inputTokens?: number
  outputTokens?: number
  /** The event's cost as the read-time pricing gives it; absent = unknown. */
  costUsd?: number
  isError?: boolean
  interaction?: string
  /** `$ai_evaluation_name`. */
  evaluationName?: string
  /** A numeric, boolean or (as text) categorical evaluation result. */
  evaluationResult?: number | boolean | string
}

const T0_MS = Date.UTC(2026, 10, 1, 12)
const atMs = (seconds: number) => T0_MS + seconds * 1000

function toAiscopeEvent(plain: PlainEvent, index: number): AiscopeEvent {
  return testEvent(
    {
      event: plain.event,
      ts: atMs(plain.atS),
      distinctId: plain.user ?? plain.traceId ?? 'anonymous',
      properties: {
        $ai_trace_id: plain.traceId,
        $ai_parent_id: plain.parentId,
        $ai_span_id: plain.spanId,
        $ai_session_id: plain.sessionId,
        $ai_span_name: plain.spanName,
        $ai_model: plain.model,
        $ai_latency: plain.latencyS,
        $ai_input_tokens: plain.inputTokens,
        $ai_output_tokens: plain.outputTokens,
        $ai_is_error: plain.isError,
        $ai_interaction: plain.interaction,
        $ai_evaluation_name: plain.evaluationName,
        $ai_evaluation_numeric_result: typeof plain.evaluationResult === 'number' ? plain.evaluationResult : undefined,
        $ai_evaluation_result: typeof plain.evaluationResult === 'boolean' ? plain.evaluationResult : undefined,
        $ai_evaluation_categorical_result: typeof plain.evaluationResult === 'string' ? plain.evaluationResult : undefined,
        $process_person_profile: plain.user === undefined ? false : undefined,
      },
    },
    index,
  )
}

function buildInput(events: readonly PlainEvent[], dataVersion = 1): TraceQueryInput {
  return kernelInput(events.map(toAiscopeEvent), { costUsd: events.map((event) => event.costUsd), dataVersion })
}

/** The input after appending `more` to `previous` (which was built from `before`), as the worker's column cache sees it. */
function appendEvents(previous: TraceQueryInput, before: readonly PlainEvent[], more: readonly PlainEvent[]): TraceQueryInput {
  const events = more.map((event, index) => toAiscopeEvent(event, before.length + index))
  return appendedInput(previous, events, { costUsd: more.map((event) => event.costUsd) })
}

/** Every row of a spec, following the cursors `limit` rows at a time. */
const tracePages = (spec: TracesSpec, input: TraceQueryInput) => allPages((page: TracesSpec) => runTracesQuery(page, input), spec)

const ids = (result: { rows: readonly TraceRow[] }) => result.rows.map((row) => row.traceId)

// ---------------------------------------------------------------- hand-built traces

/** An agent trace: direct children with latencies, nested generations, an unknown cost, later non-tree events. */
const agentTrace: PlainEvent[] = [
  { event: '$ai_trace', atS: 0, traceId: 'T-main', spanName: 'support-reply', user: 'ana', sessionId: 'sess-1', latencyS: 12 },
  { event: '$ai_span', atS: 1, traceId: 'T-main', spanId: 'agent', parentId: 'T-main', user: 'ana', latencyS: 4 },
  { event: '$ai_generation', atS: 2, traceId: 'T-main', parentId: 'agent', user: 'ana', model: 'gpt-4o', inputTokens: 100, outputTokens: 20, costUsd: 0.5, latencyS: 1.5 },
  { event: '$ai_generation', atS: 3, traceId: 'T-main', parentId: 'agent', user: 'ana', model: 'gpt-4o', inputTokens: 50, outputTokens: 10, latencyS: 2 },
  { event: '$ai_generation', atS: 4, traceId: 'T-main', parentId: 'T-main', user: 'ana', model: 'claude', inputTokens: 10, outputTokens: 5, costUsd: 0.25, latencyS: 3, isError: true },
  { event: '$ai_embedding', atS: 5, traceId: 'T-main', parentId: 'T-main', user: 'ana', model: 'text-embed', inputTokens: 7, costUsd: 0.125 },
  { event: '$ai_metric', atS: 6, traceId: 'T-main', user: 'ana' },
  // Not part of PostHog's trace row: they neither extend the trace nor add to it.
  { event: '$ai_evaluation', atS: 30, traceId: 'T-main', user: 'ana', model: 'judge', inputTokens: 999, latencyS: 9 },
  { event: '$ai_interaction', atS: 40, traceId: 'T-main', user: 'ana', interaction: 'accepted' },
  // No trace id: in no trace.
  { event: '$ai_generation', atS: 7, user: 'ana', model: 'gpt-4o', inputTokens: 1, costUsd: 1 },
]

describe('trace rows', () => {
  it('sum tokens and known costs over generations and embeddings, with models by use', () => {
    const result = runTracesQuery({ kind: 'traces' }, buildInput(agentTrace, 5))
    expect(result).toMatchObject({ kind: 'traces', dataVersion: 5, totalCount: 1, nextCursor: null })
    expect(result.rows).toEqual([
      {
        traceId: 'T-main',
        name: 'support-reply',
        user: 'ana',
        sessionId: 'sess-1',
        models: ['gpt-4o', 'claude', 'text-embed'],
        spanCount: 6,
        generationCount: 3,
        inputTokens: 167,
        outputTokens: 35,
        costUsd: 0.875,
        unpricedCount: 1,
        // A span has a latency, so the direct children count: the trace 12 + agent 4 + claude 3.
        latencyS: 19,
        errorCount: 1,
        firstSeenMs: atMs(0),
        lastSeenMs: atMs(6),
        evaluationScores: {},
      } satisfies TraceRow,
    ])
  })

  it('sum the generation latencies when only generations have one (a latency of 0 does not count)', () => {
    const events: PlainEvent[] = [
      { event: '$ai_trace', atS: 0, traceId: 'gens', user: 'u' },
      { event: '$ai_span', atS: 1, traceId: 'gens', spanId: 'step', parentId: 'gens', user: 'u', latencyS: 0 },
      { event: '$ai_generation', atS: 2, traceId: 'gens', parentId: 'step', user: 'u', latencyS: 1.25 },
      { event: '$ai_generation', atS: 3, traceId: 'gens', parentId: 'step', user: 'u', latencyS: 2 },
    ]
    expect(runTracesQuery({ kind: 'traces' }, buildInput(events)).rows[0]?.latencyS).toBe(3.25)
  })

  it('sum the direct children (no parent, or the trace as parent) once another event has a latency', () => {
    const events: PlainEvent[] = [
      { event: '$ai_span', atS: 0, traceId: 'mixed', spanId: 'tool', parentId: 'mixed', user: 'u', latencyS: 0.5 },
      { event: '$ai_generation', atS: 1, traceId: 'mixed', parentId: 'tool', user: 'u', latencyS: 8 },
      { event: '$ai_generation', atS: 2, traceId: 'mixed', user: 'u', latencyS: 2 },
      { event: '$ai_generation', atS: 3, traceId: 'mixed', parentId: 'mixed', user: 'u', latencyS: 1 },
      // Latencies, but none on a direct child: unknown, not 0.
      { event: '$ai_span', atS: 0, traceId: 'deep', spanId: 'x', parentId: 'elsewhere', user: 'u', latencyS: 2 },
      { event: '$ai_generation', atS: 1, traceId: 'deep', parentId: 'x', user: 'u', latencyS: 1 },
      // No latency at all.
      { event: '$ai_generation', atS: 0, traceId: 'none', user: 'u' },
    ]
    const rows = runTracesQuery({ kind: 'traces' }, buildInput(events)).rows
    // mixed: the tool span 0.5 + the parentless generation 2 + the generation under the trace 1; not the nested 8.
    expect(Object.fromEntries(rows.map((row) => [row.traceId, row.latencyS]))).toEqual({ mixed: 3.5, deep: null, none: null })
  })

  it('keep unknown costs unknown: null when nothing is priced, and counted', () => {
    const events: PlainEvent[] = [
      { event: '$ai_generation', atS: 0, traceId: 'unpriced', user: 'u', model: 'mystery', inputTokens: 10 },
      { event: '$ai_embedding', atS: 1, traceId: 'unpriced', user: 'u', model: 'mystery-embed' },
      { event: '$ai_span', atS: 2, traceId: 'spans-only', user: 'u' },
      { event: '$ai_generation', atS: 3, traceId: 'free', user: 'u', model: 'local', costUsd: 0 },
    ]
    const rows = runTracesQuery({ kind: 'traces', sort: { by: 'firstSeenMs', dir: 'asc' } }, buildInput(events)).rows
    expect(rows.map(({ traceId, costUsd, unpricedCount, inputTokens }) => ({ traceId, costUsd, unpricedCount, inputTokens }))).toEqual([
      { traceId: 'unpriced', costUsd: null, unpricedCount: 2, inputTokens: 10 },
      { traceId: 'spans-only', costUsd: null, unpricedCount: 0, inputTokens: 0 },
      { traceId: 'free', costUsd: 0, unpricedCount: 0, inputTokens: 0 },
    ])
  })

  it('name a trace after its $ai_trace event, else its earliest named event; user and session from the earliest event with one', () => {
    const events: PlainEvent[] = [
      { event: '$ai_generation', atS: 5, traceId: 'named', spanName: 'late-generation', user: 'second', sessionId: 'later' },
      { event: '$ai_trace', atS: 9, traceId: 'named', spanName: 'the-trace' },
      { event: '$ai_span', atS: 1, traceId: 'named', spanName: 'early-span', sessionId: 'first-session' },
      { event: '$ai_generation', atS: 2, traceId: 'named', user: 'first' },
      { event: '$ai_span', atS: 3, traceId: 'pseudo', spanName: 'second-step', user: 'u' },
      { event: '$ai_span', atS: 2, traceId: 'pseudo', spanName: 'first-step', user: 'u' },
      { event: '$ai_generation', atS: 4, traceId: 'anonymous' },
    ]
    const rows = runTracesQuery({ kind: 'traces', sort: { by: 'firstSeenMs', dir: 'asc' } }, buildInput(events)).rows
    expect(rows.map(({ traceId, name, user, sessionId }) => ({ traceId, name, user, sessionId }))).toEqual([
      { traceId: 'named', name: 'the-trace', user: 'first', sessionId: 'first-session' },
      { traceId: 'pseudo', name: 'first-step', user: 'u', sessionId: null },
      { traceId: 'anonymous', name: null, user: null, sessionId: null },
    ])
  })

  it('exist only for traces with an event of PostHog’s six trace kinds', () => {
    const events: PlainEvent[] = [
      { event: '$ai_evaluation', atS: 0, traceId: 'evaluated-only', user: 'u' },
      { event: '$ai_interaction', atS: 1, traceId: 'evaluated-only', user: 'u', interaction: 'copied' },
      { event: '$ai_feedback', atS: 2, traceId: 'feedback', user: 'u' },
    ]
    const result = runTracesQuery({ kind: 'traces' }, buildInput(events))
    expect(ids(result)).toEqual(['feedback'])
    expect(result.rows[0]).toMatchObject({ spanCount: 0, generationCount: 0, latencyS: null, costUsd: null, models: [] })
  })

  it('carry metadata and totals only', () => {
    const [row] = runTracesQuery({ kind: 'traces' }, buildInput(agentTrace)).rows
    expect(Object.keys(row ?? {}).sort()).toEqual(
      [
        'traceId',
        'name',
        'user',
        'sessionId',
        'models',
        'spanCount',
        'generationCount',
        'inputTokens',
        'outputTokens',
        'costUsd',
        'unpricedCount',
        'latencyS',
        'errorCount',
        'firstSeenMs',
        'lastSeenMs',
        'evaluationScores',
      ].sort(),
    )
  })

  it('average each evaluation’s scores over the trace’s evaluations, wherever they are stored', () => {
    const evaluation = (atS: number, traceId: string, evaluationName: string | undefined, evaluationResult: PlainEvent['evaluationResult']): PlainEvent => ({
      event: '$ai_evaluation',
      atS,
      traceId,
      user: 'ana',
      ...(evaluationName === undefined ? {} : { evaluationName }),
      evaluationResult,
    })
    const events: PlainEvent[] = [
      ...agentTrace,
      { event: '$ai_generation', atS: 50, traceId: 'other', user: 'ben', model: 'gpt-4o' },
      // Evaluations arrive after their trace: here after another trace's events too.
      evaluation(60, 'T-main', 'helpfulness', 0.75),
      evaluation(61, 'T-main', 'helpfulness', 0.5),
      // Booleans score 1 (true) or 0 (false).
      evaluation(62, 'T-main', 'hallucination', true),
      evaluation(63, 'T-main', 'hallucination', false),
      evaluation(64, 'T-main', 'hallucination', false),
      evaluation(65, 'other', 'helpfulness', 1),
      // Left out: a categorical result (no score), an evaluation without a name, a score on another event.
      evaluation(66, 'T-main', 'tone', 'friendly'),
      evaluation(67, 'T-main', undefined, 0),
      { event: '$ai_metric', atS: 68, traceId: 'T-main', user: 'ana', evaluationName: 'helpfulness', evaluationResult: 0 },
    ]
    const input = buildInput(events)
    const scores = (result: TracesResult) => Object.fromEntries(result.rows.map((row) => [row.traceId, row.evaluationScores]))
    const expected = { 'T-main': { helpfulness: 0.625, hallucination: 1 / 3 }, other: { helpfulness: 1 } }
    expect(scores(runTracesQuery({ kind: 'traces' }, input))).toEqual(expected)
    // A page of one trace reads that trace's evaluations only.
    const { pages } = tracePages({ kind: 'traces', limit: 1 }, input)
    expect(pages.map(scores)).toEqual([{ other: expected.other }, { 'T-main': expected['T-main'] }])
  })

  it('include evaluations stored after a page was read', () => {
    const before: PlainEvent[] = [
      { event: '$ai_generation', atS: 0, traceId: 'T', user: 'u' },
      { event: '$ai_evaluation', atS: 1, traceId: 'T', user: 'u', evaluationName: 'helpfulness', evaluationResult: 1 },
    ]
    const input = buildInput(before)
    expect(runTracesQuery({ kind: 'traces' }, input).rows[0]?.evaluationScores).toEqual({ helpfulness: 1 })
    const more: PlainEvent[] = [{ event: '$ai_evaluation', atS: 2, traceId: 'T', user: 'u', evaluationName: 'helpfulness', evaluationResult: 0.5 }]
    expect(runTracesQuery({ kind: 'traces' }, appendEvents(input, before, more)).rows[0]?.evaluationScores).toEqual({ helpfulness: 0.75 })
  })

  it('list at most five models, most used first, ties by name', () => {
    const models = ['m-f', 'm-e', 'm-d', 'm-c', 'm-b', 'm-a', 'm-a', 'm-f', 'm-z', 'm-z', 'm-z']
    const events = models.map((model, index): PlainEvent => ({ event: '$ai_generation', atS: index, traceId: 'many', user: 'u', model }))
    expect(runTracesQuery({ kind: 'traces' }, buildInput(events)).rows[0]?.models).toEqual(['m-z', 'm-a', 'm-f', 'm-b', 'm-c'])
  })
})

// ---------------------------------------------------------------- which traces

/** A: gpt-4o (failed) and claude; B: gpt-4o; C: claude, and the user rejected its answer. */
const filterTraces: PlainEvent[] = [
  { event: '$ai_generation', atS: 0, traceId: 'A', user: 'u', model: 'gpt-4o', inputTokens: 1, isError: true },
  { event: '$ai_generation', atS: 1, traceId: 'A', user: 'u', model: 'claude', inputTokens: 2 },
  { event: '$ai_generation', atS: 2, traceId: 'B', user: 'u', model: 'gpt-4o', inputTokens: 4 },
  { event: '$ai_generation', atS: 3, traceId: 'C', user: 'u', model: 'claude', inputTokens: 8 },
  { event: '$ai_interaction', atS: 4, traceId: 'C', user: 'u', interaction: 'rejected' },
]

describe('trace selection', () => {
  const input = buildInput(filterTraces)
  const select = (filters: Filter[]) => runTracesQuery({ kind: 'traces', filters, sort: { by: 'firstSeenMs', dir: 'asc' } }, input)

  it('keeps a trace when any one of its events passes every filter, and sums all its events', () => {
    const claude = select([{ dimension: 'model', op: 'in', values: ['claude'] }])
    expect(ids(claude)).toEqual(['A', 'C'])
    expect(claude.totalCount).toBe(2)
    expect(claude.rows[0]).toMatchObject({ traceId: 'A', inputTokens: 3, models: ['claude', 'gpt-4o'], errorCount: 1 })
    // One event has to pass both: A's claude call did not fail, its failed call was gpt-4o.
    expect(ids(select([{ dimension: 'model', op: 'in', values: ['claude'] }, { field: 'isError', op: 'equals', value: true }]))).toEqual([])
    expect(ids(select([{ dimension: 'model', op: 'in', values: ['gpt-4o'] }, { field: 'isError', op: 'equals', value: true }]))).toEqual(['A'])
    expect(ids(select([{ dimension: 'model', op: 'notIn', values: ['gpt-4o'] }]))).toEqual(['A', 'C'])
    expect(ids(select([{ field: 'inputTokens', op: 'between', min: 3, max: 5 }]))).toEqual(['B'])
  })

  it('matches filters on events outside the row, such as interactions', () => {
    expect(ids(select([{ dimension: 'interaction', op: 'in', values: ['rejected'] }]))).toEqual(['C'])
    expect(ids(select([{ dimension: 'traceId', op: 'in', values: ['B', 'nope'] }]))).toEqual(['B'])
  })

  it('keeps a trace in a range by its first event, with all its events', () => {
    const events: PlainEvent[] = [
      { event: '$ai_generation', atS: 5, traceId: 'started-before', user: 'u' },
      { event: '$ai_generation', atS: 15, traceId: 'started-before', user: 'u' },
      { event: '$ai_generation', atS: 10, traceId: 'at-start', user: 'u' },
      { event: '$ai_generation', atS: 12, traceId: 'inside-runs-over', user: 'u' },
      { event: '$ai_generation', atS: 30, traceId: 'inside-runs-over', user: 'u' },
      { event: '$ai_generation', atS: 20, traceId: 'at-end', user: 'u' },
    ]
    const result = runTracesQuery(
      { kind: 'traces', range: { fromMs: atMs(10), toMs: atMs(20) }, sort: { by: 'firstSeenMs', dir: 'asc' } },
      buildInput(events),
    )
    expect(ids(result)).toEqual(['at-start', 'inside-runs-over'])
    expect(result.rows[1]?.lastSeenMs).toBe(atMs(30))
  })

  it('searches trace names, ids, users and session ids, ignoring case and surrounding spaces', () => {
    const events: PlainEvent[] = [
      { event: '$ai_trace', atS: 0, traceId: 'trace-001', spanName: 'Support-Reply', user: 'zed' },
      { event: '$ai_trace', atS: 1, traceId: 'trace-002', spanName: 'summarise', user: 'Ana.Lopez' },
      { event: '$ai_trace', atS: 2, traceId: 'trace-003', spanName: 'summarise', user: 'bo', sessionId: 'Sess-9' },
      { event: '$ai_trace', atS: 3, traceId: 'ROUTE(7)', spanName: 'route', user: 'bo' },
    ]
    const searchInput = buildInput(events)
    const search = (text: string) => ids(runTracesQuery({ kind: 'traces', search: text, sort: { by: 'firstSeenMs', dir: 'asc' } }, searchInput))
    expect(search('support')).toEqual(['trace-001'])
    expect(search('TRACE-00')).toEqual(['trace-001', 'trace-002', 'trace-003'])
    expect(search('  ana.l ')).toEqual(['trace-002'])
    expect(search('sess-9')).toEqual(['trace-003'])
    expect(search('e(7')).toEqual(['ROUTE(7)'])
    expect(search('.')).toEqual(['trace-002'])
    expect(search('   ')).toEqual(['trace-001', 'trace-002', 'trace-003', 'ROUTE(7)'])
    expect(runTracesQuery({ kind: 'traces', search: 'nothing' }, searchInput)).toMatchObject({ rows: [], totalCount: 0, nextCursor: null })
  })
})

// ---------------------------------------------------------------- order and pages

/**
 * Five traces whose values tie, and go missing, in every field:
 *
 * | trace | first | name  | user | spans | gens | in  | out | cost  | latency | errors |
 * | ----- | ----- | ----- | ---- | ----- | ---- | --- | --- | ----- | ------- | ------ |
 * | a     | 10    | beta  | ana  | 3     | 2    | 100 | 10  | 0.5   | 2       | 0      |
 * | b     | 20    | alpha | —    | 3     | 2    | 100 | 30  | —     | —       | 1      |
 * | c     | 10    | beta  | cy   | 1     | 1    | 5   | 10  | 0.5   | 4       | 1      |
 * | d     | 30    | —     | ana  | 1     | 0    | 0   | 0   | —     | 2       | 0      |
 * | e     | 5     | alpha | Ben  | 2     | 1    | 200 | 0   | 0.125 | —       | 0      |
 */
const sortTraces: PlainEvent[] = [
  { event: '$ai_trace', atS: 10, traceId: 'a', spanName: 'beta', user: 'ana' },
  { event: '$ai_generation', atS: 11, traceId: 'a', user: 'ana', inputTokens: 60, outputTokens: 10, costUsd: 0.25, latencyS: 1 },
  { event: '$ai_generation', atS: 12, traceId: 'a', user: 'ana', inputTokens: 40, costUsd: 0.25, latencyS: 1 },
  { event: '$ai_trace', atS: 20, traceId: 'b', spanName: 'alpha' },
  { event: '$ai_generation', atS: 21, traceId: 'b', inputTokens: 100, outputTokens: 30, isError: true },
  { event: '$ai_generation', atS: 22, traceId: 'b' },
  { event: '$ai_generation', atS: 10, traceId: 'c', spanName: 'beta', user: 'cy', inputTokens: 5, outputTokens: 10, costUsd: 0.5, latencyS: 4, isError: true },
  { event: '$ai_span', atS: 30, traceId: 'd', user: 'ana', latencyS: 2 },
  { event: '$ai_generation', atS: 5, traceId: 'e', spanName: 'alpha', user: 'Ben', inputTokens: 150, costUsd: 0.125 },
  { event: '$ai_embedding', atS: 6, traceId: 'e', user: 'Ben', inputTokens: 50 },
]

/** The expected order per field: ties by trace id ascending, missing values last in both directions. */
const EXPECTED_ORDERS: Record<TraceSortField, { asc: string; desc: string }> = {
  firstSeenMs: { asc: 'eacbd', desc: 'dbace' },
  name: { asc: 'beacd', desc: 'acbed' },
  // UTF-16 code units: 'Ben' < 'ana' < 'cy'.
  user: { asc: 'eadcb', desc: 'cadeb' },
  spanCount: { asc: 'cdeab', desc: 'abecd' },
  inputTokens: { asc: 'dcabe', desc: 'eabcd' },
  outputTokens: { asc: 'deacb', desc: 'bacde' },
  costUsd: { asc: 'eacbd', desc: 'acebd' },
  latencyS: { asc: 'adcbe', desc: 'cadbe' },
  errorCount: { asc: 'adebc', desc: 'bcade' },
  generationCount: { asc: 'dceab', desc: 'abced' },
}

describe('trace order and pages', () => {
  const input = buildInput(sortTraces)

  it('orders by every field both ways, ties by trace id, missing values last; pages of 2 agree', () => {
    expect(Object.keys(EXPECTED_ORDERS).sort()).toEqual([...TRACE_SORT_FIELDS].sort())
    for (const by of TRACE_SORT_FIELDS) {
      for (const dir of ['asc', 'desc'] as const) {
        const expected = [...EXPECTED_ORDERS[by][dir]]
        const spec: TracesSpec = { kind: 'traces', sort: { by, dir } }
        expect(ids(runTracesQuery(spec, input)), `${by} ${dir}`).toEqual(expected)
        const { rows, pages } = tracePages({ ...spec, limit: 2 }, input)
        expect(ids({ rows }), `${by} ${dir}, pages of 2`).toEqual(expected)
        expect(pages.map((page) => page.totalCount)).toEqual([5, 5, 5])
      }
    }
  })

  it('sorts newest first by default', () => {
    expect(ids(runTracesQuery({ kind: 'traces' }, input))).toEqual([...EXPECTED_ORDERS.firstSeenMs.desc])
  })

  it('pages through many traces with no repeat and no gap', () => {
    const events = Array.from(
      { length: 23 },
      (_, index): PlainEvent => ({
        event: '$ai_generation',
        // Groups of three share a time and a cost, so pages cut through ties.
        atS: Math.floor(index / 3),
        traceId: `trace-${String((index * 7) % 23).padStart(2, '0')}`,
        user: `user-${index % 4}`,
        costUsd: Math.floor(index / 3) / 8,
      }),
    )
    const many = buildInput(events)
    const sorts = [
      { by: 'firstSeenMs', dir: 'desc' },
      { by: 'costUsd', dir: 'asc' },
      { by: 'user', dir: 'desc' },
    ] as const
    for (const sort of sorts) {
      const everything = runTracesQuery({ kind: 'traces', sort, limit: MAX_TRACES_LIMIT }, many)
      expect(everything.rows).toHaveLength(23)
      expect(everything.nextCursor).toBeNull()
      for (const limit of [1, 4, 5, 22, 23]) {
        const { rows, pages } = tracePages({ kind: 'traces', sort, limit }, many)
        expect(rows).toEqual(everything.rows)
        expect(pages).toHaveLength(Math.ceil(23 / limit))
        expect(pages.every((page) => page.totalCount === 23)).toBe(true)
      }
    }
  })

  it('continues after the last row shown when events arrive between pages', () => {
    const before = Array.from(
      { length: 8 },
      (_, index): PlainEvent => ({ event: '$ai_generation', atS: index * 10, traceId: `old-${index}`, user: 'u', costUsd: 1 / 8 }),
    )
    const beforeInput = buildInput(before)
    const first = runTracesQuery({ kind: 'traces', limit: 3 }, beforeInput)
    expect(ids(first)).toEqual(['old-7', 'old-6', 'old-5'])

    const more: PlainEvent[] = [
      // New traces newer than the cursor: they belong to pages already read.
      { event: '$ai_generation', atS: 100, traceId: 'new-1', user: 'u' },
      { event: '$ai_generation', atS: 55, traceId: 'new-2', user: 'u' },
      // A new trace after the cursor, and more events for a trace still to come.
      { event: '$ai_generation', atS: 35, traceId: 'new-3', user: 'u' },
      { event: '$ai_generation', atS: 36, traceId: 'old-2', user: 'u', costUsd: 1 / 4 },
    ]
    const after = appendEvents(beforeInput, before, more)
    const second = runTracesQuery({ kind: 'traces', limit: 3, cursor: first.nextCursor ?? '' }, after)
    expect(ids(second)).toEqual(['old-4', 'new-3', 'old-3'])
    expect(second).toMatchObject({ dataVersion: 2, totalCount: 11 })
    const third = runTracesQuery({ kind: 'traces', limit: 3, cursor: second.nextCursor ?? '' }, after)
    expect(ids(third)).toEqual(['old-2', 'old-1', 'old-0'])
    expect(third.rows[0]).toMatchObject({ costUsd: 3 / 8, lastSeenMs: atMs(36) })
    expect(third.nextCursor).toBeNull()
    // The newest-first list read whole, from the first page's last row on.
    const whole = ids(runTracesQuery({ kind: 'traces', limit: MAX_TRACES_LIMIT }, after))
    expect([...ids(second), ...ids(third)]).toEqual(whole.slice(whole.indexOf('old-5') + 1))
  })

  it('answers a sequence of queries over one input as it answers each over a fresh one', () => {
    const specs: TracesSpec[] = [
      { kind: 'traces', sort: { by: 'costUsd', dir: 'desc' }, limit: 2 },
      { kind: 'traces', sort: { by: 'latencyS', dir: 'asc' }, filters: [{ field: 'latencyS', op: 'between', max: Infinity }] },
      { kind: 'traces', sort: { by: 'latencyS', dir: 'asc' }, filters: [{ field: 'latencyS', op: 'between', max: Number.NaN }] },
      { kind: 'traces', search: 'AN' },
      { kind: 'traces', sort: { by: 'user', dir: 'asc' }, filters: [{ dimension: 'user', op: 'in', values: [null] }] },
      { kind: 'traces', sort: { by: 'spanCount', dir: 'desc' }, filters: [{ dimension: 'user', op: 'in', values: [null] }] },
      { kind: 'traces', sort: { by: 'costUsd', dir: 'desc' }, limit: 2 },
    ]
    const fresh = specs.map((spec) => runTracesQuery(spec, buildInput(sortTraces)))
    expect(specs.map((spec) => [runTracesQuery(spec, input), runTracesQuery(spec, input)])).toEqual(fresh.map((result) => [result, result]))
    // Interleaved with another input, as two stores in one worker would be.
    const other = buildInput(agentTrace)
    const interleaved = specs.map((spec) => {
      runTracesQuery({ kind: 'traces' }, other)
      return runTracesQuery(spec, input)
    })
    expect(interleaved).toEqual(fresh)
    expect(fresh.map((result) => result.totalCount)).toEqual([5, 3, 0, 2, 1, 1, 5])
  })

  it('rejects a cursor it did not make or made for another sort, a limit out of range and an unknown sort', () => {
    const cursor = runTracesQuery({ kind: 'traces', limit: 2 }, input).nextCursor ?? ''
    expect(cursor).toMatch(/^[\w-]+$/)
    const forged = btoa(JSON.stringify({ v: 1, by: 'firstSeenMs', dir: 'desc', value: 'ten', id: 'a' })).replace(/=+$/, '')
    for (const bad of ['not a cursor!', 'e30', btoa('not json'), forged, '']) {
      expect(() => runTracesQuery({ kind: 'traces', cursor: bad }, input), bad).toThrow(RangeError)
      expect(() => runTracesQuery({ kind: 'traces', cursor: bad }, input), bad).toThrow(/spec\.cursor/)
    }
    expect(() => runTracesQuery({ kind: 'traces', cursor, sort: { by: 'costUsd', dir: 'desc' } }, input)).toThrow(/cursor.*costUsd/)
    expect(() => runTracesQuery({ kind: 'traces', cursor, sort: { by: 'firstSeenMs', dir: 'asc' } }, input)).toThrow(RangeError)
    for (const limit of [0, 501, 2.5, Number.NaN]) {
      expect(() => runTracesQuery({ kind: 'traces', limit }, input)).toThrow(/spec\.limit/)
    }
    expect(() => runTracesQuery({ kind: 'traces', sort: { by: 'nope' as TraceSortField, dir: 'asc' } }, input)).toThrow(/spec\.sort/)
  })
})

// ---------------------------------------------------------------- against a reference

const ROW_EVENTS = new Set(['$ai_trace', '$ai_span', '$ai_generation', '$ai_embedding', '$ai_metric', '$ai_feedback'])
const TREE_EVENTS = new Set(['$ai_trace', '$ai_span', '$ai_generation', '$ai_embedding'])
const PRICED_EVENTS = new Set(['$ai_generation', '$ai_embedding'])

/**
 * The trace name as PostHog picks it: the earliest named `$ai_trace` event's, else the
 * earliest named event's (first row on ties, both times).
 */
function referenceName(events: readonly PlainEvent[]): string | null {
  const named = events.filter((event) => event.spanName !== undefined)
  const traceEvents = named.filter((event) => event.event === '$ai_trace')
  const earliestOf = (candidates: readonly PlainEvent[]) =>
    candidates.reduce<PlainEvent | undefined>((best, event) => (best === undefined || event.atS < best.atS ? event : best), undefined)
  return earliestOf(traceEvents.length > 0 ? traceEvents : named)?.spanName ?? null
}

/** The value of the earliest event that has one (first row on ties). */
function earliestValue(events: readonly PlainEvent[], pick: (event: PlainEvent) => string | undefined): string | null {
  const withValue = events.filter((event) => pick(event) !== undefined)
  const earliest = withValue.reduce<PlainEvent | undefined>((best, event) => (best === undefined || event.atS < best.atS ? event : best), undefined)
  return earliest === undefined ? null : (pick(earliest) ?? null)
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0)

/** Mean score per evaluation name over a trace's `$ai_evaluation` events: numbers as they are, booleans as 1 or 0, categories not at all. */
function referenceEvaluationScores(events: readonly PlainEvent[]): Record<string, number> {
  const scores = new Map<string, number[]>()
  for (const { event, evaluationName, evaluationResult } of events) {
    if (event === '$ai_evaluation' && evaluationName !== undefined && (typeof evaluationResult === 'number' || typeof evaluationResult === 'boolean')) {
      scores.set(evaluationName, [...(scores.get(evaluationName) ?? []), Number(evaluationResult)])
    }
  }
  return Object.fromEntries([...scores].map(([name, values]) => [name, sum(values) / values.length]))
}

function referenceRow(traceId: string, all: readonly PlainEvent[]): TraceRow | undefined {
  const events = all.filter((event) => ROW_EVENTS.has(event.event))
  if (events.length === 0) {
    return undefined
  }
  const priced = events.filter((event) => PRICED_EVENTS.has(event.event))
  const costs = priced.flatMap((event) => (event.costUsd === undefined ? [] : [event.costUsd]))
  const withLatency = events.filter((event) => (event.latencyS ?? 0) > 0)
  let latencyS: number | null
  if (withLatency.length > 0 && withLatency.every((event) => event.event === '$ai_generation')) {
    latencyS = sum(withLatency.map((event) => event.latencyS ?? 0))
  } else {
    const children = events.filter((event) => event.latencyS !== undefined && (event.parentId === undefined || event.parentId === traceId))
    latencyS = children.length === 0 ? null : sum(children.map((event) => event.latencyS ?? 0))
  }
  const modelCounts = new Map<string, number>()
  for (const event of priced) {
    if (event.model !== undefined) {
      modelCounts.set(event.model, (modelCounts.get(event.model) ?? 0) + 1)
    }
  }
  const times = events.map((event) => atMs(event.atS))
  return {
    traceId,
    name: referenceName(all),
    user: earliestValue(events, (event) => event.user),
    sessionId: earliestValue(events, (event) => event.sessionId),
    models: [...modelCounts]
      .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1))
      .slice(0, 5)
      .map(([model]) => model),
    spanCount: events.filter((event) => TREE_EVENTS.has(event.event)).length,
    generationCount: events.filter((event) => event.event === '$ai_generation').length,
    inputTokens: sum(priced.map((event) => event.inputTokens ?? 0)),
    outputTokens: sum(priced.map((event) => event.outputTokens ?? 0)),
    costUsd: costs.length === 0 ? null : sum(costs),
    unpricedCount: priced.length - costs.length,
    latencyS,
    errorCount: events.filter((event) => event.isError === true).length,
    firstSeenMs: Math.min(...times),
    lastSeenMs: Math.max(...times),
    evaluationScores: referenceEvaluationScores(all),
  }
}

function referenceValue(event: PlainEvent, traceName: string | null, field: string): string | number | boolean | null {
  switch (field) {
    case 'event':
      return event.event
    case 'model':
      return event.model ?? null
    case 'user':
      return event.user ?? null
    case 'traceId':
      return event.traceId ?? null
    case 'sessionId':
      return event.sessionId ?? null
    case 'traceName':
      return traceName
    case 'latencyS':
      return event.latencyS ?? null
    case 'costUsd':
      return event.costUsd ?? null
    case 'inputTokens':
      return event.inputTokens ?? null
    case 'isError':
      return event.isError === true
    default:
      throw new Error(`no reference value for ${field}`)
  }
}

function referencePasses(event: PlainEvent, traceName: string | null, filter: Filter): boolean {
  if (filter.op === 'equals') {
    return referenceValue(event, traceName, filter.field) === filter.value
  }
  if (filter.op === 'between') {
    const value = referenceValue(event, traceName, filter.field)
    return typeof value === 'number' && value >= (filter.min ?? -Infinity) && value <= (filter.max ?? Infinity)
  }
  const listed = filter.values.includes(referenceValue(event, traceName, filter.dimension) as string | null)
  return filter.op === 'in' ? listed : !listed
}

function referenceSortValue(row: TraceRow, by: TraceSortField): string | number | null {
  return row[by]
}

/** Every matching row in the spec's order, computed the obvious way. */
function referenceTraces(spec: TracesSpec, events: readonly PlainEvent[]): TraceRow[] {
  const byTrace = new Map<string, PlainEvent[]>()
  for (const event of events) {
    if (event.traceId !== undefined) {
      byTrace.set(event.traceId, [...(byTrace.get(event.traceId) ?? []), event])
    }
  }
  const needle = spec.search?.trim().toLowerCase() ?? ''
  const rows: TraceRow[] = []
  for (const [traceId, traceEvents] of byTrace) {
    const row = referenceRow(traceId, traceEvents)
    if (row === undefined) {
      continue
    }
    if (spec.range !== undefined && !(row.firstSeenMs >= spec.range.fromMs && row.firstSeenMs < spec.range.toMs)) {
      continue
    }
    const filters = spec.filters ?? []
    if (!traceEvents.some((event) => filters.every((filter) => referencePasses(event, row.name, filter)))) {
      continue
    }
    const searched = [row.name, row.traceId, row.user, row.sessionId].some((text) => text !== null && text.toLowerCase().includes(needle))
    if (needle !== '' && !searched) {
      continue
    }
    rows.push(row)
  }
  const { by, dir } = spec.sort ?? { by: 'firstSeenMs', dir: 'desc' }
  return rows.sort((a, b) => {
    const x = referenceSortValue(a, by)
    const y = referenceSortValue(b, by)
    if (x !== y) {
      if (x === null || y === null) {
        return x === null ? 1 : -1
      }
      return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1)
    }
    return a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0
  })
}

const TRACE_IDS = ['t1', 'T2', 't3', 'trace-4', 'x5', 'y6']
const plainEvent: fc.Arbitrary<PlainEvent> = fc
  .record(
    {
      event: fc.constantFrom('$ai_trace', '$ai_span', '$ai_generation', '$ai_generation', '$ai_embedding', '$ai_metric', '$ai_evaluation', '$ai_interaction'),
      atS: fc.integer({ min: 0, max: 12 }),
      traceId: fc.option(fc.constantFrom(...TRACE_IDS), { nil: undefined, freq: 8 }),
      parent: fc.constantFrom('none', 'trace', 'other'),
      user: fc.option(fc.constantFrom('ana', 'Ben', 'cy'), { nil: undefined, freq: 3 }),
      sessionId: fc.option(fc.constantFrom('S1', 's2'), { nil: undefined }),
      spanName: fc.option(fc.constantFrom('Answer', 'plan', 'ANSWER'), { nil: undefined }),
      model: fc.option(fc.constantFrom('gpt-4o', 'claude', 'gemini', 'mini'), { nil: undefined }),
      // Zero often: it has a latency, but not one that switches PostHog's rule.
      latencyS: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }).map((eighths) => eighths / 8)), { nil: undefined }),
      inputTokens: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
      outputTokens: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
      costUsd: fc.option(fc.integer({ min: 0, max: 20 }).map((eighths) => eighths / 8), { nil: undefined }),
      isError: fc.boolean(),
      // On any event: only evaluations' count.
      evaluationName: fc.option(fc.constantFrom('helpfulness', 'hallucination'), { nil: undefined }),
      evaluationResult: fc.option(
        fc.oneof(
          fc.integer({ min: 0, max: 8 }).map((eighths) => eighths / 8),
          fc.boolean(),
          fc.constant('friendly'),
        ),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['event', 'atS', 'parent', 'isError'] },
  )
  .map(({ parent, costUsd, ...event }): PlainEvent => {
    const parentId = parent === 'none' ? undefined : parent === 'trace' ? event.traceId : 'step-1'
    return {
      ...event,
      ...(parentId === undefined ? {} : { parentId }),
      // Only generations and embeddings are priced, as the read-time costs are.
      ...(costUsd !== undefined && PRICED_EVENTS.has(event.event) ? { costUsd } : {}),
    }
  })

/** An evaluation with a number that picks its place in the store and the event whose trace it judges. */
const placedEvaluation: fc.Arbitrary<[PlainEvent, number]> = fc.tuple(
  fc.record(
    {
      event: fc.constant('$ai_evaluation'),
      atS: fc.integer({ min: 0, max: 20 }),
      user: fc.option(fc.constantFrom('ana', 'judge'), { nil: undefined }),
      evaluationName: fc.option(fc.constantFrom('helpfulness', 'hallucination'), { nil: undefined, freq: 8 }),
      evaluationResult: fc.oneof(fc.integer({ min: 0, max: 8 }).map((eighths) => eighths / 8), fc.boolean(), fc.constant('friendly')),
    },
    { requiredKeys: ['event', 'atS', 'evaluationResult'] },
  ),
  fc.nat(),
)

/**
 * `events` with the evaluations put among them, each on the trace of an event it picks (so
 * that most evaluated traces have a row, and several evaluations share a trace).
 */
function withEvaluations(events: readonly PlainEvent[], evaluations: readonly [PlainEvent, number][]): PlainEvent[] {
  const placed = [...events]
  for (const [evaluation, pick] of evaluations) {
    const traceId = events[pick % Math.max(1, events.length)]?.traceId ?? TRACE_IDS[pick % TRACE_IDS.length]
    placed.splice(pick % (placed.length + 1), 0, { ...evaluation, traceId })
  }
  return placed
}

const filterArbitrary: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({
    dimension: fc.constantFrom('event', 'model', 'user', 'traceId', 'sessionId', 'traceName'),
    op: fc.constantFrom('in', 'notIn'),
    values: fc.array(fc.constantFrom<string | null>(null, 'gpt-4o', 'claude', 'ana', 'Ben', 't1', 'T2', 'S1', 'Answer', 'plan', '$ai_span', '$ai_interaction'), {
      maxLength: 3,
    }),
  }) as fc.Arbitrary<Filter>,
  fc.record({
    field: fc.constantFrom('latencyS', 'costUsd', 'inputTokens'),
    op: fc.constant('between'),
    min: fc.integer({ min: 0, max: 3 }),
    max: fc.integer({ min: 1, max: 30 }),
  }) as fc.Arbitrary<Filter>,
  fc.record({ field: fc.constant('isError'), op: fc.constant('equals'), value: fc.boolean() }) as fc.Arbitrary<Filter>,
)

const specArbitrary: fc.Arbitrary<TracesSpec> = fc
  .record(
    {
      range: fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 14 })).map(([from, span]) => ({ fromMs: atMs(from), toMs: atMs(from + span) })),
      filters: fc.array(filterArbitrary, { maxLength: 2 }),
      search: fc.constantFrom('', 'an', 'T', ' answer ', 's2', 'trace-', 'zzz'),
      sort: fc.record({ by: fc.constantFrom(...TRACE_SORT_FIELDS), dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc') }),
      limit: fc.integer({ min: 1, max: 4 }),
    },
    { requiredKeys: ['sort', 'limit'] },
  )
  .map((parts): TracesSpec => ({ kind: 'traces', ...parts }))

describe('the trace list against a reference', () => {
  it('gives the reference rows, page after page, for random events and specs', () => {
    fc.assert(
      fc.property(specArbitrary, fc.array(plainEvent, { maxLength: 60 }), fc.array(placedEvaluation, { maxLength: 12 }), (spec, plain, evaluations) => {
        const events = withEvaluations(plain, evaluations)
        const expected = referenceTraces(spec, events)
        const { rows, pages } = tracePages(spec, buildInput(events))
        expect(rows).toEqual(expected)
        expect(pages.every((page) => page.totalCount === expected.length)).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('gives the reference rows on a larger store, where a page reads only its traces’ rows', () => {
    // 400 traces of four events, neighbours interleaved; every 50th trace has a late event far down the store.
    const events: PlainEvent[] = []
    for (let pair = 0; pair < 200; pair += 1) {
      for (let step = 0; step < 4; step += 1) {
        for (const trace of [2 * pair, 2 * pair + 1]) {
          events.push({
            event: step === 0 ? '$ai_trace' : step === 3 ? '$ai_span' : '$ai_generation',
            atS: pair * 10 + step,
            traceId: `trace-${String(trace).padStart(3, '0')}`,
            ...(step === 1 ? {} : { parentId: `trace-${String(trace).padStart(3, '0')}` }),
            user: `user-${trace % 7}`,
            sessionId: `session-${trace % 5}`,
            spanName: `name-${trace % 3}`,
            model: ['gpt-4o', 'claude', 'gemini'][(trace + step) % 3] as string,
            latencyS: ((trace * step) % 9) / 8,
            inputTokens: trace + step,
            outputTokens: (trace * 3) % 11,
            ...((trace + step) % 4 === 0 ? {} : { costUsd: ((trace * step) % 13) / 8 }),
            isError: (trace + step) % 17 === 0,
          })
        }
      }
    }
    for (let trace = 0; trace < 400; trace += 50) {
      events.push({ event: '$ai_generation', atS: 5000 + trace, traceId: `trace-${String(trace).padStart(3, '0')}`, user: 'late', latencyS: 1, costUsd: 1 })
    }
    // Evaluations of every 3rd trace, after all of that.
    for (let trace = 0; trace < 400; trace += 3) {
      for (const [evaluationName, evaluationResult] of [['helpfulness', (trace % 9) / 8], ['hallucination', trace % 2 === 0]] as const) {
        events.push({ event: '$ai_evaluation', atS: 6000 + trace, traceId: `trace-${String(trace).padStart(3, '0')}`, user: 'judge', evaluationName, evaluationResult })
      }
    }
    const input = buildInput(events)
    for (const by of TRACE_SORT_FIELDS) {
      const spec: TracesSpec = { kind: 'traces', sort: { by, dir: 'desc' }, limit: 7, filters: [{ dimension: 'model', op: 'in', values: ['claude'] }] }
      const expected = referenceTraces(spec, events)
      expect(expected.length).toBeGreaterThan(300)
      const first = runTracesQuery(spec, input)
      expect(first.rows, by).toEqual(expected.slice(0, 7))
      const second = runTracesQuery({ ...spec, cursor: first.nextCursor ?? '' }, input)
      expect(second.rows, by).toEqual(expected.slice(7, 14))
    }
  })
})
