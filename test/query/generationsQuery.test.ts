/**
 * The generation list: hand-built calls with exact rows, keyset pages, and an obviously
 * correct reference over plain objects compared on random data. Costs and latencies are
 * multiples of 1/8, so every value is exact.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  GENERATION_SORT_FIELDS,
  MAX_GENERATIONS_LIMIT,
  runGenerationsQuery,
  type GenerationRow,
  type GenerationSortField,
  type GenerationsResult,
  type GenerationsSpec,
} from '../../src/query/generationsQuery'
import type { Filter } from '../../src/query/spec'
import type { TraceQueryInput } from '../../src/query/traceQuery'
import { traceNameCodes } from '../../src/query/traceNames'
import type { AiscopeEvent } from '../../src/schema'
import { concatColumns, eventsToColumns, type EventColumns } from '../../src/store'
import { kernelInput, testEvent } from './support'

/** One event as a plain object; absent fields are absent. */
interface PlainEvent {
  event: string
  /** Seconds after {@link T0_MS}. */
  atS: number
  traceId?: string
  parentId?: string
  generationId?: string
  spanId?: string
  /** The distinct id; absent means anonymous (PostHog: the distinct id is the trace id). */
  user?: string
  sessionId?: string
  spanName?: string
  model?: string
  provider?: string
  promptName?: string
  promptVersion?: string
  latencyS?: number
  ttftS?: number
  inputTokens?: number
  outputTokens?: number
  /** The event's cost as the read-time pricing gives it; absent = unknown. */
  costUsd?: number
  isError?: boolean
  httpStatus?: number
  errorMessage?: string
}

const T0_MS = Date.UTC(2026, 10, 1, 12)
const atMs = (seconds: number) => T0_MS + seconds * 1000
/** The uuid `testEvent` gives the event at `index`. */
const uuidOf = (index: number) => `uuid-${index}`

function toAiscopeEvent(plain: PlainEvent, index: number): AiscopeEvent {
  return testEvent(
    {
      event: plain.event,
      ts: atMs(plain.atS),
      distinctId: plain.user ?? plain.traceId ?? 'anonymous',
      properties: {
        $ai_trace_id: plain.traceId,
        $ai_parent_id: plain.parentId,
        $ai_generation_id: plain.generationId,
        $ai_span_id: plain.spanId,
        $ai_session_id: plain.sessionId,
        $ai_span_name: plain.spanName,
        $ai_model: plain.model,
        $ai_provider: plain.provider,
        $ai_prompt_name: plain.promptName,
        $ai_prompt_version: plain.promptVersion,
        $ai_latency: plain.latencyS,
        $ai_time_to_first_token: plain.ttftS,
        $ai_input_tokens: plain.inputTokens,
        $ai_output_tokens: plain.outputTokens,
        $ai_is_error: plain.isError,
        $ai_http_status: plain.httpStatus,
        $ai_error_normalized: plain.errorMessage,
        $process_person_profile: plain.user === undefined ? false : undefined,
      },
    },
    index,
  )
}

const costsOf = (events: readonly PlainEvent[]) => events.map((event) => event.costUsd)

function buildInput(events: readonly PlainEvent[], dataVersion = 1): TraceQueryInput {
  return kernelInput(events.map(toAiscopeEvent), { costUsd: costsOf(events), dataVersion })
}

/** The input after appending `more` to `previous` (built from `before`), as the worker's column cache does. */
function appendEvents(previous: TraceQueryInput, before: readonly PlainEvent[], more: readonly PlainEvent[]): TraceQueryInput {
  const { dictionaries } = previous
  const appended = eventsToColumns(
    more.map((event, index) => toAiscopeEvent(event, before.length + index)),
    dictionaries,
  )
  const columns: EventColumns = concatColumns([previous.columns, appended])
  return {
    columns,
    dictionaries,
    costUsd: Float64Array.from(costsOf([...before, ...more]), (cost) => cost ?? Number.NaN),
    traceNameCodes: traceNameCodes(columns, dictionaries),
    dataVersion: previous.dataVersion + 1,
  }
}

