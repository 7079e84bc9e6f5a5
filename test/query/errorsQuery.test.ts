import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { runErrorsQuery, type ErrorGroup, type ErrorsQueryInput, type ErrorsSpec } from '../../src/query/errorsQuery'
import type { Interval, TimeRange } from '../../src/query/spec'
import { kernelInput, localParts, testEvent } from './support'

/** One event of a test, in domain terms; absent fields are absent. */
interface TestEvent {
  ts: string | number
  event?: string
  user?: string
  /** Anonymous: `distinct_id` is the trace id. */
  anonymous?: boolean
  traceId?: string
  sessionId?: string
  model?: string
  isError?: boolean
  httpStatus?: number
  /** `$ai_error.name`, which `classifyError` reads. */
  errorName?: string
  /** `$ai_error_normalized`. */
  message?: string
}

/**
 * Columns built the way the engine builds them. Anonymous events keep a user code (as a store
 * might), so the kernel has to look at the anonymous flag.
 */
function buildInput(testEvents: readonly TestEvent[]): ErrorsQueryInput {
  const events = testEvents.map((test, index) =>
    testEvent(
      {
        event: test.event ?? '$ai_generation',
        ts: test.ts,
        distinctId: test.anonymous ? (test.traceId ?? `anon-${index}`) : (test.user ?? 'nobody'),
        properties: {
          $ai_trace_id: test.traceId,
          $ai_session_id: test.sessionId,
          $ai_model: test.model,
          $ai_is_error: test.isError,
          $ai_http_status: test.httpStatus,
          $ai_error: test.errorName === undefined ? undefined : { name: test.errorName },
          $ai_error_normalized: test.message,
        },
      },
      index,
    ),
  )
  return kernelInput(events, { dataVersion: 4, keepAnonymousUsers: true })
}

const errors = (spec: Omit<ErrorsSpec, 'kind'>, input: ErrorsQueryInput) => runErrorsQuery({ kind: 'errors', ...spec }, input)
const utc = (text: string) => Date.parse(`${text}Z`)

const RATE_LIMIT = 'Rate limit reached, retry in <N>s (<ID>)'
/** Around the Berlin spring change: 29 March 2026, 02:00 CET → 03:00 CEST (01:00 UTC). */
const RANGE: TimeRange = { fromMs: utc('2026-03-28T00:00:00'), toMs: utc('2026-03-31T00:00:00') }
const EVENTS: TestEvent[] = [
  // 23:30 CET on the 28th.
  { ts: utc('2026-03-28T22:30:00'), user: 'ana', traceId: 't1', sessionId: 's1', model: 'gpt-4o', isError: true, httpStatus: 429, message: RATE_LIMIT },
  // 00:30 CET on the 29th (still the 28th in UTC).
  { ts: utc('2026-03-28T23:30:00'), user: 'ben', traceId: 't2', sessionId: 's1', model: 'gpt-4o-mini', isError: true, httpStatus: 429, message: RATE_LIMIT },
  // 23:30 CEST on the 29th.
  { ts: utc('2026-03-29T21:30:00'), anonymous: true, traceId: 't3', sessionId: 's2', model: 'gpt-4o', isError: true, httpStatus: 429, message: RATE_LIMIT },
  // 00:30 CEST on the 30th: same message, another status and kind.
  { ts: utc('2026-03-29T22:30:00'), user: 'ana', traceId: 't1', model: 'claude-sonnet-4-5', isError: true, httpStatus: 500, message: RATE_LIMIT },
  { ts: utc('2026-03-30T08:00:00'), event: '$ai_embedding', user: 'cy', traceId: 't4', model: 'text-embedding-3-small', isError: true, errorName: 'APITimeoutError', message: 'Request timed out.' },
  { ts: utc('2026-03-30T09:00:00'), event: '$ai_span', user: 'ana', traceId: 't1', isError: true, message: 'Tool failed' },
  // No normalised message.
  { ts: utc('2026-03-30T10:00:00'), user: 'ben', traceId: 't5', model: 'gpt-4o', isError: true, httpStatus: 400 },
  // Not failures, or outside the range.
  { ts: utc('2026-03-29T10:00:00'), user: 'ana', traceId: 't6', model: 'gpt-4o', httpStatus: 200 },
  { ts: utc('2026-03-31T01:00:00'), user: 'ana', traceId: 't7', model: 'gpt-4o', isError: true, httpStatus: 429, message: RATE_LIMIT },
]

