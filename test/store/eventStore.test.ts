import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { Dexie } from 'dexie'
import { describe, expect, it } from 'vitest'
import { openEventStore, STORE_SCHEMA_VERSION, type EventColumns, type EventStore } from '../../src/store'
import { unpack } from '../../src/store/columns'
import type { DictionaryLogRecord } from '../../src/store/segments'
import { writeLegacySegmentStore } from './legacyStore'
import type { AiscopeEvent } from '../../src'

/** The strings a dictionary log record adds, whether written packed (version 7 on) or not. */
const logStrings = (record: DictionaryLogRecord) => ('packed' in record ? unpack(record.packed) : record.values)

function pageview(uuid: string, timestamp = '2026-10-02T00:00:00.000Z'): AiscopeEvent {
  return { event: '$pageview', uuid, distinct_id: 'user_7', timestamp, properties: { $current_url: '/admin' } }
}

function generation(uuid: string, model: string, extra: Record<string, unknown> = {}): AiscopeEvent {
  return {
    event: '$ai_generation',
    uuid,
    distinct_id: 'user_7',
    timestamp: '2026-10-02T00:00:00.000Z',
    properties: { $ai_model: model, $ai_provider: 'test', $ai_trace_id: `trace-${uuid}`, ...extra },
  }
}

const uuids = (events: readonly AiscopeEvent[]) => events.map((event) => event.uuid)

/** The model of every stored event, read the way the engine reads it: columns, then dictionaries. */
async function storedModels(store: EventStore): Promise<(string | null)[]> {
  const ids = (await store.listSegments()).map((summary) => summary.id)
  const parts = (await store.readColumns(ids)) as EventColumns[]
  await store.syncDictionaries()
  return parts.flatMap((part) => [...part.dimensions.model].map((code) => store.dictionaries.model.decode(code)))
}

function legacyBatch(events: AiscopeEvent[]) {
  const times = events.map((event) => Date.parse(event.timestamp))
  return { eventCount: events.length, firstTsMs: Math.min(...times), lastTsMs: Math.max(...times), eventsJson: JSON.stringify(events) }
}