/** Every row of a spec, following the cursors `limit` rows at a time. */
function allPages(spec: GenerationsSpec, input: TraceQueryInput): { rows: GenerationRow[]; pages: GenerationsResult[] } {
  const pages: GenerationsResult[] = []
  let cursor: string | undefined
  for (;;) {
    const page = runGenerationsQuery({ ...spec, ...(cursor === undefined ? {} : { cursor }) }, input)
    pages.push(page)
    if (page.nextCursor === null) {
      break
    }
    expect(page.rows.length).toBe(spec.limit ?? 50)
    cursor = page.nextCursor
    expect(pages.length).toBeLessThan(1000)
  }
  return { rows: pages.flatMap((page) => page.rows), pages }
}

const ids = (result: { rows: readonly GenerationRow[] }) => result.rows.map((row) => row.id)

// ---------------------------------------------------------------- rows

const agentTrace: PlainEvent[] = [
  { event: '$ai_trace', atS: 0, traceId: 'T-main', spanName: 'support-reply', user: 'ana', sessionId: 'sess-1', latencyS: 12 },
  { event: '$ai_span', atS: 1, traceId: 'T-main', spanId: 'agent', parentId: 'T-main', user: 'ana', latencyS: 4 },
  {
    event: '$ai_generation',
    atS: 2,
    traceId: 'T-main',
    generationId: 'gen-1',
    parentId: 'agent',
    spanName: 'draft',
    user: 'ana',
    sessionId: 'sess-1',
    model: 'gpt-4o',
    provider: 'openai',
    promptName: 'support-reply',
    promptVersion: '4',
    inputTokens: 100,
    outputTokens: 20,
    costUsd: 0.5,
    latencyS: 1.5,
    ttftS: 0.25,
    httpStatus: 200,
  },
  {
    event: '$ai_generation',
    atS: 3,
    traceId: 'T-main',
    parentId: 'agent',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    inputTokens: 10,
    isError: true,
    httpStatus: 429,
    errorMessage: 'rate limited',
  },
  { event: '$ai_embedding', atS: 4, traceId: 'T-main', spanId: 'embed-1', user: 'ana', model: 'text-embedding-3-small', inputTokens: 7, costUsd: 0.125 },
  { event: '$ai_evaluation', atS: 30, traceId: 'T-main', user: 'ana', model: 'judge', inputTokens: 999 },
  { event: '$ai_interaction', atS: 40, traceId: 'T-main', user: 'ana', generationId: 'gen-1' },
]

describe('generation rows', () => {
  it('list generations and embeddings only, with every field, newest first', () => {
    const result = runGenerationsQuery({ kind: 'generations' }, buildInput(agentTrace, 3))
    expect(result).toMatchObject({ kind: 'generations', dataVersion: 3, totalCount: 3, nextCursor: null })
    expect(ids(result)).toEqual(['embed-1', uuidOf(3), 'gen-1'])
    expect(result.rows[2]).toEqual({
      id: 'gen-1',
      event: '$ai_generation',
      timestampMs: atMs(2),
      traceId: 'T-main',
      traceName: 'support-reply',
      parentId: 'agent',
      spanName: 'draft',
      model: 'gpt-4o',
      provider: 'openai',
      user: 'ana',
      sessionId: 'sess-1',
      promptName: 'support-reply',
      promptVersion: '4',
      inputTokens: 100,
      outputTokens: 20,
      costUsd: 0.5,
      latencyS: 1.5,
      ttftS: 0.25,
      isError: false,
      errorKind: null,
      errorMessage: null,
      httpStatus: 200,
    } satisfies GenerationRow)
  })

  it('keep what is unknown unknown: no user when anonymous, null cost, tokens and timings, and the error', () => {
    const failed = runGenerationsQuery({ kind: 'generations' }, buildInput(agentTrace)).rows[1]
    expect(failed).toMatchObject({
      id: uuidOf(3),
      user: null,
      costUsd: null,
      outputTokens: null,
      latencyS: null,
      ttftS: null,
      isError: true,
      errorKind: 'rate_limit',
      errorMessage: 'rate limited',
      httpStatus: 429,
    })
  })
})

// ---------------------------------------------------------------- which calls

