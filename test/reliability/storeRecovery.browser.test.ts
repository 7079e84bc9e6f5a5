/**
 * What a user's existing IndexedDB can hold, opened by a new client in real Chromium (the
 * worker, real IndexedDB): a segment damaged on disk, and a store written by schema version 2
 * of an older aiscope. The node versions over fake-indexeddb live in test/query/engine.test.ts
 * and test/store/eventStore.test.ts; these prove the same on the browser's own IndexedDB.
 */
import { Dexie } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient } from '../../src'
import { validateEvent, type AiscopeEvent } from '../../src/schema'
import { generateEvents } from '../../src/testing'

const clients: AiscopeClient[] = []
const databases: Dexie[] = []
afterEach(async () => {
  databases.splice(0).forEach((database) => database.close())
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

function makeClient(dbName: string): AiscopeClient {
  const client = createAiscope({ dbName })
  clients.push(client)
  return client
}

/** The database as it is on disk, opened without declaring a schema. */
async function openRaw(dbName: string): Promise<Dexie> {
  const database = new Dexie(dbName)
  databases.push(database)
  await database.open()
  return database
}

const isModelCall = (event: AiscopeEvent) => event.event === '$ai_generation' || event.event === '$ai_embedding'

/** Model calls per model, counted from the events themselves (absent models as `null`). */
function callsByModel(events: readonly AiscopeEvent[]): Map<string | null, number> {
  const counts = new Map<string | null, number>()
  for (const event of events.filter(isModelCall)) {
    const model = typeof event.properties.$ai_model === 'string' ? event.properties.$ai_model : null
    counts.set(model, (counts.get(model) ?? 0) + 1)
  }
  return counts
}

type AggregateRows = { rows: { key: (string | null)[]; values: Record<string, number | null> }[] }
const totalCount = (result: AggregateRows) => result.rows.reduce((sum, row) => sum + (row.values.count ?? 0), 0)
const countsByKey = (result: AggregateRows) => new Map(result.rows.map((row) => [row.key[0] ?? null, row.values.count ?? 0]))

describe('a corrupt stored segment, in real IndexedDB', () => {
  it.each<[string, (database: Dexie, segmentId: number) => Promise<void>, RegExp]>([
    [
      'a column of the wrong length',
      async (database, segmentId) => {
        const record = await database.table('segmentColumns').get(segmentId)
        record.columns.tsMs = new Float64Array(3)
        await database.table('segmentColumns').put(record)
      },
      /column tsMs has 3 values, expected/,
    ],
    [
      'a missing columns record',
      async (database, segmentId) => {
        await database.table('segmentColumns').delete(segmentId)
      },
      /its columns are missing/,
    ],
  ])('with %s: counts only the intact segments, names the damaged one, and never throws', async (_, corrupt, message) => {
    const dbName = `aiscope-corrupt-${crypto.randomUUID()}`
    const damaged = generateEvents({ size: 300, seed: 51 })
    const intact = generateEvents({ size: 200, seed: 52 })
    const writer = makeClient(dbName)
    expect(await writer.mode()).toBe('worker')
    expect((await writer.ingest(damaged)).storedCount).toBe(300)
    expect((await writer.ingest(intact)).storedCount).toBe(200)
    await writer.close()

    const raw = await openRaw(dbName)
    const segmentIds = (await raw.table('segments').toCollection().primaryKeys()) as number[]
    expect(segmentIds).toHaveLength(2)
    const damagedId = Math.min(...segmentIds)
    await corrupt(raw, damagedId)
    raw.close()

    const reader = makeClient(dbName)
    const byModel = await reader.query({ kind: 'aggregate', measures: ['count'], groupBy: ['model'] })
    expect(totalCount(byModel)).toBe(intact.filter(isModelCall).length)
    expect(countsByKey(byModel)).toEqual(callsByModel(intact))
    const status = await reader.status()
    expect(status.unreadable).toMatchObject({ segmentCount: 1, eventCount: 300 })
    expect(status.unreadable?.messages).toHaveLength(1)
    expect(status.unreadable?.messages[0]).toMatch(new RegExp(`segment ${damagedId}\\b`))
    expect(status.unreadable?.messages[0]).toMatch(message)

    // Every other kind of query answers too, from the intact events only.
    const intactTraceIds = new Set(intact.map((event) => event.properties.$ai_trace_id).filter((id) => typeof id === 'string'))
    const damagedOnlyTraceId = damaged.map((event) => event.properties.$ai_trace_id).find((id) => typeof id === 'string' && !intactTraceIds.has(id))
    const traces = await reader.query({ kind: 'traces', limit: 500 })
    expect(traces.rows.every((row) => intactTraceIds.has(row.traceId))).toBe(true)
    const generations = await reader.query({ kind: 'generations', limit: 500 })
    expect(generations.rows).toHaveLength(intact.filter(isModelCall).length)
    await expect(reader.query({ kind: 'users', by: 'user' })).resolves.toMatchObject({ kind: 'users' })
    await expect(reader.query({ kind: 'errors' })).resolves.toMatchObject({ kind: 'errors' })
    if (typeof damagedOnlyTraceId === 'string') {
      expect(await reader.query({ kind: 'trace', traceId: damagedOnlyTraceId })).toMatchObject({ found: false })
    }

    // New events are stored and counted beside the damaged segment.
    const more = generateEvents({ size: 50, seed: 53 })
    expect((await reader.ingest(more)).storedCount).toBe(50)
    expect(totalCount(await reader.query({ kind: 'aggregate', measures: ['count'] }))).toBe(intact.filter(isModelCall).length + more.filter(isModelCall).length)
  })
})

describe('a store written by schema version 2, in real IndexedDB', () => {
  /** A version-2 batch record: the events as JSON, with their count and time range. */
  function legacyBatch(events: readonly AiscopeEvent[]) {
    const times = events.map((event) => Date.parse(event.timestamp))
    return { eventCount: events.length, firstTsMs: Math.min(...times), lastTsMs: Math.max(...times), eventsJson: JSON.stringify(events) }
  }

  it('opens it with every event, answers queries over them, and deduplicates against them', async () => {
    const dbName = `aiscope-v2-${crypto.randomUUID()}`
    const sent = generateEvents({ size: 2_000, seed: 61 })
    // Version 2 stored events as its validator had normalised them.
    const stored = sent.map((event) => {
      const result = validateEvent(event)
      if (!result.ok) {
        throw new Error(`generated event rejected: ${JSON.stringify(result.problems)}`)
      }
      return result.event
    })
    const version2 = new Dexie(dbName)
    databases.push(version2)
    version2.version(1).stores({ batches: '++id', meta: 'key' })
    version2.version(2).stores({ batches: '++id', meta: 'key', batchUuids: 'batchId' })
    await version2.open()
    for (const batch of [stored.slice(0, 1_200), stored.slice(1_200)]) {
      const batchId = await version2.table('batches').add(legacyBatch(batch))
      await version2.table('batchUuids').add({ batchId, uuids: batch.map((event) => event.uuid) })
    }
    // The counters version 2 kept in `meta`.
    const times = stored.map((event) => Date.parse(event.timestamp))
    await version2.table('meta').bulkPut([
      { key: 'eventCount', value: 2_000 },
      { key: 'dataVersion', value: 2 },
      { key: 'firstTsMs', value: Math.min(...times) },
      { key: 'lastTsMs', value: Math.max(...times) },
    ])
    version2.close()

    const client = makeClient(dbName)
    expect(await client.mode()).toBe('worker')
    const status = await client.status()
    expect(status.eventCount).toBe(2_000)
    expect(status.firstTsMs).toBe(Math.min(...times))
    expect(status.lastTsMs).toBe(Math.max(...times))

    const byModel = await client.query({ kind: 'aggregate', measures: ['count'], groupBy: ['model'] })
    expect(countsByKey(byModel)).toEqual(callsByModel(stored))
    expect((await client.status()).unreadable).toBeUndefined()

    // A trace opens with its full events, content included.
    const generation = stored.find(isModelCall) as AiscopeEvent
    const traceId = generation.properties.$ai_trace_id as string
    const nodeId = (generation.properties.$ai_generation_id as string | undefined) ?? generation.uuid
    const { events } = await client.query({ kind: 'traceEvents', traceId, nodeIds: [nodeId] })
    expect(events.map((event) => event.uuid)).toContain(generation.uuid)
    expect(events.find((event) => event.uuid === generation.uuid)?.properties.$ai_input).toEqual(generation.properties.$ai_input)

    const again = await client.ingest(sent)
    expect(again).toMatchObject({ storedCount: 0, duplicateCount: 2_000, rejected: [] })
    expect((await client.status()).eventCount).toBe(2_000)

    // The old tables are gone: the store is at the current layout.
    const raw = await openRaw(dbName)
    expect(raw.tables.map((table) => table.name)).not.toContain('batches')
    expect(raw.tables.map((table) => table.name)).not.toContain('batchUuids')
  })
})
