import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient, type TraceResult } from '../../src'
import { stringAt } from '../../src/query/traceStrings'

const clients: AiscopeClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

const base = { distinct_id: 'user_1' }
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, seconds)).toISOString()

/** An agent trace: trace → agent span → (tool span → generation), generation; plus an orphan and a metric. */
const knownTrace = [
  { ...base, event: '$ai_trace', uuid: 'e-trace', timestamp: at(0), properties: { $ai_trace_id: 'T', $ai_span_name: 'draft-reply', $ai_latency: 9 } },
  { ...base, event: '$ai_span', uuid: 'e-agent', timestamp: at(1), properties: { $ai_trace_id: 'T', $ai_span_id: 'agent', $ai_parent_id: 'T', $ai_span_name: 'agent', $ai_span_type: 'agent' } },
  { ...base, event: '$ai_span', uuid: 'e-tool', timestamp: at(2), properties: { $ai_trace_id: 'T', $ai_span_id: 'tool', $ai_parent_id: 'agent', $ai_span_name: 'lookup_order', $ai_span_type: 'tool', $ai_latency: 0.5 } },
  {
    ...base,
    event: '$ai_generation',
    uuid: 'e-gen-1',
    timestamp: at(3),
    properties: {
      $ai_trace_id: 'T', $ai_generation_id: 'gen-1', $ai_parent_id: 'tool', $ai_model: 'gpt-4o-mini', $ai_provider: 'openai',
      $ai_input_tokens: 1_000_000, $ai_output_tokens: 0, $ai_latency: 1.5,
      $ai_input: [{ role: 'user', content: 'Where is order 42?' }],
    },
  },
  {
    ...base,
    event: '$ai_generation',
    uuid: 'e-gen-2',
    timestamp: at(5),
    properties: {
      $ai_trace_id: 'T', $ai_generation_id: 'gen-2', $ai_parent_id: 'agent', $ai_model: 'gpt-4o-mini', $ai_provider: 'openai',
      $ai_total_cost_usd: 0.5, $ai_input_tokens: 10, $ai_output_tokens: 20, $ai_latency: 2,
    },
  },
  { ...base, event: '$ai_span', uuid: 'e-orphan', timestamp: at(6), properties: { $ai_trace_id: 'T', $ai_span_id: 'lost', $ai_parent_id: 'missing-parent', $ai_span_name: 'late callback' } },
  { ...base, event: '$ai_metric', uuid: 'e-metric', timestamp: at(7), properties: { $ai_trace_id: 'T', $ai_metric_name: 'score', $ai_metric_value: 1 } },
  { ...base, event: '$ai_generation', uuid: 'other-trace', timestamp: at(8), properties: { $ai_trace_id: 'U', $ai_model: 'gpt-4o', $ai_provider: 'openai' } },
]

function client(): AiscopeClient {
  const created = createAiscope({ dbName: 'trace', worker: 'off', indexedDB: new IDBFactory(), IDBKeyRange })
  clients.push(created)
  return created
}