describe('generation selection', () => {
  const input = buildInput(agentTrace)
  const select = (spec: Partial<GenerationsSpec>) =>
    ids(runGenerationsQuery({ kind: 'generations', sort: { by: 'timestampMs', dir: 'asc' }, ...spec }, input))

  it('applies every filter to the call itself', () => {
    expect(select({ filters: [{ dimension: 'provider', op: 'in', values: ['anthropic'] }] })).toEqual([uuidOf(3)])
    expect(select({ filters: [{ field: 'isError', op: 'equals', value: false }] })).toEqual(['gen-1', 'embed-1'])
    expect(select({ filters: [{ field: 'costUsd', op: 'between', min: 0.2 }] })).toEqual(['gen-1'])
    expect(select({ filters: [{ dimension: 'user', op: 'in', values: [null] }] })).toEqual([uuidOf(3)])
    // The trace's name is every call's trace name.
    expect(select({ filters: [{ dimension: 'traceName', op: 'in', values: ['support-reply'] }] })).toEqual(['gen-1', uuidOf(3), 'embed-1'])
    expect(select({ range: { fromMs: atMs(3), toMs: atMs(4) } })).toEqual([uuidOf(3)])
  })

  it('searches models, providers, names, ids, users, sessions and prompt names, ignoring case and surrounding spaces', () => {
    expect(select({ search: 'CLAUDE' })).toEqual([uuidOf(3)])
    expect(select({ search: ' anthropic ' })).toEqual([uuidOf(3)])
    expect(select({ search: 'draft' })).toEqual(['gen-1'])
    expect(select({ search: 'Support-Reply' })).toEqual(['gen-1', uuidOf(3), 'embed-1'])
    expect(select({ search: 'embed-' })).toEqual(['embed-1'])
    expect(select({ search: 'sess-1' })).toEqual(['gen-1'])
    expect(select({ search: 'UUID-3' })).toEqual([uuidOf(3)])
    expect(select({ search: 'ana' })).toEqual(['gen-1', 'embed-1'])
    expect(select({ search: '.' })).toEqual([])
    expect(runGenerationsQuery({ kind: 'generations', search: 'nothing' }, input)).toMatchObject({ rows: [], totalCount: 0, nextCursor: null })
  })
})

// ---------------------------------------------------------------- order and pages

