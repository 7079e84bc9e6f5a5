import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DistinctPairCounter } from '../../src/query/aggregate.utils'
import {
  USERS_SORT_FIELDS,
  runUsersQuery,
  smallest,
  type UsersKey,
  type UsersQueryInput,
  type UsersRow,
  type UsersSort,
  type UsersSpec,
} from '../../src/query/usersQuery'
import { kernelInput, testEvent } from './support'

/** One event of a test, in domain terms; absent fields are absent. */
interface TestEvent {
  ts: string | number
  event?: string
  user?: string
  /** Anonymous: `distinct_id` is the trace id. */
  anonymous?: boolean
  organisation?: string
  traceId?: string
  model?: string
  costUsd?: number
  inputTokens?: number
  outputTokens?: number
  isError?: boolean
}

/**
 * Columns and costs built the way the engine builds them. With `keepAnonymousUsers`, anonymous
 * events keep a user code (as a store might), so the kernel has to look at the anonymous flag.
 */
function buildInput(testEvents: readonly TestEvent[], { keepAnonymousUsers = false } = {}): UsersQueryInput {
  const events = testEvents.map((test, index) =>
    testEvent(
      {
        event: test.event ?? '$ai_generation',
        ts: test.ts,
        distinctId: test.user ?? `anon-${index}`,
        properties: {
          $ai_trace_id: test.traceId,
          $ai_model: test.model,
          $ai_input_tokens: test.inputTokens,
          $ai_output_tokens: test.outputTokens,
          $ai_is_error: test.isError,
          $groups: test.organisation === undefined ? undefined : { company: test.organisation },
          $process_person_profile: test.anonymous ? false : undefined,
        },
      },
      index,
    ),
  )
  return kernelInput(events, { costUsd: testEvents.map((test) => test.costUsd), dataVersion: 9, keepAnonymousUsers })
}

const users = (spec: Omit<UsersSpec, 'kind'>, input: UsersQueryInput) => runUsersQuery({ kind: 'users', ...spec }, input)
const day = (date: string, time = '12:00:00') => Date.parse(`2026-03-${date}T${time}Z`)

const EVENTS: TestEvent[] = [
  { ts: day('01'), user: 'ana', organisation: 'acme', traceId: 't1', model: 'gpt-4o', costUsd: 0.5, inputTokens: 100, outputTokens: 10 },
  { ts: day('01', '13:00:00'), user: 'ana', organisation: 'acme', traceId: 't1', model: 'mystery-model', inputTokens: 50 },
  { ts: day('02'), event: '$ai_embedding', user: 'ana', organisation: 'acme', traceId: 't2', model: 'text-embedding-3-small', costUsd: 0.25, inputTokens: 8 },
  { ts: day('02', '14:00:00'), event: '$ai_span', user: 'ana', organisation: 'acme', traceId: 't9' },
  { ts: day('03'), user: 'ana', organisation: 'acme', traceId: 't3', model: 'gpt-4o', isError: true },
  { ts: day('02'), user: 'ben', organisation: 'acme', traceId: 't4', model: 'gpt-4o', costUsd: 1, outputTokens: 20 },
  { ts: day('05'), anonymous: true, user: 't5', organisation: 'acme', traceId: 't5', model: 'gpt-4o', costUsd: 2 },
  { ts: day('04'), user: 'cy', organisation: 'globex', traceId: 't6', model: 'mystery-model' },
  { ts: day('06'), user: 'dee', traceId: 't7', model: 'gpt-4o', costUsd: 0.125 },
]

const ANA: UsersRow = {
  key: 'ana',
  traces: 3,
  generations: 3,
  errors: 1,
  costUsd: 0.75,
  unpricedCount: 2,
  inputTokens: 158,
  outputTokens: 10,
  firstSeenMs: day('01'),
  lastSeenMs: day('03'),
  users: 1,
}
const BEN: UsersRow = { key: 'ben', traces: 1, generations: 1, errors: 0, costUsd: 1, unpricedCount: 0, inputTokens: 0, outputTokens: 20, firstSeenMs: day('02'), lastSeenMs: day('02'), users: 1 }
const CY: UsersRow = { key: 'cy', traces: 1, generations: 1, errors: 0, costUsd: null, unpricedCount: 1, inputTokens: 0, outputTokens: 0, firstSeenMs: day('04'), lastSeenMs: day('04'), users: 1 }
const DEE: UsersRow = { key: 'dee', traces: 1, generations: 1, errors: 0, costUsd: 0.125, unpricedCount: 0, inputTokens: 0, outputTokens: 0, firstSeenMs: day('06'), lastSeenMs: day('06'), users: 1 }

