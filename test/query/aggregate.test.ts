import { describe, expect, it } from 'vitest'
import { MAX_AGGREGATE_CELLS, runAggregate, type AggregateInput } from '../../src/query/aggregate'
import type { AggregateSpec } from '../../src/query/spec'
import { columnRowsInput } from './support'

/** One event, as the columns hold it; absent fields are absent. */
interface TestEvent {
  ts: string
  event?: string
  model?: string
  provider?: string
  user?: string
  anonymous?: boolean
  traceName?: string
  plan?: string
  latencyS?: number
  ttftS?: number
  inputTokens?: number
  outputTokens?: number
  costUsd?: number
  isError?: boolean
}

function buildInput(events: readonly TestEvent[], dataVersion = 7): AggregateInput {
  return columnRowsInput(
    events.map(({ ts, event = '$ai_generation', ...fields }) => ({ ...fields, tsMs: Date.parse(ts), event })),
    { dataVersion },
  )
}

const aggregate = (spec: Omit<AggregateSpec, 'kind'>, input: AggregateInput) => runAggregate({ kind: 'aggregate', ...spec }, input)

const day = (date: string, time = '12:00:00') => `2026-03-${date}T${time}Z`

/** A small week of calls over three models, one of them absent, with unknown costs and errors. */
const calls: TestEvent[] = [
  { ts: day('02'), model: 'gpt-4o', provider: 'openai', user: 'ana', latencyS: 1, ttftS: 0.5, inputTokens: 100, outputTokens: 10, costUsd: 0.5 },
  { ts: day('02'), model: 'gpt-4o', provider: 'openai', user: 'ana', latencyS: 3, inputTokens: 50, costUsd: 0.25, isError: true },
  { ts: day('03'), model: 'gpt-4o', provider: 'openai', user: 'ben', latencyS: 2, inputTokens: 10 },
  { ts: day('03'), model: 'gpt-4o', provider: 'openai', user: 'zoe', anonymous: true, latencyS: 10, costUsd: 1 },
  { ts: day('04'), model: 'claude', provider: 'anthropic', user: 'ben', latencyS: 4, costUsd: 2, isError: true },
  { ts: day('04'), model: 'claude', provider: 'anthropic', event: '$ai_embedding', user: 'cy', inputTokens: 7 },
  { ts: day('05'), provider: 'openai', user: 'ana', costUsd: 0.125 },
  // Not measured by default: a span (no cost, never "unpriced") and an evaluation.
  { ts: day('05'), event: '$ai_span', model: 'gpt-4o', latencyS: 100 },
  { ts: day('05'), event: '$ai_evaluation', model: 'gpt-4o' },
]

