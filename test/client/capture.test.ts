import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient, type AiscopeOptions, type CaptureRejection } from '../../src'
import { openEventStore } from '../../src/store'
import { priceEvent } from '../../src/pricing'

const clients: AiscopeClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

function setUp(options: Partial<AiscopeOptions> = {}) {
  const indexedDB = new IDBFactory()
  const rejections: CaptureRejection[] = []
  const client = createAiscope({
    dbName: 'capture',
    worker: 'off',
    indexedDB,
    IDBKeyRange,
    onError: (rejection) => rejections.push(rejection),
    ...options,
  })
  clients.push(client)
  const storedEvents = async () => {
    const store = await openEventStore({ dbName: 'capture', indexedDB, IDBKeyRange })
    const events = await store.readAll()
    store.close()
    return events
  }
  return { client, rejections, storedEvents }
}

const generation = (properties: Record<string, unknown> = {}) => ({
  event: '$ai_generation',
  properties: {
    $ai_trace_id: 'trace_1',
    $ai_model: 'gpt-4o-mini',
    $ai_provider: 'openai',
    $ai_input_tokens: 120,
    $ai_output_tokens: 30,
    $ai_latency: 0.84,
    ...properties,
  },
})

describe('capture()', () => {
  it('stores captured events once flush() resolves, with uuid, timestamp and context filled in', async () => {
    const { client, storedEvents } = setUp()
    client.identify('user_42')
    client.group('company', 'acme')
    client.register({ app_version: '2.1.0' })
    client.capture(generation())
    client.capture({ event: '$pageview', properties: { $current_url: 'https://admin.example.com/tickets' } })
    await client.flush()

    const stored = await storedEvents()
    expect(stored).toHaveLength(2)
    expect(stored[0]).toMatchObject({
      event: '$ai_generation',
      distinct_id: 'user_42',
      properties: { $ai_model: 'gpt-4o-mini', $groups: { company: 'acme' }, app_version: '2.1.0' },
    })
    expect(stored[0]?.uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(stored[0]?.timestamp ?? '')).toBeGreaterThan(Date.now() - 60_000)
    expect(client.captureStats()).toEqual({
      capturedCount: 2,
      storedCount: 2,
      duplicateCount: 0,
      rejectedCount: 0,
      redactedCount: 0,
    })
  })

  it('never throws on bad input: reports each rejected event with every problem, and stores the good ones', async () => {
    const { client, rejections, storedEvents } = setUp()
    const bad = generation({ $ai_latency: '12ms', $ai_input_tokens: -5 })
    const cyclic: Record<string, unknown> = { event: '$ai_span' }
    cyclic.self = cyclic
    const throwing = {
      get event(): string {
        throw new Error('getter exploded')
      },
    }
    for (const input of [bad, null, 42, 'text', throwing, generation(), cyclic]) {
      expect(() => client.capture(input as never)).not.toThrow()
    }
    await client.flush()
    await Promise.resolve()

    expect((await storedEvents()).map((event) => event.event)).toEqual(['$ai_generation'])
    expect(client.captureStats()).toMatchObject({ capturedCount: 7, storedCount: 1, rejectedCount: 6 })
    expect(rejections).toHaveLength(6)
    const latencyProblem = rejections
      .find((rejection) => rejection.event === bad)
      ?.problems.find((problem) => problem.field === '$ai_latency')
    expect(latencyProblem?.reason).toMatch(/seconds/)
    expect(latencyProblem?.reason).toContain('"12ms"')
    expect(rejections.find((rejection) => rejection.event === bad)?.problems.map((problem) => problem.field)).toContain(
      '$ai_input_tokens',
    )
    expect(rejections.find((rejection) => rejection.event === throwing)?.problems[0]?.reason).toMatch(/getter exploded/)
    for (const rejection of rejections) {
      expect(rejection.problems.length).toBeGreaterThan(0)
    }
  })

  it('stores an event captured twice with the same uuid once', async () => {
    const { client, storedEvents } = setUp()
    const event = { ...generation(), uuid: 'fixed-uuid-1' }
    client.capture(event)
    client.capture(event)
    await client.flush()
    client.capture(event)
    await client.flush()
    expect(await storedEvents()).toHaveLength(1)
    expect(client.captureStats()).toMatchObject({ storedCount: 1, duplicateCount: 2 })
  })

  it('applies redact() before anything is stored, and drops events it returns null for', async () => {
    const { client, storedEvents } = setUp({
      redact: (event) =>
        event.event === '$pageview'
          ? null
          : { ...event, properties: { ...event.properties, $ai_input: '[redacted]', email: undefined } },
    })
    client.capture(generation({ $ai_input: [{ role: 'user', content: 'my card is 4111 1111 1111 1111' }], email: 'a@b.c' }))
    client.capture({ event: '$pageview' })
    await client.flush()
    const stored = await storedEvents()
    expect(stored).toHaveLength(1)
    expect(stored[0]?.properties.$ai_input).toBe('[redacted]')
    expect(JSON.stringify(stored)).not.toContain('4111')
    expect(client.captureStats()).toMatchObject({ storedCount: 1, redactedCount: 1 })
  })

  it('stores no content in privacy mode', async () => {
    const { client, storedEvents } = setUp({ privacyMode: true })
    client.capture(
      generation({
        $ai_input: [{ role: 'user', content: 'secret question' }],
        $ai_output_choices: [{ role: 'assistant', content: 'secret answer' }],
      }),
    )
    await client.flush()
    const [stored] = await storedEvents()
    expect(stored?.properties).toMatchObject({ $ai_input: null, $ai_output_choices: null, $ai_input_tokens: 120 })
    expect(JSON.stringify(stored)).not.toContain('secret')
  })

  it('forgets the user, groups and super properties on reset()', async () => {
    const { client, storedEvents } = setUp()
    client.identify('user_1')
    client.group('company', 'acme')
    client.register({ plan: 'pro', tier: 'gold' })
    client.unregister('tier')
    client.capture({ event: '$pageview' })
    client.reset()
    client.capture({ event: '$pageview' })
    await client.flush()
    const [before, after] = await storedEvents()
    expect(before).toMatchObject({ distinct_id: 'user_1', properties: { plan: 'pro', $groups: { company: 'acme' } } })
    expect(before?.properties.tier).toBeUndefined()
    expect(after?.distinct_id).toMatch(/^anon_/)
    expect(after?.properties).toEqual({})
  })

  it('reports events captured after close() instead of losing them silently', async () => {
    const { client, rejections } = setUp()
    await client.close()
    client.capture({ event: '$pageview' })
    await Promise.resolve()
    expect(rejections.map((rejection) => rejection.problems[0]?.reason)).toEqual(['captured after close()'])
  })

  it('stores tokens, never a computed cost, so prices apply when data is read', async () => {
    const { client, storedEvents } = setUp()
    client.capture(generation({ $ai_input_tokens: 1_000_000, $ai_output_tokens: 100_000 }))
    client.capture(generation({ $ai_total_cost_usd: 0.5, $ai_input_cost_usd: 0.3, $ai_output_cost_usd: 0.2 }))
    await client.flush()
    const [tokensOnly, clientPriced] = await storedEvents()

    expect(tokensOnly?.properties.$ai_total_cost_usd).toBeUndefined()
    // gpt-4o-mini list price: $0.15 per million input tokens, $0.60 per million output tokens.
    expect(priceEvent(tokensOnly?.properties ?? {})).toMatchObject({ source: 'table', totalCostUsd: 0.15 + 0.06 })
    const repriced = priceEvent(tokensOnly?.properties ?? {}, {
      overrides: [{ match: 'gpt-4o-mini', usdPerMillionTokens: { input: 1, output: 2 } }],
    })
    expect(repriced).toMatchObject({ source: 'override', totalCostUsd: 1 + 0.2 })
    expect(priceEvent(clientPriced?.properties ?? {})).toMatchObject({ source: 'client-cost', totalCostUsd: 0.5 })
  })
})
