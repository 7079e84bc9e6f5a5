import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  DEFAULT_SESSION_GAP_MS,
  runSessionQuery,
  type SessionEventRow,
  type SessionQueryInput,
  type SessionResult,
  type SessionSpec,
} from '../../src/query/sessionQuery'
import { kernelInput, testEvent } from './support'

/** One event of a test, in domain terms; absent fields are absent. */
interface TestEvent {
  ts: string | number
  event: string
  user?: string
  /** Anonymous: `distinct_id` is the trace id. */
  anonymous?: boolean
  traceId?: string
  /** `$ai_session_id`. */
  aiSession?: string
  /** `$session_id` (the browser session). */
  browserSession?: string
  generationId?: string
  model?: string
  costUsd?: number
  latencyS?: number
  isError?: boolean
  httpStatus?: number
  interaction?: string
  url?: string
}

/**
 * Columns and costs built the way the engine builds them. Anonymous events keep a user code
 * (as a store might), so the kernel has to look at the anonymous flag.
 */
function buildInput(testEvents: readonly TestEvent[]): SessionQueryInput {
  const events = testEvents.map((test, index) =>
    testEvent(
      {
        event: test.event,
        ts: test.ts,
        distinctId: test.anonymous ? (test.traceId ?? `anon-${index}`) : (test.user ?? 'nobody'),
        properties: {
          $ai_trace_id: test.traceId,
          $ai_session_id: test.aiSession,
          $session_id: test.browserSession,
          $ai_generation_id: test.generationId,
          $ai_model: test.model,
          $ai_latency: test.latencyS,
          $ai_is_error: test.isError,
          $ai_http_status: test.httpStatus,
          $ai_interaction: test.interaction,
          $current_url: test.url,
        },
      },
      index,
    ),
  )
  return kernelInput(events, { costUsd: testEvents.map((test) => test.costUsd), dataVersion: 5, keepAnonymousUsers: true })
}

const session = (spec: Omit<SessionSpec, 'kind'>, input: SessionQueryInput) => runSessionQuery({ kind: 'session', ...spec }, input)
const at = (time: string) => Date.parse(`2026-03-10T${time}Z`)
const MINUTE_MS = 60_000

/** A browser session `web_1` whose AI events also carry the AI session `sess_1`, stored out of time order, among other sessions' events. */
const EVENTS: TestEvent[] = [
  { ts: at('10:45:00'), event: '$ai_generation', user: 'ana', traceId: 't2', aiSession: 'sess_1', browserSession: 'web_1', model: 'claude-haiku-4-5', latencyS: 30, isError: true, httpStatus: 429 },
  { ts: at('10:00:00'), event: '$pageview', user: 'ana', browserSession: 'web_1', url: 'https://app.example/inbox' },
  { ts: at('10:00:05'), event: '$feature_flag_called', user: 'ana', browserSession: 'web_1' },
  { ts: at('10:00:10'), event: '$ai_trace', user: 'ana', traceId: 't1', aiSession: 'sess_1', browserSession: 'web_1' },
  { ts: at('10:00:30'), event: '$pageview', user: 'ben', browserSession: 'web_2', url: 'https://app.example/other' },
  { ts: at('10:00:11'), event: '$ai_generation', user: 'ana', traceId: 't1', aiSession: 'sess_1', browserSession: 'web_1', generationId: 'gen_1', model: 'gpt-4o', costUsd: 0.25, latencyS: 1.5 },
  { ts: at('10:00:20'), event: '$ai_interaction', user: 'ana', traceId: 't1', aiSession: 'sess_1', browserSession: 'web_1', generationId: 'gen_1', interaction: 'accepted' },
  // Same time as the exception below, stored first: ties keep storage order.
  { ts: at('10:45:01'), event: '$ai_embedding', anonymous: true, traceId: 't3', aiSession: 'sess_1', browserSession: 'web_1', model: 'text-embedding-3-small', costUsd: 0.125 },
  { ts: at('10:45:01'), event: '$exception', user: 'ana', browserSession: 'web_1' },
  { ts: at('11:30:00'), event: 'ticket_resolved', user: 'ana', browserSession: 'web_1' },
  { ts: at('10:10:00'), event: '$ai_generation', user: 'ben', traceId: 't9', aiSession: 'sess_2', browserSession: 'web_2', costUsd: 4 },
]