describe('event store (fake-indexeddb)', () => {
  it('keeps appended segments across a reopen and reports counters and time range', async () => {
    const indexedDB = new IDBFactory()
    const first = await openEventStore({ dbName: 'store', indexedDB, IDBKeyRange })
    await first.append([pageview('a', '2026-10-02T00:00:00.000Z'), pageview('b', '2026-10-05T00:00:00.000Z')])
    await first.append([pageview('c', '2026-10-01T12:00:00.000Z')])
    first.close()

    const reopened = await openEventStore({ dbName: 'store', indexedDB, IDBKeyRange })
    expect(await reopened.status()).toMatchObject({
      eventCount: 3,
      dataVersion: 2,
      firstTsMs: Date.parse('2026-10-01T12:00:00.000Z'),
      lastTsMs: Date.parse('2026-10-05T00:00:00.000Z'),
      lastRetention: null,
    })
    expect(uuids(await reopened.readAll())).toEqual(['a', 'b', 'c'])
    expect((await reopened.listSegments()).map((summary) => summary.eventCount)).toEqual([2, 1])
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
    expect(uuids(await reopened.readAll())).toEqual(['a', 'b', 'c', 'd'])
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

  it('keeps one set of dictionary codes for every tab, so columns written anywhere decode right', async () => {
    const indexedDB = new IDBFactory()
    const tabA = await openEventStore({ dbName: 'codes', indexedDB, IDBKeyRange })
    const tabB = await openEventStore({ dbName: 'codes', indexedDB, IDBKeyRange })
    await tabA.append([generation('1', 'gpt-4o'), generation('2', 'gpt-4o-mini')])
    await tabB.append([generation('3', 'claude-sonnet-4'), generation('4', 'gpt-4o')])
    await tabA.append([generation('5', 'claude-sonnet-4'), generation('6', 'gemini-2.5-pro')])
    const reader = await openEventStore({ dbName: 'codes', indexedDB, IDBKeyRange })
    const expected = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'gpt-4o', 'claude-sonnet-4', 'gemini-2.5-pro']
    expect(await storedModels(reader)).toEqual(expected)
    expect(await storedModels(tabB)).toEqual(expected)
    expect(reader.dictionaries.model.values).toEqual(['', 'gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'gemini-2.5-pro'])
    for (const store of [tabA, tabB, reader]) {
      store.close()
    }
    // Each write logged the strings it added packed: one text and where each string ends.
    const raw = new Dexie('codes', { indexedDB, IDBKeyRange })
    await raw.open()
    const modelLog = (await raw.table('dictionaryLog').where('key').equals('model').toArray()) as DictionaryLogRecord[]
    raw.close()
    expect(modelLog.map(({ firstCode, ...record }) => [firstCode, 'packed' in record ? [record.packed.text, Array.from(record.packed.ends)] : record])).toEqual([
      [1, ['gpt-4ogpt-4o-mini', [6, 17]]],
      [3, ['claude-sonnet-4', [15]]],
      [4, ['gemini-2.5-pro', [14]]],
    ])
  })

  it('opens a store written by schema version 1 and keeps every event, deduplicating against them', async () => {
    const indexedDB = new IDBFactory()
    const version1 = new Dexie('legacy', { indexedDB, IDBKeyRange })
    version1.version(1).stores({ batches: '++id', meta: 'key' })
    await version1.open()
    await version1.table('batches').add(legacyBatch([generation('old-1', 'gpt-4o'), pageview('old-2')]))
    await version1.table('batches').add(legacyBatch([generation('old-3', 'claude-sonnet-4')]))
    await version1.table('meta').bulkPut([
      { key: 'eventCount', value: 3 },
      { key: 'dataVersion', value: 2 },
    ])
    version1.close()

    const upgraded = await openEventStore({ dbName: 'legacy', indexedDB, IDBKeyRange })
    expect(STORE_SCHEMA_VERSION).toBe(7)
    expect(uuids(await upgraded.readAll())).toEqual(['old-1', 'old-2', 'old-3'])
    expect(await storedModels(upgraded)).toEqual(['gpt-4o', null, 'claude-sonnet-4'])
    expect(await upgraded.append([pageview('old-2'), pageview('new-1')])).toMatchObject({
      storedCount: 1,
      duplicateUuids: ['old-2'],
      status: { eventCount: 4, dataVersion: 3 },
    })
    upgraded.close()
    const tables = new Dexie('legacy', { indexedDB, IDBKeyRange })
    await tables.open()
    expect(tables.tables.map((table) => table.name)).not.toContain('batches')
    tables.close()
  })

  it('opens a store written by schema version 2 (batches with their uuids)', async () => {
    const indexedDB = new IDBFactory()
    const version2 = new Dexie('legacy2', { indexedDB, IDBKeyRange })
    version2.version(1).stores({ batches: '++id', meta: 'key' })
    version2.version(2).stores({ batches: '++id', meta: 'key', batchUuids: 'batchId' })
    await version2.open()
    const batchId = await version2.table('batches').add(legacyBatch([pageview('v2-a'), pageview('v2-b')]))
    await version2.table('batchUuids').add({ batchId, uuids: ['v2-a', 'v2-b'] })
    await version2.table('meta').bulkPut([{ key: 'eventCount', value: 2 }])
    version2.close()

    const upgraded = await openEventStore({ dbName: 'legacy2', indexedDB, IDBKeyRange })
    expect(uuids(await upgraded.readAll())).toEqual(['v2-a', 'v2-b'])
    expect(await upgraded.append([pageview('v2-b')])).toMatchObject({ storedCount: 0, duplicateUuids: ['v2-b'] })
    upgraded.close()
  })

  it('clears every event, in every tab, and still moves the data version forward', async () => {
    const indexedDB = new IDBFactory()
    const store = await openEventStore({ dbName: 'clear', indexedDB, IDBKeyRange })
    const otherTab = await openEventStore({ dbName: 'clear', indexedDB, IDBKeyRange })
    await store.append([generation('a', 'gpt-4o')])
    await otherTab.append([generation('b', 'claude-sonnet-4')])
    expect(await store.clear()).toMatchObject({ eventCount: 0, dataVersion: 3, firstTsMs: null, lastTsMs: null, storedBytes: 0 })
    expect(await store.readAll()).toEqual([])
    // The other tab learns of the clear: its codes start over and 'a' is new again.
    expect(await otherTab.append([generation('a', 'gemini-2.5-pro')])).toMatchObject({ storedCount: 1, duplicateUuids: [] })
    expect(await storedModels(store)).toEqual(['gemini-2.5-pro'])
    expect(otherTab.dictionaries.model.values).toEqual(['', 'gemini-2.5-pro'])
    store.close()
    otherTab.close()
  })

  it('writes nothing for an empty batch or a batch of duplicates', async () => {
    const store = await openEventStore({ dbName: 'empty', indexedDB: new IDBFactory(), IDBKeyRange })
    expect((await store.append([])).status).toMatchObject({ eventCount: 0, dataVersion: 0, firstTsMs: null, lastTsMs: null })
    await store.append([pageview('a')])
    expect((await store.append([pageview('a')])).status.dataVersion).toBe(1)
    store.close()
  })

  it('merges small segments in place: same events, same order, same columns, still deduplicated', async () => {
    const indexedDB = new IDBFactory()
    const store = await openEventStore({ dbName: 'compact', indexedDB, IDBKeyRange, autoCompact: false })
    const otherTab = await openEventStore({ dbName: 'compact', indexedDB, IDBKeyRange, autoCompact: false })
    const models = ['gpt-4o', 'claude-sonnet-4', 'gemini-2.5-pro']
    for (let index = 0; index < 6; index += 1) {
      await store.append([generation(`e${index}`, models[index % 3] as string), pageview(`p${index}`)])
    }
    const before = { events: uuids(await store.readAll()), models: await storedModels(store), status: await store.status() }
    // The other tab indexes the small segments before they are merged.
    await otherTab.append([pageview('other-1')])

    expect(await store.compact()).toBe(6)
    const segments = await store.listSegments()
    expect(segments.map((summary) => summary.eventCount)).toEqual([13])
    expect(uuids(await store.readAll())).toEqual([...before.events, 'other-1'])
    expect((await storedModels(store)).slice(0, 12)).toEqual(before.models)
    expect(await store.status()).toMatchObject({ eventCount: 13, dataVersion: before.status.dataVersion + 2 })
    expect(await store.compactionsSince(0)).toMatchObject([{ targetId: segments[0]?.id, sourceIds: [1, 2, 3, 4, 5, 6, 7] }])

    // Both tabs still know every stored uuid, though the segments they were indexed under are gone.
    expect(await otherTab.append([pageview('p3'), generation('e5', 'gpt-4o'), pageview('new')])).toMatchObject({
      storedCount: 1,
      duplicateUuids: ['p3', 'e5'],
    })
    expect(await store.append([pageview('other-1'), pageview('p0')])).toMatchObject({ storedCount: 0 })
    store.close()
    otherTab.close()
  })

  it('drops the oldest segments past the age and size limits, and reports it', async () => {
    const nowMs = Date.now()
    const daysAgo = (days: number) => new Date(nowMs - days * 86_400_000).toISOString()
    const indexedDB = new IDBFactory()
    const store = await openEventStore({ dbName: 'retention', indexedDB, IDBKeyRange, retention: { maxAgeDays: 30, maxEvents: 4 } })
    const aged = await store.append([pageview('ancient', daysAgo(90)), pageview('old', daysAgo(60))])
    expect(aged.retention).toMatchObject({ reason: 'age', droppedEventCount: 2, droppedSegmentCount: 1 })
    expect(aged.status).toMatchObject({ eventCount: 0, firstTsMs: null, lastRetention: aged.retention })

    await store.append([pageview('recent-1', daysAgo(2))])
    await store.append([pageview('recent-2', daysAgo(1))])
    expect((await store.append([pageview('now-1', daysAgo(0)), pageview('now-2', daysAgo(0))])).retention).toBeUndefined()
    const next = await store.append([pageview('now-3', daysAgo(0))])
    expect(next.retention).toMatchObject({ reason: 'events', droppedEventCount: 1, droppedSegmentCount: 1 })
    expect(next.status).toMatchObject({ eventCount: 4, firstTsMs: Date.parse(daysAgo(1)) })
    expect(uuids(await store.readAll())).toEqual(['recent-2', 'now-1', 'now-2', 'now-3'])
    store.close()
  })

  it('on a full disk, deletes the oldest events to make room, writes the batch whole, and reports it', async () => {
    const indexedDB = new IDBFactory()
    const events = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, index) => pageview(`${prefix}-${index}`, `2026-10-0${(index % 9) + 1}T00:00:00.000Z`))
    const probe = await openEventStore({ dbName: 'probe', indexedDB, IDBKeyRange })
    const oneBatchBytes = (await probe.append(events('x', 50))).status.storedBytes
    probe.close()

    const store = await openEventStore({ dbName: 'quota', indexedDB, IDBKeyRange, quotaBytesForTesting: oneBatchBytes * 3.5 })
    for (const prefix of ['a', 'b', 'c']) {
      expect((await store.append(events(prefix, 50))).retention).toBeUndefined()
    }
    const appended = await store.append(events('d', 50))
    expect(appended).toMatchObject({ storedCount: 50, retention: { reason: 'quota', droppedEventCount: 50 } })
    expect(appended.status).toMatchObject({ eventCount: 150, lastRetention: { reason: 'quota' } })
    const stored = uuids(await store.readAll())
    expect(stored.filter((uuid) => uuid.startsWith('a-'))).toEqual([])
    expect(stored.filter((uuid) => uuid.startsWith('d-'))).toHaveLength(50)

    // A batch bigger than the whole quota cannot fit: a clear error, and nothing half-written.
    await expect(store.append(events('huge', 400))).rejects.toThrow(/storage quota is exhausted/)
    expect(uuids(await store.readAll()).filter((uuid) => uuid.startsWith('huge-'))).toEqual([])
    store.close()
  })

  it('reports a segment whose columns have the wrong length instead of reading it', async () => {
    const indexedDB = new IDBFactory()
    const store = await openEventStore({ dbName: 'corrupt', indexedDB, IDBKeyRange })
    await store.append([generation('1', 'gpt-4o'), generation('2', 'gpt-4o')])
    await store.append([generation('3', 'gpt-4o')])
    store.close()
    const raw = new Dexie('corrupt', { indexedDB, IDBKeyRange })
    await raw.open()
    const record = await raw.table('segmentColumns').get(1)
    record.columns.dimensions.model = new Uint32Array(5)
    await raw.table('segmentColumns').put(record)
    raw.close()

    const reopened = await openEventStore({ dbName: 'corrupt', indexedDB, IDBKeyRange })
    const [broken, intact] = await reopened.readColumns([1, 2])
    expect(broken).toBeInstanceOf(Error)
    expect((broken as Error).message).toBe('aiscope: segment 1 is corrupt: column dimensions.model has 5 values, expected 2')
    expect((intact as EventColumns).length).toBe(1)
    reopened.close()
  })

  it('adds a host property column to segments written before the property was declared', async () => {
    const indexedDB = new IDBFactory()
    const before = await openEventStore({ dbName: 'layout', indexedDB, IDBKeyRange })
    await before.append([generation('1', 'gpt-4o', { plan: 'pro' }), generation('2', 'gpt-4o', { plan: 'free' })])
    before.close()
    const after = await openEventStore({ dbName: 'layout', indexedDB, IDBKeyRange, propertyDimensions: ['plan'] })
    const [columns] = (await after.readColumns([1])) as EventColumns[]
    await after.syncDictionaries()
    const plans = after.dictionaries.properties.get('plan')
    expect([...(columns?.properties.get('plan') ?? [])].map((code) => plans?.decode(code))).toEqual(['pro', 'free'])
    expect((await after.listSegments())[0]?.propertyNames).toEqual(['plan'])
    after.close()
  })

  it('stores columns packed where the values allow and reads every value back exactly', async () => {
    const indexedDB = new IDBFactory()
    const store = await openEventStore({ dbName: 'narrow', indexedDB, IDBKeyRange })
    const manyModels = Array.from({ length: 300 }, (_, index) =>
      generation(`m${index}`, `model-${index}`, { $ai_input_tokens: index * 7, $ai_latency: (100 + index) / 1000 }),
    )
    const hugeCount = generation('huge', 'model-0', { $ai_input_tokens: 2 ** 24 + 1 })
    await store.append(manyModels)
    await store.append([hugeCount, pageview('no-tokens')])
    const raw = new Dexie('narrow', { indexedDB, IDBKeyRange })
    await raw.open()
    const [small, large] = await raw.table('segmentColumns').bulkGet([1, 2])
    raw.close()
    expect(small.columns.dimensions.model).toBeInstanceOf(Uint16Array) // codes up to 300
    expect(small.columns.dimensions.provider).toBeInstanceOf(Uint8Array)
    expect(small.columns.numbers.inputTokens).toMatchObject({ values: expect.any(Uint16Array) }) // up to 2,093 tokens
    expect(small.columns.numbers.latencyS).toMatchObject({ values: expect.any(Uint16Array), scale: 1000 }) // whole ms
    expect(small.columns.numbers.ttftS).toBeNull()
    expect(large.columns.numbers.inputTokens).toMatchObject({ values: expect.any(Float64Array) }) // 2^24 + 1 is not exact in float32

    const [first, second] = (await store.readColumns([1, 2])) as EventColumns[]
    expect([...(first?.numbers.inputTokens ?? [])]).toEqual(manyModels.map((_, index) => index * 7))
    expect([...(first?.numbers.latencyS ?? [])]).toEqual(manyModels.map((_, index) => (100 + index) / 1000))
    expect([...(first?.numbers.ttftS ?? [])]).toEqual(manyModels.map(() => Number.NaN))
    expect(first?.dimensions.model).toBeInstanceOf(Uint32Array)
    expect([...(second?.numbers.inputTokens ?? [])]).toEqual([2 ** 24 + 1, Number.NaN])
    expect((await storedModels(store)).slice(0, 300)).toEqual(manyModels.map((event) => event.properties.$ai_model))
    store.close()
  })

  it('reads the id dictionaries only when asked, and keeps every tab in step either way', async () => {
    const indexedDB = new IDBFactory()
    const writer = await openEventStore({ dbName: 'lazy', indexedDB, IDBKeyRange })
    await writer.append([generation('1', 'gpt-4o'), generation('2', 'claude-sonnet-4')])
    const reader = await openEventStore({ dbName: 'lazy', indexedDB, IDBKeyRange })
    await reader.syncDictionaries()
    expect(reader.dictionaries.model.values).toEqual(['', 'gpt-4o', 'claude-sonnet-4'])
    expect(reader.dictionaries.traceId).toMatchObject({ loaded: false, size: 3 })
    expect(() => reader.dictionaries.traceId.decode(1)).toThrow(/read before it was loaded/)

    await reader.loadDictionaries(['traceId'])
    const traceIds = async (store: EventStore) => {
      const parts = (await store.readColumns((await store.listSegments()).map((summary) => summary.id))) as EventColumns[]
      await store.syncDictionaries()
      await store.loadDictionaries(['traceId'])
      return parts.flatMap((part) => [...part.dimensions.traceId].map((code) => store.dictionaries.traceId.decode(code)))
    }
    expect(await traceIds(reader)).toEqual(['trace-1', 'trace-2'])

    // Another tab's additions reach the loaded dictionary's strings and the unloaded one's size.
    await writer.append([generation('3', 'gpt-4o')])
    await reader.syncDictionaries()
    expect(reader.dictionaries.traceId.values).toEqual(['', 'trace-1', 'trace-2', 'trace-3'])
    expect(reader.dictionaries.spanId).toMatchObject({ loaded: false, size: 4 })

    // A write reads every dictionary first, so its codes agree with everyone's.
    await reader.append([generation('4', 'gpt-4o'), generation('1', 'gpt-4o')])
    expect(reader.dictionaries.spanId.loaded).toBe(true)
    expect(await traceIds(writer)).toEqual(['trace-1', 'trace-2', 'trace-3', 'trace-4'])
    const fresh = await openEventStore({ dbName: 'lazy', indexedDB, IDBKeyRange })
    expect(await traceIds(fresh)).toEqual(['trace-1', 'trace-2', 'trace-3', 'trace-4'])
    for (const store of [writer, reader, fresh]) {
      store.close()
    }
  })

  it.each([3, 4, 5] as const)('opens a store written by schema version %i (older logs and columns, parent ids in a dictionary of their own)', async (version) => {
    const indexedDB = new IDBFactory()
    const dbName = `version-${version}`
    const batches = [
      [generation('v-1', 'gpt-4o'), pageview('v-2'), generation('v-3', 'claude-sonnet-4', { $ai_parent_id: 'v-1' })],
      [
        generation('v-4', 'gpt-4o', { $ai_input_tokens: 120, $ai_latency: 0.5, $ai_parent_id: 'trace-v-4' }),
        pageview('v-5'),
        generation('v-7', 'gpt-4o', { $ai_parent_id: 'elsewhere' }),
        generation('v-8', 'gpt-4o', { $ai_parent_id: 'v-3' }),
      ],
    ]
    await writeLegacySegmentStore(new Dexie(dbName, { indexedDB, IDBKeyRange }), version, batches)

    const upgraded = await openEventStore({ dbName, indexedDB, IDBKeyRange })
    const events = batches.flat()
    expect(uuids(await upgraded.readAll())).toEqual(uuids(events))
    expect(await storedModels(upgraded)).toEqual(['gpt-4o', null, 'claude-sonnet-4', 'gpt-4o', null, 'gpt-4o', 'gpt-4o'])
    await upgraded.loadDictionaries(['spanId', 'parentId'])
    const parts = (await upgraded.readColumns([1, 2])) as EventColumns[]
    const spanIds = upgraded.dictionaries.spanId
    const spanCodes = parts.flatMap((part) => [...part.dimensions.spanId])
    const parentCodes = parts.flatMap((part) => [...part.dimensions.parentId])
    expect(spanCodes.map((code) => spanIds.decode(code))).toEqual(uuids(events))
    // Parent ids are now span-id codes: a parent that is a stored span has that span's code.
    expect(upgraded.dictionaries.parentId).toBe(spanIds)
    expect(parentCodes.map((code) => spanIds.decode(code))).toEqual([null, null, 'v-1', 'trace-v-4', null, 'elsewhere', 'v-3'])
    expect(parentCodes[2]).toBe(spanCodes[0])
    expect(parentCodes[6]).toBe(spanCodes[2])
    expect(parts[1]?.numbers.inputTokens[0]).toBe(120)
    expect(parts[1]?.numbers.latencyS[0]).toBe(0.5)
    expect(await upgraded.append([pageview('v-5'), generation('v-6', 'gemini-2.5-pro', { $ai_parent_id: 'elsewhere' })])).toMatchObject({
      storedCount: 1,
      duplicateUuids: ['v-5'],
      status: { eventCount: 8 },
    })
    const [added] = (await upgraded.readColumns([3])) as EventColumns[]
    expect(added?.dimensions.parentId[0]).toBe(parentCodes[5])
    upgraded.close()

    // Every log record now holds one dictionary, and a new reader decodes old and new codes alike.
    const raw = new Dexie(dbName, { indexedDB, IDBKeyRange })
    await raw.open()
    const log = (await raw.table('dictionaryLog').toArray()) as DictionaryLogRecord[]
    raw.close()
    expect(log.filter((record) => !('key' in record))).toEqual([])
    expect(log.filter((record) => record.key === 'model').map(logStrings)).toEqual([['gpt-4o', 'claude-sonnet-4'], ['gemini-2.5-pro']])
    expect(log.filter((record) => record.key === 'parentId')).toEqual([])
    expect(log.filter((record) => record.key === 'spanId').flatMap(logStrings)).toEqual([...uuids(events), 'trace-v-4', 'elsewhere', 'v-6'])
    const reader = await openEventStore({ dbName, indexedDB, IDBKeyRange })
    expect(await storedModels(reader)).toEqual(['gpt-4o', null, 'claude-sonnet-4', 'gpt-4o', null, 'gpt-4o', 'gpt-4o', 'gemini-2.5-pro'])
    await reader.loadDictionaries(['parentId'])
    const [readBack] = (await reader.readColumns([2])) as EventColumns[]
    expect([...(readBack?.dimensions.parentId ?? [])].map((code) => reader.dictionaries.parentId.decode(code))).toEqual(['trace-v-4', null, 'elsewhere', 'v-3'])
    reader.close()
  })
})
