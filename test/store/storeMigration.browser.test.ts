/**
 * Stores written by schema versions 4 (a dictionary log of whole writes, plain typed-array
 * columns with the ids inside) and 5 (parent ids in a dictionary of their own) of an older
 * aiscope, opened by a new client in real Chromium: the worker upgrades them to version 6 on
 * the browser's own IndexedDB. The node version over
 * fake-indexeddb lives in test/store/eventStore.test.ts.
 */
import { Dexie } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, stringAt, type AiscopeClient } from '../../src'
import { validateEvent, type AiscopeEvent } from '../../src/schema'
import { generateEvents } from '../../src/testing'
import { writeLegacySegmentStore } from './legacyStore'

const clients: AiscopeClient[] = []
const databases: Dexie[] = []
afterEach(async () => {
  databases.splice(0).forEach((database) => database.close())
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

const isModelCall = (event: AiscopeEvent) => event.event === '$ai_generation' || event.event === '$ai_embedding'

describe.each([4, 5] as const)('a store written by schema version %i, in real IndexedDB', (version) => {
  it('opens with every event: aggregates, trace lists and trees over them, and deduplicates against them', async () => {
    const dbName = `aiscope-v${version}-${crypto.randomUUID()}`
    const sent = generateEvents({ size: 2_000, seed: 71 })
    const stored = sent.map((event) => {
      const result = validateEvent(event)
      if (!result.ok) {
        throw new Error(`generated event rejected: ${JSON.stringify(result.problems)}`)
      }
      return result.event
    })
    const legacy = new Dexie(dbName)
    databases.push(legacy)
    await writeLegacySegmentStore(legacy, version, [stored.slice(0, 1_200), stored.slice(1_200)])
    legacy.close()

    const client = createAiscope({ dbName })
    clients.push(client)
    expect(await client.mode()).toBe('worker')
    const byModel = await client.query({ kind: 'aggregate', measures: ['count'], groupBy: ['model'] })
    const expected = new Map<string | null, number>()
    for (const event of stored.filter(isModelCall)) {
      const model = typeof event.properties.$ai_model === 'string' ? event.properties.$ai_model : null
      expected.set(model, (expected.get(model) ?? 0) + 1)
    }
    expect(new Map(byModel.rows.map((row) => [row.key[0] ?? null, row.values.count ?? 0]))).toEqual(expected)

    // Ids written before the upgrade decode: trace rows, a whole trace tree, its content.
    const traceIds = new Set(stored.map((event) => event.properties.$ai_trace_id).filter((id) => typeof id === 'string'))
    const traces = await client.query({ kind: 'traces', limit: 500 })
    expect(traces.rows.length).toBeGreaterThan(0)
    expect(traces.rows.every((row) => traceIds.has(row.traceId))).toBe(true)
    const generation = stored.find(isModelCall) as AiscopeEvent
    const traceId = generation.properties.$ai_trace_id as string
    const tree = await client.query({ kind: 'trace', traceId })
    expect(tree).toMatchObject({ found: true, traceId })
    expect(tree.nodeCount).toBeGreaterThan(0)
    // The same tree as the same events stored by this version: every parent link survived.
    const current = createAiscope({ dbName: `aiscope-current-${crypto.randomUUID()}` })
    clients.push(current)
    await current.ingest(sent)
    const expectedTree = await current.query({ kind: 'trace', traceId })
    await current.clear()
    const links = (result: typeof tree) =>
      Array.from({ length: result.nodeCount }, (_, position) => [
        stringAt(result.nodeIds, position),
        result.parentPosition[position] === -1 ? null : stringAt(result.nodeIds, result.parentPosition[position] as number),
      ])
    expect(links(tree)).toEqual(links(expectedTree))
    expect(tree.orphanCount).toBe(expectedTree.orphanCount)
    const { events } = await client.query({ kind: 'traceEvents', traceId })
    expect(events.map((event) => event.uuid)).toContain(generation.uuid)

    expect(await client.ingest(sent)).toMatchObject({ storedCount: 0, duplicateCount: 2_000, rejected: [] })
    expect((await client.status()).unreadable).toBeUndefined()

    // The dictionary log now holds one dictionary per record.
    const raw = new Dexie(dbName)
    databases.push(raw)
    await raw.open()
    expect(raw.verno).toBe(7)
    const log = await raw.table('dictionaryLog').toArray()
    expect(log.filter((record) => !('key' in record) || record.key === 'parentId')).toEqual([])
  })
})