const RATE_LIMITED: ErrorGroup = {
  message: RATE_LIMIT,
  errorKind: 'rate_limit',
  httpStatus: 429,
  count: 3,
  generations: 3,
  embeddings: 0,
  spans: 0,
  traces: 3,
  sessions: 2,
  // The anonymous event has no user.
  users: 2,
  models: ['gpt-4o', 'gpt-4o-mini'],
  firstSeenMs: utc('2026-03-28T22:30:00'),
  lastSeenMs: utc('2026-03-29T21:30:00'),
  // The 28th and the 29th, Berlin time.
  daysSeen: 2,
  countByBucket: [1, 2, 0, 0],
}

describe('errors query', () => {
  it('groups failures by message, kind and status, with their spread and a Berlin-day trend across the DST change', () => {
    const result = errors({ range: RANGE, interval: 'day', timeZone: 'Europe/Berlin' }, buildInput(EVENTS))
    // Local midnights: the 29th is 23 hours long.
    expect(result.bucketStartsMs).toEqual([
      utc('2026-03-27T23:00:00'),
      utc('2026-03-28T23:00:00'),
      utc('2026-03-29T22:00:00'),
      utc('2026-03-30T22:00:00'),
    ])
    expect(result).toMatchObject({ kind: 'errors', dataVersion: 4, interval: 'day', timeZone: 'Europe/Berlin', totalCount: 7, groupCount: 5 })
    expect(result.countByBucket).toEqual([1, 2, 4, 0])
    expect(result.groups).toEqual([
      RATE_LIMITED,
      // Ties in count: the latest first.
      {
        message: null,
        errorKind: 'client',
        httpStatus: 400,
        count: 1,
        generations: 1,
        embeddings: 0,
        spans: 0,
        traces: 1,
        sessions: 0,
        users: 1,
        models: ['gpt-4o'],
        firstSeenMs: utc('2026-03-30T10:00:00'),
        lastSeenMs: utc('2026-03-30T10:00:00'),
        daysSeen: 1,
        countByBucket: [0, 0, 1, 0],
      },
      {
        message: 'Tool failed',
        errorKind: 'other',
        httpStatus: null,
        count: 1,
        generations: 0,
        embeddings: 0,
        spans: 1,
        traces: 1,
        sessions: 0,
        users: 1,
        models: [],
        firstSeenMs: utc('2026-03-30T09:00:00'),
        lastSeenMs: utc('2026-03-30T09:00:00'),
        daysSeen: 1,
        countByBucket: [0, 0, 1, 0],
      },
      {
        message: 'Request timed out.',
        errorKind: 'timeout',
        httpStatus: null,
        count: 1,
        generations: 0,
        embeddings: 1,
        spans: 0,
        traces: 1,
        sessions: 0,
        users: 1,
        models: ['text-embedding-3-small'],
        firstSeenMs: utc('2026-03-30T08:00:00'),
        lastSeenMs: utc('2026-03-30T08:00:00'),
        daysSeen: 1,
        countByBucket: [0, 0, 1, 0],
      },
      {
        message: RATE_LIMIT,
        errorKind: 'server',
        httpStatus: 500,
        count: 1,
        generations: 1,
        embeddings: 0,
        spans: 0,
        traces: 1,
        sessions: 0,
        users: 1,
        models: ['claude-sonnet-4-5'],
        firstSeenMs: utc('2026-03-29T22:30:00'),
        lastSeenMs: utc('2026-03-29T22:30:00'),
        daysSeen: 1,
        countByBucket: [0, 0, 1, 0],
      },
    ])
  })

  it('buckets and counts days in the time zone asked for', () => {
    const input = buildInput(EVENTS)
    const inUtc = errors({ range: RANGE }, input)
    expect(inUtc.timeZone).toBe('UTC')
    expect(inUtc.bucketStartsMs).toEqual([utc('2026-03-28T00:00:00'), utc('2026-03-29T00:00:00'), utc('2026-03-30T00:00:00')])
    expect(inUtc.groups[0]).toMatchObject({ message: RATE_LIMIT, countByBucket: [2, 1, 0], daysSeen: 2 })
    // The first two rate limits fall on one UTC day, but on two Berlin days.
    const twoUsers = [{ dimension: 'user' as const, op: 'in' as const, values: ['ana', 'ben'] }]
    expect(errors({ range: RANGE, filters: twoUsers }, input).groups[0]).toMatchObject({ count: 2, daysSeen: 1 })
    expect(errors({ range: RANGE, filters: twoUsers, timeZone: 'Europe/Berlin' }, input).groups[0]).toMatchObject({ count: 2, daysSeen: 2 })
    // Berlin weeks start on Monday 00:00 local: CET before the change, CEST after.
    const weekly = errors({ range: RANGE, interval: 'week', timeZone: 'Europe/Berlin' }, input)
    expect(weekly.bucketStartsMs).toEqual([utc('2026-03-22T23:00:00'), utc('2026-03-29T22:00:00')])
    expect(weekly.groups.map((group) => group.countByBucket)).toEqual([[3, 0], [0, 1], [0, 1], [0, 1], [0, 1]])
  })

  it('spans the failures when the range is open, and keeps the largest groups under a limit', () => {
    const input = buildInput(EVENTS)
    const open = errors({ limit: 1 }, input)
    expect(open.bucketStartsMs).toEqual([utc('2026-03-28T00:00:00'), utc('2026-03-29T00:00:00'), utc('2026-03-30T00:00:00'), utc('2026-03-31T00:00:00')])
    expect(open.groupCount).toBe(5)
    expect(open.totalCount).toBe(8)
    expect(open.countByBucket).toEqual([2, 2, 3, 1])
    expect(open.groups).toHaveLength(1)
    expect(open.groups[0]).toMatchObject({ message: RATE_LIMIT, count: 4, countByBucket: [2, 1, 0, 1], users: 2, traces: 4 })
    expect(errors({ range: RANGE, filters: [{ dimension: 'model', op: 'in', values: ['gpt-4o'] }] }, input).groups.map((group) => group.count)).toEqual([
      2, 1,
    ])
  })

  it('answers no failures with no groups and empty buckets', () => {
    const calm = buildInput([{ ts: utc('2026-03-29T10:00:00'), user: 'ana', model: 'gpt-4o' }])
    expect(errors({}, calm)).toMatchObject({ bucketStartsMs: [], countByBucket: [], totalCount: 0, groupCount: 0, groups: [] })
    expect(errors({ range: RANGE }, calm).countByBucket).toEqual([0, 0, 0])
  })

  it('refuses invalid specs', () => {
    const input = buildInput(EVENTS)
    expect(() => errors({ interval: 'month' as Interval }, input)).toThrow(RangeError)
    expect(() => errors({ timeZone: 'Mars/Olympus_Mons' }, input)).toThrow(RangeError)
    expect(() => errors({ limit: -1 }, input)).toThrow(RangeError)
    expect(() => errors({ range: { fromMs: 0, toMs: RANGE.toMs }, interval: 'hour' }, input)).toThrow(/buckets/)
  })
})