describe('users query', () => {
  it('lists users by last seen, leaving anonymous events out', () => {
    for (const keepAnonymousUsers of [false, true]) {
      const result = users({ by: 'user' }, buildInput(EVENTS, { keepAnonymousUsers }))
      expect(result).toEqual({
        kind: 'users',
        dataVersion: 9,
        by: 'user',
        sort: { by: 'lastSeenMs', dir: 'desc' },
        rows: [DEE, CY, ANA, BEN],
        totalCount: 4,
        nextCursor: null,
        unattributedCount: 1,
      })
    }
  })

  it('lists organisations with their distinct users; anonymous events count there, but not as users', () => {
    const result = users({ by: 'organisation', sort: { by: 'costUsd', dir: 'desc' } }, buildInput(EVENTS, { keepAnonymousUsers: true }))
    expect(result.rows).toEqual([
      {
        key: 'acme',
        traces: 5,
        generations: 5,
        errors: 1,
        costUsd: 3.75,
        unpricedCount: 2,
        inputTokens: 158,
        outputTokens: 30,
        firstSeenMs: day('01'),
        lastSeenMs: day('05'),
        users: 2,
      },
      // Nothing priced: `null`, sorted last.
      { key: 'globex', traces: 1, generations: 1, errors: 0, costUsd: null, unpricedCount: 1, inputTokens: 0, outputTokens: 0, firstSeenMs: day('04'), lastSeenMs: day('04'), users: 1 },
    ])
    // dee has no organisation.
    expect(result.unattributedCount).toBe(1)
  })

  it('sorts by any field, unknown costs last in both directions, ties by key', () => {
    const input = buildInput(EVENTS)
    const keys = (sort: UsersSort) => users({ by: 'user', sort }, input).rows.map((row) => row.key)
    expect(keys({ by: 'costUsd', dir: 'desc' })).toEqual(['ben', 'ana', 'dee', 'cy'])
    expect(keys({ by: 'costUsd', dir: 'asc' })).toEqual(['dee', 'ana', 'ben', 'cy'])
    expect(keys({ by: 'generations', dir: 'desc' })).toEqual(['ana', 'ben', 'cy', 'dee'])
    expect(keys({ by: 'generations', dir: 'asc' })).toEqual(['ben', 'cy', 'dee', 'ana'])
    expect(keys({ by: 'key', dir: 'desc' })).toEqual(['dee', 'cy', 'ben', 'ana'])
    expect(keys({ by: 'firstSeenMs', dir: 'asc' })).toEqual(['ana', 'ben', 'cy', 'dee'])
  })

  it('pages with a cursor, each page starting right after the last row of the one before', () => {
    const input = buildInput(EVENTS)
    const sort: UsersSort = { by: 'costUsd', dir: 'desc' }
    const first = users({ by: 'user', sort, limit: 3 }, input)
    expect(first.rows.map((row) => row.key)).toEqual(['ben', 'ana', 'dee'])
    expect(first.totalCount).toBe(4)
    expect(first.nextCursor).not.toBeNull()
    const second = users({ by: 'user', sort, limit: 3, cursor: first.nextCursor as string }, input)
    expect(second.rows).toEqual([CY])
    expect(second.nextCursor).toBeNull()
    // A row added before the cursor does not shift the next page (keyset, not offset).
    const grown = buildInput([...EVENTS, { ts: day('07'), user: 'eve', traceId: 't8', costUsd: 5 }])
    expect(users({ by: 'user', sort, limit: 3, cursor: first.nextCursor as string }, grown).rows.map((row) => row.key)).toEqual(['cy'])
  })

  it('applies the range, event names and filters before grouping', () => {
    const input = buildInput(EVENTS)
    const ranged = users({ by: 'user', range: { fromMs: day('02'), toMs: day('04') } }, input)
    expect(ranged.rows.map((row) => [row.key, row.generations, row.firstSeenMs])).toEqual([
      ['ana', 1, day('02')],
      ['ben', 1, day('02')],
    ])
    const filtered = users({ by: 'user', filters: [{ dimension: 'model', op: 'in', values: ['gpt-4o'] }] }, input)
    expect(filtered.rows.map((row) => [row.key, row.generations])).toEqual([
      ['dee', 1],
      ['ana', 2],
      ['ben', 1],
    ])
    const spans = users({ by: 'user', eventNames: ['$ai_span'] }, input)
    expect(spans.rows).toEqual([
      { key: 'ana', traces: 1, generations: 0, errors: 0, costUsd: null, unpricedCount: 0, inputTokens: 0, outputTokens: 0, firstSeenMs: day('02', '14:00:00'), lastSeenMs: day('02', '14:00:00'), users: 1 },
    ])
  })

  it('refuses invalid specs and foreign cursors', () => {
    const input = buildInput(EVENTS)
    expect(() => users({ by: 'team' as UsersKey }, input)).toThrow(RangeError)
    expect(() => users({ by: 'user', limit: 0 }, input)).toThrow(RangeError)
    expect(() => users({ by: 'user', limit: 501 }, input)).toThrow(RangeError)
    expect(() => users({ by: 'user', sort: { by: 'vibes' as 'key', dir: 'asc' } }, input)).toThrow(RangeError)
    expect(() => users({ by: 'user', cursor: 'not a cursor' }, input)).toThrow(/does not decode/)
    expect(() => users({ by: 'user', cursor: btoa('{"v":2}').replace(/=+$/, '') }, input)).toThrow(/unknown shape/)
    const cursor = users({ by: 'user', limit: 1 }, input).nextCursor as string
    expect(() => users({ by: 'user', limit: 1, cursor, sort: { by: 'costUsd', dir: 'desc' } }, input)).toThrow(/made for sort lastSeenMs desc/)
  })
})

