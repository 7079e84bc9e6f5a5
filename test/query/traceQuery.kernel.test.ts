/**
 * The trace kernel over columns: the `maxSpans` cap, links made from dictionary codes (span
 * ids and parent ids live in different dictionaries), names coded once, and a result whose
 * typed arrays can be transferred.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TraceResult } from '../../src/query/spec'
import { runTraceQuery, traceResultTransferables, traceTotals } from '../../src/query/traceQuery'
import { stringAt } from '../../src/query/traceStrings'
import { buildTraceTree, TRACE_EVENT_KIND } from '../../src/query/traceTree'
import type { AiscopeEvent } from '../../src/schema'
import { kernelInput, testEvent } from './support'

const T0_MS = Date.UTC(2026, 10, 20, 9)

/** One event of trace `traceId`: a span (or `event`) with its id, parent and figures. */
function traceEvent(
  traceId: string,
  index: number,
  fields: { id?: string; parent?: string; event?: string; name?: string; model?: string; latencyS?: number; inputTokens?: number; atMs?: number },
): AiscopeEvent {
  const event = fields.event ?? '$ai_span'
  return testEvent(
    {
      event,
      ts: T0_MS + (fields.atMs ?? index * 10),
      distinctId: 'user-1',
      properties: {
        $ai_trace_id: traceId,
        ...(event === '$ai_generation' ? { $ai_generation_id: fields.id } : { $ai_span_id: fields.id }),
        $ai_parent_id: fields.parent,
        $ai_span_name: fields.name,
        $ai_model: fields.model,
        $ai_latency: fields.latencyS,
        $ai_input_tokens: fields.inputTokens,
      },
    },
    index,
  )
}

/**
 * Trace T: root → 3 steps → 2 generations each (and an orphan), interleaved with trace U,
 * which reuses T's span ids: T's parents must only ever name T's spans.
 */
function interleavedTraces(): AiscopeEvent[] {
  const events: AiscopeEvent[] = []
  const add = (traceId: string, fields: Parameters<typeof traceEvent>[2]) => events.push(traceEvent(traceId, events.length, fields))
  add('T', { id: 'root', name: 'agent' })
  add('U', { id: 'step-1', name: 'other trace' })
  for (let step = 1; step <= 3; step += 1) {
    add('T', { id: `step-${step}`, parent: 'root', name: `step ${step}`, latencyS: 1 })
    add('U', { id: `gen-${step}-a`, parent: 'step-1', event: '$ai_generation', model: 'gpt-4o', inputTokens: 1_000 })
    for (const suffix of ['a', 'b']) {
      add('T', { id: `gen-${step}-${suffix}`, parent: `step-${step}`, event: '$ai_generation', model: 'gpt-4o-mini', inputTokens: step * 10 })
    }
  }
  add('T', { id: 'late', parent: 'not-in-this-trace', name: 'late callback', inputTokens: 5 })
  return events
}

/** Every per-node array of a trace result, by name. */
const PER_NODE_ARRAYS = [
  'depth',
  'parentPosition',
  'subtreeSize',
  'startMs',
  'endMs',
  'ownCostUsd',
  'rolledCostUsd',
  'ownLatencyS',
  'rolledLatencyS',
  'ownInputTokens',
  'rolledInputTokens',
  'ownOutputTokens',
  'rolledOutputTokens',
  'ttftS',
  'isError',
  'isOrphan',
  'subtreeUnknownCostCount',
  'subtreeErrorCount',
] as const satisfies readonly (keyof TraceResult)[]

/** What a user reads of each node: its id, strings and every per-node figure. */
function nodesOf(trace: TraceResult) {
  return Array.from({ length: trace.nodeCount }, (_, position) => ({
    id: stringAt(trace.nodeIds, position),
    eventName: stringAt(trace.eventNames, position),
    name: stringAt(trace.names, position),
    model: stringAt(trace.models, position),
    ...(Object.fromEntries(PER_NODE_ARRAYS.map((column) => [column, trace[column][position]])) as Record<(typeof PER_NODE_ARRAYS)[number], number>),
  }))
}