// ---------------------------------------------------------------- property: against a reference over plain rows

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']
const WINDOW_START_MS = utc('2026-03-25T00:00:00')
const HOUR_MS = 3_600_000
const STATUS_KINDS: Record<number, string> = { 0: 'other', 400: 'client', 429: 'rate_limit', 500: 'server' }

const eventArbitrary = fc.record({
  // Half-hours over eight days around the Berlin and New York spring changes.
  ts: fc.integer({ min: 0, max: 8 * 48 }).map((halfHours) => WINDOW_START_MS + halfHours * (HOUR_MS / 2)),
  event: fc.constantFrom('$ai_generation', '$ai_embedding', '$ai_span', '$ai_trace'),
  user: fc.constantFrom('ana', 'ben', 'cy'),
  anonymous: fc.boolean(),
  traceId: fc.option(fc.constantFrom('t1', 't2', 't3'), { nil: undefined }),
  sessionId: fc.option(fc.constantFrom('s1', 's2'), { nil: undefined }),
  model: fc.option(fc.constantFrom('gpt-4o', 'claude', 'gemini'), { nil: undefined }),
  isError: fc.boolean(),
  httpStatus: fc.constantFrom(0, 400, 429, 500),
  message: fc.option(fc.constantFrom('boom', 'Rate limit <N>', 'bad request'), { nil: undefined }),
})

const localDate = (tsMs: number, timeZone: string) => localParts(tsMs, timeZone).date