describe('users query helpers', () => {
  it('counts distinct pairs, codes shared between groups included', () => {
    const counter = new DistinctPairCounter(2, 5)
    const added = [
      [0, 1],
      [0, 1],
      [1, 1],
      [1, 1],
      [0, 2],
      [3, 2],
      [0, 0],
    ].map(([group, code]) => counter.add(group as number, code as number))
    expect(added).toEqual([true, false, true, false, true, true, false])
    expect(Array.from(counter.counts.subarray(0, 4))).toEqual([2, 1, 0, 1])
  })

  it('selects the smallest items in order, as a full sort would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.integer({ min: 0, max: 12 }), (items, count) => {
        const order = (a: number, b: number) => a - b
        expect(smallest(items, count, order)).toEqual([...items].sort(order).slice(0, count))
      }),
    )
  })
})

// ---------------------------------------------------------------- property: against a reference over plain rows

const eventArbitrary = fc.record({
  ts: fc.integer({ min: 0, max: 30 }).map((hour) => day('10') + hour * 3_600_000),
  event: fc.constantFrom('$ai_generation', '$ai_embedding', '$ai_span'),
  user: fc.constantFrom('ana', 'ben', 'cy', 'dee', 'eve'),
  anonymous: fc.boolean(),
  organisation: fc.option(fc.constantFrom('acme', 'globex', 'initech'), { nil: undefined }),
  traceId: fc.option(fc.constantFrom('t1', 't2', 't3', 't4'), { nil: undefined }),
  model: fc.constantFrom('gpt-4o', 'claude'),
  // Multiples of 1/8: every sum is exact in any order, and ties happen.
  costUsd: fc.option(fc.integer({ min: 0, max: 8 }).map((eighths) => eighths / 8), { nil: undefined }),
  inputTokens: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  outputTokens: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  isError: fc.boolean(),
})