describe('trace queries', () => {
  it('builds the tree with own and rolled-up cost, orphans flagged, non-tree events counted', async () => {
    const aiscope = client()
    await aiscope.ingest(knownTrace)
    const trace = await aiscope.query({ kind: 'trace', traceId: 'T' })

    expect(trace).toMatchObject({ found: true, name: 'draft-reply', nodeCount: 6, orphanCount: 1, excludedCount: 1 })
    expect(Array.from({ length: trace.nodeCount }, (_, position) => stringAt(trace.names, position))).toEqual([
      'draft-reply',
      'agent',
      'lookup_order',
      'gpt-4o-mini',
      'gpt-4o-mini',
      'late callback',
    ])
    expect(Array.from(trace.depth)).toEqual([0, 1, 2, 3, 2, 0])
    expect([0, 1, 2, 3, 4].map((position) => stringAt(trace.nodeIds, position))).toEqual(['e-trace', 'agent', 'tool', 'gen-1', 'gen-2'])
    // gen-1: 1M input tokens of gpt-4o-mini at $0.15 per million; gen-2: the client's $0.50.
    expect(trace.ownCostUsd[3]).toBeCloseTo(0.15, 12)
    expect(trace.ownCostUsd[4]).toBe(0.5)
    expect(trace.rolledCostUsd[1]).toBeCloseTo(0.65, 12)
    expect(trace.rolledInputTokens[2]).toBe(1_000_000)
    expect(trace.isOrphan[5]).toBe(1)
  })

  it('loads content for the nodes asked, from this trace only', async () => {
    const aiscope = client()
    await aiscope.ingest(knownTrace)
    const { events } = await aiscope.query({ kind: 'traceEvents', traceId: 'T', nodeIds: ['gen-1', 'agent'] })
    expect(events.map((event) => event.uuid)).toEqual(['e-gen-1', 'e-agent'])
    expect(events[0]?.properties.$ai_input).toEqual([{ role: 'user', content: 'Where is order 42?' }])
  })

  it('answers a new reader, whose strings stay as the store packed them, as it answers the writer', async () => {
    const indexedDB = new IDBFactory()
    const open = () => {
      const created = createAiscope({ dbName: 'packed', worker: 'off', indexedDB, IDBKeyRange })
      clients.push(created)
      return created
    }
    const span = (traceId: string, id: string, parent: string, second: number, name?: string) => ({
      ...base,
      event: name === undefined ? '$ai_generation' : '$ai_span',
      uuid: `e-${traceId}-${id}`,
      timestamp: at(second),
      properties: {
        $ai_trace_id: traceId, $ai_span_id: id, $ai_parent_id: parent, $ai_span_name: name, $ai_model: name === undefined ? 'gpt-4o-mini' : undefined,
        $ai_latency: parent === traceId ? 2 : 0.5,
      },
    })
    // Trace A written in one run (its ids and names take consecutive codes); trace B's spans
    // arrive one among every 20 other traces' spans (its codes are spread out).
    const written = [span('A', 'a-root', 'A', 0, 'plan'), ...Array.from({ length: 30 }, (_, index) => span('A', `a-${index}`, index < 10 ? 'a-root' : `a-${index - 10}`, 1 + index, index % 3 === 0 ? undefined : `step ${index}`))]
    for (let index = 0; index < 8; index += 1) {
      written.push(span('B', `b-${index}`, index === 0 ? 'B' : 'b-0', 40 + index, index === 0 ? 'B root' : undefined))
      for (let other = 0; other < 20; other += 1) {
        written.push(span(`other-${index}-${other}`, `o-${index}-${other}`, 'none', 40 + index, `other ${index}-${other}`))
      }
    }
    const writer = open()
    await writer.ingest(written)
    const nodes = (trace: TraceResult) =>
      Array.from({ length: trace.nodeCount }, (_, position) => ({
        id: stringAt(trace.nodeIds, position),
        name: stringAt(trace.names, position),
        parent: trace.parentPosition[position] === -1 ? null : stringAt(trace.nodeIds, trace.parentPosition[position] as number),
      }))
    const writerA = nodes(await writer.query({ kind: 'trace', traceId: 'A' }))
    const writerB = nodes(await writer.query({ kind: 'trace', traceId: 'B' }))
    const listSpec = { kind: 'traces', sort: { by: 'latencyS', dir: 'desc' }, limit: 5 } as const
    const writerList = (await writer.query(listSpec)).rows
    await writer.close()

    const reader = open()
    const traceB = await reader.query({ kind: 'trace', traceId: 'B' })
    const [readerA, readerB] = [nodes(await reader.query({ kind: 'trace', traceId: 'A' })), nodes(traceB)]
    expect(readerA).toEqual(writerA)
    expect(readerB).toEqual(writerB)
    expect(readerA.slice(0, 3)).toEqual([
      { id: 'a-root', name: 'plan', parent: null },
      { id: 'a-0', name: 'gpt-4o-mini', parent: 'a-root' },
      { id: 'a-10', name: 'step 10', parent: 'a-0' },
    ])
    expect(readerA).toHaveLength(31)
    // B's root names the trace as its parent: a root, not an orphan.
    expect(traceB.orphanCount).toBe(0)
    // The list compares parent ids with trace ids where the reader keeps them, packed.
    const readerList = (await reader.query(listSpec)).rows
    expect(readerList).toEqual(writerList)
    // A trace's latency is that of the spans directly under it.
    expect(readerList.filter((row) => row.traceId === 'A' || row.traceId === 'B').map((row) => [row.traceId, row.latencyS])).toEqual([['A', 2], ['B', 2]])
    expect(readerB).toEqual([{ id: 'b-0', name: 'B root', parent: null }, ...Array.from({ length: 7 }, (_, index) => ({ id: `b-${index + 1}`, name: 'gpt-4o-mini', parent: 'b-0' }))])
  })

  it('says when a trace is not stored', async () => {
    const aiscope = client()
    await aiscope.ingest(knownTrace)
    expect(await aiscope.query({ kind: 'trace', traceId: 'nope' })).toMatchObject({ found: false, nodeCount: 0, totalNodeCount: 0, names: { values: { text: '' } } })
  })

  it('lists traces through the client, most expensive first, a page at a time', async () => {
    const aiscope = client()
    await aiscope.ingest(knownTrace)
    const firstPage = await aiscope.query({ kind: 'traces', sort: { by: 'costUsd', dir: 'desc' }, limit: 1 })
    expect(firstPage.totalCount).toBe(2)
    expect(firstPage.rows.map((row) => [row.traceId, row.name, row.generationCount])).toEqual([['T', 'draft-reply', 2]])
    expect(firstPage.rows[0]?.costUsd).toBeCloseTo(0.65, 12)
    const secondPage = await aiscope.query({
      kind: 'traces',
      sort: { by: 'costUsd', dir: 'desc' },
      limit: 1,
      cursor: firstPage.nextCursor ?? undefined,
    })
    // Trace U's only call has no tokens: its cost is unknown, never 0.
    expect(secondPage.rows.map((row) => [row.traceId, row.costUsd, row.unpricedCount])).toEqual([['U', null, 1]])
    expect(secondPage.nextCursor).toBeNull()
  })
})