describe('generation order and pages', () => {
  it('continues after the last row shown when calls arrive between pages', () => {
    const before = Array.from(
      { length: 8 },
      (_, index): PlainEvent => ({ event: '$ai_generation', atS: index * 10, traceId: 't', generationId: `old-${index}`, user: 'u' }),
    )
    const beforeInput = buildInput(before)
    const first = runGenerationsQuery({ kind: 'generations', limit: 3 }, beforeInput)
    expect(ids(first)).toEqual(['old-7', 'old-6', 'old-5'])
    const more: PlainEvent[] = [
      { event: '$ai_generation', atS: 100, traceId: 't', generationId: 'new-newest', user: 'u' },
      { event: '$ai_generation', atS: 35, traceId: 't', generationId: 'new-middle', user: 'u' },
      // The same time and id as a row already read: only the row tells them apart.
      { event: '$ai_generation', atS: 50, traceId: 't', generationId: 'old-5', user: 'u' },
    ]
    const after = appendEvents(beforeInput, before, more)
    const second = runGenerationsQuery({ kind: 'generations', limit: 3, cursor: first.nextCursor ?? '' }, after)
    expect(ids(second)).toEqual(['old-5', 'old-4', 'new-middle'])
    expect(second.rows[0]?.timestampMs).toBe(atMs(50))
    expect(second).toMatchObject({ dataVersion: 2, totalCount: 11 })
    const rest = allPages({ kind: 'generations', limit: 3, cursor: second.nextCursor ?? '' }, after)
    expect(ids(rest)).toEqual(['old-3', 'old-2', 'old-1', 'old-0'])
  })

  it('pages by text through values the dictionary no longer holds in that place', () => {
    const events = ['m-b', 'm-d', 'm-a', 'm-c', 'm-b', 'm-e'].map(
      (model, index): PlainEvent => ({ event: '$ai_generation', atS: index, traceId: 't', generationId: `g${index}`, user: 'u', model }),
    )
    const input = buildInput(events)
    const spec: GenerationsSpec = { kind: 'generations', sort: { by: 'model', dir: 'asc' }, limit: 2 }
    const { rows } = allPages(spec, input)
    expect(rows.map((row) => row.model)).toEqual(['m-a', 'm-b', 'm-b', 'm-c', 'm-d', 'm-e'])
    // A cursor made on another store, whose model no event of this one has: the page starts after where it would stand.
    const other = buildInput([
      { event: '$ai_generation', atS: 0, generationId: 'z', model: 'm-bb' },
      { event: '$ai_generation', atS: 0, generationId: 'y', model: 'm-zz' },
    ])
    const otherPage = runGenerationsQuery({ ...spec, limit: 1 }, other)
    expect(otherPage.rows.map((row) => row.model)).toEqual(['m-bb'])
    const fromOther = runGenerationsQuery({ ...spec, cursor: otherPage.nextCursor ?? '' }, input)
    expect(fromOther.rows.map((row) => row.model)).toEqual(['m-c', 'm-d'])
  })

  it('rejects a cursor it did not make or made for another sort, a limit out of range and an unknown sort', () => {
    const events = Array.from({ length: 5 }, (_, index): PlainEvent => ({ event: '$ai_generation', atS: index, generationId: `g${index}` }))
    const input = buildInput(events)
    const cursor = runGenerationsQuery({ kind: 'generations', limit: 2 }, input).nextCursor ?? ''
    expect(cursor).toMatch(/^[\w-]+$/)
    const forged = btoa(JSON.stringify({ v: 1, by: 'timestampMs', dir: 'desc', value: 'ten', id: 'a', row: 0 })).replace(/=+$/, '')
    const rowless = btoa(JSON.stringify({ v: 1, by: 'timestampMs', dir: 'desc', value: 1, id: 'a' })).replace(/=+$/, '')
    for (const bad of ['not a cursor!', 'e30', btoa('not json'), forged, rowless, '']) {
      expect(() => runGenerationsQuery({ kind: 'generations', cursor: bad }, input), bad).toThrow(/spec\.cursor/)
    }
    expect(() => runGenerationsQuery({ kind: 'generations', cursor, sort: { by: 'costUsd', dir: 'desc' } }, input)).toThrow(/cursor.*costUsd/)
    for (const limit of [0, 501, 2.5, Number.NaN]) {
      expect(() => runGenerationsQuery({ kind: 'generations', limit }, input)).toThrow(/spec\.limit/)
    }
    expect(() => runGenerationsQuery({ kind: 'generations', sort: { by: 'nope' as GenerationSortField, dir: 'asc' } }, input)).toThrow(
      /spec\.sort/,
    )
  })
})

// ---------------------------------------------------------------- against a reference

const LISTED_EVENTS = new Set(['$ai_generation', '$ai_embedding'])

/** The trace name as the engine picks it: the earliest named `$ai_trace` event's, else the earliest named event's. */
function referenceTraceName(events: readonly PlainEvent[], traceId: string | undefined): string | null {
  if (traceId === undefined) {
    return null
  }
  const named = events.filter((event) => event.traceId === traceId && event.spanName !== undefined)
  const traceEvents = named.filter((event) => event.event === '$ai_trace')
  const earliestOf = (candidates: readonly PlainEvent[]) =>
    candidates.reduce<PlainEvent | undefined>((best, event) => (best === undefined || event.atS < best.atS ? event : best), undefined)
  return earliestOf(traceEvents.length > 0 ? traceEvents : named)?.spanName ?? null
}

function referenceRow(event: PlainEvent, index: number, all: readonly PlainEvent[]): GenerationRow {
  return {
    id: event.generationId ?? event.spanId ?? uuidOf(index),
    event: event.event,
    timestampMs: atMs(event.atS),
    traceId: event.traceId ?? null,
    traceName: referenceTraceName(all, event.traceId),
    parentId: event.parentId ?? null,
    spanName: event.spanName ?? null,
    model: event.model ?? null,
    provider: event.provider ?? null,
    user: event.user ?? null,
    sessionId: event.sessionId ?? null,
    promptName: event.promptName ?? null,
    promptVersion: event.promptVersion ?? null,
    inputTokens: event.inputTokens ?? null,
    outputTokens: event.outputTokens ?? null,
    costUsd: event.costUsd ?? null,
    latencyS: event.latencyS ?? null,
    ttftS: event.ttftS ?? null,
    isError: event.isError === true,
    errorKind: event.isError === true ? 'other' : null,
    errorMessage: null,
    httpStatus: null,
  }
}