describe('runAggregate: measures', () => {
  it('computes every measure per group, with absent keys as null and unknown costs never read as 0', () => {
    const result = aggregate(
      {
        measures: [
          'count',
          'costUsd',
          'costPerCallUsd',
          'unpricedCount',
          'inputTokens',
          'outputTokens',
          'latency.mean',
          'latency.p50',
          'latency.p99',
          'ttft.p95',
          'errorCount',
          'errorRate',
          'uniqueUsers',
        ],
        groupBy: ['model'],
      },
      buildInput(calls),
    )
    expect(result.dataVersion).toBe(7)
    expect(result.bucketStartsMs).toBeUndefined()
    expect(result.rows).toEqual([
      {
        key: ['gpt-4o'],
        values: {
          count: 4,
          costUsd: 1.75,
          costPerCallUsd: 1.75 / 3,
          unpricedCount: 1,
          inputTokens: 160,
          outputTokens: 10,
          'latency.mean': 4,
          'latency.p50': 2,
          'latency.p99': 10,
          'ttft.p95': 0.5,
          errorCount: 1,
          errorRate: 0.25,
          // zoe's call is anonymous.
          uniqueUsers: 2,
        },
      },
      {
        key: ['claude'],
        values: {
          count: 2,
          costUsd: 2,
          costPerCallUsd: 2,
          unpricedCount: 1,
          inputTokens: 7,
          outputTokens: null,
          'latency.mean': 4,
          'latency.p50': 4,
          'latency.p99': 4,
          'ttft.p95': null,
          errorCount: 1,
          errorRate: 0.5,
          uniqueUsers: 2,
        },
      },
      {
        key: [null],
        values: {
          count: 1,
          costUsd: 0.125,
          costPerCallUsd: 0.125,
          unpricedCount: 0,
          inputTokens: null,
          outputTokens: null,
          'latency.mean': null,
          'latency.p50': null,
          'latency.p99': null,
          'ttft.p95': null,
          errorCount: 0,
          errorRate: 0,
          uniqueUsers: 1,
        },
      },
    ])
    expect(result.totals).toEqual({
      count: 7,
      costUsd: 3.875,
      costPerCallUsd: 3.875 / 5,
      unpricedCount: 2,
      inputTokens: 167,
      outputTokens: 10,
      'latency.mean': 4,
      'latency.p50': 3,
      'latency.p99': 10,
      'ttft.p95': 0.5,
      errorCount: 2,
      errorRate: 2 / 7,
      uniqueUsers: 4 - 1,
    })
  })

  it('gives null costs where nothing is priced, and null rates and percentiles without events', () => {
    const unpriced = aggregate({ measures: ['costUsd', 'costPerCallUsd', 'unpricedCount'] }, buildInput([{ ts: day('02') }, { ts: day('02') }]))
    expect(unpriced.rows).toEqual([{ key: [], values: { costUsd: null, costPerCallUsd: null, unpricedCount: 2 } }])
    const empty = aggregate({ measures: ['count', 'costUsd', 'errorRate', 'latency.p95', 'uniqueUsers'], groupBy: ['model'] }, buildInput([]))
    expect(empty.rows).toEqual([])
    expect(empty.totals).toEqual({ count: 0, costUsd: null, errorRate: null, 'latency.p95': null, uniqueUsers: 0 })
  })

  it('counts spans only when asked, and never as unpriced', () => {
    const result = aggregate({ measures: ['count', 'unpricedCount', 'latency.p50'], eventNames: ['$ai_span', '$ai_unknown'] }, buildInput(calls))
    expect(result.rows).toEqual([{ key: [], values: { count: 1, unpricedCount: 0, 'latency.p50': 100 } }])
    expect(aggregate({ measures: ['count'], eventNames: [] }, buildInput(calls)).totals).toEqual({ count: 0 })
  })
})

