import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient, type AiscopeEvent } from '../../src'
import { validateEvent } from '../../src/schema'
import { priceEvent } from '../../src/pricing'
import { generateEvents } from '../../src/testing'
import { stringAt } from '../../src/query/traceStrings'

const clients: AiscopeClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

/** What the store holds for these inputs: the validated events, as a plain array. */
function normalised(inputs: unknown[]): AiscopeEvent[] {
  return inputs.flatMap((input) => {
    const result = validateEvent(input)
    return result.ok ? [result.event] : []
  })
}

describe('queries through the worker, in real Chromium', () => {
  it('answers cost, calls and errors by model as a plain computation over the same events does', async () => {
    const inputs = generateEvents({ size: 4_000, seed: 21 })
    const client = createAiscope({ dbName: `aiscope-query-${crypto.randomUUID()}` })
    clients.push(client)
    await client.ingest(inputs)

    const result = await client.query({
      kind: 'aggregate',
      measures: ['count', 'costUsd', 'unpricedCount', 'errorCount'],
      groupBy: ['model'],
    })

    const expected = new Map<string | null, { count: number; costUsd: number; unpricedCount: number; errorCount: number }>()
    for (const event of normalised(inputs)) {
      if (event.event !== '$ai_generation' && event.event !== '$ai_embedding') {
        continue
      }
      const model = typeof event.properties.$ai_model === 'string' ? event.properties.$ai_model : null
      const group = expected.get(model) ?? { count: 0, costUsd: 0, unpricedCount: 0, errorCount: 0 }
      const cost = priceEvent(event.properties).totalCostUsd
      group.count += 1
      group.costUsd += cost ?? 0
      group.unpricedCount += cost === null ? 1 : 0
      group.errorCount += event.properties.$ai_is_error === true ? 1 : 0
      expected.set(model, group)
    }

    expect(result.kind).toBe('aggregate')
    expect(result.dataVersion).toBe(1)
    expect(result.rows).toHaveLength(expected.size)
    for (const row of result.rows) {
      const want = expected.get(row.key[0] ?? null)
      expect(want, `model ${row.key[0]}`).toBeDefined()
      expect(row.values.count).toBe(want?.count)
      expect(row.values.unpricedCount).toBe(want?.unpricedCount)
      expect(row.values.errorCount).toBe(want?.errorCount)
      expect(row.values.costUsd ?? 0).toBeCloseTo(want?.costUsd ?? 0, 9)
    }
  })

  it('re-prices history when the host overrides a price, without rewriting the store', async () => {
    const dbName = `aiscope-query-${crypto.randomUUID()}`
    const plain = createAiscope({ dbName })
    clients.push(plain)
    await plain.ingest([
      {
        event: '$ai_generation',
        distinct_id: 'u1',
        timestamp: '2026-11-01T00:00:00.000Z',
        properties: { $ai_trace_id: 't1', $ai_model: 'gpt-4o-mini', $ai_provider: 'openai', $ai_input_tokens: 1_000_000, $ai_output_tokens: 0 },
      },
    ])
    const spec = { kind: 'aggregate', measures: ['costUsd'] } as const
    // gpt-4o-mini lists at $0.15 per million input tokens.
    expect((await plain.query(spec)).totals.costUsd).toBeCloseTo(0.15, 12)

    const overridden = createAiscope({
      dbName,
      priceOverrides: [{ match: 'gpt-4o-mini', usdPerMillionTokens: { input: 2, output: 8 } }],
    })
    clients.push(overridden)
    expect((await overridden.query(spec)).totals.costUsd).toBeCloseTo(2, 12)
  })

  it('returns a trace tree through the worker as typed arrays, with its content on request', async () => {
    const inputs = generateEvents({ size: 2_000, seed: 8 })
    const client = createAiscope({ dbName: `aiscope-query-${crypto.randomUUID()}` })
    clients.push(client)
    await client.ingest(inputs)
    const traceEvent = normalised(inputs).find((event) => event.event === '$ai_trace')
    const traceId = String(traceEvent?.properties.$ai_trace_id)
    const treeEventCount = normalised(inputs).filter(
      (event) =>
        event.properties.$ai_trace_id === traceId &&
        ['$ai_trace', '$ai_span', '$ai_generation', '$ai_embedding'].includes(event.event),
    ).length

    const trace = await client.query({ kind: 'trace', traceId })
    expect(trace.found).toBe(true)
    expect(trace.nodeCount).toBe(treeEventCount)
    expect(trace.depth).toBeInstanceOf(Uint16Array)
    expect(trace.rolledCostUsd).toBeInstanceOf(Float64Array)
    expect(stringAt(trace.eventNames, 0)).toBe('$ai_trace')

    const content = await client.query({ kind: 'traceEvents', traceId, nodeIds: [stringAt(trace.nodeIds, 0) as string] })
    expect(content.events.map((event) => event.uuid)).toEqual([traceEvent?.uuid])
  })

  it('answers session, users, errors and interactions specs as plain counts over the same events do', async () => {
    const inputs = generateEvents({ size: 6_000, seed: 13 })
    const events = normalised(inputs)
    const client = createAiscope({ dbName: `aiscope-query-${crypto.randomUUID()}` })
    clients.push(client)
    await client.ingest(inputs)

    const browserSession = String(events.find((event) => event.event === '$pageview')?.properties.$session_id)
    const session = await client.query({ kind: 'session', sessionId: browserSession })
    const sessionEvents = events.filter(
      (event) => event.properties.$session_id === browserSession || event.properties.$ai_session_id === browserSession,
    )
    expect(session.events).toHaveLength(sessionEvents.length)
    const times = session.events.map((row) => row.tsMs)
    expect(times).toEqual([...times].sort((a, b) => a - b))

    const errors = await client.query({ kind: 'errors' })
    expect(errors.totalCount).toBe(events.filter((event) => event.properties.$ai_is_error === true).length)
    expect(errors.groups.map((group) => group.errorKind)).toContain('rate_limit')

    const organisations = await client.query({ kind: 'users', by: 'organisation', limit: 500, eventNames: ['$ai_generation'] })
    const generationsByOrg = organisations.rows.reduce((sum, row) => sum + row.generations, 0) + organisations.unattributedCount
    expect(generationsByOrg).toBe(events.filter((event) => event.event === '$ai_generation').length)

    const interactions = await client.query({ kind: 'interactions', by: 'promptVersion', conversionEvent: 'ticket_resolved' })
    const accepted = interactions.rows.reduce((sum, row) => sum + (row.interactions.accepted ?? 0), 0)
    expect(accepted + interactions.unlinkedInteractions).toBeGreaterThan(0)
  })

  it('abandons a query whose signal aborts', async () => {
    const client = createAiscope({ dbName: `aiscope-query-${crypto.randomUUID()}` })
    clients.push(client)
    const controller = new AbortController()
    const answer = client.query({ kind: 'aggregate', measures: ['count'] }, { signal: controller.signal })
    controller.abort(new Error('superseded'))
    await expect(answer).rejects.toThrow('superseded')
  })
})
