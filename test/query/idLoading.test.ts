import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type AiscopeEngine } from '../../src/query'
import { idNeedsOf } from '../../src/query/engine'
import { ColumnCache } from '../../src/query/columnCache'
import type { QuerySpec } from '../../src/query/spec'
import { openEventStore, type EventColumns } from '../../src/store'
import { generateEvents } from '../../src/testing'

const engines: AiscopeEngine[] = []
afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.close()))
})

const events = generateEvents({ size: 1_500, seed: 21 })
const generation = events.find((event) => event.event === '$ai_generation' && typeof event.properties.$ai_session_id === 'string')
const traceId = generation?.properties.$ai_trace_id as string
const sessionId = generation?.properties.$ai_session_id as string

/** One query of every kind, the id-free aggregate first: what a dashboard asks after a cold open. */
const specs: QuerySpec[] = [
  { kind: 'aggregate', measures: ['count', 'costUsd', 'uniqueUsers'], groupBy: ['model'] },
  { kind: 'aggregate', measures: ['count'], groupBy: ['traceName'] },
  { kind: 'aggregate', measures: ['count'], groupBy: ['sessionId'], filters: [{ dimension: 'traceId', op: 'notIn', values: [traceId] }] },
  { kind: 'traces', limit: 20 },
  { kind: 'trace', traceId },
  { kind: 'traceEvents', traceId },
  { kind: 'session', sessionId },
  { kind: 'users', by: 'user' },
  { kind: 'errors' },
  { kind: 'interactions', by: 'model' },
  { kind: 'generations', limit: 20 },
]

/** A new engine over a store already holding the events, in several segments (a reload). */
async function coldEngine(): Promise<AiscopeEngine> {
  const indexedDB = new IDBFactory()
  const writer = createEngine({ dbName: 'ids', indexedDB, IDBKeyRange, autoCompact: false })
  for (let start = 0; start < events.length; start += 400) {
    await writer.ingest(events.slice(start, start + 400))
  }
  await writer.close()
  const engine = createEngine({ dbName: 'ids', indexedDB, IDBKeyRange, autoCompact: false })
  engines.push(engine)
  return engine
}

/** The answers to `chosen` from a new engine whose first query read every id dictionary and column, and that engine. */
async function eagerAnswers(chosen: readonly QuerySpec[]) {
  const eager = await coldEngine()
  // A session's timeline reads every id dimension.
  await eager.query({ kind: 'session', sessionId })
  const expected = []
  for (const spec of chosen) {
    expected.push(await eager.query(spec))
  }
  return { eager, expected }
}

describe('id dimensions loaded on demand', () => {
  it('every kind of query answers the same whether the ids were loaded first or on its demand', async () => {
    expect(generation).toBeDefined()
    const { expected } = await eagerAnswers(specs)

    const lazy = await coldEngine()
    for (const [index, spec] of specs.entries()) {
      expect(await lazy.query(spec), spec.kind).toEqual(expected[index])
    }
    expect((await lazy.status()).unreadable).toBeUndefined()
  })

  it('the trace and generation lists read the trace, session and span ids, not the replay sessions or page URLs', () => {
    const listIds = ['traceId', 'sessionId', 'spanId', 'parentId']
    expect(idNeedsOf({ kind: 'traces', limit: 20 })).toEqual({ dictionaries: listIds, columns: true })
    expect(idNeedsOf({ kind: 'generations', limit: 20, filters: [{ dimension: 'sessionId', op: 'in', values: [sessionId] }] })).toEqual({
      dictionaries: listIds,
      columns: true,
    })
    expect(idNeedsOf({ kind: 'session', sessionId }).dictionaries).toEqual(['traceId', 'sessionId', 'spanId', 'parentId', 'replaySessionId', 'pageUrl'])
  })

  it('users, errors and interactions answer from the id codes alone, without reading the id strings', async () => {
    const counting = specs.filter((spec) => spec.kind === 'users' || spec.kind === 'errors' || spec.kind === 'interactions')
    const { eager, expected } = await eagerAnswers(counting)

    const lazy = await coldEngine()
    for (const [index, spec] of counting.entries()) {
      expect(await lazy.query(spec), spec.kind).toEqual(expected[index])
    }
    // A session filter needs that dictionary's strings, and only that one.
    const filtered: QuerySpec = { kind: 'errors', filters: [{ dimension: 'sessionId', op: 'in', values: [sessionId] }] }
    expect(await lazy.query(filtered)).toEqual(await eager.query(filtered))
  })

  it("refuses to hand out an id column or dictionary's strings before they are loaded, then reads them as stored", async () => {
    const indexedDB = new IDBFactory()
    const writer = await openEventStore({ dbName: 'cache', indexedDB, IDBKeyRange })
    await writer.append(events.slice(0, 300))
    await writer.append(events.slice(300, 500))
    // A reader, as a new tab's worker: a writer has read every dictionary to encode.
    const store = await openEventStore({ dbName: 'cache', indexedDB, IDBKeyRange })
    const cache = new ColumnCache()
    await cache.refresh(store)
    expect(cache.columns.length).toBe(500)
    expect(() => cache.columns.dimensions.traceId).toThrow(/traceId column was read before the id columns were loaded/)
    expect(() => cache.dictionaries.spanId.values).toThrow(/read before it was loaded/)
    expect(cache.hasIds({ dictionaries: [], columns: false })).toBe(true)

    await cache.loadIds(store, { dictionaries: ['traceId'], columns: true })
    expect(cache.hasIds({ dictionaries: ['traceId'], columns: true })).toBe(true)
    expect(cache.hasIds({ dictionaries: ['spanId'], columns: true })).toBe(false)
    const decode = (columns: EventColumns) => [...columns.dimensions.traceId].map((code) => cache.dictionaries.traceId.decode(code))
    expect(decode(cache.columns)).toEqual(events.slice(0, 500).map((event) => event.properties.$ai_trace_id ?? null))

    // Segments written later come with their ids.
    await writer.append(events.slice(500, 600))
    await cache.refresh(store)
    expect(decode(cache.columns)).toEqual(events.slice(0, 600).map((event) => event.properties.$ai_trace_id ?? null))
    writer.close()
    store.close()
  })

  it('a refresh that finds the store cleared and written again by another tab reads the new events with their own strings', async () => {
    const indexedDB = new IDBFactory()
    const writer = await openEventStore({ dbName: 'cleared', indexedDB, IDBKeyRange })
    await writer.append(events.slice(0, 300))
    const store = await openEventStore({ dbName: 'cleared', indexedDB, IDBKeyRange })
    // Another tab clears, then stores other events: the reader's dictionaries are stale.
    await writer.clear()
    const later = events.slice(700, 900)
    await writer.append(later)
    const cache = new ColumnCache()
    await cache.refresh(store, undefined, { dictionaries: ['traceId'], columns: true })
    expect(cache.columns.length).toBe(later.length)
    expect(cache.dictionaries).toBe(store.dictionaries)
    const models = [...cache.columns.dimensions.model].map((code) => cache.dictionaries.model.decode(code))
    expect(models).toEqual(later.map((event) => event.properties.$ai_model ?? null))
    const traceIds = [...cache.columns.dimensions.traceId].map((code) => cache.dictionaries.traceId.decode(code))
    expect(traceIds).toEqual(later.map((event) => event.properties.$ai_trace_id ?? null))
    writer.close()
    store.close()
  })
})