describe('runAggregate: filters and range', () => {
  const input = buildInput(calls)

  it('keeps [fromMs, toMs) only', () => {
    const result = aggregate({ measures: ['count'], range: { fromMs: Date.parse(day('03', '12:00:00')), toMs: Date.parse(day('04', '12:00:00')) } }, input)
    expect(result.totals).toEqual({ count: 2 })
  })

  it('matches nothing for unknown values with in, everything with notIn, and absent values with null', () => {
    const count = (spec: Omit<AggregateSpec, 'kind' | 'measures'>) => aggregate({ measures: ['count'], ...spec }, input).totals.count
    expect(count({ filters: [{ dimension: 'model', op: 'in', values: ['gpt-5'] }] })).toBe(0)
    expect(count({ filters: [{ dimension: 'model', op: 'notIn', values: ['gpt-5'] }] })).toBe(7)
    expect(count({ filters: [{ dimension: 'model', op: 'in', values: [null] }] })).toBe(1)
    expect(count({ filters: [{ dimension: 'model', op: 'notIn', values: [null, 'claude'] }] })).toBe(4)
    expect(count({ filters: [{ dimension: 'provider', op: 'in', values: ['anthropic', 'nobody'] }] })).toBe(2)
    expect(count({ filters: [{ dimension: 'property:plan', op: 'in', values: [null] }] })).toBe(7)
    expect(count({ filters: [{ dimension: 'property:undeclared', op: 'in', values: [null] }] })).toBe(7)
    expect(count({ filters: [{ dimension: 'property:undeclared', op: 'in', values: ['x'] }] })).toBe(0)
  })

  it('drops events without the field from numeric ranges (an unknown cost never passes)', () => {
    const count = (spec: Omit<AggregateSpec, 'kind' | 'measures'>) => aggregate({ measures: ['count'], ...spec }, input).totals.count
    expect(count({ filters: [{ field: 'costUsd', op: 'between' }] })).toBe(5)
    expect(count({ filters: [{ field: 'costUsd', op: 'between', min: 0.25, max: 1 }] })).toBe(3)
    expect(count({ filters: [{ field: 'latencyS', op: 'between', min: 2 }] })).toBe(4)
    expect(count({ filters: [{ field: 'inputTokens', op: 'between', max: 50 }] })).toBe(3)
  })

  it('ANDs filters, including isError', () => {
    const result = aggregate(
      {
        measures: ['count', 'costUsd'],
        filters: [
          { field: 'isError', op: 'equals', value: true },
          { dimension: 'provider', op: 'in', values: ['openai'] },
        ],
      },
      input,
    )
    expect(result.totals).toEqual({ count: 1, costUsd: 0.25 })
    expect(aggregate({ measures: ['count'], filters: [{ field: 'isError', op: 'equals', value: false }] }, input).totals.count).toBe(5)
  })
})