describe('trace kernel: links from dictionary codes', () => {
  it('links each node to its parent within the trace, flags parents from elsewhere, and rolls up', () => {
    const input = kernelInput(interleavedTraces())
    const trace = runTraceQuery({ kind: 'trace', traceId: 'T' }, input)

    expect(nodesOf(trace).map((node) => `${'  '.repeat(node.depth)}${node.id}`)).toEqual([
      'root',
      '  step-1',
      '    gen-1-a',
      '    gen-1-b',
      '  step-2',
      '    gen-2-a',
      '    gen-2-b',
      '  step-3',
      '    gen-3-a',
      '    gen-3-b',
      'late',
    ])
    expect(Array.from(trace.isOrphan)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    expect(trace).toMatchObject({ nodeCount: 11, totalNodeCount: 11, orphanCount: 1, excludedCount: 0 })
    expect(trace.rolledInputTokens[0]).toBe(2 * (10 + 20 + 30))
    expect(Array.from(trace.subtreeSize)).toEqual([10, 3, 1, 1, 3, 1, 1, 3, 1, 1, 1])
  })

  it('hangs spans whose parent is the trace id under the $ai_trace event, and leaves metrics out', () => {
    const events = [
      traceEvent('T', 0, { event: '$ai_trace', name: 'the trace' }),
      traceEvent('T', 1, { id: 'by-trace-id', parent: 'T' }),
      traceEvent('T', 2, { id: 'T', parent: 'T', name: 'span named like the trace' }),
      traceEvent('T', 3, { id: 'child', parent: 'T' }),
      traceEvent('T', 4, { id: 'metric-1', parent: 'child', event: '$ai_metric' }),
      traceEvent('T', 5, { id: 'under-metric', parent: 'metric-1' }),
    ]
    const trace = runTraceQuery({ kind: 'trace', traceId: 'T' }, kernelInput(events))

    expect(nodesOf(trace).map((node) => [node.id, node.depth, node.isOrphan])).toEqual([
      ['uuid-0', 0, 0],
      ['by-trace-id', 1, 0],
      ['T', 1, 0],
      ['child', 1, 0],
      ['under-metric', 0, 1],
    ])
    expect(trace).toMatchObject({ name: 'the trace', excludedCount: 1 })
  })

  it('builds the tree the string rules give, for random traces of few ids', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    const eventArbitrary = fc.record({
      id: fc.constantFrom(...ids),
      parent: fc.option(fc.constantFrom(...ids, 'T', 'elsewhere'), { nil: undefined }),
      event: fc.constantFrom('$ai_trace', '$ai_span', '$ai_span', '$ai_generation', '$ai_embedding', '$ai_metric'),
      atMs: fc.integer({ min: 0, max: 20 }),
      inOtherTrace: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 30 }), (rows) => {
        const events = rows.map((row, index) => traceEvent(row.inOtherTrace ? 'U' : 'T', index, row))
        const trace = runTraceQuery({ kind: 'trace', traceId: 'T' }, kernelInput(events))

        // The same events of T, coded straight from their strings.
        const ofT = events.filter((event) => event.properties.$ai_trace_id === 'T')
        const nodeIdOf = (event: AiscopeEvent) => String(event.properties.$ai_generation_id ?? event.properties.$ai_span_id ?? event.uuid)
        const codeById = new Map<string, number>()
        const codeOf = (id: string) => codeById.get(id) ?? codeById.set(id, codeById.size + 1).get(id)!
        const kinds: Record<string, number> = { $ai_trace: 0, $ai_span: 1, $ai_generation: 2, $ai_embedding: 3 }
        const count = ofT.length
        const reference = buildTraceTree({
          traceId: 'T',
          count,
          nodeIdCodes: Int32Array.from(ofT, (event) => codeOf(nodeIdOf(event))),
          parentIdCodes: Int32Array.from(ofT, (event) => {
            const parent = event.properties.$ai_parent_id as string | undefined
            return parent === undefined || parent === 'T' ? 0 : codeOf(parent)
          }),
          idCodeCount: codeById.size + 1,
          eventKinds: Uint8Array.from(ofT, (event) => kinds[event.event] ?? TRACE_EVENT_KIND.other),
          startMs: Float64Array.from(ofT, (event) => Date.parse(event.timestamp)),
          latencyS: new Float64Array(count).fill(Number.NaN),
          costUsd: new Float64Array(count).fill(Number.NaN),
          inputTokens: new Float64Array(count).fill(Number.NaN),
          outputTokens: new Float64Array(count).fill(Number.NaN),
          isError: new Uint8Array(count),
        })
        expect(nodesOf(trace).map((node) => node.id)).toEqual(Array.from(reference.order, (index) => nodeIdOf(ofT[index]!)))
        expect(trace.parentPosition).toEqual(reference.parentPosition)
        expect(trace.isOrphan).toEqual(reference.isOrphan)
        expect(trace).toMatchObject({ orphanCount: reference.orphanCount, brokenCycleCount: reference.brokenCycleCount })
      }),
      { numRuns: 300, seed: 20_261_127 },
    )
  })
})

describe('trace kernel: names', () => {
  it('names a node by its span name, else its model, and codes a string shared by both once', () => {
    const events = [
      traceEvent('T', 0, { id: 'root', name: 'gpt-4o' }),
      traceEvent('T', 1, { id: 'call', parent: 'root', event: '$ai_generation', model: 'gpt-4o' }),
      traceEvent('T', 2, { id: 'named-call', parent: 'root', event: '$ai_generation', model: 'gpt-4o', name: 'draft' }),
      traceEvent('T', 3, { id: 'unnamed', parent: 'root' }),
    ]
    const trace = runTraceQuery({ kind: 'trace', traceId: 'T' }, kernelInput(events))

    expect(nodesOf(trace).map((node) => [node.name, node.model])).toEqual([
      ['gpt-4o', null],
      ['gpt-4o', 'gpt-4o'],
      ['draft', 'gpt-4o'],
      [null, null],
    ])
    expect(trace.names.codes[0]).toBe(trace.names.codes[1])
    expect(trace.names.values.ends).toHaveLength(2)
  })
})