describe('session query', () => {
  it('lists every event of a browser session in time order, with content handles and page URLs', () => {
    const result = session({ sessionId: 'web_1' }, buildInput(EVENTS))
    expect(result.found).toBe(true)
    expect(result.dataVersion).toBe(5)
    expect(result.gapMs).toBe(DEFAULT_SESSION_GAP_MS)
    expect(result.events.map((row) => [row.eventName, row.tsMs])).toEqual([
      ['$pageview', at('10:00:00')],
      ['$feature_flag_called', at('10:00:05')],
      ['$ai_trace', at('10:00:10')],
      ['$ai_generation', at('10:00:11')],
      ['$ai_interaction', at('10:00:20')],
      ['$ai_generation', at('10:45:00')],
      ['$ai_embedding', at('10:45:01')],
      ['$exception', at('10:45:01')],
      ['ticket_resolved', at('11:30:00')],
    ])
    const [pageview, , , generation, interaction, failed, embedding] = result.events as SessionEventRow[]
    expect(pageview).toEqual({
      tsMs: at('10:00:00'),
      eventName: '$pageview',
      traceId: null,
      nodeId: 'uuid-1',
      model: null,
      costUsd: null,
      latencyS: null,
      isError: false,
      errorKind: null,
      interaction: null,
      pageUrl: 'https://app.example/inbox',
      gapBeforeMs: null,
    })
    expect(generation).toMatchObject({ traceId: 't1', nodeId: 'gen_1', model: 'gpt-4o', costUsd: 0.25, latencyS: 1.5, gapBeforeMs: 1000 })
    // The interaction's node id is the generation it concerns.
    expect(interaction).toMatchObject({ nodeId: 'gen_1', interaction: 'accepted', gapBeforeMs: 9000 })
    expect(failed).toMatchObject({ isError: true, errorKind: 'rate_limit', costUsd: null, latencyS: 30, gapBeforeMs: 44 * MINUTE_MS + 40_000 })
    expect(embedding).toMatchObject({ nodeId: 'uuid-7', costUsd: 0.125, gapBeforeMs: 1000 })
    expect(result.events[7]?.gapBeforeMs).toBe(0)
  })

  it('marks pauses longer than 30 minutes as gaps and sums the session', () => {
    const result = session({ sessionId: 'web_1' }, buildInput(EVENTS))
    expect(result.gaps).toEqual([
      { beforeIndex: 5, fromMs: at('10:00:20'), toMs: at('10:45:00'), durationMs: 44 * MINUTE_MS + 40_000 },
      { beforeIndex: 8, fromMs: at('10:45:01'), toMs: at('11:30:00'), durationMs: 44 * MINUTE_MS + 59_000 },
    ])
    expect(result.totals).toEqual({
      startMs: at('10:00:00'),
      endMs: at('11:30:00'),
      durationMs: 90 * MINUTE_MS,
      activeDurationMs: 90 * MINUTE_MS - (44 * MINUTE_MS + 40_000) - (44 * MINUTE_MS + 59_000),
      eventCount: 9,
      eventCounts: {
        $pageview: 1,
        $feature_flag_called: 1,
        $ai_trace: 1,
        $ai_generation: 2,
        $ai_interaction: 1,
        $ai_embedding: 1,
        $exception: 1,
        ticket_resolved: 1,
      },
      traces: 3,
      costUsd: 0.375,
      // The failed generation has no cost: it counts as unpriced.
      unpricedCount: 1,
      errors: 1,
      exceptions: 1,
      // The anonymous embedding has no user.
      users: ['ana'],
    })
  })

  it('takes the gap threshold from the spec', () => {
    const input = buildInput(EVENTS)
    expect(session({ sessionId: 'web_1', gapMs: 45 * MINUTE_MS }, input).gaps.map((gap) => gap.beforeIndex)).toEqual([])
    expect(session({ sessionId: 'web_1', gapMs: 4_999 }, input).gaps.map((gap) => gap.beforeIndex)).toEqual([1, 2, 4, 5, 8])
    // A pause of exactly the threshold is not a gap.
    expect(session({ sessionId: 'web_1', gapMs: 5_000 }, input).gaps.map((gap) => gap.beforeIndex)).toEqual([4, 5, 8])
    expect(session({ sessionId: 'web_1', gapMs: 9_000 }, input).gaps.map((gap) => gap.beforeIndex)).toEqual([5, 8])
  })

  it('finds an AI session by its own id, without the browser events around it', () => {
    const input = buildInput(EVENTS)
    expect(session({ sessionId: 'sess_1' }, input).events.map((row) => row.eventName)).toEqual([
      '$ai_trace',
      '$ai_generation',
      '$ai_interaction',
      '$ai_generation',
      '$ai_embedding',
    ])
  })

  it('answers an unknown session with an empty result', () => {
    const result = session({ sessionId: 'nope' }, buildInput(EVENTS))
    expect(result).toMatchObject({ found: false, events: [], gaps: [] })
    expect(result.totals).toEqual({
      startMs: null,
      endMs: null,
      durationMs: 0,
      activeDurationMs: 0,
      eventCount: 0,
      eventCounts: {},
      traces: 0,
      costUsd: null,
      unpricedCount: 0,
      errors: 0,
      exceptions: 0,
      users: [],
    })
    expect(session({ sessionId: '' }, buildInput(EVENTS)).found).toBe(false)
  })

  it('refuses a negative gap', () => {
    const input = buildInput(EVENTS)
    expect(() => session({ sessionId: 'web_1', gapMs: -1 }, input)).toThrow(RangeError)
    expect(() => session({ sessionId: 'web_1', gapMs: Number.NaN }, input)).toThrow(RangeError)
  })
})

