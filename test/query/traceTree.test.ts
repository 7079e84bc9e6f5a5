import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  buildTraceTree,
  collapseVisibleRows,
  MAX_TRACE_TREE_DEPTH,
  rollUpTraceTree,
  searchTree,
  shapeTraceTree,
  TRACE_EVENT_KIND,
  traceEventKindOf,
  type TraceTree,
  type TraceTreeInput,
} from '../../src/query/traceTree'

type KindName = keyof typeof TRACE_EVENT_KIND

/** One event of a hand-written trace; absent figures are NaN, as in the columns. */
interface EventRow {
  id: string
  parent?: string | null
  kind?: KindName
  startMs?: number
  latencyS?: number
  costUsd?: number
  inputTokens?: number
  outputTokens?: number
  isError?: boolean
  name?: string
}

const TRACE_ID = 'trace-1'

/** A tree input with the string ids it was coded from, for the expectations and the reference. */
interface TestInput extends TraceTreeInput {
  nodeIds: string[]
  parentIds: (string | null)[]
}

/**
 * The input of `rows`, ids coded as the engine codes them: one code per distinct id string,
 * 0 for a parent that is absent or the trace id.
 */
function inputOf(rows: readonly EventRow[], traceId = TRACE_ID): TestInput {
  const count = rows.length
  const codeById = new Map<string, number>()
  const codeOf = (id: string) => {
    let code = codeById.get(id)
    if (code === undefined) {
      code = codeById.size + 1
      codeById.set(id, code)
    }
    return code
  }
  const input: TestInput = {
    traceId,
    count,
    nodeIds: rows.map((row) => row.id),
    parentIds: rows.map((row) => row.parent ?? null),
    nodeIdCodes: Int32Array.from(rows, (row) => codeOf(row.id)),
    parentIdCodes: Int32Array.from(rows, (row) => (row.parent == null || row.parent === traceId ? 0 : codeOf(row.parent))),
    idCodeCount: 0,
    eventKinds: new Uint8Array(count),
    startMs: new Float64Array(count),
    latencyS: new Float64Array(count),
    costUsd: new Float64Array(count),
    inputTokens: new Float64Array(count),
    outputTokens: new Float64Array(count),
    isError: new Uint8Array(count),
  }
  input.idCodeCount = codeById.size + 1
  rows.forEach((row, index) => {
    input.eventKinds[index] = TRACE_EVENT_KIND[row.kind ?? 'span']
    input.startMs[index] = row.startMs ?? 0
    input.latencyS[index] = row.latencyS ?? Number.NaN
    input.costUsd[index] = row.costUsd ?? Number.NaN
    input.inputTokens[index] = row.inputTokens ?? Number.NaN
    input.outputTokens[index] = row.outputTokens ?? Number.NaN
    input.isError[index] = row.isError ? 1 : 0
  })
  return input
}

/** Node ids in pre-order. */
function preOrderIds(tree: TraceTree, input: TestInput): string[] {
  return Array.from(tree.order, (index) => input.nodeIds[index]!)
}

/** The pre-order position of the node whose input event has this id (the first such event). */
function positionOf(tree: TraceTree, input: TestInput, nodeId: string): number {
  const position = Array.from(tree.order).findIndex((index) => input.nodeIds[index] === nodeId)
  if (position < 0) {
    throw new Error(`${nodeId} is not in the tree`)
  }
  return position
}

/** A trace as `@posthog/ai` with LangChain would send it: an agent span, a tool span, three generations. */
const agentTrace: EventRow[] = [
  { id: 'gen-2', parent: 'tool', kind: 'generation', startMs: 1_100, latencyS: 0.2, costUsd: 0.002, inputTokens: 50, outputTokens: 5 },
  { id: 'tool', parent: 'agent', startMs: 1_030, latencyS: 0.5, name: 'search' },
  { id: TRACE_ID, kind: 'trace', startMs: 0 },
  { id: 'gen-1', parent: 'agent', kind: 'generation', startMs: 20, latencyS: 1, costUsd: 0.01, inputTokens: 100, outputTokens: 20 },
  { id: 'agent', startMs: 10, name: 'agent' },
  { id: 'gen-0', parent: TRACE_ID, kind: 'generation', startMs: 5, latencyS: 0.001, costUsd: 0.0001, inputTokens: 10, outputTokens: 1, isError: true },
]