describe('runAggregate: groups', () => {
  it('groups by two dimensions, ordering by orderBy descending with null last and ties by key', () => {
    const result = aggregate({ measures: ['count'], groupBy: ['provider', 'model'], orderBy: 'costUsd' }, buildInput(calls))
    expect(result.rows.map((row) => [row.key, row.values.count])).toEqual([
      [['anthropic', 'claude'], 2],
      [['openai', 'gpt-4o'], 4],
      [['openai', null], 1],
    ])
    // Equal counts: keys in code-unit order, null first.
    const tied = aggregate({ measures: ['count'], groupBy: ['user'] }, buildInput(calls.slice(2, 6)))
    expect(tied.rows.map((row) => row.key)).toEqual([['ben'], ['cy'], ['zoe']])
  })

  it('groups by trace name and by a host property', () => {
    const input = buildInput([
      { ts: day('02'), traceName: 'chat', plan: 'pro' },
      { ts: day('02'), traceName: 'chat', plan: 'free' },
      { ts: day('02'), plan: 'pro' },
    ])
    expect(aggregate({ measures: ['count'], groupBy: ['traceName'] }, input).rows.map((row) => [row.key, row.values.count])).toEqual([
      [['chat'], 2],
      [[null], 1],
    ])
    expect(aggregate({ measures: ['count'], groupBy: ['property:plan'] }, input).rows.map((row) => [row.key, row.values.count])).toEqual([
      [['pro'], 2],
      [['free'], 1],
    ])
    const { traceNameCodes: _, ...withoutTraceNames } = input
    expect(() => aggregate({ measures: ['count'], groupBy: ['traceName'] }, withoutTraceNames)).toThrow(TypeError)
  })

  it('folds all but the top N into (other), recomputing its percentiles and users from its rows', () => {
    const events: TestEvent[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ ts: day('02'), model: 'a', user: 'u1', latencyS: 1 + i })),
      ...Array.from({ length: 4 }, (_, i) => ({ ts: day('02'), model: 'b', user: 'u1', latencyS: 10 + i })),
      // c and d share users and interleave their latencies: neither p95 nor the users add up.
      ...[20, 40, 60].map((latencyS) => ({ ts: day('02'), model: 'c', user: 'u2', latencyS })),
      ...[30, 50].map((latencyS) => ({ ts: day('03'), model: 'd', user: 'u2', latencyS })),
      { ts: day('03'), model: 'd', user: 'u3' },
    ]
    const result = aggregate({ measures: ['count', 'latency.p50', 'latency.p95', 'uniqueUsers'], groupBy: ['model'], limit: 2 }, buildInput(events))
    expect(result.rows).toEqual([
      { key: ['a'], values: { count: 5, 'latency.p50': 3, 'latency.p95': 5, uniqueUsers: 1 } },
      { key: ['b'], values: { count: 4, 'latency.p50': 11, 'latency.p95': 13, uniqueUsers: 1 } },
      { key: ['(other)'], values: { count: 6, 'latency.p50': 40, 'latency.p95': 60, uniqueUsers: 2 } },
    ])
    expect(result.totals).toEqual({ count: 15, 'latency.p50': 11, 'latency.p95': 60, uniqueUsers: 3 })

    // Ranked by p95 over the whole range, per day: d (50) beats b (13) and c (60) leads.
    const series = aggregate(
      { measures: ['count', 'latency.p95'], groupBy: ['model'], limit: 2, orderBy: 'latency.p95', interval: 'day' },
      buildInput(events),
    )
    expect(series.rows.map((row) => [row.key[0], new Date(row.bucketStartMs ?? 0).toISOString().slice(0, 10), row.values])).toEqual([
      ['c', '2026-03-02', { count: 3, 'latency.p95': 60 }],
      ['d', '2026-03-03', { count: 3, 'latency.p95': 50 }],
      ['(other)', '2026-03-02', { count: 9, 'latency.p95': 13 }],
    ])
  })

  it('groups by three dimensions: one row per combination with events, folded to the top N with (other) in every key', () => {
    const input = buildInput(calls)
    const result = aggregate({ measures: ['count', 'errorCount'], groupBy: ['model', 'provider', 'user'], orderBy: 'count' }, input)
    expect(result.rows.map((row) => [row.key, row.values.count, row.values.errorCount])).toEqual([
      [['gpt-4o', 'openai', 'ana'], 2, 1],
      // Ties by key: model, then provider, then user (code-unit order, null first).
      [[null, 'openai', 'ana'], 1, 0],
      [['claude', 'anthropic', 'ben'], 1, 1],
      [['claude', 'anthropic', 'cy'], 1, 0],
      [['gpt-4o', 'openai', 'ben'], 1, 0],
      [['gpt-4o', 'openai', 'zoe'], 1, 0],
    ])
    const folded = aggregate({ measures: ['count', 'latency.p95'], groupBy: ['model', 'provider', 'user'], orderBy: 'count', limit: 2, interval: 'day' }, input)
    expect(folded.rows.map((row) => [row.key, new Date(row.bucketStartMs ?? 0).toISOString().slice(0, 10), row.values])).toEqual([
      [['gpt-4o', 'openai', 'ana'], '2026-03-02', { count: 2, 'latency.p95': 3 }],
      [[null, 'openai', 'ana'], '2026-03-05', { count: 1, 'latency.p95': null }],
      [['(other)', '(other)', '(other)'], '2026-03-03', { count: 2, 'latency.p95': 10 }],
      [['(other)', '(other)', '(other)'], '2026-03-04', { count: 2, 'latency.p95': 4 }],
    ])
  })

  it('keeps every group when there are no more than limit, and folds everything with limit 0', () => {
    const input = buildInput(calls)
    expect(aggregate({ measures: ['count'], groupBy: ['model'], limit: 3 }, input).rows.map((row) => row.key)).toEqual([['gpt-4o'], ['claude'], [null]])
    expect(aggregate({ measures: ['count'], groupBy: ['model', 'provider'], limit: 0 }, input).rows).toEqual([
      { key: ['(other)', '(other)'], values: { count: 7 } },
    ])
  })
})

