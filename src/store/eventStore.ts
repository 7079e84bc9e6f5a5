import type { Dexie, Table, Transaction } from 'dexie'
import type { AiscopeEvent } from '../schema/events'
import { UuidIndex } from './uuidIndex'

/**
 * Schema version of the local store. Each appended batch of events is one record, so a
 * batch of thousands of events costs one IndexedDB write instead of thousands (one row per
 * event tops out near 10k rows/s on this machine class: see the README's architecture).
 * - 1: `batches` (events as one JSON string per batch) and `meta` counters.
 * - 2: adds `batchUuids`, each batch's event uuids, for deduplication.
 * The columnar segment layout replaces the JSON payload in a later version.
 */
export const STORE_SCHEMA_VERSION = 2

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

/** The uuids of one batch's events (schema version 2 on). */
export interface BatchUuidsRecord {
  /** Key of the batch in `batches`. */
  batchId: number
  uuids: string[]
}

/** What {@link EventStore.append} did. */
export interface AppendResult {
  /** Events written. */
  storedCount: number
  /** Uuids of events not written because an event with that uuid is already stored (or earlier in the same batch). */
  duplicateUuids: string[]
  /** The store after the append. */
  status: StoreStatus
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
  /**
   * Appends the events whose uuid is not stored yet, in one transaction; resolves once
   * they are durable. Sees what other tabs wrote: their batches are indexed first.
   */
  append(events: readonly AiscopeEvent[]): Promise<AppendResult>
  /** Reads every stored event, oldest batch first. */
  readAll(): Promise<AiscopeEvent[]>
  /** Keys of the stored batches, oldest first: cheap, for telling what changed. */
  batchIds(): Promise<number[]>
  /** The events of the given batches, in the order asked; a batch that is gone reads as empty. */
  readBatches(batchIds: readonly number[]): Promise<AiscopeEvent[][]>
  /** Counters and time range of what is stored. */
  status(): Promise<StoreStatus>
  /** Deletes every event; the data version still moves forward. */
  clear(): Promise<StoreStatus>
  /** Closes the database connection. */
  close(): void
}

type StoreDatabase = Dexie & {
  batches: Table<EventBatchRecord, number>
  batchUuids: Table<BatchUuidsRecord, number>
  meta: Table<MetaRecord, MetaRecord['key']>
}

/** Declares every schema version and its migration, oldest first. */
function declareSchema(db: StoreDatabase): void {
  db.version(1).stores({ batches: '++id', meta: 'key' })
  db.version(2)
    .stores({ batches: '++id', meta: 'key', batchUuids: 'batchId' })
    .upgrade(async (transaction: Transaction) => {
      await transaction
        .table<EventBatchRecord, number>('batches')
        .each(async (batch) => {
          const uuids = (JSON.parse(batch.eventsJson) as AiscopeEvent[]).map((event) => event.uuid)
          await transaction.table<BatchUuidsRecord, number>('batchUuids').put({ batchId: batch.id as number, uuids })
        })
    })
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
  declareSchema(db)
  await db.open()

  const uuidIndex = new UuidIndex()
  /** The newest batch whose uuids are in `uuidIndex`. */
  let indexedBatchId = 0
  const indexBatches = (records: readonly BatchUuidsRecord[]) => {
    for (const record of records) {
      for (const uuid of record.uuids) {
        uuidIndex.add(uuid, record.batchId)
      }
      indexedBatchId = Math.max(indexedBatchId, record.batchId)
    }
  }
  indexBatches(await db.batchUuids.toArray())

  /** Batches written since the index was last brought up to date (by other tabs, say). */
  const readUnindexedBatches = () => db.batchUuids.where('batchId').above(indexedBatchId).toArray()

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
      const duplicateUuids: string[] = []
      let written: BatchUuidsRecord | undefined
      const unindexed: BatchUuidsRecord[] = []
      if (events.length > 0) {
        await db.transaction('rw', db.batches, db.batchUuids, db.meta, async () => {
          // Inside the transaction, so a batch another tab commits meanwhile is either
          // already here or written after ours: never missed.
          unindexed.push(...(await readUnindexedBatches()))
          const otherTabsUuids = new Set(unindexed.flatMap((record) => record.uuids))
          // The index only names candidate batches; read those batches' uuids in one
          // request to confirm. (One await per event would let Chromium commit early.)
          const candidatesByEvent = events.map((event) => uuidIndex.candidateBatchIds(event.uuid))
          const candidateBatchIds = [...new Set(candidatesByEvent.flat())]
          const candidateBatches = await db.batchUuids.bulkGet(candidateBatchIds)
          const uuidsByBatchId = new Map(
            candidateBatchIds.map((batchId, index) => [batchId, new Set(candidateBatches[index]?.uuids)]),
          )
          const seen = new Set<string>()
          const fresh: AiscopeEvent[] = []
          events.forEach((event, index) => {
            const stored =
              otherTabsUuids.has(event.uuid) ||
              (candidatesByEvent[index] ?? []).some((batchId) => uuidsByBatchId.get(batchId)?.has(event.uuid))
            if (seen.has(event.uuid) || stored) {
              duplicateUuids.push(event.uuid)
            } else {
              seen.add(event.uuid)
              fresh.push(event)
            }
          })
          if (fresh.length === 0) {
            return
          }
          const record = toBatchRecord(fresh)
          const batchId = await db.batches.add(record)
          written = { batchId, uuids: [...seen] }
          await db.batchUuids.add(written)
          await updateMeta(record)
        })
        // Indexed only once committed: an aborted transaction leaves the index as it was.
        indexBatches(unindexed)
        if (written) {
          indexBatches([written])
        }
      }
      return { storedCount: written?.uuids.length ?? 0, duplicateUuids, status: await readStatus() }
    },
    async readAll() {
      const records = await db.batches.toArray()
      return records.flatMap((record) => JSON.parse(record.eventsJson) as AiscopeEvent[])
    },
    async batchIds() {
      return db.batches.toCollection().primaryKeys()
    },
    async readBatches(batchIds) {
      const records = await db.batches.bulkGet([...batchIds])
      return records.map((record) => (record ? (JSON.parse(record.eventsJson) as AiscopeEvent[]) : []))
    },
    status: readStatus,
    async clear() {
      await db.transaction('rw', db.batches, db.batchUuids, db.meta, async () => {
        await db.batches.clear()
        await db.batchUuids.clear()
        await updateMeta('cleared')
      })
      uuidIndex.clear()
      indexedBatchId = 0
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
