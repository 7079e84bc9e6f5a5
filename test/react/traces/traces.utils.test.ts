import { describe, expect, it } from 'vitest'
import { EMPTY_FILTER_VALUE, countActiveFilters, toQueryFilters } from '../../../src/react/controls/filters'
import { formatCount, formatDateTime, formatMs, formatSeconds, formatUsd } from '../../../src/react/format'
import {
  axisTicks,
  barGeometry,
  collapsedFlags,
  positionsById,
  searchTrace,
  siblingPlaces,
  visibleRows,
  zoomWindow,
  type TraceShape,
} from '../../../src/react/traces/traceViewer.utils'
import { codeStrings, packStrings } from '../../../src/query/traceStrings'

const coded = (values: (string | null)[]) => codeStrings(values.length, (position) => values[position] ?? null)
const packed = (values: string[]) => packStrings(values.length, (position) => values[position] as string)

describe('formatting', () => {
  it('writes costs with the decimals a per-call cost needs, and unknown as a dash', () => {
    expect([1234.567, 1, 0.0123, 0.00042, 0, null, Number.NaN].map(formatUsd)).toEqual(['$1,234.57', '$1.00', '$0.0123', '$0.00042', '$0.00', '–', '–'])
  })

  it('writes durations in ms, seconds or minutes', () => {
    expect([0.84, 0.9996, 1.2345, 12.34, 125.4, undefined].map(formatSeconds)).toEqual(['840 ms', '1.00 s', '1.23 s', '12.3 s', '2 min 5 s', '–'])
    expect(formatMs(1500)).toBe('1.50 s')
    expect(formatCount(12345.4)).toBe('12,345')
    expect(formatDateTime(Number.NaN)).toBe('–')
  })
})

describe('filter values', () => {
  it('become the spec’s filters and search, and are counted', () => {
    const value = {
      ...EMPTY_FILTER_VALUE,
      models: ['gpt-4o', null],
      status: 'error' as const,
      costUsd: { min: 0.5 },
      latencyS: { min: Number.NaN, max: 2 },
      search: '  refund ',
    }
    expect(toQueryFilters(value)).toEqual({
      filters: [
        { dimension: 'model', op: 'in', values: ['gpt-4o', null] },
        { field: 'isError', op: 'equals', value: true },
        { field: 'costUsd', op: 'between', min: 0.5 },
        { field: 'latencyS', op: 'between', max: 2 },
      ],
      search: 'refund',
    })
    expect(countActiveFilters(value)).toBe(5)
    expect(toQueryFilters(EMPTY_FILTER_VALUE)).toEqual({ filters: [], search: undefined })
  })
})

/**
 * root(0) ─┬─ a(1) ─┬─ a1(2)
 *          │        └─ a2(3)
 *          └─ b(4) ── b1(5)
 * orphan(6)
 */
const shape: TraceShape = {
  nodeCount: 7,
  nodeIds: packed(['root', 'a', 'a1', 'a2', 'b', 'b1', 'orphan']),
  names: coded(['root', 'agent', 'plan', 'search', 'tool', 'call', null]),
  models: coded([null, null, 'gpt-4o', null, null, 'claude', 'gpt-4o-mini']),
  eventNames: coded(['$ai_trace', '$ai_span', '$ai_generation', '$ai_span', '$ai_span', '$ai_generation', '$ai_generation']),
  depth: Uint16Array.from([0, 1, 2, 2, 1, 2, 0]),
  parentPosition: Int32Array.from([-1, 0, 1, 1, 0, 4, -1]),
  subtreeSize: Int32Array.from([6, 3, 1, 1, 2, 1, 1]),
}

describe('trace tree rows', () => {
  it('place each node among its siblings, roots together', () => {
    const { posInSet, setSize } = siblingPlaces(shape, 7)
    expect([...posInSet]).toEqual([1, 1, 1, 2, 2, 1, 2])
    expect([...setSize]).toEqual([2, 2, 2, 2, 2, 1, 2])
  })

  it('skip collapsed subtrees, and stop at the loaded count', () => {
    const positions = positionsById(shape, 7)
    expect([...visibleRows(shape, 7, collapsedFlags(new Set(), positions, 7))]).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect([...visibleRows(shape, 7, collapsedFlags(new Set(['a']), positions, 7))]).toEqual([0, 1, 4, 5, 6])
    expect([...visibleRows(shape, 7, collapsedFlags(new Set(['root']), positions, 7))]).toEqual([0, 6])
    expect([...visibleRows(shape, 4, new Uint8Array(4))]).toEqual([0, 1, 2, 3])
  })

  it('search names, ids and models, keeping the matches’ ancestors', () => {
    const found = searchTrace(shape, 7, ' GPT-4O ')
    expect([...(found?.matches ?? [])]).toEqual([0, 0, 1, 0, 0, 0, 1])
    expect(found?.matchCount).toBe(2)
    expect([...visibleRows(shape, 7, new Uint8Array(7), found?.kept)]).toEqual([0, 1, 2, 6])
    expect(searchTrace(shape, 7, '  ')).toBeUndefined()
  })
})

describe('waterfall geometry', () => {
  const bounds = { fromMs: 0, toMs: 1000 }

  it('places bars in a window, clipped at its edges', () => {
    expect(barGeometry(250, 500, bounds)).toEqual({ leftPercent: 25, widthPercent: 25, clipped: false })
    expect(barGeometry(-100, 100, bounds)).toEqual({ leftPercent: 0, widthPercent: 10, clipped: true })
    expect(barGeometry(2000, 3000, bounds)).toEqual({ leftPercent: 100, widthPercent: 0, clipped: true })
  })

  it('zooms around a time, kept inside the trace', () => {
    expect(zoomWindow(bounds, bounds, 2, 500)).toEqual({ fromMs: 250, toMs: 750 })
    expect(zoomWindow(bounds, bounds, 4, 950)).toEqual({ fromMs: 750, toMs: 1000 })
    expect(zoomWindow({ fromMs: 750, toMs: 1000 }, bounds, 0.25, 950)).toEqual(bounds)
    expect(axisTicks({ fromMs: 100, toMs: 500 }, 0, 4).map((tick) => tick.offsetMs)).toEqual([100, 200, 300, 400, 500])
  })
})