function referencePasses(row: GenerationRow, filter: Filter): boolean {
  if (filter.op === 'equals') {
    return row.isError === filter.value
  }
  if (filter.op === 'between') {
    const value = row[filter.field as 'latencyS' | 'costUsd' | 'inputTokens']
    return value !== null && value >= (filter.min ?? -Infinity) && value <= (filter.max ?? Infinity)
  }
  const listed = filter.values.includes(row[filter.dimension as 'model' | 'user' | 'provider' | 'traceName'])
  return filter.op === 'in' ? listed : !listed
}

function referenceSortValue(row: GenerationRow, by: GenerationSortField): string | number | null {
  return by === 'isError' ? Number(row.isError) : row[by]
}

/** Every matching row in the spec's order, computed the obvious way. */
function referenceGenerations(spec: GenerationsSpec, events: readonly PlainEvent[]): GenerationRow[] {
  const needle = spec.search?.trim().toLowerCase() ?? ''
  const rows = events
    .map((event, index) => ({ event, index, row: referenceRow(event, index, events) }))
    .filter(({ event, row }) => {
      if (!LISTED_EVENTS.has(event.event)) {
        return false
      }
      if (spec.range !== undefined && !(row.timestampMs >= spec.range.fromMs && row.timestampMs < spec.range.toMs)) {
        return false
      }
      if (!(spec.filters ?? []).every((filter) => referencePasses(row, filter))) {
        return false
      }
      const texts = [row.model, row.provider, row.spanName, row.traceName, row.traceId, row.id, row.user, row.sessionId, row.promptName]
      return needle === '' || texts.some((text) => text !== null && text.toLowerCase().includes(needle))
    })
  const { by, dir } = spec.sort ?? { by: 'timestampMs', dir: 'desc' }
  return rows
    .sort((a, b) => {
      const x = referenceSortValue(a.row, by)
      const y = referenceSortValue(b.row, by)
      if (x !== y) {
        if (x === null || y === null) {
          return x === null ? 1 : -1
        }
        return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1)
      }
      return a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : a.index - b.index
    })
    .map(({ row }) => row)
}

const plainEvent: fc.Arbitrary<PlainEvent> = fc.record(
  {
    event: fc.constantFrom('$ai_trace', '$ai_span', '$ai_generation', '$ai_generation', '$ai_generation', '$ai_embedding', '$ai_evaluation'),
    atS: fc.integer({ min: 0, max: 12 }),
    traceId: fc.option(fc.constantFrom('t1', 'T2', 'trace-3'), { nil: undefined, freq: 6 }),
    // Few ids, so ties on id happen (and the row decides).
    generationId: fc.option(fc.constantFrom('g1', 'G2', 'g3'), { nil: undefined }),
    user: fc.option(fc.constantFrom('ana', 'Ben', 'cy'), { nil: undefined, freq: 3 }),
    sessionId: fc.option(fc.constantFrom('S1', 's2'), { nil: undefined }),
    spanName: fc.option(fc.constantFrom('Answer', 'plan', 'ANSWER'), { nil: undefined }),
    model: fc.option(fc.constantFrom('gpt-4o', 'claude', 'gemini', 'GPT-mini'), { nil: undefined }),
    provider: fc.option(fc.constantFrom('openai', 'anthropic'), { nil: undefined }),
    promptName: fc.option(fc.constantFrom('reply', 'Summary'), { nil: undefined }),
    promptVersion: fc.option(fc.constantFrom('1', '2', '10'), { nil: undefined }),
    latencyS: fc.option(fc.integer({ min: 0, max: 40 }).map((eighths) => eighths / 8), { nil: undefined }),
    ttftS: fc.option(fc.integer({ min: 0, max: 8 }).map((eighths) => eighths / 8), { nil: undefined }),
    inputTokens: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    outputTokens: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
    costUsd: fc.option(fc.integer({ min: 0, max: 20 }).map((eighths) => eighths / 8), { nil: undefined }),
    isError: fc.boolean(),
  },
  { requiredKeys: ['event', 'atS', 'isError'] },
)

