import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient, type AiscopeEvent } from '../../src'

const clients: AiscopeClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

function makeClient(dbName: string, worker: 'auto' | 'off'): AiscopeClient {
  const client = createAiscope({ dbName, worker })
  clients.push(client)
  return client
}

function generation(uuid: string, timestamp: string, model: string): AiscopeEvent {
  return {
    event: '$ai_generation',
    uuid,
    distinct_id: 'user_1',
    timestamp,
    properties: { $ai_trace_id: 'trace_1', $ai_model: model, $ai_provider: 'openai', $ai_latency: 0.42 },
  }
}

describe('the engine in a real module Worker, in real Chromium', () => {
  it('runs the worker built from workers/ and stores events durably in IndexedDB', async () => {
    const dbName = `aiscope-worker-${crypto.randomUUID()}`
    const inWorker = makeClient(dbName, 'auto')
    expect(await inWorker.mode()).toBe('worker')

    const status = await inWorker.ingest([
      generation('e1', '2026-11-01T10:00:00.000Z', 'gpt-4o-mini'),
      generation('e2', '2026-11-02T11:30:00.000Z', 'gpt-4o'),
      generation('e3', '2026-11-01T09:15:00.000Z', 'claude-haiku-4-5'),
    ])
    expect(status).toEqual({
      eventCount: 3,
      dataVersion: 1,
      firstTsMs: Date.parse('2026-11-01T09:15:00.000Z'),
      lastTsMs: Date.parse('2026-11-02T11:30:00.000Z'),
    })

    // A second client on the main thread opens the same IndexedDB database: what the
    // worker wrote is on disk, not in the worker's memory.
    const onMainThread = makeClient(dbName, 'off')
    expect(await onMainThread.mode()).toBe('in-process')
    expect((await onMainThread.status()).eventCount).toBe(3)
  })

  it('tells subscribers about each change and empties the store on clear()', async () => {
    const client = makeClient(`aiscope-worker-${crypto.randomUUID()}`, 'auto')
    const seen: number[] = []
    const unsubscribe = client.subscribe((status) => seen.push(status.eventCount))

    await client.ingest([generation('a', '2026-11-03T00:00:00.000Z', 'gpt-4o')])
    await client.ingest([generation('b', '2026-11-03T00:01:00.000Z', 'gpt-4o')])
    const cleared = await client.clear()
    unsubscribe()
    await client.ingest([generation('c', '2026-11-03T00:02:00.000Z', 'gpt-4o')])

    expect(seen).toEqual([1, 2, 0])
    expect(cleared).toMatchObject({ eventCount: 0, dataVersion: 3, firstTsMs: null, lastTsMs: null })
  })

  it('refuses calls after close() with a message that says what to do', async () => {
    const client = createAiscope({ dbName: `aiscope-worker-${crypto.randomUUID()}` })
    await client.status()
    await client.close()
    await expect(client.status()).rejects.toThrow(/client is closed; create a new one/)
  })
})
