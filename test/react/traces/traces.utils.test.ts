import { describe, expect, it } from 'vitest'
import { EMPTY_FILTER_VALUE, countActiveFilters, toQueryFilters } from '../../../src/react/controls/filters'
import { formatCount, formatDateTime, formatMs, formatSeconds, formatUsd } from '../../../src/react/format'
import {
  axisTicks,
  barGeometry,
  collapsedFlags,
  nodeLookup,
  parentNodes,
  revealNode,
  searchTrace,
  siblingPlaces,
  visibleRows,
  zoomWindow,
  type TraceShape,
} from '../../../src/react/traces/traceViewer.utils'
import { packStrings, type CodedStrings } from '../../../src/query/traceStrings'

const packed = (values: string[]) => packStrings(values.length, (position) => values[position] as string)
/** Strings as a trace result codes them: 0 for absent, else 1 + the index of the distinct value. */
function coded(values: (string | null)[]): CodedStrings {
  const distinct = [...new Set(values.filter((value): value is string => value !== null))]
  return { codes: Uint32Array.from(values, (value) => (value === null ? 0 : distinct.indexOf(value) + 1)), values: packed(distinct) }
}

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
  nodeIds: coded(['root', 'a', 'a1', 'a2', 'b', 'b1', 'orphan']),
  names: coded(['root', 'agent', 'plan', 'search', 'tool', 'call', null]),
  models: coded([null, null, 'gpt-4o', null, null, 'claude', 'gpt-4o-mini']),
  eventNames: coded(['$ai_trace', '$ai_span', '$ai_generation', '$ai_span', '$ai_span', '$ai_generation', '$ai_generation']),
  depth: Uint16Array.from([0, 1, 2, 2, 1, 2, 0]),
  parentPosition: Int32Array.from([-1, 0, 1, 1, 0, 4, -1]),
  subtreeSize: Int32Array.from([6, 3, 1, 1, 2, 1, 1]),
}

describe('trace tree rows', () => {
  const placesOf = (count: number) => {
    const places = siblingPlaces(shape, count)
    const positions = Array.from({ length: count }, (_, position) => position)
    // Asked out of order, as rows in view ask: each family is worked out when first asked.
    const order = [...positions].reverse()
    const posInSet = new Map(order.map((position) => [position, places.posInSet(position)]))
    return { posInSet: positions.map((position) => posInSet.get(position)), setSize: positions.map(places.setSize) }
  }

  it('place each node among its siblings, roots together', () => {
    expect(placesOf(7)).toEqual({ posInSet: [1, 1, 1, 2, 2, 1, 2], setSize: [2, 2, 2, 2, 2, 1, 2] })
  })

  it('place nodes among the loaded siblings only', () => {
    // The first 4: root, a, a1, a2; b and the orphan are not loaded.
    expect(placesOf(4)).toEqual({ posInSet: [1, 1, 1, 2], setSize: [1, 1, 2, 2] })
  })

  it('skip collapsed subtrees, and stop at the loaded count', () => {
    const lookup = nodeLookup(shape, 7)
    const collapsing = (...ids: string[]) => collapsedFlags(new Map(ids.map((id) => [id, -1])), lookup, 7)
    expect([...visibleRows(shape, 7, collapsing())]).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect([...visibleRows(shape, 7, collapsing('a'))]).toEqual([0, 1, 4, 5, 6])
    expect([...visibleRows(shape, 7, collapsing('root'))]).toEqual([0, 6])
    expect([...visibleRows(shape, 4, new Uint8Array(4))]).toEqual([0, 1, 2, 3])
    expect([...visibleRows(shape, 7, collapsedFlags(parentNodes(shape, 7), lookup, 7))]).toEqual([0, 6])
  })

  it('find nodes by id, trusting a hint only when it holds the id', () => {
    const repeated = { nodeIds: coded(['root', 'a', 'x', 'x', 'b']) }
    const lookup = nodeLookup(repeated, 5)
    expect(lookup.positionOf('b')).toBe(4)
    expect(lookup.positionOf('x')).toBe(2)
    expect(lookup.positionOf('x', 3)).toBe(3)
    expect(lookup.positionOf('a', 3)).toBe(1)
    expect(lookup.positionOf('missing', 0)).toBe(-1)
    // Nodes past the loaded count are not found.
    expect(nodeLookup(repeated, 2).positionOf('b', 4)).toBe(-1)
  })

  it('reveal a node by expanding its collapsed ancestors only', () => {
    const collapsed = new Map([
      ['a', 1],
      ['b', 4],
    ])
    expect([...revealNode(shape, 3, collapsed).keys()]).toEqual(['b'])
    expect(revealNode(shape, 5, new Map([['a', 1]]))).toEqual(new Map([['a', 1]]))
  })

  it('search names, ids and models, keeping the matches’ ancestors', () => {
    const found = searchTrace(shape, 7, ' GPT-4O ')
    expect([...(found?.matches ?? [])]).toEqual([0, 0, 1, 0, 0, 0, 1])
    expect(found?.matchCount).toBe(2)
    expect([...visibleRows(shape, 7, new Uint8Array(7), found?.kept)]).toEqual([0, 1, 2, 6])
    expect(searchTrace(shape, 7, '  ')).toBeUndefined()
  })

  it('search ids within one id, never across two packed side by side', () => {
    // "a1a2" spans the ids of a1 and a2 in the packed text; "oot" is inside "root" only.
    expect(searchTrace(shape, 7, 'a1a2')?.matchCount).toBe(0)
    expect([...(searchTrace(shape, 7, 'OOT')?.matches ?? [])]).toEqual([1, 0, 0, 0, 0, 0, 0])
    expect([...(searchTrace(shape, 7, 'b1')?.kept ?? [])]).toEqual([1, 0, 0, 0, 1, 1, 0])
    // Only the loaded nodes are searched.
    expect(searchTrace(shape, 3, 'orphan')?.matchCount).toBe(0)
    expect(searchTrace(shape, 7, 'orphan')?.matchCount).toBe(1)
  })

  it('search text that changes length in lower case', () => {
    const turkish: TraceShape = { ...shape, nodeCount: 2, nodeIds: coded(['İstanbul', 'ankara']), names: coded([null, null]), models: coded([null, null]), eventNames: coded([null, null]) }
    expect([...(searchTrace(turkish, 2, 'ankara')?.matches ?? [])]).toEqual([0, 1])
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
