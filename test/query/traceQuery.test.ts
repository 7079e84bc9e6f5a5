import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient } from '../../src'
import { packedStringAt, stringAt } from '../../src/query/traceStrings'

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
    expect([0, 1, 2, 3, 4].map((position) => packedStringAt(trace.nodeIds, position))).toEqual(['e-trace', 'agent', 'tool', 'gen-1', 'gen-2'])
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