describe('buildTraceTree: structure', () => {
  it('lays a trace out in pre-order, children by start time, with depths, parents and subtree sizes', () => {
    const input = inputOf(agentTrace)
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual([TRACE_ID, 'gen-0', 'agent', 'gen-1', 'tool', 'gen-2'])
    expect(Array.from(tree.order)).toEqual([2, 5, 4, 3, 1, 0])
    expect(Array.from(tree.depth)).toEqual([0, 1, 1, 2, 2, 3])
    expect(Array.from(tree.parentPosition)).toEqual([-1, 0, 0, 2, 2, 4])
    expect(Array.from(tree.subtreeSize)).toEqual([6, 1, 4, 1, 2, 1])
    expect(tree).toMatchObject({ traceId: TRACE_ID, nodeCount: 6, rootCount: 1, orphanCount: 0, brokenCycleCount: 0, excludedCount: 0 })
    expect(Array.from(tree.isOrphan)).toEqual([0, 0, 0, 0, 0, 0])
    expect(Array.from(tree.isCycleBreak)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('rolls cost and tokens up as PostHog does: own figures when present, else the children summed', () => {
    const input = inputOf(agentTrace)
    const tree = buildTraceTree(input)

    expect(Array.from(tree.ownCostUsd)).toEqual([Number.NaN, 0.0001, Number.NaN, 0.01, Number.NaN, 0.002])
    expect(tree.rolledCostUsd[positionOf(tree, input, 'tool')]).toBe(0.002)
    expect(tree.rolledCostUsd[positionOf(tree, input, 'agent')]).toBeCloseTo(0.012, 12)
    expect(tree.rolledCostUsd[0]).toBeCloseTo(0.0121, 12)
    expect(Array.from(tree.rolledInputTokens)).toEqual([160, 10, 150, 100, 50, 50])
    expect(Array.from(tree.rolledOutputTokens)).toEqual([26, 1, 25, 20, 5, 5])
    expect(Array.from(tree.subtreeErrorCount)).toEqual([1, 1, 0, 0, 0, 0])
    expect(Array.from(tree.subtreeUnknownCostCount)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('gives end times and the wall-clock span of children, not their sum, to nodes without a latency', () => {
    const input = inputOf(agentTrace)
    const tree = buildTraceTree(input)

    // tool: own 0.5 s from 1030 ms. agent: children from 20 ms (gen-1) to 1530 ms (tool).
    expect(Array.from(tree.startMs)).toEqual([0, 5, 10, 20, 1_030, 1_100])
    expect(Array.from(tree.endMs)).toEqual([1_530, 6, 1_530, 1_020, 1_530, 1_300])
    expect(tree.rolledLatencyS[positionOf(tree, input, 'agent')]).toBeCloseTo(1.51, 12)
    expect(tree.rolledLatencyS[0]).toBeCloseTo(1.525, 12)
    expect(tree.rolledLatencyS[positionOf(tree, input, 'tool')]).toBe(0.5)
    expect(tree.traceStartMs).toBe(0)
    expect(tree.traceEndMs).toBe(1_530)
  })

  it('measures parallel children by their span: two overlapping 1 s calls take 1.2 s, not 2 s', () => {
    const input = inputOf([
      { id: 'parallel', startMs: 0 },
      { id: 'call-a', parent: 'parallel', startMs: 0, latencyS: 1 },
      { id: 'call-b', parent: 'parallel', startMs: 200, latencyS: 1 },
      { id: 'marker', parent: 'parallel', startMs: 100 },
    ])
    const tree = buildTraceTree(input)

    expect(tree.rolledLatencyS[0]).toBeCloseTo(1.2, 12)
    expect(tree.endMs[0]).toBe(1_200)
    expect(tree.rolledLatencyS[positionOf(tree, input, 'marker')]).toBeNaN()
    expect(tree.endMs[positionOf(tree, input, 'marker')]).toBe(100)
  })

  it('keeps a span’s own figures over its children’s, field by field', () => {
    const input = inputOf([
      { id: 'chain', startMs: 0, latencyS: 0.3, costUsd: 5, inputTokens: 7 },
      { id: 'llm-a', parent: 'chain', kind: 'generation', startMs: 1, latencyS: 2, costUsd: 1, inputTokens: 100, outputTokens: 10 },
      { id: 'llm-b', parent: 'chain', kind: 'generation', startMs: 2, latencyS: 2, costUsd: 2, inputTokens: 200, outputTokens: 20 },
    ])
    const tree = buildTraceTree(input)

    expect(tree.rolledCostUsd[0]).toBe(5)
    expect(tree.rolledInputTokens[0]).toBe(7)
    expect(tree.rolledOutputTokens[0]).toBe(30)
    expect(tree.rolledLatencyS[0]).toBe(0.3)
    // The own latency sets the end even when children outlive the node.
    expect(tree.endMs[0]).toBe(300)
    expect(tree.traceEndMs).toBe(2_002)
  })

  it('counts unknown generation and embedding costs instead of reading them as 0', () => {
    const input = inputOf([
      { id: 'root', startMs: 0 },
      { id: 'known-a', parent: 'root', kind: 'generation', startMs: 1, costUsd: 0.01 },
      { id: 'unknown-a', parent: 'root', kind: 'generation', startMs: 2 },
      { id: 'known-b', parent: 'root', kind: 'generation', startMs: 3, costUsd: 0.02 },
      { id: 'unknown-embedding', parent: 'root', kind: 'embedding', startMs: 4 },
      { id: 'span-without-cost', parent: 'root', startMs: 5 },
      { id: 'all-unknown', parent: 'root', startMs: 6 },
      { id: 'unknown-b', parent: 'all-unknown', kind: 'generation', startMs: 7 },
      { id: 'unknown-c', parent: 'all-unknown', kind: 'generation', startMs: 8 },
    ])
    const tree = buildTraceTree(input)

    expect(tree.rolledCostUsd[0]).toBeCloseTo(0.03, 12)
    expect(tree.subtreeUnknownCostCount[0]).toBe(4)
    const allUnknown = positionOf(tree, input, 'all-unknown')
    expect(tree.rolledCostUsd[allUnknown]).toBeNaN()
    expect(tree.subtreeUnknownCostCount[allUnknown]).toBe(2)
    expect(tree.subtreeUnknownCostCount[positionOf(tree, input, 'span-without-cost')]).toBe(0)
    expect(tree.subtreeUnknownCostCount[positionOf(tree, input, 'unknown-embedding')]).toBe(1)
  })

  it('orders siblings with the same start by input order, and siblings without a start last', () => {
    const input = inputOf([
      { id: 'root', startMs: 0 },
      { id: 'no-start', parent: 'root', startMs: Number.NaN },
      { id: 'tie-first', parent: 'root', startMs: 5 },
      { id: 'early', parent: 'root', startMs: -3 },
      { id: 'tie-second', parent: 'root', startMs: 5 },
    ])
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual(['root', 'early', 'tie-first', 'tie-second', 'no-start'])
  })

  it('counts errors over the whole subtree', () => {
    const input = inputOf([
      { id: 'root', startMs: 0, isError: true },
      { id: 'child', parent: 'root', startMs: 1, isError: true },
      { id: 'grandchild', parent: 'child', startMs: 2, isError: true },
      { id: 'fine', parent: 'root', startMs: 3 },
    ])
    const tree = buildTraceTree(input)

    expect(Array.from(tree.subtreeErrorCount)).toEqual([3, 2, 1, 0])
  })
})

describe('buildTraceTree: linking rules', () => {
  it('without a $ai_trace event, makes the trace’s direct children roots (a pseudo-trace)', () => {
    const input = inputOf([
      { id: 'second', parent: TRACE_ID, startMs: 20 },
      { id: 'first', startMs: 10 },
      { id: 'nested', parent: 'first', kind: 'generation', startMs: 11, inputTokens: 3 },
    ])
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual(['first', 'nested', 'second'])
    expect(tree).toMatchObject({ rootCount: 2, orphanCount: 0, nodeCount: 3 })
    expect(Array.from(tree.parentPosition)).toEqual([-1, 0, -1])
    expect(Array.from(tree.isOrphan)).toEqual([0, 0, 0])
  })

  it('hangs nodes whose parent is the trace id under the $ai_trace event, whatever that event’s own id', () => {
    const input = inputOf([
      { id: 'uuid-of-the-trace-event', kind: 'trace', startMs: 0, parent: 'ignored-parent' },
      { id: 'by-trace-id', parent: TRACE_ID, startMs: 1 },
      { id: 'by-event-id', parent: 'uuid-of-the-trace-event', startMs: 2 },
      { id: 'no-parent', startMs: 3 },
    ])
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual(['uuid-of-the-trace-event', 'by-trace-id', 'by-event-id', 'no-parent'])
    expect(Array.from(tree.parentPosition)).toEqual([-1, 0, 0, 0])
    expect(tree.rootCount).toBe(1)
  })

  it('treats a second $ai_trace event as an ordinary node under the first', () => {
    const input = inputOf([
      { id: 'trace-event-a', kind: 'trace', startMs: 5 },
      { id: 'trace-event-b', kind: 'trace', startMs: 0 },
    ])
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual(['trace-event-a', 'trace-event-b'])
    expect(tree.rootCount).toBe(1)
  })

  it('makes nodes whose parent is not in the trace flagged roots, with their own children', () => {
    const input = inputOf([
      { id: TRACE_ID, kind: 'trace', startMs: 0 },
      { id: 'lost', parent: 'span-from-another-trace', startMs: 5 },
      { id: 'lost-child', parent: 'lost', kind: 'generation', startMs: 6, outputTokens: 4 },
      { id: 'under-metric', parent: 'metric-event', startMs: 7 },
      { id: 'metric-event', kind: 'other', startMs: 1 },
      { id: 'fine', startMs: 1 },
    ])
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual([TRACE_ID, 'fine', 'lost', 'lost-child', 'under-metric'])
    expect(Array.from(tree.isOrphan)).toEqual([0, 0, 1, 0, 1])
    expect(Array.from(tree.parentPosition)).toEqual([-1, 0, -1, 2, -1])
    expect(tree).toMatchObject({ rootCount: 3, orphanCount: 2, excludedCount: 1, nodeCount: 5 })
    expect(tree.rolledOutputTokens[2]).toBe(4)
  })

  it('breaks a self-parent link and counts it', () => {
    const input = inputOf([
      { id: TRACE_ID, kind: 'trace', startMs: 0 },
      { id: 'narcissus', parent: 'narcissus', startMs: 3 },
      { id: 'child', parent: 'narcissus', startMs: 4, inputTokens: 9 },
    ])
    const tree = buildTraceTree(input)

    expect(preOrderIds(tree, input)).toEqual([TRACE_ID, 'narcissus', 'child'])
    expect(Array.from(tree.parentPosition)).toEqual([-1, -1, 1])
    expect(Array.from(tree.isCycleBreak)).toEqual([0, 1, 0])
    expect(Array.from(tree.isOrphan)).toEqual([0, 0, 0])
    expect(tree).toMatchObject({ brokenCycleCount: 1, orphanCount: 0, rootCount: 2 })
    expect(tree.rolledInputTokens[1]).toBe(9)
  })

  it('breaks a 3-cycle at its earliest-started member, whatever the input order', () => {
    const rows: EventRow[] = [
      { id: 'a', parent: 'c', startMs: 30 },
      { id: 'b', parent: 'a', startMs: 10 },
      { id: 'c', parent: 'b', startMs: 20 },
      { id: 'hanger', parent: 'a', startMs: 40 },
    ]
    for (const permutation of [rows, [...rows].reverse(), [rows[2]!, rows[0]!, rows[3]!, rows[1]!]]) {
      const input = inputOf(permutation)
      const tree = buildTraceTree(input)

      expect(preOrderIds(tree, input)).toEqual(['b', 'c', 'a', 'hanger'])
      expect(Array.from(tree.depth)).toEqual([0, 1, 2, 3])
      expect(Array.from(tree.isCycleBreak)).toEqual([1, 0, 0, 0])
      expect(tree).toMatchObject({ brokenCycleCount: 1, rootCount: 1, orphanCount: 0 })
    }
  })

  it('breaks every cycle of a trace, each once', () => {
    const input = inputOf([
      { id: TRACE_ID, kind: 'trace', startMs: 0 },
      { id: 'x', parent: 'y', startMs: 1 },
      { id: 'y', parent: 'x', startMs: 1 },
      { id: 'p', parent: 'q', startMs: 2 },
      { id: 'q', parent: 'r', startMs: 3 },
      { id: 'r', parent: 'p', startMs: 4 },
      { id: 'self', parent: 'self', startMs: 5 },
    ])
    const tree = buildTraceTree(input)

    // x and y start together: the lower input index (x) becomes the root.
    expect(preOrderIds(tree, input)).toEqual([TRACE_ID, 'x', 'y', 'p', 'r', 'q', 'self'])
    expect(tree).toMatchObject({ brokenCycleCount: 3, rootCount: 4, nodeCount: 7 })
  })

  it('keeps duplicate node ids as separate nodes and attaches children to the first', () => {
    const input = inputOf([
      { id: TRACE_ID, kind: 'trace', startMs: 0 },
      { id: 'dup', startMs: 20, kind: 'generation', inputTokens: 1 },
      { id: 'dup', startMs: 10, inputTokens: 2 },
      { id: 'child-of-dup', parent: 'dup', startMs: 30, inputTokens: 4 },
    ])
    const tree = buildTraceTree(input)

    expect(Array.from(tree.order)).toEqual([0, 2, 1, 3])
    expect(Array.from(tree.parentPosition)).toEqual([-1, 0, 0, 2])
    expect(tree.nodeCount).toBe(4)
    expect(tree.rolledInputTokens[0]).toBe(3)
  })

  it('leaves kind-4 events (metric, feedback, evaluation) out and counts them', () => {
    const input = inputOf([
      { id: TRACE_ID, kind: 'trace', startMs: 0 },
      { id: 'feedback', kind: 'other', startMs: 1, costUsd: 100 },
      { id: 'generation', kind: 'generation', startMs: 2, costUsd: 1 },
      { id: 'metric', kind: 'other', parent: 'generation', startMs: 3 },
    ])
    input.eventKinds[3] = 9 // any kind above 4 is "not a node" too
    const tree = buildTraceTree(input)

    expect(Array.from(tree.order)).toEqual([0, 2])
    expect(tree.excludedCount).toBe(2)
    expect(tree.rolledCostUsd[0]).toBe(1)
  })

  it('builds an empty tree from no events', () => {
    const input = inputOf([{ id: 'only-feedback', kind: 'other' }])
    const tree = buildTraceTree(input)

    expect(tree).toMatchObject({ nodeCount: 0, rootCount: 0, excludedCount: 1 })
    expect(tree.order).toHaveLength(0)
    expect(tree.traceStartMs).toBeNaN()
    expect(tree.traceEndMs).toBeNaN()
    expect(collapseVisibleRows(tree, new Uint8Array(0))).toHaveLength(0)
    expect(searchTree(tree, () => true).visiblePositions).toHaveLength(0)
  })

  it('reads only the first `count` entries and refuses columns shorter than `count`', () => {
    const input = inputOf(agentTrace)
    expect(buildTraceTree({ ...input, count: 2 }).nodeCount).toBe(2)
    expect(() => buildTraceTree({ ...input, count: 7 })).toThrow(RangeError)
    expect(() => buildTraceTree({ ...input, costUsd: new Float64Array(3) })).toThrow(/costUsd/)
    const shape = shapeTraceTree(input)
    const tree = buildTraceTree(input)
    const own = { kinds: new Uint8Array(6).fill(1), isError: new Uint8Array(6), startMs: tree.startMs, latencyS: tree.ownLatencyS, costUsd: tree.ownCostUsd, inputTokens: tree.ownInputTokens, outputTokens: tree.ownOutputTokens }
    expect(() => rollUpTraceTree(shape, { ...own, costUsd: new Float64Array(5) })).toThrow(/rollUpTraceTree: column costUsd/)
  })

  it('never looks up node code 0, reads parent codes outside the table as missing, and refuses node codes outside it', () => {
    const input = inputOf([
      { id: 'root', startMs: 0 },
      { id: 'child', parent: 'root', startMs: 1 },
      { id: 'stray', parent: 'root', startMs: 2 },
    ])
    // The engine gives 0 to nodes no event names as parent; a parent code 0 is the trace.
    input.nodeIdCodes[1] = 0
    input.parentIdCodes[2] = 99
    const tree = buildTraceTree(input)
    expect(preOrderIds(tree, input)).toEqual(['root', 'child', 'stray'])
    expect(Array.from(tree.isOrphan)).toEqual([0, 0, 1])

    input.nodeIdCodes[1] = input.idCodeCount
    expect(() => buildTraceTree(input)).toThrow(/nodeIdCodes\[1\]/)
    expect(() => buildTraceTree({ ...input, idCodeCount: 0 })).toThrow(RangeError)
  })
})

describe('buildTraceTree: scale', () => {
  /** A chain 200k deep: each span the child of the one before; only the deepest has figures. */
  function chainInput(length: number, reversed: boolean): TestInput {
    const rows: EventRow[] = []
    for (let k = 0; k < length; k++) {
      rows.push({
        id: `span-${k}`,
        parent: k === 0 ? null : `span-${k - 1}`,
        startMs: k,
        ...(k === length - 1 ? { latencyS: 1, inputTokens: 7, kind: 'generation' as const } : {}),
      })
    }
    return inputOf(reversed ? rows.reverse() : rows)
  }

  it.each([false, true])('builds a 200k-deep chain without recursion (input reversed: %s), depth capped', (reversed) => {
    const length = 200_000
    const tree = buildTraceTree(chainInput(length, reversed))

    expect(tree.nodeCount).toBe(length)
    expect(tree.rootCount).toBe(1)
    expect(tree.subtreeSize[0]).toBe(length)
    expect(tree.depth[MAX_TRACE_TREE_DEPTH - 1]).toBe(MAX_TRACE_TREE_DEPTH - 1)
    expect(tree.depth[MAX_TRACE_TREE_DEPTH]).toBe(MAX_TRACE_TREE_DEPTH)
    expect(tree.depth[length - 1]).toBe(MAX_TRACE_TREE_DEPTH)
    expect(tree.parentPosition[length - 1]).toBe(length - 2)
    expect(tree.rolledInputTokens[0]).toBe(7)
    expect(tree.subtreeUnknownCostCount[0]).toBe(1)
    // The leaf ends at 199 999 + 1000 ms; the root's first child starts at 1 ms.
    expect(tree.endMs[0]).toBe(200_999)
    expect(tree.rolledLatencyS[0]).toBeCloseTo(200.998, 9)
    expect(collapseVisibleRows(tree, Uint8Array.of(0, 1))).toEqual(Int32Array.of(0, 1))
    const search = searchTree(tree, (index) => index === (reversed ? 0 : length - 1))
    expect(search.matchPositions).toEqual(Int32Array.of(length - 1))
    expect(search.visiblePositions).toHaveLength(length)
  })
})

describe('collapseVisibleRows', () => {
  const input = inputOf(agentTrace)
  const tree = buildTraceTree(input)
  /** Positions: 0 trace, 1 gen-0, 2 agent, 3 gen-1, 4 tool, 5 gen-2. */
  const collapsedAt = (...positions: number[]) => {
    const collapsed = new Uint8Array(tree.nodeCount)
    for (const position of positions) {
      collapsed[position] = 1
    }
    return collapsed
  }

  it('shows every row when nothing is collapsed', () => {
    expect(collapseVisibleRows(tree, collapsedAt())).toEqual(Int32Array.of(0, 1, 2, 3, 4, 5))
  })

  it('hides the descendants of a collapsed node, not the node', () => {
    expect(collapseVisibleRows(tree, collapsedAt(2))).toEqual(Int32Array.of(0, 1, 2))
    expect(collapseVisibleRows(tree, collapsedAt(4))).toEqual(Int32Array.of(0, 1, 2, 3, 4))
    expect(collapseVisibleRows(tree, collapsedAt(0))).toEqual(Int32Array.of(0))
  })

  it('ignores collapsed flags under a collapsed node and on leaves', () => {
    expect(collapseVisibleRows(tree, collapsedAt(2, 4))).toEqual(Int32Array.of(0, 1, 2))
    expect(collapseVisibleRows(tree, collapsedAt(1, 5))).toEqual(Int32Array.of(0, 1, 2, 3, 4, 5))
  })

  it('treats positions past the end of a short flag array as expanded', () => {
    expect(collapseVisibleRows(tree, Uint8Array.of(0, 0))).toEqual(Int32Array.of(0, 1, 2, 3, 4, 5))
  })
})

describe('searchTree', () => {
  const input = inputOf(agentTrace)
  const tree = buildTraceTree(input)
  const byName = (...ids: string[]) => (index: number) => ids.includes(input.nodeIds[index]!)

  it('keeps a match with its chain of ancestors and nothing else', () => {
    const result = searchTree(tree, byName('gen-2'))

    expect(result.matchPositions).toEqual(Int32Array.of(5))
    expect(result.visiblePositions).toEqual(Int32Array.of(0, 2, 4, 5))
  })

  it('does not keep the descendants of a match', () => {
    expect(searchTree(tree, byName('agent')).visiblePositions).toEqual(Int32Array.of(0, 2))
  })

  it('merges the ancestor chains of several matches in pre-order', () => {
    const result = searchTree(tree, byName('gen-0', 'gen-1', 'gen-2'))

    expect(result.matchPositions).toEqual(Int32Array.of(1, 3, 5))
    expect(result.visiblePositions).toEqual(Int32Array.of(0, 1, 2, 3, 4, 5))
  })

  it('returns nothing when nothing matches', () => {
    const result = searchTree(tree, () => false)

    expect(result.matchPositions).toHaveLength(0)
    expect(result.visiblePositions).toHaveLength(0)
  })
})

describe('traceEventKindOf', () => {
  it('maps $ai_* events to tree kinds, metrics, feedback and evaluations to "not in the tree"', () => {
    expect(traceEventKindOf('$ai_trace')).toBe(0)
    expect(traceEventKindOf('$ai_span')).toBe(1)
    expect(traceEventKindOf('$ai_generation')).toBe(2)
    expect(traceEventKindOf('$ai_embedding')).toBe(3)
    expect(traceEventKindOf('$ai_metric')).toBe(4)
    expect(traceEventKindOf('$ai_feedback')).toBe(4)
    expect(traceEventKindOf('$ai_evaluation')).toBe(4)
  })
})

// ---------------------------------------------------------------------------------------
// Properties against an obviously correct, recursive reference on small random forests.

/** Start time as the tree orders it: NaN last. */
const sortKey = (startMs: number) => (Number.isNaN(startMs) ? Number.POSITIVE_INFINITY : startMs)

/** The tree by the rules, written plainly: parent input index per input index (-1: root), or undefined when not a node. */
function referenceParents(input: TestInput): Map<number, number> {
  const nodes: number[] = []
  for (let index = 0; index < input.count; index++) {
    if (input.eventKinds[index]! < 4) {
      nodes.push(index)
    }
  }
  const rootTrace = nodes.find((index) => input.eventKinds[index] === 0) ?? -1
  const firstById = new Map<string, number>()
  for (const index of nodes) {
    if (!firstById.has(input.nodeIds[index]!)) {
      firstById.set(input.nodeIds[index]!, index)
    }
  }
  const parents = new Map<number, number>()
  for (const index of nodes) {
    const parentId = input.parentIds[index]
    if (index === rootTrace) {
      parents.set(index, -1)
    } else if (parentId == null || parentId === input.traceId) {
      parents.set(index, rootTrace)
    } else {
      parents.set(index, firstById.get(parentId) ?? -1)
    }
  }
  for (const start of nodes) {
    const path: number[] = []
    let current = start
    while (current >= 0 && !path.includes(current)) {
      path.push(current)
      current = parents.get(current)!
    }
    if (current >= 0) {
      const cycle = path.slice(path.indexOf(current))
      const breaker = cycle.reduce((best, member) => {
        const [memberKey, bestKey] = [sortKey(input.startMs[member]!), sortKey(input.startMs[best]!)]
        return memberKey < bestKey || (memberKey === bestKey && member < best) ? member : best
      })
      parents.set(breaker, -1)
    }
  }
  return parents
}

interface ReferenceNode {
  index: number
  children: ReferenceNode[]
}

function referenceForest(input: TestInput): ReferenceNode[] {
  const parents = referenceParents(input)
  const byStart = (a: ReferenceNode, b: ReferenceNode) =>
    sortKey(input.startMs[a.index]!) - sortKey(input.startMs[b.index]!) || a.index - b.index
  const nodes = new Map([...parents.keys()].map((index) => [index, { index, children: [] as ReferenceNode[] }]))
  const roots: ReferenceNode[] = []
  for (const [index, parent] of parents) {
    ;(parent < 0 ? roots : nodes.get(parent)!.children).push(nodes.get(index)!)
  }
  for (const node of nodes.values()) {
    node.children.sort(byStart)
  }
  return roots.sort(byStart)
}

function referencePreOrder(roots: ReferenceNode[]): number[] {
  return roots.flatMap((root) => [root.index, ...referencePreOrder(root.children)])
}

/** The defined values of `values`: NaN means absent. */
const known = (values: number[]) => values.filter((value) => !Number.isNaN(value))

/** PostHog's rule, recursively: own when present, else the sum of the children's (NaN when none has one). */
function referenceRolled(node: ReferenceNode, column: Float64Array): number {
  const own = column[node.index]!
  if (!Number.isNaN(own)) {
    return own
  }
  const childValues = known(node.children.map((child) => referenceRolled(child, column)))
  return childValues.length === 0 ? Number.NaN : childValues.reduce((sum, value) => sum + value, 0)
}

function referenceEndMs(node: ReferenceNode, input: TraceTreeInput): number {
  const start = input.startMs[node.index]!
  const latency = input.latencyS[node.index]!
  if (!Number.isNaN(latency)) {
    return start + latency * 1000
  }
  return Math.max(start, ...known(node.children.map((child) => referenceEndMs(child, input))))
}

function referenceLatencyS(node: ReferenceNode, input: TraceTreeInput): number {
  const latency = input.latencyS[node.index]!
  if (!Number.isNaN(latency)) {
    return latency
  }
  if (!node.children.some((child) => !Number.isNaN(referenceLatencyS(child, input)))) {
    return Number.NaN
  }
  const latestEnd = Math.max(...known(node.children.map((child) => referenceEndMs(child, input))))
  const starts = known(node.children.map((child) => input.startMs[child.index]!))
  const earliestStart = starts.length === 0 ? Number.NaN : Math.min(...starts)
  return (latestEnd - earliestStart) / 1000
}

function referenceUnknownCostCount(node: ReferenceNode, input: TraceTreeInput): number {
  const kind = input.eventKinds[node.index]!
  const own = (kind === 2 || kind === 3) && Number.isNaN(input.costUsd[node.index]!) ? 1 : 0
  return own + node.children.reduce((sum, child) => sum + referenceUnknownCostCount(child, input), 0)
}

function referenceWalk(roots: ReferenceNode[], visit: (node: ReferenceNode) => void): void {
  for (const root of roots) {
    visit(root)
    referenceWalk(root.children, visit)
  }
}

const maybe = (value: fc.Arbitrary<number>) => fc.oneof(value, fc.constant(Number.NaN))

/** Small random traces: few ids (so duplicates, cycles and orphans happen), tied and missing starts. */
const smallTraceInput: fc.Arbitrary<TestInput> = fc
  .array(
    fc.record({
      id: fc.integer({ min: 0, max: 12 }).map((k) => `n${k}`),
      parent: fc.oneof(
        fc.constant(null),
        fc.constant(TRACE_ID),
        fc.integer({ min: 0, max: 12 }).map((k) => `n${k}`),
        fc.constant('missing'),
      ),
      kind: fc.constantFrom<KindName>('trace', 'span', 'span', 'generation', 'generation', 'embedding', 'other'),
      startMs: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 20 }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) }),
      latencyS: maybe(fc.integer({ min: 0, max: 5_000 }).map((ms) => ms / 1000)),
      costUsd: maybe(fc.integer({ min: 0, max: 1_000 }).map((cents) => cents / 100)),
      inputTokens: maybe(fc.integer({ min: 0, max: 10_000 })),
      outputTokens: maybe(fc.integer({ min: 0, max: 10_000 })),
      isError: fc.boolean(),
    }),
    { maxLength: 40 },
  )
  .map((rows) => inputOf(rows))

const PROPERTY_RUNS = { numRuns: 500, seed: 20_261_127 }

describe('buildTraceTree: properties', () => {
  it('puts every event of kind 0-3 in `order` exactly once and leaves the others out', () => {
    fc.assert(
      fc.property(smallTraceInput, (input) => {
        const tree = buildTraceTree(input)
        const expected = Array.from({ length: input.count }, (_, index) => index).filter((index) => input.eventKinds[index]! < 4)
        expect(Array.from(tree.order).sort((a, b) => a - b)).toEqual(expected)
        expect(tree.nodeCount + tree.excludedCount).toBe(input.count)
      }),
      PROPERTY_RUNS,
    )
  })

  it('keeps parents before children, subtrees contiguous, and root subtrees summing to the node count', () => {
    fc.assert(
      fc.property(smallTraceInput, (input) => {
        const tree = buildTraceTree(input)
        let rootSizes = 0
        let roots = 0
        for (let position = 0; position < tree.nodeCount; position++) {
          const parent = tree.parentPosition[position]!
          expect(parent).toBeLessThan(position)
          if (parent < 0) {
            rootSizes += tree.subtreeSize[position]!
            roots++
            expect(tree.depth[position]).toBe(0)
          } else {
            expect(tree.depth[position]).toBe(tree.depth[parent]! + 1)
            expect(position).toBeLessThan(parent + tree.subtreeSize[parent]!)
          }
        }
        expect(rootSizes).toBe(tree.nodeCount)
        expect(roots).toBe(tree.rootCount)
        expect(tree.isOrphan.reduce((sum, flag) => sum + flag, 0)).toBe(tree.orphanCount)
        expect(tree.isCycleBreak.reduce((sum, flag) => sum + flag, 0)).toBe(tree.brokenCycleCount)
      }),
      PROPERTY_RUNS,
    )
  })

  it('matches the recursive reference: pre-order, roll-ups, end times and unknown-cost counts', () => {
    fc.assert(
      fc.property(smallTraceInput, (input) => {
        const tree = buildTraceTree(input)
        const roots = referenceForest(input)
        expect(Array.from(tree.order)).toEqual(referencePreOrder(roots))
        const positionByIndex = new Map(Array.from(tree.order, (index, position) => [index, position]))
        referenceWalk(roots, (node) => {
          const at = positionByIndex.get(node.index)!
          expect(tree.rolledInputTokens[at]).toEqual(referenceRolled(node, input.inputTokens))
          expect(tree.rolledOutputTokens[at]).toEqual(referenceRolled(node, input.outputTokens))
          const cost = referenceRolled(node, input.costUsd)
          if (Number.isNaN(cost)) {
            expect(tree.rolledCostUsd[at]).toBeNaN()
          } else {
            expect(tree.rolledCostUsd[at]).toBeCloseTo(cost, 9)
          }
          expect(tree.subtreeUnknownCostCount[at]).toBe(referenceUnknownCostCount(node, input))
          expect(tree.endMs[at]).toEqual(referenceEndMs(node, input))
          const latency = referenceLatencyS(node, input)
          if (Number.isNaN(latency)) {
            expect(tree.rolledLatencyS[at]).toBeNaN()
          } else {
            expect(tree.rolledLatencyS[at]).toBeCloseTo(latency, 9)
          }
        })
      }),
      PROPERTY_RUNS,
    )
  })

  it('builds the same tree whatever the input order, when ids and start times are distinct', () => {
    const distinctTrace = fc
      .uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 30 })
      .chain((ids) =>
        fc.tuple(
          fc.constant(ids),
          fc.array(fc.oneof(fc.constant(null), fc.constantFrom(...ids.map((id) => `n${id}`)), fc.constant('missing')), {
            minLength: ids.length,
            maxLength: ids.length,
          }),
          fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
        ),
      )
    fc.assert(
      fc.property(distinctTrace, ([ids, parents, shuffled]) => {
        const rows = ids.map((id, k): EventRow => ({ id: `n${id}`, parent: parents[k]!, startMs: id * 10 }))
        const byId = new Map(rows.map((row) => [row.id, row]))
        const first = inputOf(rows)
        const second = inputOf(shuffled.map((id) => byId.get(`n${id}`)!))
        const firstTree = buildTraceTree(first)
        const secondTree = buildTraceTree(second)
        expect(preOrderIds(secondTree, second)).toEqual(preOrderIds(firstTree, first))
        expect(secondTree.parentPosition).toEqual(firstTree.parentPosition)
        expect(secondTree.isCycleBreak).toEqual(firstTree.isCycleBreak)
      }),
      PROPERTY_RUNS,
    )
  })

  it('orders siblings by exact start time: sub-millisecond, negative, -0, infinite and missing starts', () => {
    const epochMs = 1_790_000_000_000
    const start = fc.oneof(
      fc.double(),
      fc.integer({ min: 0, max: 1_000_000 }).map((microseconds) => epochMs + microseconds / 1000),
      fc.constantFrom(0, -0, Number.NaN, epochMs, epochMs + 1e-3),
    )
    fc.assert(
      fc.property(fc.array(start, { maxLength: 60 }), (starts) => {
        const rows: EventRow[] = [{ id: 'root', startMs: Number.NEGATIVE_INFINITY }]
        starts.forEach((startMs, k) => rows.push({ id: `child-${k}`, parent: 'root', startMs }))
        const input = inputOf(rows)
        const expected = starts
          .map((startMs, k) => ({ startMs: sortKey(startMs), index: k + 1 }))
          .sort((a, b) => (a.startMs === b.startMs ? a.index - b.index : a.startMs < b.startMs ? -1 : 1))
          .map(({ index }) => index)
        expect(Array.from(buildTraceTree(input).order)).toEqual([0, ...expected])
      }),
      PROPERTY_RUNS,
    )
  })

  it('collapses and searches as the plain definitions say', () => {
    const withFlags = smallTraceInput.chain((input) =>
      fc.tuple(fc.constant(input), fc.uint8Array({ minLength: input.count, maxLength: input.count, max: 1 }), fc.uint8Array({ minLength: input.count, maxLength: input.count, max: 1 })),
    )
    fc.assert(
      fc.property(withFlags, ([input, collapsed, matching]) => {
        const tree = buildTraceTree(input)
        const ancestorsOf = (position: number): number[] => {
          const ancestors: number[] = []
          for (let at = tree.parentPosition[position]!; at >= 0; at = tree.parentPosition[at]!) {
            ancestors.push(at)
          }
          return ancestors
        }
        const positions = Array.from({ length: tree.nodeCount }, (_, position) => position)
        const visible = positions.filter((position) => ancestorsOf(position).every((at) => collapsed[at] === 0))
        expect(Array.from(collapseVisibleRows(tree, collapsed))).toEqual(visible)

        const matches = (index: number) => matching[index] === 1
        const matchPositions = positions.filter((position) => matches(tree.order[position]!))
        const kept = new Set(matchPositions.flatMap((position) => [position, ...ancestorsOf(position)]))
        const result = searchTree(tree, matches)
        expect(Array.from(result.matchPositions)).toEqual(matchPositions)
        expect(Array.from(result.visiblePositions)).toEqual(positions.filter((position) => kept.has(position)))
      }),
      PROPERTY_RUNS,
    )
  })
})
