import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { Dexie } from 'dexie'
import { describe, expect, it } from 'vitest'
import { openEventStore, toBatchRecord, STORE_SCHEMA_VERSION } from '../../src/store'
import type { AiscopeEvent } from '../../src'

function pageview(uuid: string, timestamp = '2026-10-02T00:00:00.000Z'): AiscopeEvent {
  return { event: '$pageview', uuid, distinct_id: 'user_7', timestamp, properties: { $current_url: '/admin' } }
}

describe('event store (fake-indexeddb)', () => {
  it('keeps appended batches across a reopen and reports counters and time range', async () => {
    const indexedDB = new IDBFactory()
    const first = await openEventStore({ dbName: 'store', indexedDB, IDBKeyRange })
    await first.append([pageview('a', '2026-10-02T00:00:00.000Z'), pageview('b', '2026-10-05T00:00:00.000Z')])
    await first.append([pageview('c', '2026-10-01T12:00:00.000Z')])
    first.close()

    const reopened = await openEventStore({ dbName: 'store', indexedDB, IDBKeyRange })
    expect(await reopened.status()).toEqual({
      eventCount: 3,
      dataVersion: 2,
      firstTsMs: Date.parse('2026-10-01T12:00:00.000Z'),
      lastTsMs: Date.parse('2026-10-05T00:00:00.000Z'),
    })
    expect((await reopened.readAll()).map((event) => event.uuid)).toEqual(['a', 'b', 'c'])
    reopened.close()
  })

  it('stores an event once, however often its uuid comes, also after a reopen', async () => {
    const indexedDB = new IDBFactory()
    const store = await openEventStore({ dbName: 'dedup', indexedDB, IDBKeyRange })
    const first = await store.append([pageview('a'), pageview('b'), pageview('a')])
    expect(first).toMatchObject({ storedCount: 2, duplicateUuids: ['a'] })
    const second = await store.append([pageview('b'), pageview('c')])
    expect(second).toMatchObject({ storedCount: 1, duplicateUuids: ['b'], status: { eventCount: 3 } })
    store.close()

    const reopened = await openEventStore({ dbName: 'dedup', indexedDB, IDBKeyRange })
    expect(await reopened.append([pageview('c'), pageview('a'), pageview('d')])).toMatchObject({
      storedCount: 1,
      duplicateUuids: ['c', 'a'],
    })
    expect((await reopened.readAll()).map((event) => event.uuid)).toEqual(['a', 'b', 'c', 'd'])
    reopened.close()
  })

  it('sees what another tab stored before deciding what is a duplicate', async () => {
    const indexedDB = new IDBFactory()
    const tabA = await openEventStore({ dbName: 'tabs', indexedDB, IDBKeyRange })
    const tabB = await openEventStore({ dbName: 'tabs', indexedDB, IDBKeyRange })
    await tabA.append([pageview('shared'), pageview('only-a')])
    expect(await tabB.append([pageview('shared'), pageview('only-b')])).toMatchObject({
      storedCount: 1,
      duplicateUuids: ['shared'],
      status: { eventCount: 3 },
    })
    expect(await tabA.append([pageview('only-b')])).toMatchObject({ storedCount: 0, duplicateUuids: ['only-b'] })
    tabA.close()
    tabB.close()
  })

  it('opens a store written by schema version 1 and keeps every event, deduplicating against them', async () => {
    const indexedDB = new IDBFactory()
    const version1 = new Dexie('legacy', { indexedDB, IDBKeyRange })
    version1.version(1).stores({ batches: '++id', meta: 'key' })
    await version1.open()
    await version1.table('batches').add(toBatchRecord([pageview('old-1'), pageview('old-2')]))
    await version1.table('meta').bulkPut([
      { key: 'eventCount', value: 2 },
      { key: 'dataVersion', value: 1 },
    ])
    version1.close()

    const upgraded = await openEventStore({ dbName: 'legacy', indexedDB, IDBKeyRange })
    expect(STORE_SCHEMA_VERSION).toBe(2)
    expect((await upgraded.readAll()).map((event) => event.uuid)).toEqual(['old-1', 'old-2'])
    expect(await upgraded.append([pageview('old-2'), pageview('new-1')])).toMatchObject({
      storedCount: 1,
      duplicateUuids: ['old-2'],
      status: { eventCount: 3 },
    })
    upgraded.close()
  })

  it('clears every event and still moves the data version forward', async () => {
    const store = await openEventStore({ dbName: 'clear', indexedDB: new IDBFactory(), IDBKeyRange })
    await store.append([pageview('a')])
    expect(await store.clear()).toEqual({ eventCount: 0, dataVersion: 2, firstTsMs: null, lastTsMs: null })
    expect(await store.readAll()).toEqual([])
    expect(await store.append([pageview('a')])).toMatchObject({ storedCount: 1, duplicateUuids: [] })
    store.close()
  })

  it('writes nothing for an empty batch or a batch of duplicates', async () => {
    const store = await openEventStore({ dbName: 'empty', indexedDB: new IDBFactory(), IDBKeyRange })
    expect((await store.append([])).status).toEqual({ eventCount: 0, dataVersion: 0, firstTsMs: null, lastTsMs: null })
    await store.append([pageview('a')])
    expect((await store.append([pageview('a')])).status.dataVersion).toBe(1)
    store.close()
  })

  it('packs a batch with its earliest and latest event times', () => {
    const record = toBatchRecord([pageview('x', '2026-10-03T00:00:00.000Z'), pageview('y', '2026-10-01T00:00:00.000Z')])
    expect(record).toMatchObject({
      eventCount: 2,
      firstTsMs: Date.parse('2026-10-01T00:00:00.000Z'),
      lastTsMs: Date.parse('2026-10-03T00:00:00.000Z'),
    })
    expect(JSON.parse(record.eventsJson)).toHaveLength(2)
  })
})