// ---------------------------------------------------------------- property: against a reference over plain rows

const SESSION_IDS = ['a', 'b', 'c']
const EVENT_NAMES = ['$pageview', '$ai_generation', '$ai_embedding', '$ai_span', '$ai_interaction', '$exception', 'signup']

const testEventArbitrary = fc.record({
  ts: fc.integer({ min: 0, max: 40 }).map((minute) => at('09:00:00') + minute * 5 * MINUTE_MS),
  event: fc.constantFrom(...EVENT_NAMES),
  user: fc.option(fc.constantFrom('ana', 'ben', 'cy'), { nil: undefined }),
  anonymous: fc.boolean(),
  traceId: fc.option(fc.constantFrom('t1', 't2', 't3'), { nil: undefined }),
  aiSession: fc.option(fc.constantFrom(...SESSION_IDS), { nil: undefined }),
  browserSession: fc.option(fc.constantFrom(...SESSION_IDS), { nil: undefined }),
  model: fc.option(fc.constantFrom('gpt-4o', 'claude'), { nil: undefined }),
  // Multiples of 1/8: every sum is exact in any order.
  costUsd: fc.option(fc.integer({ min: 0, max: 40 }).map((eighths) => eighths / 8), { nil: undefined }),
  latencyS: fc.option(fc.integer({ min: 0, max: 20 }).map((quarters) => quarters / 4), { nil: undefined }),
  isError: fc.boolean(),
  url: fc.option(fc.constantFrom('/a', '/b'), { nil: undefined }),
})

