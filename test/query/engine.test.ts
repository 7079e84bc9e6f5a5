import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type AiscopeEngine, type EngineOptions, type LoadProgress } from '../../src/query'
import { generateEvents } from '../../src/testing'
import type { AiscopeEvent } from '../../src'

const engines: AiscopeEngine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()))
})

function makeEngine(indexedDB: IDBFactory, options: Partial<EngineOptions> = {}): AiscopeEngine {
  const engine = createEngine({ dbName: 'engine', indexedDB, IDBKeyRange, autoCompact: false, ...options })
  engines.push(engine)
  return engine
}

/** Every event name the generator writes: counting over them counts every stored event. */
const allEventNames = [...new Set(generateEvents({ size: 3_000, seed: 1 }).map((event) => event.event))]
const countAll = { kind: 'aggregate', measures: ['count'], eventNames: allEventNames } as const
const countByModel = { kind: 'aggregate', measures: ['count', 'costUsd'], groupBy: ['model'] } as const

/** Stores events a few at a time, so the store holds many small segments. */
async function storeInSmallBatches(engine: AiscopeEngine, events: readonly AiscopeEvent[], batchSize: number) {
  for (let start = 0; start < events.length; start += batchSize) {
    await engine.ingest(events.slice(start, start + batchSize))
  }
}

const totalCount = (result: { rows: { values: Record<string, number | null> }[] }) =>
  result.rows.reduce((sum, row) => sum + (row.values.count ?? 0), 0)

describe('engine over the segment store', () => {
  it('answers the same after small segments are merged, and still opens their content', async () => {
    const indexedDB = new IDBFactory()
    const engine = makeEngine(indexedDB)
    const events = generateEvents({ size: 600, seed: 11 })
    await storeInSmallBatches(engine, events, 50)
    const before = await engine.query(countByModel)
    const traceId = events.find((event) => event.event === '$ai_generation')?.properties.$ai_trace_id as string
    const contentBefore = await engine.query({ kind: 'traceEvents', traceId })

    expect(await engine.compact()).toEqual({ mergedSegmentCount: 11, retention: null })
    const after = await engine.query(countByModel)
    expect(after.rows).toEqual(before.rows)
    expect(after.dataVersion).toBeGreaterThan(before.dataVersion)
    const contentAfter = await engine.query({ kind: 'traceEvents', traceId })
    expect(contentAfter.events.map((event) => event.uuid)).toEqual(contentBefore.events.map((event) => event.uuid))
    expect(contentAfter.events.length).toBeGreaterThan(0)

    // A new engine (a reload) reads the merged segment and agrees.
    const reopened = makeEngine(indexedDB)
    expect((await reopened.query(countByModel)).rows).toEqual(before.rows)
  })

  it('forgets events that retention deleted', async () => {
    const indexedDB = new IDBFactory()
    const engine = makeEngine(indexedDB, { retention: { maxEvents: 250 } })
    const events = generateEvents({ size: 400, seed: 12 })
    await storeInSmallBatches(engine, events.slice(0, 200), 100)
    expect(totalCount(await engine.query(countAll))).toBe(200)
    const report = await engine.ingest(events.slice(200, 300))
    expect(report.retention).toMatchObject({ reason: 'events', droppedEventCount: 100, droppedSegmentCount: 1 })
    expect(report.status.eventCount).toBe(200)
    expect(totalCount(await engine.query(countAll))).toBe(200)
    const expectedUuids = new Set(events.slice(100, 300).map((event) => event.uuid))
    const stored = await engine.query({ kind: 'traceEvents', traceId: events[250]?.properties.$ai_trace_id as string })
    expect(stored.events.every((event) => expectedUuids.has(event.uuid))).toBe(true)
  })

  it('reports progress while stored segments load, ending at the total', async () => {
    const indexedDB = new IDBFactory()
    await storeInSmallBatches(makeEngine(indexedDB), generateEvents({ size: 1_000, seed: 13 }), 40)
    const progress: LoadProgress[] = []
    const coldEngine = makeEngine(indexedDB)
    const result = await coldEngine.query(countAll, { requestId: 'cold' }, (loaded) => progress.push(loaded))
    expect(totalCount(result)).toBe(1_000)
    expect(progress.length).toBeGreaterThanOrEqual(3)
    expect(progress.every((step) => step.stage === 'reading')).toBe(true)
    expect(progress.at(-1)).toEqual({ stage: 'reading', loadedEventCount: 1_000, totalEventCount: 1_000 })
    const loadedCounts = progress.map((step) => step.loadedEventCount)
    expect(loadedCounts).toEqual(loadedCounts.toSorted((a, b) => a - b))
  })

  it('reports the one-time rebuild of stale columns as the store opens, then the read', async () => {
    const indexedDB = new IDBFactory()
    await storeInSmallBatches(makeEngine(indexedDB), generateEvents({ size: 300, seed: 15 }), 100)
    // A property declared after the events were stored: every segment's columns are rebuilt.
    const progress: LoadProgress[] = []
    const reopened = makeEngine(indexedDB, { propertyDimensions: ['$lib'] })
    const result = await reopened.query(countAll, { requestId: 'after-upgrade' }, (loaded) => progress.push(loaded))
    expect(totalCount(result)).toBe(300)
    expect(progress.map(({ stage, loadedEventCount }) => `${stage} ${loadedEventCount}`)).toEqual([
      'rebuilding 0',
      'rebuilding 100',
      'rebuilding 200',
      'rebuilding 300',
      'reading 300',
    ])
    expect(progress.every((step) => step.totalEventCount === 300)).toBe(true)
  })

  it('cancels a query by its request id before its kernel runs', async () => {
    const engine = makeEngine(new IDBFactory())
    await engine.ingest(generateEvents({ size: 100, seed: 14 }))
    const cancelled = engine.query(countAll, { requestId: 'superseded' })
    const kept = engine.query(countAll, { requestId: 'current' })
    engine.cancelQuery('superseded', 'a newer filter replaced it')
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError', message: 'a newer filter replaced it' })
    expect(totalCount(await kept)).toBe(100)
    // Unknown or finished ids are ignored.
    engine.cancelQuery('current')
    engine.cancelQuery('never-existed')
  })

  it('skips and reports a stored segment it cannot read, never counting it', async () => {
    const indexedDB = new IDBFactory()
    const writer = makeEngine(indexedDB)
    await writer.ingest(generateEvents({ size: 30, seed: 15 }))
    await writer.ingest(generateEvents({ size: 20, seed: 16 }))
    await writer.close()
    const { Dexie } = await import('dexie')
    const raw = new Dexie('engine', { indexedDB, IDBKeyRange })
    await raw.open()
    const record = await raw.table('segmentColumns').get(1)
    record.columns.tsMs = new Float64Array(3)
    await raw.table('segmentColumns').put(record)
    raw.close()

    const reader = makeEngine(indexedDB)
    expect(totalCount(await reader.query(countAll))).toBe(20)
    expect((await reader.status()).unreadable).toEqual({
      segmentCount: 1,
      eventCount: 30,
      messages: ['aiscope: segment 1 is corrupt: column tsMs has 3 values, expected 30'],
    })
  })
})