function referenceErrors(events: readonly TestEvent[], range: TimeRange | undefined, timeZone: string, limit: number) {
  const failed = events.filter(
    (event) => event.isError && (range === undefined || ((event.ts as number) >= range.fromMs && (event.ts as number) < range.toMs)),
  )
  // Every local date the span touches, in order (local days are at least 23 hours long).
  const times = failed.map((event) => event.ts as number)
  const fromMs = range?.fromMs ?? Math.min(...times)
  const toMs = range?.toMs ?? Math.max(...times) + 1
  const dates: string[] = []
  if (fromMs < toMs) {
    for (let tsMs = fromMs; tsMs < toMs; tsMs += HOUR_MS) {
      dates.push(localDate(tsMs, timeZone))
    }
    dates.push(localDate(toMs - 1, timeZone))
  }
  const bucketDates = [...new Set(dates)]
  const countByDate = (members: readonly TestEvent[]) => bucketDates.map((date) => members.filter((event) => localDate(event.ts as number, timeZone) === date).length)
  const keyOf = (event: TestEvent) => JSON.stringify([event.message ?? null, STATUS_KINDS[event.httpStatus ?? 0], event.httpStatus ?? 0])
  const groups = [...new Set(failed.map(keyOf))].map((key): ErrorGroup => {
    const members = failed.filter((event) => keyOf(event) === key)
    const [message, errorKind, status] = JSON.parse(key) as [string | null, ErrorGroup['errorKind'], number]
    const distinct = (values: (string | undefined)[]) => new Set(values.filter((value) => value !== undefined)).size
    return {
      message,
      errorKind,
      httpStatus: status === 0 ? null : status,
      count: members.length,
      generations: members.filter((event) => event.event === '$ai_generation').length,
      embeddings: members.filter((event) => event.event === '$ai_embedding').length,
      spans: members.filter((event) => event.event === '$ai_span').length,
      traces: distinct(members.map((event) => event.traceId)),
      sessions: distinct(members.map((event) => event.sessionId)),
      users: distinct(members.map((event) => (event.anonymous ? undefined : event.user))),
      models: [...new Set(members.flatMap((event) => (event.model === undefined ? [] : [event.model])))].sort(),
      firstSeenMs: Math.min(...members.map((event) => event.ts as number)),
      lastSeenMs: Math.max(...members.map((event) => event.ts as number)),
      daysSeen: new Set(members.map((event) => localDate(event.ts as number, timeZone))).size,
      countByBucket: countByDate(members),
    }
  })
  const text = (value: string | null) => (value === null ? '' : `~${value}`)
  groups.sort(
    (a, b) =>
      b.count - a.count ||
      b.lastSeenMs - a.lastSeenMs ||
      (text(a.message) < text(b.message) ? -1 : text(a.message) > text(b.message) ? 1 : 0) ||
      ((a.errorKind as string) < (b.errorKind as string) ? -1 : (a.errorKind as string) > (b.errorKind as string) ? 1 : 0) ||
      (a.httpStatus ?? 0) - (b.httpStatus ?? 0),
  )
  return { bucketDates, countByBucket: countByDate(failed), totalCount: failed.length, groupCount: groups.length, groups: groups.slice(0, limit) }
}

describe('errors query, property', () => {
  it('equals the reference, with day buckets checked against Intl', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 40 }),
        fc.option(
          fc
            .tuple(fc.integer({ min: 0, max: 8 * 24 }), fc.integer({ min: 1, max: 8 * 24 }))
            .map(([startHour, hours]) => ({ fromMs: WINDOW_START_MS + startHour * HOUR_MS, toMs: WINDOW_START_MS + (startHour + hours) * HOUR_MS })),
          { nil: undefined },
        ),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 6 }),
        (events, range, timeZone, limit) => {
          // Anonymous events need a trace id to be anonymous.
          const normalised = events.map((event) => (event.anonymous && event.traceId === undefined ? { ...event, anonymous: false } : event))
          const actual = errors({ ...(range === undefined ? {} : { range }), timeZone, limit }, buildInput(normalised))
          const expected = referenceErrors(normalised, range, timeZone, limit)
          expect(actual.bucketStartsMs.map((startMs) => localDate(startMs, timeZone))).toEqual(expected.bucketDates)
          for (const startMs of actual.bucketStartsMs) {
            // Each bucket starts at local midnight: one ms earlier is the day before.
            expect(localDate(startMs - 1, timeZone)).not.toBe(localDate(startMs, timeZone))
          }
          expect({ ...actual, bucketStartsMs: undefined }).toEqual({
            kind: 'errors',
            dataVersion: 4,
            interval: 'day',
            timeZone,
            bucketStartsMs: undefined,
            countByBucket: expected.countByBucket,
            totalCount: expected.totalCount,
            groupCount: expected.groupCount,
            groups: expected.groups,
          })
        },
      ),
      { numRuns: 150 },
    )
  })
})
