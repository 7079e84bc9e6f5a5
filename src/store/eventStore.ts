import type { Dexie, Table } from 'dexie'
import type { AiscopeEvent } from '../schema/events'

/**
 * Schema version 1 of the local store: each appended batch of events is one record, so a
 * batch of thousands of events costs one IndexedDB write instead of thousands (one row per
 * event tops out near 10k rows/s on this machine class: see the README's architecture).
 * The columnar segment layout replaces the JSON payload in a later schema version.
 */
export const STORE_SCHEMA_VERSION = 1

/** One stored batch of events. */
export interface EventBatchRecord {
  /** Auto-incremented key; batches are read back in the order they were written. */
  id?: number
  /** Number of events in the batch. */
  eventCount: number
  /** Earliest event time in the batch, ms since epoch. */
  firstTsMs: number
  /** Latest event time in the batch, ms since epoch. */
  lastTsMs: number
  /** The events, as one JSON array string: parsed only when they are read. */
  eventsJson: string
}

/** One key of the `meta` table. */
export interface MetaRecord {
  key: 'eventCount' | 'dataVersion' | 'firstTsMs' | 'lastTsMs'
  value: number
}

/** What the store holds right now. */
export interface StoreStatus {
  /** Events stored. */
  eventCount: number
  /** Incremented on every write or clear, so readers can tell whether anything changed. */
  dataVersion: number
  /** Earliest stored event time, ms since epoch, or `null` when the store is empty. */
  firstTsMs: number | null
  /** Latest stored event time, ms since epoch, or `null` when the store is empty. */
  lastTsMs: number | null
}

/** Options for {@link openEventStore}. */
export interface EventStoreOptions {
  /** IndexedDB database name. @default 'aiscope' */
  dbName?: string
  /** IndexedDB factory to use instead of the global one (fake-indexeddb in Node tests). */
  indexedDB?: IDBFactory
  /** `IDBKeyRange` matching {@link EventStoreOptions.indexedDB}. */
  IDBKeyRange?: typeof IDBKeyRange
}

/** The local event store: an append-only log of event batches in IndexedDB. */
export interface EventStore {
  /** Appends events in one transaction; resolves once they are durable. */
  append(events: readonly AiscopeEvent[]): Promise<StoreStatus>
  /** Reads every stored event, oldest batch first. */
  readAll(): Promise<AiscopeEvent[]>
  /** Counters and time range of what is stored. */
  status(): Promise<StoreStatus>
  /** Deletes every event; the data version still moves forward. */
  clear(): Promise<StoreStatus>
  /** Closes the database connection. */
  close(): void
}

type StoreDatabase = Dexie & {
  batches: Table<EventBatchRecord, number>
  meta: Table<MetaRecord, MetaRecord['key']>
}

/**
 * Opens (creating on first use) the event store. Dexie is imported here, not at module
 * load, so importing aiscope never touches `indexedDB`, and a page whose store lives in
 * the worker never downloads Dexie at all.
 */
export async function openEventStore(options: EventStoreOptions = {}): Promise<EventStore> {
  const { Dexie } = await import('dexie')
  const dependencies =
    options.indexedDB && options.IDBKeyRange
      ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange }
      : undefined
  const db = new Dexie(options.dbName ?? 'aiscope', dependencies) as StoreDatabase
  db.version(STORE_SCHEMA_VERSION).stores({ batches: '++id', meta: 'key' })
  await db.open()

  const readStatus = async (): Promise<StoreStatus> => {
    const meta = new Map((await db.meta.toArray()).map((record) => [record.key, record.value]))
    return {
      eventCount: meta.get('eventCount') ?? 0,
      dataVersion: meta.get('dataVersion') ?? 0,
      firstTsMs: meta.get('firstTsMs') ?? null,
      lastTsMs: meta.get('lastTsMs') ?? null,
    }
  }

  /** Moves the counters forward inside the caller's transaction. */
  const updateMeta = async (added: EventBatchRecord | 'cleared') => {
    const before = await readStatus()
    const dataVersion: MetaRecord = { key: 'dataVersion', value: before.dataVersion + 1 }
    if (added === 'cleared') {
      await db.meta.bulkDelete(['firstTsMs', 'lastTsMs'])
      await db.meta.bulkPut([{ key: 'eventCount', value: 0 }, dataVersion])
      return
    }
    const records: MetaRecord[] = [{ key: 'eventCount', value: before.eventCount + added.eventCount }, dataVersion]
    if (Number.isFinite(added.firstTsMs) && Number.isFinite(added.lastTsMs)) {
      records.push(
        { key: 'firstTsMs', value: Math.min(before.firstTsMs ?? Infinity, added.firstTsMs) },
        { key: 'lastTsMs', value: Math.max(before.lastTsMs ?? -Infinity, added.lastTsMs) },
      )
    }
    await db.meta.bulkPut(records)
  }

  return {
    async append(events) {
      if (events.length > 0) {
        const record = toBatchRecord(events)
        await db.transaction('rw', db.batches, db.meta, async () => {
          await db.batches.add(record)
          await updateMeta(record)
        })
      }
      return readStatus()
    },
    async readAll() {
      const records = await db.batches.toArray()
      return records.flatMap((record) => JSON.parse(record.eventsJson) as AiscopeEvent[])
    },
    status: readStatus,
    async clear() {
      await db.transaction('rw', db.batches, db.meta, async () => {
        await db.batches.clear()
        await updateMeta('cleared')
      })
      return readStatus()
    },
    close() {
      db.close()
    },
  }
}

/** Packs events into one batch record with its time range. */
export function toBatchRecord(events: readonly AiscopeEvent[]): EventBatchRecord {
  let firstTsMs = Number.POSITIVE_INFINITY
  let lastTsMs = Number.NEGATIVE_INFINITY
  for (const event of events) {
    const tsMs = Date.parse(event.timestamp)
    if (Number.isNaN(tsMs)) {
      continue
    }
    if (tsMs < firstTsMs) {
      firstTsMs = tsMs
    }
    if (tsMs > lastTsMs) {
      lastTsMs = tsMs
    }
  }
  return { eventCount: events.length, firstTsMs, lastTsMs, eventsJson: JSON.stringify(events) }
}
