import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient, type AiscopeOptions, type CaptureRejection, type RetentionReport } from '../../src'
import { generateEvents } from '../../src/testing'

const clients: AiscopeClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

function makeClient(options: AiscopeOptions = {}): AiscopeClient {
  const client = createAiscope({ dbName: `aiscope-worker-${crypto.randomUUID()}`, ...options })
  clients.push(client)
  return client
}

function generation(uuid: string, timestamp: string, model: string) {
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
    const inWorker = makeClient({ dbName })
    expect(await inWorker.mode()).toBe('worker')

    const report = await inWorker.ingest([
      generation('e1', '2026-11-01T10:00:00.000Z', 'gpt-4o-mini'),
      generation('e2', '2026-11-02T11:30:00.000Z', 'gpt-4o'),
      generation('e3', '2026-11-01T09:15:00.000Z', 'claude-haiku-4-5'),
    ])
    expect(report).toEqual({
      storedCount: 3,
      duplicateCount: 0,
      rejected: [],
      warnedCount: 0,
      status: {
        eventCount: 3,
        dataVersion: 1,
        firstTsMs: Date.parse('2026-11-01T09:15:00.000Z'),
        lastTsMs: Date.parse('2026-11-02T11:30:00.000Z'),
        storedBytes: expect.any(Number),
        lastRetention: null,
      },
    })

    // A second client on the main thread opens the same IndexedDB database: what the
    // worker wrote is on disk, not in the worker's memory.
    const onMainThread = makeClient({ dbName, worker: 'off' })
    expect(await onMainThread.mode()).toBe('in-process')
    expect((await onMainThread.status()).eventCount).toBe(3)
  })

  it('captures through the worker: batches, flush(), and errors reported with their problems', async () => {
    const rejections: CaptureRejection[] = []
    const client = makeClient({ onError: (rejection) => rejections.push(rejection) })
    const withFunction = { event: '$pageview', distinct_id: 'u', properties: { callback: () => 'not data' } }
    const negativeTokens = { ...generation('bad', '2026-11-01T00:00:00.000Z', 'gpt-4o'), properties: { $ai_trace_id: 't', $ai_input_tokens: -1 } }
    for (const event of generateEvents({ size: 2_500, seed: 3 })) {
      client.capture(event)
    }
    client.capture(withFunction)
    client.capture(negativeTokens)
    await client.flush()
    await new Promise((resolve) => setTimeout(resolve, 0))

    expect((await client.status()).eventCount).toBe(2_500)
    expect(client.captureStats()).toMatchObject({ capturedCount: 2_502, storedCount: 2_500, rejectedCount: 2 })
    expect(rejections.find((rejection) => rejection.event === withFunction)?.problems[0]?.reason).toMatch(
      /cannot be copied to the worker/,
    )
    expect(rejections.find((rejection) => rejection.event === negativeTokens)?.problems).toEqual([
      { field: '$ai_input_tokens', reason: 'expected a non-negative integer (tokens), got -1' },
    ])
  })

  it('imports a PostHog JSONL file in the worker, reporting progress and the malformed line', async () => {
    const client = makeClient()
    const lines = generateEvents({ size: 3_000, seed: 5 }).map((event) => JSON.stringify(event))
    lines.splice(1_500, 0, '{"event": "$ai_generation", "properties": {')
    const file = new File([lines.join('\n')], 'export.jsonl')
    const progress: number[] = []

    const report = await client.import(file, {
      format: 'posthog-jsonl',
      chunkSize: 500,
      onProgress: ({ bytesRead }) => progress.push(bytesRead),
    })

    expect(report).toMatchObject({ storedCount: 3_000, rejectedCount: 0, problemCount: 1, bytesRead: file.size })
    expect(report.problems[0]?.location).toBe('line 1501')
    expect(progress.at(-1)).toBe(file.size)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))

    const again = await client.import(file, { format: 'posthog-jsonl' })
    expect(again).toMatchObject({ storedCount: 0, duplicateCount: 3_000 })
    expect((await client.status()).eventCount).toBe(3_000)
  })

  it('stops an import when its signal aborts, keeping what was stored', async () => {
    const client = makeClient()
    const text = generateEvents({ size: 5_000, seed: 9 })
      .map((event) => JSON.stringify(event))
      .join('\n')
    const controller = new AbortController()
    const importing = client.import(new Blob([text]), {
      format: 'posthog-jsonl',
      chunkSize: 250,
      signal: controller.signal,
      onProgress: ({ storedCount }) => {
        if (storedCount >= 1_000) {
          controller.abort(new Error('user pressed stop'))
        }
      },
    })
    await expect(importing).rejects.toThrow(/user pressed stop/)
    const stored = (await client.status()).eventCount
    expect(stored).toBeGreaterThanOrEqual(1_000)
    expect(stored).toBeLessThan(5_000)
  })

  it('tells subscribers about changes, at most 4 times a second, ending with the latest', async () => {
    const client = makeClient()
    const seen: number[] = []
    const unsubscribe = client.subscribe((status) => seen.push(status.eventCount))
    const startedMs = Date.now()
    for (let index = 0; index < 20; index += 1) {
      await client.ingest([generation(`e${index}`, '2026-11-03T00:00:00.000Z', 'gpt-4o')])
    }
    const cleared = await client.clear()
    await new Promise((resolve) => setTimeout(resolve, 300))
    const elapsedMs = Date.now() - startedMs
    unsubscribe()

    // 20 writes, 1 clear, and background compactions of the small segments in between.
    expect(cleared).toMatchObject({ eventCount: 0, firstTsMs: null, lastTsMs: null })
    expect(cleared.dataVersion).toBeGreaterThanOrEqual(21)
    expect(seen.at(-1)).toBe(0)
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 250) + 1)
    const beforeClear = seen.slice(0, -1)
    expect(beforeClear).toEqual([...beforeClear].sort((a, b) => a - b))
  })

  it('tells a client about what another client (another tab) stored', async () => {
    const dbName = `aiscope-tabs-${crypto.randomUUID()}`
    const writer = makeClient({ dbName })
    const reader = makeClient({ dbName })
    const heard = new Promise<number>((resolve) => reader.subscribe((status) => resolve(status.eventCount)))
    await writer.ingest([generation('x1', '2026-11-03T00:00:00.000Z', 'gpt-4o'), generation('x2', '2026-11-03T00:00:01.000Z', 'gpt-4o')])
    expect(await heard).toBe(2)
    expect((await reader.status()).eventCount).toBe(2)
  })

  it('refuses calls after close() with a message that says what to do', async () => {
    const client = createAiscope({ dbName: `aiscope-worker-${crypto.randomUUID()}` })
    await client.status()
    await client.close()
    await expect(client.status()).rejects.toThrow(/client is closed; create a new one/)
  })

  it('on an exhausted quota, deletes the oldest events to make room, keeps every new one, and tells the host', async () => {
    const events = generateEvents({ size: 4_000, seed: 21 })
    const batches = [0, 1, 2, 3].map((index) => events.slice(index * 1_000, (index + 1) * 1_000))
    // How many bytes one batch takes, measured on a store of its own.
    const probe = makeClient()
    const batchBytes = (await probe.ingest(batches[0] ?? [])).status.storedBytes

    const retentions: RetentionReport[] = []
    const client = makeClient({ quotaBytesForTesting: batchBytes * 3.2, onRetention: (report) => retentions.push(report) })
    for (const batch of batches.slice(0, 3)) {
      expect((await client.ingest(batch)).retention).toBeUndefined()
    }
    const full = await client.ingest(batches[3] ?? [])
    // The oldest batches go, as many as free the room the new batch needs (one or two:
    // batches differ in size); the new batch is stored whole.
    const dropped = full.retention?.droppedEventCount ?? 0
    expect(full).toMatchObject({ storedCount: 1_000, retention: { reason: 'quota', droppedSegmentCount: dropped / 1_000 } })
    expect([1_000, 2_000]).toContain(dropped)
    expect(full.status).toMatchObject({ eventCount: 4_000 - dropped, lastRetention: full.retention })
    await expect.poll(() => retentions.length).toBe(1)
    expect(retentions[0]).toEqual(full.retention)

    // What is left is exactly the newest batches: the deleted ones' events are new again.
    const kept = events.slice(dropped)
    expect(await client.ingest(batches[3] ?? [])).toMatchObject({ storedCount: 0, duplicateCount: 1_000 })
    const calls = await client.query({ kind: 'aggregate', measures: ['count'] })
    const expectedCalls = kept.filter((event) => event.event === '$ai_generation' || event.event === '$ai_embedding').length
    expect(calls.rows.reduce((sum, row) => sum + (row.values.count ?? 0), 0)).toBe(expectedCalls)
  })
})