function referenceRows(events: readonly TestEvent[], by: UsersKey, eventNames: readonly string[]): { rows: UsersRow[]; unattributed: number } {
  const measured = events.filter((event) => eventNames.includes(event.event ?? '$ai_generation'))
  const keyOf = (event: TestEvent) => (by === 'user' ? (event.anonymous ? undefined : event.user) : event.organisation)
  const keys = [...new Set(measured.flatMap((event) => (keyOf(event) === undefined ? [] : [keyOf(event) as string])))]
  const rows = keys.map((key): UsersRow => {
    const own = measured.filter((event) => keyOf(event) === key)
    const priced = own.filter((event) => event.costUsd !== undefined)
    const sum = (values: (number | undefined)[]) => values.reduce((total: number, value) => total + (value ?? 0), 0)
    return {
      key,
      traces: new Set(own.flatMap((event) => (event.traceId === undefined ? [] : [event.traceId]))).size,
      generations: own.filter((event) => (event.event ?? '$ai_generation') === '$ai_generation').length,
      errors: own.filter((event) => event.isError).length,
      costUsd: priced.length === 0 ? null : sum(priced.map((event) => event.costUsd)),
      unpricedCount: own.filter((event) => event.costUsd === undefined && event.event !== '$ai_span').length,
      inputTokens: sum(own.map((event) => event.inputTokens)),
      outputTokens: sum(own.map((event) => event.outputTokens)),
      firstSeenMs: Math.min(...own.map((event) => event.ts as number)),
      lastSeenMs: Math.max(...own.map((event) => event.ts as number)),
      users: by === 'user' ? 1 : new Set(own.filter((event) => !event.anonymous).map((event) => event.user)).size,
    }
  })
  return { rows, unattributed: measured.filter((event) => keyOf(event) === undefined).length }
}

function referenceOrder(sort: UsersSort): (a: UsersRow, b: UsersRow) => number {
  return (a, b) => {
    const byKey = a.key < b.key ? -1 : a.key > b.key ? 1 : 0
    if (sort.by === 'key') {
      return sort.dir === 'asc' ? byKey : -byKey
    }
    const x = a[sort.by]
    const y = b[sort.by]
    if (x === y) {
      return byKey
    }
    if (x === null || y === null) {
      return x === null ? 1 : -1
    }
    return sort.dir === 'asc' ? x - y : y - x
  }
}

describe('users query, property', () => {
  it('pages through exactly the reference rows, in the reference order', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 50 }),
        fc.constantFrom<UsersKey>('user', 'organisation'),
        fc.record({ by: fc.constantFrom(...USERS_SORT_FIELDS), dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc') }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<readonly string[]>(['$ai_generation', '$ai_embedding'], ['$ai_generation', '$ai_span']),
        fc.boolean(),
        (events, by, sort, limit, eventNames, keepAnonymousUsers) => {
          // The anonymous user is its trace id, so anonymous events need one.
          const normalised = events.map((event) =>
            event.anonymous ? { ...event, user: event.traceId ?? 't0', traceId: event.traceId ?? 't0' } : event,
          )
          const input = buildInput(normalised, { keepAnonymousUsers })
          const expected = referenceRows(normalised, by, eventNames)
          const pages: UsersRow[] = []
          let cursor: string | undefined
          let pageCount = 0
          for (let page = 0; page < 100; page += 1) {
            const result = users({ by, sort, limit, eventNames, ...(cursor === undefined ? {} : { cursor }) }, input)
            pageCount += 1
            expect(result.totalCount).toBe(expected.rows.length)
            expect(result.unattributedCount).toBe(expected.unattributed)
            pages.push(...result.rows)
            if (result.nextCursor === null) {
              expect(result.rows.length).toBeLessThanOrEqual(limit)
              break
            }
            // A cursor only when more rows follow: every page before the last is full.
            expect(result.rows.length).toBe(limit)
            cursor = result.nextCursor
          }
          expect(pageCount).toBe(Math.max(1, Math.ceil(expected.rows.length / limit)))
          expect(pages).toEqual([...expected.rows].sort(referenceOrder(sort)))
        },
      ),
      { numRuns: 200 },
    )
  })
})