describe('trace totals', () => {
  it('sum the top-level nodes’ subtrees: priced cost, unpriced calls and errors', () => {
    const totals = traceTotals({
      nodeCount: 7,
      subtreeSize: Int32Array.from([6, 3, 1, 1, 2, 1, 1]),
      rolledCostUsd: Float64Array.from([0.5, 0.2, 0.2, Number.NaN, 0.3, 0.3, Number.NaN]),
      subtreeUnknownCostCount: Int32Array.from([1, 0, 0, 0, 1, 1, 2]),
      subtreeErrorCount: Int32Array.from([2, 1, 1, 0, 1, 1, 0]),
    })
    expect(totals).toEqual({ costUsd: 0.5, unpricedCount: 3, errorCount: 2 })
  })

  it('say null, not 0, when no call is priced', () => {
    const totals = traceTotals({
      nodeCount: 2,
      subtreeSize: Int32Array.from([1, 1]),
      rolledCostUsd: Float64Array.from([Number.NaN, Number.NaN]),
      subtreeUnknownCostCount: Int32Array.from([1, 1]),
      subtreeErrorCount: Int32Array.from([0, 1]),
    })
    expect(totals).toEqual({ costUsd: null, unpricedCount: 2, errorCount: 1 })
  })
})

describe('trace kernel: maxSpans', () => {
  const input = kernelInput(interleavedTraces())
  const whole = runTraceQuery({ kind: 'trace', traceId: 'T' }, input)

  it('keeps the first nodes in pre-order with the whole trace’s roll-ups and subtree sizes', () => {
    const capped = runTraceQuery({ kind: 'trace', traceId: 'T', maxSpans: 4 }, input)

    expect(capped).toMatchObject({ nodeCount: 4, totalNodeCount: 11, orphanCount: 1, found: true, name: 'agent' })
    expect(nodesOf(capped)).toEqual(nodesOf(whole).slice(0, 4))
    // The root still rolls up and counts all ten nodes under it, the cut ones included.
    expect(capped.rolledInputTokens[0]).toBe(120)
    expect(capped.subtreeSize[0]).toBe(10)
    expect(capped.traceEndMs).toBe(whole.traceEndMs)
    for (const column of PER_NODE_ARRAYS) {
      expect(capped[column], column).toHaveLength(4)
    }
    expect(capped.nodeIds.codes).toHaveLength(4)
    expect(capped.names.codes).toHaveLength(4)
  })

  it('is a prefix of the whole result for any cap, and the whole result past the node count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), (maxSpans) => {
        const capped = runTraceQuery({ kind: 'trace', traceId: 'T', maxSpans }, input)
        expect(capped.nodeCount).toBe(Math.min(maxSpans, 11))
        expect(capped.totalNodeCount).toBe(11)
        expect(nodesOf(capped)).toEqual(nodesOf(whole).slice(0, maxSpans))
        // The summary's figures cover the cut nodes too (the orphan root comes last).
        expect(capped.totals).toEqual(whole.totals)
        // Every kept node's parent is kept: ancestors come first in pre-order.
        expect(Array.from(capped.parentPosition).every((parent) => parent < capped.nodeCount)).toBe(true)
      }),
      { numRuns: 30, seed: 7 },
    )
  })

  it('refuses a cap that is not a whole number ≥ 0, naming it', () => {
    for (const maxSpans of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) {
      expect(() => runTraceQuery({ kind: 'trace', traceId: 'T', maxSpans }, input)).toThrow(RangeError)
      expect(() => runTraceQuery({ kind: 'trace', traceId: 'T', maxSpans }, input)).toThrow(/spec\.maxSpans/)
    }
  })

  it('answers an unknown trace with no nodes, capped or not', () => {
    expect(runTraceQuery({ kind: 'trace', traceId: 'nope', maxSpans: 5 }, input)).toMatchObject({
      found: false,
      nodeCount: 0,
      totalNodeCount: 0,
      name: null,
    })
  })
})

describe('trace kernel: transferables', () => {
  it('lists each typed array’s own buffer once, and a transfer keeps every value', () => {
    const trace = runTraceQuery({ kind: 'trace', traceId: 'T', maxSpans: 6 }, kernelInput(interleavedTraces()))
    const expected = nodesOf(trace)
    const buffers = traceResultTransferables(trace)

    const views = [...PER_NODE_ARRAYS.map((column) => trace[column]), ...[trace.nodeIds, trace.eventNames, trace.names, trace.models].flatMap((strings) => [strings.codes, strings.values.ends])]
    expect(new Set(buffers).size).toBe(buffers.length)
    expect(buffers).toHaveLength(views.length)
    for (const view of views) {
      expect(buffers).toContain(view.buffer)
      expect(view.byteLength).toBe(view.buffer.byteLength)
    }
    const received = structuredClone(trace, { transfer: buffers })
    expect(nodesOf(received)).toEqual(expected)
    expect(trace.depth.byteLength).toBe(0) // detached: the worker no longer holds it
  })
})