describe('runAggregate: series', () => {
  it('buckets by day with every bucket listed, empty ones included, rows by group then bucket', () => {
    const result = aggregate(
      {
        measures: ['count', 'costUsd'],
        groupBy: ['model'],
        interval: 'day',
        range: { fromMs: Date.parse('2026-03-01T00:00:00Z'), toMs: Date.parse('2026-03-07T00:00:00Z') },
      },
      buildInput(calls),
    )
    expect(result.bucketStartsMs?.map((ms) => new Date(ms).toISOString().slice(0, 10))).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ])
    expect(result.rows.map((row) => [row.key[0], new Date(row.bucketStartMs ?? 0).toISOString().slice(0, 10), row.values])).toEqual([
      // Ranked by count (the first measure) over the whole range: gpt-4o has 4 calls, claude 2.
      ['gpt-4o', '2026-03-02', { count: 2, costUsd: 0.75 }],
      ['gpt-4o', '2026-03-03', { count: 2, costUsd: 1 }],
      ['claude', '2026-03-04', { count: 2, costUsd: 2 }],
      [null, '2026-03-05', { count: 1, costUsd: 0.125 }],
    ])
  })

  it('puts events in local days across the Berlin spring change, over the data extent without a range', () => {
    const result = aggregate(
      { measures: ['count'], interval: 'day', timeZone: 'Europe/Berlin' },
      buildInput([
        { ts: '2026-03-28T22:59:59Z' },
        { ts: '2026-03-28T23:00:00Z' },
        { ts: '2026-03-29T21:59:59Z' },
        { ts: '2026-03-29T22:00:00Z' },
        { ts: '2026-03-31T10:00:00Z' },
      ]),
    )
    expect(result.bucketStartsMs?.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-03-30T22:00:00.000Z',
    ])
    expect(result.rows.map((row) => row.values.count)).toEqual([1, 2, 1, 1])
  })
})

describe('runAggregate: refusals', () => {
  it('refuses more than 5000 cells, naming the spec fields to narrow', () => {
    const events = Array.from({ length: 300 }, (_, i) => ({ ts: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`, user: `u${i}` }))
    const spec = {
      measures: ['count' as const],
      groupBy: ['user' as const],
      interval: 'day' as const,
      range: { fromMs: Date.parse('2026-01-01T00:00:00Z'), toMs: Date.parse('2026-01-29T00:00:00Z') },
    }
    expect(300 * 28).toBeGreaterThan(MAX_AGGREGATE_CELLS)
    expect(() => aggregate(spec, buildInput(events))).toThrow(RangeError)
    expect(() => aggregate(spec, buildInput(events))).toThrow(/spec\.limit.*spec\.groupBy.*spec\.interval.*spec\.range/)
    expect(aggregate({ ...spec, limit: 10 }, buildInput(events)).rows.length).toBeLessThanOrEqual(11 * 28)
    expect(() => aggregate({ measures: ['count'], interval: 'hour', range: { fromMs: 0, toMs: 365 * 86_400_000 } }, buildInput([]))).toThrow(
      /spec\.range/,
    )
  })

  it('refuses unknown measures, dimensions, zones, four dimensions and a bad limit', () => {
    const input = buildInput(calls)
    expect(() => aggregate({ measures: ['latency.p42' as 'latency.p50'] }, input)).toThrow(RangeError)
    expect(() => aggregate({ measures: ['count'], groupBy: ['colour' as 'model'] }, input)).toThrow(RangeError)
    expect(() => aggregate({ measures: ['count'], interval: 'day', timeZone: 'Nowhere/Land' }, input)).toThrow(RangeError)
    expect(() => aggregate({ measures: ['count'], groupBy: ['model', 'provider', 'user', 'event'] }, input)).toThrow(RangeError)
    expect(() => aggregate({ measures: ['count'], groupBy: ['model', 'provider', 'user', 'event'] }, input)).toThrow(
      /spec\.groupBy has 4 dimensions; an aggregate groups by at most 3/,
    )
    expect(() => aggregate({ measures: ['count'], groupBy: ['model'], limit: -1 }, input)).toThrow(RangeError)
  })
})