/** The obviously correct session: filter, stable sort, then walk. */
function referenceSession(events: readonly TestEvent[], sessionId: string, gapMs: number): SessionResult {
  const members = events
    .map((event, row) => ({ event, row }))
    .filter(({ event }) => {
      const sessionColumn = event.aiSession ?? event.browserSession
      return sessionId !== '' && (sessionColumn === sessionId || event.browserSession === sessionId)
    })
    .sort((a, b) => (a.event.ts as number) - (b.event.ts as number) || a.row - b.row)
  const rows: SessionEventRow[] = members.map(({ event, row }, index) => {
    const previous = members[index - 1]
    return {
      tsMs: event.ts as number,
      eventName: event.event,
      traceId: event.traceId ?? null,
      nodeId: event.generationId ?? `uuid-${row}`,
      model: event.model ?? null,
      costUsd: event.costUsd ?? null,
      latencyS: event.latencyS ?? null,
      isError: event.isError === true,
      errorKind: event.isError === true ? 'other' : null,
      interaction: null,
      pageUrl: event.url ?? null,
      gapBeforeMs: previous === undefined ? null : (event.ts as number) - (previous.event.ts as number),
    }
  })
  const gaps = rows.flatMap((row, index) =>
    row.gapBeforeMs !== null && row.gapBeforeMs > gapMs
      ? [{ beforeIndex: index, fromMs: row.tsMs - row.gapBeforeMs, toMs: row.tsMs, durationMs: row.gapBeforeMs }]
      : [],
  )
  const eventCounts: Record<string, number> = {}
  for (const row of rows) {
    eventCounts[row.eventName] = (eventCounts[row.eventName] ?? 0) + 1
  }
  const priced = rows.filter((row) => row.costUsd !== null)
  const users: string[] = []
  for (const { event } of members) {
    const user = event.user ?? 'nobody'
    if (!event.anonymous && !users.includes(user)) {
      users.push(user)
    }
  }
  const durationMs = rows.length === 0 ? 0 : (rows[rows.length - 1] as SessionEventRow).tsMs - (rows[0] as SessionEventRow).tsMs
  return {
    kind: 'session',
    dataVersion: 5,
    sessionId,
    found: rows.length > 0,
    gapMs,
    events: rows,
    gaps,
    totals: {
      startMs: rows[0]?.tsMs ?? null,
      endMs: rows[rows.length - 1]?.tsMs ?? null,
      durationMs,
      activeDurationMs: durationMs - gaps.reduce((sum, gap) => sum + gap.durationMs, 0),
      eventCount: rows.length,
      eventCounts,
      traces: new Set(rows.flatMap((row) => (row.traceId === null ? [] : [row.traceId]))).size,
      costUsd: priced.length === 0 ? null : priced.reduce((sum, row) => sum + (row.costUsd as number), 0),
      unpricedCount: rows.filter((row) => row.costUsd === null && (row.eventName === '$ai_generation' || row.eventName === '$ai_embedding')).length,
      errors: rows.filter((row) => row.isError).length,
      exceptions: eventCounts.$exception ?? 0,
      users,
    },
  }
}

describe('session query, property', () => {
  it('equals the reference on random sessions', () => {
    fc.assert(
      fc.property(
        fc.array(testEventArbitrary, { maxLength: 60 }),
        fc.constantFrom(...SESSION_IDS, 'missing'),
        fc.constantFrom(0, 5 * MINUTE_MS, 12 * MINUTE_MS, DEFAULT_SESSION_GAP_MS),
        (events, sessionId, gapMs) => {
          // Anonymous events need a trace id to be anonymous in the columns.
          const normalised = events.map((event) => (event.anonymous && event.traceId === undefined ? { ...event, anonymous: false } : event))
          const actual = session({ sessionId, gapMs }, buildInput(normalised))
          expect(actual).toEqual(referenceSession(normalised, sessionId, gapMs))
        },
      ),
      { numRuns: 200 },
    )
  })
})
