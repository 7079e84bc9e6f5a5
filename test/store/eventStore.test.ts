import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { openEventStore, toBatchRecord } from '../../src/store'
import type { AiscopeEvent } from '../../src'

function pageview(uuid: string, timestamp: string): AiscopeEvent {
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

  it('clears every event and still moves the data version forward', async () => {
    const store = await openEventStore({ dbName: 'clear', indexedDB: new IDBFactory(), IDBKeyRange })
    await store.append([pageview('a', '2026-10-02T00:00:00.000Z')])
    expect(await store.clear()).toEqual({ eventCount: 0, dataVersion: 2, firstTsMs: null, lastTsMs: null })
    expect(await store.readAll()).toEqual([])
    store.close()
  })

  it('writes nothing for an empty batch', async () => {
    const store = await openEventStore({ dbName: 'empty', indexedDB: new IDBFactory(), IDBKeyRange })
    expect(await store.append([])).toEqual({ eventCount: 0, dataVersion: 0, firstTsMs: null, lastTsMs: null })
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