const filterArbitrary: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({
    dimension: fc.constantFrom('model', 'user', 'provider', 'traceName'),
    op: fc.constantFrom('in', 'notIn'),
    values: fc.array(fc.constantFrom<string | null>(null, 'gpt-4o', 'claude', 'ana', 'Ben', 'openai', 'Answer', 'plan'), { maxLength: 3 }),
  }) as fc.Arbitrary<Filter>,
  fc.record({
    field: fc.constantFrom('latencyS', 'costUsd', 'inputTokens'),
    op: fc.constant('between'),
    min: fc.integer({ min: 0, max: 3 }),
    max: fc.integer({ min: 1, max: 30 }),
  }) as fc.Arbitrary<Filter>,
  fc.record({ field: fc.constant('isError'), op: fc.constant('equals'), value: fc.boolean() }) as fc.Arbitrary<Filter>,
)

const specArbitrary: fc.Arbitrary<GenerationsSpec> = fc
  .record(
    {
      range: fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 14 })).map(([from, span]) => ({ fromMs: atMs(from), toMs: atMs(from + span) })),
      filters: fc.array(filterArbitrary, { maxLength: 2 }),
      search: fc.constantFrom('', 'an', 'G', ' answer ', 's2', 'trace-', 'zzz', 'uuid-1'),
      sort: fc.record({ by: fc.constantFrom(...GENERATION_SORT_FIELDS), dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc') }),
      limit: fc.integer({ min: 1, max: 4 }),
    },
    { requiredKeys: ['sort', 'limit'] },
  )
  .map((parts): GenerationsSpec => ({ kind: 'generations', ...parts }))

describe('the generation list against a reference', () => {
  it('gives the reference rows, page after page, for random events and specs', () => {
    fc.assert(
      fc.property(specArbitrary, fc.array(plainEvent, { maxLength: 50 }), (spec, events) => {
        const expected = referenceGenerations(spec, events)
        const { rows, pages } = allPages(spec, buildInput(events))
        expect(rows).toEqual(expected)
        expect(pages.every((page) => page.totalCount === expected.length)).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('orders by every field both ways on a larger store, one page at a time as in one page', () => {
    const events: PlainEvent[] = Array.from({ length: 600 }, (_, index) => ({
      event: index % 5 === 0 ? '$ai_embedding' : '$ai_generation',
      atS: Math.floor(index / 4),
      traceId: `trace-${index % 37}`,
      generationId: `gen-${(index * 7) % 600}`,
      user: index % 11 === 0 ? undefined : `user-${index % 7}`,
      model: ['gpt-4o', 'claude', 'gemini'][index % 3] as string,
      provider: index % 2 === 0 ? 'openai' : 'anthropic',
      promptVersion: String(index % 4),
      latencyS: (index % 9) / 8,
      inputTokens: index % 13,
      ...(index % 4 === 0 ? {} : { costUsd: (index % 6) / 8 }),
      isError: index % 17 === 0,
    }))
    const input = buildInput(events)
    for (const by of GENERATION_SORT_FIELDS) {
      for (const dir of ['asc', 'desc'] as const) {
        const spec: GenerationsSpec = { kind: 'generations', sort: { by, dir }, filters: [{ dimension: 'model', op: 'notIn', values: ['gemini'] }] }
        const expected = referenceGenerations(spec, events)
        expect(expected).toHaveLength(400)
        const whole = runGenerationsQuery({ ...spec, limit: MAX_GENERATIONS_LIMIT }, input)
        expect(whole.rows, `${by} ${dir}`).toEqual(expected)
        const { rows } = allPages({ ...spec, limit: 37 }, input)
        expect(rows, `${by} ${dir}, pages of 37`).toEqual(expected)
      }
    }
  })
})
