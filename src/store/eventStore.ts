import type { Dexie, Table, Transaction } from 'dexie'
import type { AiscopeEvent } from '../schema/events'
import { UuidIndex, uuidFingerprints } from './uuidIndex'
import {
  DICTIONARY_DIMENSIONS,
  Dictionary,
  ID_DIMENSIONS,
  concatColumns,
  packStringList,
  unpack,
  type PackedStrings,
  createDictionaries,
  dictionaryDimensionOf,
  type ColumnDimension,
  eventsToColumns,
  type ColumnOptions,
  type Dictionaries,
  type EventColumns,
} from './columns'
import {
  SEGMENT_COLUMNS_VERSION,
  columnBytesPerEvent,
  dictionariesByKey,
  dictionaryAdditions,
  dictionarySizes,
  fromStoredColumns,
  fromStoredIdColumns,
  MAIN_DIMENSIONS,
  readStoredCodes,
  storeCodes,
  toStoredSegment,
  estimateContentBytes,
  rollBackDictionaries,
  timeRange,
  toStoredColumns,
  toLogRecord,
  logRecordCount,
  type CompactionLogRecord,
  type DictionaryAddition,
  type DictionaryLogRecord,
  type LegacyDictionaryLogRecord,
  type SegmentColumnsRecord,
  type SegmentContentRecord,
  type SegmentFingerprintsRecord,
  type SegmentSummary,
  type SegmentUuidsRecord,
  type SegmentIdColumnsRecord,
  type StoredCodes,
  type StoredSegmentColumns,
  type StoredSegmentIdColumns,
} from './segments'
import {
  planCompaction,
  planRetention,
  retentionDue,
  SMALL_SEGMENT_EVENTS,
  type RetentionPolicy,
  type RetentionReport,
} from './upkeep'

/**
 * Schema version of the local store.
 * - 1: `batches` (events as one JSON string per batch) and `meta` counters.
 * - 2: adds `batchUuids`, each batch's event uuids, for deduplication.
 * - 3: segments: each write is a segment whose typed-array columns, content (the events,
 *   read only when they are opened), uuids and uuid fingerprints are records of their own;
 *   dictionaries shared by every tab are kept as a log. Batches are converted.
 * - 4: drops the emptied `batches` and `batchUuids` tables.
 * - 5: the dictionary log holds one record per dictionary per write, indexed by dictionary,
 *   and segments keep their id columns in `segmentIdColumns`, so the ids (most of the
 *   stored strings, a third of the column bytes) are read only when a query needs them;
 *   columns are stored packed (see `StoredColumns`). The log is converted; segments written
 *   before keep their layout, which reads the same way.
 * - 6: parent ids are coded in the span ids' dictionary (see `SHARED_DICTIONARIES`), so a
 *   trace's tree links by code and each id is stored once. Parent-id columns are recoded.
 * - 7: dictionary log records are written packed (one text per write and dictionary, see
 *   `PackedStrings`), and dictionaries keep them packed until all their strings are needed.
 *   Records written before read as they are: nothing is converted. (The version still rises:
 *   an older aiscope cannot read packed records, and refuses a newer store rather than misread it.)
 */
export const STORE_SCHEMA_VERSION = 7

/** One stored batch of events (schema versions 1 and 2). */
interface LegacyBatchRecord {
  id?: number
  eventsJson: string
}

/** What {@link EventStore.append} did. */
export interface AppendResult {
  /** Events written. */
  storedCount: number
  /** Uuids of events not written because an event with that uuid is already stored (or earlier in the same batch). */
  duplicateUuids: string[]
  /** The store after the append. */
  status: StoreStatus
  /** Set when the append made room (quota) or passed a limit, and old events were deleted. */
  retention?: RetentionReport
}

type MetaKey = 'eventCount' | 'dataVersion' | 'firstTsMs' | 'lastTsMs' | 'storedBytes' | 'epoch' | 'lastRetention'

/** One key of the `meta` table. */
export interface MetaRecord {
  key: MetaKey
  value: number | RetentionReport
}

/** What the store holds right now. */
export interface StoreStatus {
  /** Events stored. */
  eventCount: number
  /** Incremented on every write, compaction or clear, so readers can tell whether anything changed. */
  dataVersion: number
  /** Earliest stored event time, ms since epoch, or `null` when the store is empty. */
  firstTsMs: number | null
  /** Latest stored event time, ms since epoch, or `null` when the store is empty. */
  lastTsMs: number | null
  /** Approximate size on disk: content characters plus column bytes. */
  storedBytes: number
  /** The last time retention deleted events (for age, size, or a full disk), or `null`. */
  lastRetention: RetentionReport | null
  /**
   * Stored segments the engine could not read (a column of the wrong length, say), left
   * out of every result and named here. Absent when everything read cleanly.
   */
  unreadable?: { segmentCount: number; eventCount: number; messages: string[] }
}

/** Options for {@link openEventStore}. */
export interface EventStoreOptions extends ColumnOptions {
  /** IndexedDB database name. @default 'aiscope' */
  dbName?: string
  /** IndexedDB factory to use instead of the global one (fake-indexeddb in Node tests). */
  indexedDB?: IDBFactory
  /** `IDBKeyRange` matching {@link EventStoreOptions.indexedDB}. */
  IDBKeyRange?: typeof IDBKeyRange
  /** How long and how much to keep. @default {} (keep everything until the disk is full) */
  retention?: RetentionPolicy
  /** Merge the small segments live capture writes, in the background. @default true */
  autoCompact?: boolean
  /**
   * Called while the store opens if it holds segments whose columns were written by an older
   * version (or with other `propertyDimensions` or `organisationGroup`): once before the
   * first is rebuilt from its content, then after each.
   */
  onRebuildProgress?: (progress: RebuildProgress) => void
  /**
   * Tests only: behave as if the browser's quota were this many bytes, refusing a write
   * that would pass it with a `QuotaExceededError`, as a full disk does.
   */
  quotaBytesForTesting?: number
}

/** How far the store is in rebuilding stale columns as it opens (see {@link EventStoreOptions.onRebuildProgress}). */
export interface RebuildProgress {
  rebuiltEventCount: number
  totalEventCount: number
}

/** The local event store: an append-only log of segments in IndexedDB. */
export interface EventStore {
  /**
   * The string dictionaries every stored column's codes refer to. Replaced by a new
   * object when the store is cleared (by any tab). Call {@link EventStore.syncDictionaries}
   * after reading columns so every code read has its string. The dictionaries of
   * {@link ID_DIMENSIONS} start unloaded (sized, without their strings) until
   * {@link EventStore.loadDictionaries} reads them.
   */
  readonly dictionaries: Dictionaries
  /**
   * Appends the events whose uuid is not stored yet, as one segment in one transaction;
   * resolves once they are durable. Sees what other tabs wrote first. On a full disk,
   * applies retention to make room and tries once more.
   */
  append(events: readonly AiscopeEvent[]): Promise<AppendResult>
  /** Summaries of the stored segments, oldest first: small, no columns or content. */
  listSegments(): Promise<SegmentSummary[]>
  /**
   * The columns of the given segments, in the order asked: `undefined` for a segment that
   * is gone, an `Error` naming the problem for one that cannot be read (say, a column of
   * the wrong length). Codes refer to {@link EventStore.dictionaries}.
   */
  readColumns(segmentIds: readonly number[]): Promise<(EventColumns | Error | undefined)[]>
  /**
   * The columns of the given segments as stored, in the order asked (`undefined`: gone; an
   * `Error`: its columns are missing), for a reader that decodes them with
   * `fromStoredColumns` into columns of its own, saving a copy of every value. The id
   * columns (see `ID_DIMENSIONS`) come only `withIds`.
   */
  readStoredColumns(segmentIds: readonly number[], options?: { withIds?: boolean }): Promise<(StoredSegmentColumns | Error | undefined)[]>
  /** The id columns of the given segments as stored, for `fromStoredIdColumns`: what a reader adds once a query needs ids. */
  readStoredIdColumns(segmentIds: readonly number[]): Promise<(StoredSegmentIdColumns | Error | undefined)[]>
  /** The events of the given segments, in the order asked; a segment that is gone reads as empty. */
  readEvents(segmentIds: readonly number[]): Promise<AiscopeEvent[][]>
  /** Compaction log entries after `logId`, oldest first. */
  compactionsSince(logId: number): Promise<CompactionLogRecord[]>
  /**
   * Brings {@link EventStore.dictionaries} up to date with what every tab has written: the
   * strings of every loaded dictionary, the sizes of the unloaded ones.
   */
  syncDictionaries(): Promise<void>
  /**
   * Reads the strings of those of these dictionaries that are not loaded yet, bringing every
   * dictionary up to date as {@link EventStore.syncDictionaries} does; when all are loaded
   * already it does nothing (they are kept up to date by `syncDictionaries`).
   */
  loadDictionaries(dimensions: readonly ColumnDimension[]): Promise<void>
  /** Reads every stored event, oldest segment first. */
  readAll(): Promise<AiscopeEvent[]>
  /** Counters and time range of what is stored. */
  status(): Promise<StoreStatus>
  /** Merges runs of small segments now; resolves to the number of segments merged away. */
  compact(): Promise<number>
  /** Applies the retention policy now; resolves to what it removed, or `null`. */
  applyRetention(): Promise<RetentionReport | null>
  /** Deletes every event; the data version still moves forward. */
  clear(): Promise<StoreStatus>
  /** Closes the database connection. */
  close(): void
}

type StoreDatabase = Dexie & {
  segments: Table<SegmentSummary, number>
  segmentColumns: Table<SegmentColumnsRecord, number>
  segmentIdColumns: Table<SegmentIdColumnsRecord, number>
  segmentContents: Table<SegmentContentRecord, number>
  segmentUuids: Table<SegmentUuidsRecord, number>
  segmentFingerprints: Table<SegmentFingerprintsRecord, number>
  dictionaryLog: Table<DictionaryLogRecord, number>
  compactionLog: Table<CompactionLogRecord, number>
  meta: Table<MetaRecord, MetaKey>
}

/** The tables as schema versions 3 and 4 declared them. */
const SEGMENT_TABLES_V3 = {
  segments: '++id',
  segmentColumns: 'segmentId',
  segmentContents: 'segmentId',
  segmentUuids: 'segmentId',
  segmentFingerprints: 'segmentId',
  dictionaryLog: '++id',
  compactionLog: '++id',
  meta: 'key',
}

/** Version 5 on: the dictionary log is indexed by dictionary; segments keep their id columns apart. */
const SEGMENT_TABLES = { ...SEGMENT_TABLES_V3, dictionaryLog: '++id, key', segmentIdColumns: 'segmentId' }

/** The error a write fails with when the disk is full (as Dexie or the browser name it). */
function isQuotaError(error: unknown): boolean {
  const named = error as { name?: string; inner?: { name?: string } } | null
  return named?.name === 'QuotaExceededError' || named?.inner?.name === 'QuotaExceededError'
}

/** Normalised column options: what a segment's columns depend on. */
interface ColumnLayout {
  organisationGroup: string
  propertyDimensions: readonly string[]
}

/** Declares every schema version and its migration, oldest first. */
function declareSchema(db: StoreDatabase, layout: ColumnLayout): void {
  db.version(1).stores({ batches: '++id', meta: 'key' })
  db.version(2)
    .stores({ batches: '++id', meta: 'key', batchUuids: 'batchId' })
    .upgrade(async (transaction: Transaction) => {
      await transaction.table<LegacyBatchRecord, number>('batches').each(async (batch) => {
        const uuids = (JSON.parse(batch.eventsJson) as AiscopeEvent[]).map((event) => event.uuid)
        await transaction.table('batchUuids').put({ batchId: batch.id as number, uuids })
      })
    })
  db.version(3)
    .stores({ batches: '++id', batchUuids: 'batchId', ...SEGMENT_TABLES_V3 })
    .upgrade(async (transaction: Transaction) => {
      const dictionaries = createDictionaries()
      const sizes = dictionarySizes(dictionaries)
      const batches = await transaction.table<LegacyBatchRecord, number>('batches').toArray()
      let storedBytes = 0
      for (const batch of batches) {
        const events = JSON.parse(batch.eventsJson) as AiscopeEvent[]
        const segment = buildSegment(events, dictionaries, layout)
        storedBytes += segment.summary.storedBytes
        await writeSegment(transaction, segment, { idColumnsApart: false })
      }
      // Written as version 5 logs them (one record per dictionary), which its upgrade keeps.
      await transaction.table<DictionaryLogRecord, number>('dictionaryLog').bulkAdd(dictionaryAdditions(dictionaries, sizes))
      await transaction.table('meta').put({ key: 'storedBytes', value: storedBytes })
      await transaction.table('batches').clear()
      await transaction.table('batchUuids').clear()
    })
  db.version(4).stores({ batches: null, batchUuids: null, ...SEGMENT_TABLES_V3 })
  db.version(5)
    .stores(SEGMENT_TABLES)
    .upgrade(async (transaction: Transaction) => {
      // Each write's additions to every dictionary become one record per dictionary, in
      // log order, so each dictionary's records still come with ascending codes.
      const log = transaction.table<DictionaryLogRecord | LegacyDictionaryLogRecord, number>('dictionaryLog')
      const legacy = (await log.toArray()).filter((record): record is LegacyDictionaryLogRecord => 'additions' in record)
      await log.bulkDelete(legacy.map((record) => record.id as number))
      await log.bulkAdd(legacy.flatMap((record): DictionaryAddition[] => record.additions))
    })
  db.version(6).stores(SEGMENT_TABLES).upgrade(codeParentIdsAsSpanIds)
  // Dictionary log records are written packed (see `DictionaryLogRecord`); older ones are read as they are.
  db.version(7).stores(SEGMENT_TABLES)
}

/**
 * A dictionary's strings from its log records in log order: the reserved empty string and
 * the strings of records written unpacked, then the packed runs, kept packed (see
 * `Dictionary.loadPacked`).
 */
function stringsByCode(key: string, records: readonly DictionaryLogRecord[]): { values: string[]; packed: PackedStrings[] } {
  const values = ['']
  const packed: PackedStrings[] = []
  let size = 1
  for (const record of records) {
    if (record.firstCode !== size) {
      throw new Error(`aiscope: the store's dictionary ${key} is out of step (has ${size} values, the log adds from ${record.firstCode})`)
    }
    if ('packed' in record) {
      packed.push(record.packed)
    } else if (packed.length > 0) {
      packed.push(packStringList(record.values)) // after packed runs, kept in code order
    } else {
      for (const value of record.values) {
        values.push(value)
      }
    }
    size += logRecordCount(record)
  }
  return { values, packed }
}

/** A dictionary's strings by code, the reserved empty string first, from its log records in log order. */
function valuesByCode(key: string, records: readonly DictionaryLogRecord[]): string[] {
  const { values, packed } = stringsByCode(key, records)
  for (const strings of packed) {
    unpack(strings, values)
  }
  return values
}

/**
 * Schema version 6: parent ids leave their own dictionary for the span ids' one (see
 * `SHARED_DICTIONARIES`). Every stored parent-id column is recoded (old code, its string,
 * the span-id code of that string), the strings the span ids lacked are logged, and the
 * parent-id log records are deleted. A column that cannot be read is left as it is: it is
 * damaged already, and reported as such when read.
 */
async function codeParentIdsAsSpanIds(transaction: Transaction): Promise<void> {
  const log = transaction.table<DictionaryLogRecord, number>('dictionaryLog')
  const [spanRecords, parentRecords] = await Promise.all([
    log.where('key').equals('spanId').toArray(),
    log.where('key').equals('parentId').toArray(),
  ])
  if (parentRecords.length === 0) {
    return
  }
  const spanIds = new Dictionary(valuesByCode('spanId', spanRecords).slice(1))
  const spanIdCountBefore = spanIds.size
  const parentIds = valuesByCode('parentId', parentRecords)
  const spanCodeByParentCode = new Uint32Array(parentIds.length)
  for (let code = 1; code < parentIds.length; code += 1) {
    spanCodeByParentCode[code] = spanIds.encode(parentIds[code])
  }
  const recode = (stored: StoredCodes | undefined, eventCount: number, segmentId: number): StoredCodes | undefined => {
    try {
      const codes = readStoredCodes(stored, eventCount, segmentId, 'dimensions.parentId')
      for (let row = 0; row < codes.length; row += 1) {
        codes[row] = spanCodeByParentCode[codes[row] as number] ?? 0
      }
      return storeCodes(codes)
    } catch {
      return stored
    }
  }
  const eventCounts = new Map((await transaction.table<SegmentSummary, number>('segments').toArray()).map((summary) => [summary.id, summary.eventCount]))
  const idColumns = transaction.table<SegmentIdColumnsRecord, number>('segmentIdColumns')
  await idColumns.toCollection().modify((record) => {
    record.dimensions.parentId = recode(record.dimensions.parentId, eventCounts.get(record.segmentId) ?? 0, record.segmentId) as StoredCodes
  })
  // Segments written before version 5 keep their ids in the main columns record.
  const apart = new Set(await idColumns.toCollection().primaryKeys())
  const mainColumns = transaction.table<SegmentColumnsRecord, number>('segmentColumns')
  const together = (await mainColumns.bulkGet([...eventCounts.keys()].filter((segmentId) => !apart.has(segmentId)))).filter(
    (record): record is SegmentColumnsRecord => record?.columns.dimensions.parentId !== undefined,
  )
  for (const record of together) {
    record.columns.dimensions.parentId = recode(record.columns.dimensions.parentId, eventCounts.get(record.segmentId) ?? 0, record.segmentId) as StoredCodes
  }
  await mainColumns.bulkPut(together)
  await log.bulkDelete(parentRecords.map((record) => record.id as number))
  if (spanIds.size > spanIdCountBefore) {
    await log.add({ key: 'spanId', firstCode: spanIdCountBefore, values: spanIds.values.slice(spanIdCountBefore) })
  }
}

/** A segment ready to write, without its id. */
interface BuiltSegment {
  summary: Omit<SegmentSummary, 'id'>
  columns: EventColumns
  events: readonly AiscopeEvent[]
  uuids: string[]
}

/** Encodes events as a segment: columns through the shared dictionaries, content kept as it is. */
function buildSegment(events: readonly AiscopeEvent[], dictionaries: Dictionaries, layout: ColumnLayout): BuiltSegment {
  const columns = eventsToColumns(events, dictionaries, layout)
  return {
    summary: {
      eventCount: events.length,
      ...timeRange(columns.tsMs),
      storedBytes: estimateContentBytes(events) + events.length * columnBytesPerEvent(layout.propertyDimensions.length),
      columnsVersion: SEGMENT_COLUMNS_VERSION,
      organisationGroup: layout.organisationGroup,
      propertyNames: [...layout.propertyDimensions],
    },
    columns,
    events,
    uuids: events.map((event) => event.uuid),
  }
}

/**
 * Writes a segment's records; `id` replaces an existing segment, else a new id is given.
 * `idColumnsApart: false` keeps the id columns in the main columns record, for the schema
 * version 3 upgrade, which runs before version 5 adds their table. `columnsOnly` writes the
 * summary and columns alone, for a segment whose events (and so uuids) are stored already:
 * putting a segment's events costs as much as building its columns.
 */
async function writeSegment(
  transaction: Transaction,
  segment: BuiltSegment,
  { id, idColumnsApart = true, columnsOnly = false }: { id?: number; idColumnsApart?: boolean; columnsOnly?: boolean } = {},
): Promise<number> {
  const segments = transaction.table<SegmentSummary, number>('segments')
  const segmentId =
    id === undefined ? await segments.add(segment.summary as SegmentSummary) : await segments.put({ ...segment.summary, id })
  let columnRecords: Promise<unknown>[]
  if (idColumnsApart) {
    const { columns, idDimensions } = toStoredSegment(segment.columns)
    columnRecords = [
      transaction.table('segmentColumns').put({ segmentId, columns }),
      transaction.table('segmentIdColumns').put({ segmentId, dimensions: idDimensions }),
    ]
  } else {
    columnRecords = [transaction.table('segmentColumns').put({ segmentId, columns: toStoredColumns(segment.columns) })]
  }
  if (columnsOnly) {
    await Promise.all(columnRecords)
    return segmentId
  }
  await Promise.all([
    ...columnRecords,
    transaction.table('segmentContents').put({ segmentId, events: segment.events }),
    transaction.table('segmentUuids').put({ segmentId, uuids: segment.uuids }),
    transaction.table('segmentFingerprints').put({ segmentId, fingerprints: uuidFingerprints(segment.uuids) }),
  ])
  return segmentId
}

/**
 * Opens (creating on first use, migrating older versions) the event store. Dexie is
 * imported here, not at module load, so importing aiscope never touches `indexedDB`, and
 * a page whose store lives in the worker never downloads Dexie at all.
 */
export async function openEventStore(options: EventStoreOptions = {}): Promise<EventStore> {
  const { Dexie } = await import('dexie')
  const dependencies =
    options.indexedDB && options.IDBKeyRange
      ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange }
      : undefined
  const layout: ColumnLayout = {
    organisationGroup: options.organisationGroup ?? 'company',
    propertyDimensions: [...new Set(options.propertyDimensions ?? [])].sort(),
  }
  const policy = options.retention ?? {}
  const db = new Dexie(options.dbName ?? 'aiscope', dependencies) as StoreDatabase
  declareSchema(db, layout)
  await db.open()
  const allTables = () => [
    db.segments,
    db.segmentColumns,
    db.segmentIdColumns,
    db.segmentContents,
    db.segmentUuids,
    db.segmentFingerprints,
    db.dictionaryLog,
    db.compactionLog,
    db.meta,
  ]

  // What this connection knows of the shared state; rebuilt when another tab clears.
  let epoch = -1
  let dictionaries = storeDictionaries(layout)
  let dictionaryLogId = 0
  let compactionLogId = 0
  /** Segment ids merged into others: a uuid indexed under a source is in its target now. */
  let mergedInto = new Map<number, number>()
  let uuidIndex = new UuidIndex()
  /** The newest segment whose fingerprints are indexed; -1 until the index is first needed. */
  let indexedSegmentId = -1
  let smallSegmentsWritten = 0
  let lastAgeCheckMs = 0

  /** Store operations that change shared state run one at a time. */
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <Result>(operation: () => Promise<Result>): Promise<Result> => {
    const result = queue.then(operation)
    queue = result.catch(() => undefined)
    return result
  }

  const readMeta = async () => new Map((await db.meta.toArray()).map((record) => [record.key, record.value]))
  const toStatus = (meta: Map<MetaKey, MetaRecord['value']>): StoreStatus => ({
    eventCount: (meta.get('eventCount') as number | undefined) ?? 0,
    dataVersion: (meta.get('dataVersion') as number | undefined) ?? 0,
    firstTsMs: (meta.get('firstTsMs') as number | undefined) ?? null,
    lastTsMs: (meta.get('lastTsMs') as number | undefined) ?? null,
    storedBytes: (meta.get('storedBytes') as number | undefined) ?? 0,
    lastRetention: (meta.get('lastRetention') as RetentionReport | undefined) ?? null,
  })
  const readStatus = async () => toStatus(await readMeta())

  /** Starts over when another tab (or this one) cleared the store since we last looked. */
  const checkEpoch = async () => {
    const stored = ((await db.meta.get('epoch'))?.value as number | undefined) ?? 0
    if (stored !== epoch) {
      epoch = stored
      dictionaries = storeDictionaries(layout)
      dictionaryLogId = 0
      compactionLogId = 0
      mergedInto = new Map()
      uuidIndex = new UuidIndex()
      indexedSegmentId = -1
    }
  }

  /** Applies one dictionary log record (one write's additions to one dictionary), unless already applied. */
  const applyAddition = (byKey: Map<string, Dictionary>, addition: DictionaryLogRecord) => {
    let dictionary = byKey.get(addition.key)
    if (!dictionary && addition.key.startsWith('property:')) {
      dictionary = withProperty(dictionaries, addition.key.slice('property:'.length))
      byKey.set(addition.key, dictionary)
    }
    if (!dictionary) {
      return
    }
    const nextCode = addition.firstCode + logRecordCount(addition)
    if (!dictionary.loaded) {
      dictionary.growUnloaded(nextCode)
      return
    }
    if (nextCode <= dictionary.size) {
      return // read already, with the whole dictionary (see applyDictionaryLogWithIds)
    }
    if (dictionary.size !== addition.firstCode) {
      throw new Error(
        `aiscope: the store's dictionary ${addition.key} is out of step (has ${dictionary.size} values, the log adds from ${addition.firstCode})`,
      )
    }
    if ('packed' in addition) {
      dictionary.appendPacked(addition.packed)
    } else {
      dictionary.appendAll(addition.values)
    }
  }

  /**
   * Applies dictionary log records written since we last looked (by any tab). The first time,
   * only the loaded dictionaries' records are read, and the last record of each unloaded one,
   * for its size: at a million events that skips about a million strings.
   */
  const applyDictionaryLog = async () => {
    const byKey = dictionariesByKey(dictionaries)
    if (dictionaryLogId > 0) {
      const records = await db.dictionaryLog.where(':id').above(dictionaryLogId).toArray()
      for (const record of records) {
        applyAddition(byKey, record)
        dictionaryLogId = Math.max(dictionaryLogId, record.id as number)
      }
      return
    }
    const unloaded = new Set<string>(DICTIONARY_DIMENSIONS.filter((dimension) => !dictionaries[dimension].loaded))
    const loadedKeys = DICTIONARY_DIMENSIONS.filter((dimension) => !unloaded.has(dimension))
    // One key range per dictionary (Dexie's `noneOf` walks a cursor over every record).
    const [recordsByKey, properties, lastRecords, lastId] = await Promise.all([
      Promise.all(loadedKeys.map((key) => db.dictionaryLog.where('key').equals(key).toArray())),
      db.dictionaryLog.where('key').startsWith('property:').toArray(),
      Promise.all([...unloaded].map((key) => db.dictionaryLog.where('key').equals(key).last())),
      db.dictionaryLog.orderBy(':id').lastKey(),
    ])
    // By dictionary, then in log order: each dictionary's records come in code order.
    for (const record of [...recordsByKey.flat(), ...properties, ...lastRecords]) {
      if (record) {
        applyAddition(byKey, record)
      }
    }
    dictionaryLogId = (lastId as number | undefined) ?? 0
  }

  /**
   * {@link applyDictionaryLog}, and the strings of the given id dictionaries that are not
   * loaded yet, in the caller's transaction. The id dictionaries' records are read alongside
   * the log's, in one wait on IndexedDB (a 200k-span trace on a new client: 15-20 ms sooner),
   * and given to their dictionaries after the log is applied.
   */
  const applyDictionaryLogWithIds = async (dimensions: readonly ColumnDimension[]) => {
    const unloaded = [...new Set(dimensions.map(dictionaryDimensionOf))].filter((dimension) => !dictionaries[dimension].loaded)
    const reading = Promise.all(unloaded.map((dimension) => db.dictionaryLog.where('key').equals(dimension).toArray()))
    // If the log fails first, the transaction aborts and this read with it, never awaited:
    // its rejection must not surface as unhandled.
    reading.catch(() => undefined)
    await applyDictionaryLog()
    const recordsByDimension = await reading
    unloaded.forEach((dimension, index) => {
      // Handed to the dictionary as read, packed strings kept packed.
      const { values, packed } = stringsByCode(dimension, recordsByDimension[index] ?? [])
      dictionaries[dimension].loadPacked(values, packed)
    })
  }

  /** Follows the compaction log, so uuids indexed under merged segments resolve to their target. */
  const applyCompactionLog = async () => {
    const records = await db.compactionLog.where(':id').above(compactionLogId).toArray()
    for (const record of records) {
      for (const sourceId of record.sourceIds) {
        if (sourceId !== record.targetId) {
          mergedInto.set(sourceId, record.targetId)
        }
      }
      compactionLogId = record.id as number
      // Sources this index never saw are only reachable through the target's fingerprints.
      if (indexedSegmentId >= 0 && record.sourceIds.some((sourceId) => sourceId > indexedSegmentId)) {
        const target = await db.segmentFingerprints.get(record.targetId)
        if (target) {
          uuidIndex.addFingerprints(target.fingerprints, record.targetId)
        }
      }
    }
  }

  const resolveSegmentId = (segmentId: number) => {
    let resolved = segmentId
    for (let next = mergedInto.get(resolved); next !== undefined; next = mergedInto.get(resolved)) {
      resolved = next
    }
    return resolved
  }

  /** Indexes the fingerprints of segments written since we last looked (all of them, the first time). */
  const indexNewSegments = async () => {
    const records = await db.segmentFingerprints.where('segmentId').above(Math.max(0, indexedSegmentId)).toArray()
    for (const record of records) {
      uuidIndex.addFingerprints(record.fingerprints, record.segmentId)
      indexedSegmentId = Math.max(indexedSegmentId, record.segmentId)
    }
    indexedSegmentId = Math.max(indexedSegmentId, 0)
  }

  /** Moves the counters forward inside the caller's transaction. */
  const addToMeta = async (change: { events: number; bytes: number; firstTsMs?: number; lastTsMs?: number }) => {
    const before = await readStatus()
    const records: MetaRecord[] = [
      { key: 'eventCount', value: before.eventCount + change.events },
      { key: 'storedBytes', value: before.storedBytes + change.bytes },
      { key: 'dataVersion', value: before.dataVersion + 1 },
    ]
    if (change.firstTsMs !== undefined && Number.isFinite(change.firstTsMs)) {
      records.push({ key: 'firstTsMs', value: Math.min(before.firstTsMs ?? Infinity, change.firstTsMs) })
    }
    if (change.lastTsMs !== undefined && Number.isFinite(change.lastTsMs)) {
      records.push({ key: 'lastTsMs', value: Math.max(before.lastTsMs ?? -Infinity, change.lastTsMs) })
    }
    await db.meta.bulkPut(records)
  }

  /** One attempt at an append: everything in one transaction, so a failure leaves nothing behind. */
  const appendOnce = async (events: readonly AiscopeEvent[]) => {
    const duplicateUuids: string[] = []
    let written: { segmentId: number; summary: BuiltSegment['summary']; fingerprints: Uint32Array } | undefined
    let sizes: Map<string, number> | undefined
    let logIdBeforeOwnAddition: number | undefined
    try {
      await db.transaction('rw', allTables(), async (transaction) => {
        // Inside the transaction, so what another tab commits meanwhile is either already
        // here or written after ours: never missed.
        await checkEpoch()
        // Encoding needs every string: whether a value is new, and its code if not.
        await applyDictionaryLogWithIds(ID_DIMENSIONS)
        await applyCompactionLog()
        await indexNewSegments()
        // The index only names candidate segments; read those segments' uuids in one
        // request to confirm. (One await per event would let Chromium commit early.)
        const candidatesByEvent = events.map((event) => uuidIndex.candidateBatchIds(event.uuid).map(resolveSegmentId))
        const candidateIds = [...new Set(candidatesByEvent.flat())]
        const candidateRecords = await db.segmentUuids.bulkGet(candidateIds)
        const uuidsBySegment = new Map(candidateIds.map((segmentId, index) => [segmentId, new Set(candidateRecords[index]?.uuids)]))
        const seen = new Set<string>()
        const fresh: AiscopeEvent[] = []
        events.forEach((event, index) => {
          const stored = (candidatesByEvent[index] ?? []).some((segmentId) => uuidsBySegment.get(segmentId)?.has(event.uuid))
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
        sizes = dictionarySizes(dictionaries)
        const segment = buildSegment(fresh, dictionaries, layout)
        if (options.quotaBytesForTesting !== undefined) {
          const { storedBytes } = await readStatus()
          if (storedBytes + segment.summary.storedBytes > options.quotaBytesForTesting) {
            throw new DOMException('aiscope test hook: the simulated storage quota is exhausted.', 'QuotaExceededError')
          }
        }
        const additions = dictionaryAdditions(dictionaries, sizes)
        if (additions.length > 0) {
          logIdBeforeOwnAddition = dictionaryLogId
          dictionaryLogId = await db.dictionaryLog.bulkAdd(additions.map(toLogRecord))
        }
        const segmentId = await writeSegment(transaction, segment)
        await addToMeta({
          events: fresh.length,
          bytes: segment.summary.storedBytes,
          firstTsMs: segment.summary.firstTsMs,
          lastTsMs: segment.summary.lastTsMs,
        })
        written = { segmentId, summary: segment.summary, fingerprints: uuidFingerprints(segment.uuids) }
      })
    } catch (error) {
      // Strings this write added to the dictionaries were never stored: take them back.
      if (sizes) {
        rollBackDictionaries(dictionaries, sizes)
      }
      if (logIdBeforeOwnAddition !== undefined) {
        dictionaryLogId = logIdBeforeOwnAddition
      }
      throw error
    }
    // Indexed only once committed: an aborted transaction leaves the index as it was.
    if (written) {
      uuidIndex.addFingerprints(written.fingerprints, written.segmentId)
      indexedSegmentId = Math.max(indexedSegmentId, written.segmentId)
      if (written.summary.eventCount < SMALL_SEGMENT_EVENTS) {
        smallSegmentsWritten += 1
      }
    }
    return { storedCount: written?.summary.eventCount ?? 0, duplicateUuids }
  }

  /** Deletes segments and their records in the caller's transaction. */
  const deleteSegments = async (segmentIds: number[]) => {
    await Promise.all(
      [db.segments, db.segmentColumns, db.segmentIdColumns, db.segmentContents, db.segmentUuids, db.segmentFingerprints].map((table) =>
        table.bulkDelete(segmentIds),
      ),
    )
  }

  const retain = async (quotaBytesNeeded?: number): Promise<RetentionReport | null> => {
    let report: RetentionReport | null = null
    await db.transaction('rw', allTables(), async () => {
      const summaries = await db.segments.toArray()
      const plan = planRetention(summaries, { policy, nowMs: Date.now(), quotaBytesNeeded })
      if (!plan) {
        return
      }
      await deleteSegments(plan.segmentIds)
      const dropped = new Set(plan.segmentIds)
      const kept = summaries.filter((summary) => !dropped.has(summary.id))
      const before = await readStatus()
      report = {
        reason: plan.reason,
        droppedEventCount: plan.droppedEventCount,
        droppedSegmentCount: plan.segmentIds.length,
        atMs: Date.now(),
      }
      const firstTsMs = Math.min(...kept.map((summary) => summary.firstTsMs).filter(Number.isFinite))
      const lastTsMs = Math.max(...kept.map((summary) => summary.lastTsMs).filter(Number.isFinite))
      await db.meta.bulkPut([
        { key: 'eventCount', value: kept.reduce((sum, summary) => sum + summary.eventCount, 0) },
        { key: 'storedBytes', value: kept.reduce((sum, summary) => sum + summary.storedBytes, 0) },
        { key: 'dataVersion', value: before.dataVersion + 1 },
        { key: 'lastRetention', value: report },
      ])
      if (Number.isFinite(firstTsMs) && Number.isFinite(lastTsMs)) {
        await db.meta.bulkPut([
          { key: 'firstTsMs', value: firstTsMs },
          { key: 'lastTsMs', value: lastTsMs },
        ])
      } else {
        await db.meta.bulkDelete(['firstTsMs', 'lastTsMs'])
      }
    })
    return report
  }

  /** Merges one run of consecutive segments into the first one's place. */
  const mergeSegments = async (sourceIds: number[]): Promise<boolean> => {
    let merged = false
    await db.transaction('rw', allTables(), async (transaction) => {
      const summaries = await db.segments.bulkGet(sourceIds)
      if (summaries.some((summary) => summary === undefined)) {
        return // another tab merged or deleted them meanwhile
      }
      const [parts, contents, uuids] = await Promise.all([
        readColumns(sourceIds),
        db.segmentContents.bulkGet(sourceIds),
        db.segmentUuids.bulkGet(sourceIds),
      ])
      for (const part of parts) {
        if (part === undefined || part instanceof Error) {
          // Never merge a damaged segment into an intact one: the merge is rolled back.
          throw part ?? new Error('aiscope: a segment to merge is gone')
        }
      }
      const first = summaries[0] as SegmentSummary
      const columns = concatColumns(parts as EventColumns[])
      const segment: BuiltSegment = {
        summary: {
          ...first,
          eventCount: columns.length,
          ...timeRange(columns.tsMs),
          storedBytes: summaries.reduce((sum, summary) => sum + (summary as SegmentSummary).storedBytes, 0),
        },
        columns,
        events: contents.flatMap((record) => record?.events ?? []),
        uuids: uuids.flatMap((record) => record?.uuids ?? []),
      }
      await deleteSegments(sourceIds.slice(1))
      await writeSegment(transaction, segment, { id: first.id })
      await db.compactionLog.add({ targetId: first.id, sourceIds })
      await addToMeta({ events: 0, bytes: 0 })
      merged = true
    })
    return merged
  }

  const compact = async (): Promise<number> => {
    const merges = planCompaction(await db.segments.toArray())
    let mergedAway = 0
    for (const sourceIds of merges) {
      if (await mergeSegments(sourceIds)) {
        mergedAway += sourceIds.length - 1
      }
    }
    smallSegmentsWritten = 0
    return mergedAway
  }

  /** Compacts after enough small writes, one tab at a time where Web Locks exist. */
  const scheduleCompaction = () => {
    if (options.autoCompact === false || smallSegmentsWritten < 8) {
      return
    }
    smallSegmentsWritten = 0
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
    const run = () => exclusive(compact).catch(() => 0)
    setTimeout(() => {
      if (locks) {
        void locks.request(`aiscope-compaction:${db.name}`, { ifAvailable: true }, (lock) => (lock ? run() : undefined))
      } else {
        void run()
      }
    }, 0)
  }

  const append = async (events: readonly AiscopeEvent[]): Promise<AppendResult> => {
    if (events.length === 0) {
      return { storedCount: 0, duplicateUuids: [], status: await readStatus() }
    }
    let retention: RetentionReport | undefined
    let outcome: { storedCount: number; duplicateUuids: string[] }
    try {
      outcome = await appendOnce(events)
    } catch (error) {
      if (!isQuotaError(error)) {
        throw error
      }
      // The transaction was rolled back whole; make room by the policy and try once more.
      const needed = estimateContentBytes(events) + events.length * columnBytesPerEvent(layout.propertyDimensions.length)
      retention = (await retain(needed)) ?? undefined
      try {
        outcome = await appendOnce(events)
      } catch (retryError) {
        if (isQuotaError(retryError)) {
          throw new Error(
            `aiscope: the browser's storage quota is exhausted and retention could not make room for ${events.length} events` +
              (retention ? ` (it deleted ${retention.droppedEventCount} old events)` : ' (nothing old enough to delete)'),
            { cause: retryError },
          )
        }
        throw retryError
      }
    }
    const nowMs = Date.now()
    const status = await readStatus()
    const ageCheckDue = policy.maxAgeDays !== undefined && nowMs - lastAgeCheckMs > 60_000
    if (retentionDue({ ...policy, maxAgeDays: ageCheckDue ? policy.maxAgeDays : undefined }, status, nowMs)) {
      lastAgeCheckMs = nowMs
      retention = (await retain()) ?? retention
    }
    scheduleCompaction()
    return { ...outcome, status: retention ? await readStatus() : status, retention }
  }

  /** Rewrites the columns of segments written with another layout or an older column version. */
  const rebuildStaleSegments = async () => {
    const stale = (await db.segments.toArray()).filter(
      (summary) =>
        summary.columnsVersion !== SEGMENT_COLUMNS_VERSION ||
        summary.organisationGroup !== layout.organisationGroup ||
        layout.propertyDimensions.some((name) => !summary.propertyNames.includes(name)),
    )
    const totalEventCount = stale.reduce((sum, summary) => sum + summary.eventCount, 0)
    let rebuiltEventCount = 0
    if (stale.length > 0) {
      options.onRebuildProgress?.({ rebuiltEventCount, totalEventCount })
    }
    for (const summary of stale) {
      let sizes: Map<string, number> | undefined
      let logIdBeforeOwnAddition: number | undefined
      try {
        await db.transaction('rw', allTables(), async (transaction) => {
          await checkEpoch()
          await applyDictionaryLogWithIds(ID_DIMENSIONS)
          const content = await db.segmentContents.get(summary.id)
          if (!(await db.segments.get(summary.id)) || !content) {
            return
          }
          sizes = dictionarySizes(dictionaries)
          const segment = buildSegment(content.events, dictionaries, layout)
          const additions = dictionaryAdditions(dictionaries, sizes)
          if (additions.length > 0) {
            logIdBeforeOwnAddition = dictionaryLogId
            dictionaryLogId = await db.dictionaryLog.bulkAdd(additions.map(toLogRecord))
          }
          await writeSegment(transaction, segment, { id: summary.id, columnsOnly: true })
          await addToMeta({ events: 0, bytes: segment.summary.storedBytes - summary.storedBytes })
        })
      } catch (error) {
        if (sizes) {
          rollBackDictionaries(dictionaries, sizes)
        }
        if (logIdBeforeOwnAddition !== undefined) {
          dictionaryLogId = logIdBeforeOwnAddition
        }
        throw error
      }
      rebuiltEventCount += summary.eventCount
      options.onRebuildProgress?.({ rebuiltEventCount, totalEventCount })
    }
  }

  /** Stored columns of segments, with their id columns when asked (found apart, or in the main record before schema version 5). */
  const readStoredColumns = async (segmentIds: readonly number[], { withIds = false } = {}) => {
    const ids = [...segmentIds]
    const [summaries, records, idRecords] = await db.transaction('r', db.segments, db.segmentColumns, db.segmentIdColumns, () =>
      Promise.all([db.segments.bulkGet(ids), db.segmentColumns.bulkGet(ids), withIds ? db.segmentIdColumns.bulkGet(ids) : []]),
    )
    return ids.map((segmentId, index): StoredSegmentColumns | Error | undefined => {
      const summary = summaries[index]
      const record = records[index]
      if (!summary) {
        return undefined
      }
      if (!record) {
        return new Error(`aiscope: segment ${segmentId} is corrupt: its columns are missing`)
      }
      const stored: StoredSegmentColumns = { segmentId, eventCount: summary.eventCount, columns: record.columns }
      if (withIds) {
        stored.idDimensions = idRecords[index]?.dimensions ?? record.columns.dimensions
      }
      return stored
    })
  }

  const readStoredIdColumns = async (segmentIds: readonly number[]) => {
    const ids = [...segmentIds]
    const [summaries, idRecords] = await db.transaction('r', db.segments, db.segmentIdColumns, () =>
      Promise.all([db.segments.bulkGet(ids), db.segmentIdColumns.bulkGet(ids)]),
    )
    // Segments written before schema version 5 keep their ids in the main record.
    const inMainRecord = ids.filter((segmentId, index) => summaries[index] && !idRecords[index])
    const mainRecords = new Map((await db.segmentColumns.bulkGet(inMainRecord)).map((record, index) => [inMainRecord[index], record]))
    return ids.map((segmentId, index): StoredSegmentIdColumns | Error | undefined => {
      const summary = summaries[index]
      if (!summary) {
        return undefined
      }
      const idDimensions = idRecords[index]?.dimensions ?? mainRecords.get(segmentId)?.columns.dimensions
      if (!idDimensions) {
        return new Error(`aiscope: segment ${segmentId} is corrupt: its columns are missing`)
      }
      return { segmentId, eventCount: summary.eventCount, idDimensions }
    })
  }

  const readColumns = async (segmentIds: readonly number[]) =>
    (await readStoredColumns(segmentIds, { withIds: true })).map((stored) => {
      if (stored === undefined || stored instanceof Error) {
        return stored
      }
      try {
        const columns = fromStoredColumns(stored.columns, stored.eventCount, stored.segmentId, undefined, MAIN_DIMENSIONS)
        fromStoredIdColumns(stored.idDimensions ?? {}, stored.eventCount, stored.segmentId, columns.dimensions)
        return columns
      } catch (error) {
        return error as Error
      }
    })

  await exclusive(async () => {
    await checkEpoch()
    await rebuildStaleSegments()
  })

  return {
    get dictionaries() {
      return dictionaries
    },
    append: (events) => exclusive(() => append(events)),
    async listSegments() {
      return (await db.segments.toArray()).sort((a, b) => a.id - b.id)
    },
    readStoredColumns,
    readStoredIdColumns,
    readColumns,
    async readEvents(segmentIds) {
      const records = await db.segmentContents.bulkGet([...segmentIds])
      return records.map((record) => record?.events ?? [])
    },
    async compactionsSince(logId) {
      return db.compactionLog.where(':id').above(logId).toArray()
    },
    syncDictionaries: () =>
      exclusive(() =>
        db.transaction('r', db.meta, db.dictionaryLog, async () => {
          await checkEpoch()
          await applyDictionaryLog()
        }),
      ),
    loadDictionaries: async (dimensions) => {
      if (dimensions.every((dimension) => dictionaries[dimension].loaded)) {
        return
      }
      await exclusive(() =>
        db.transaction('r', db.meta, db.dictionaryLog, async () => {
          await checkEpoch()
          await applyDictionaryLogWithIds(dimensions)
        }),
      )
    },
    async readAll() {
      const records = await db.segmentContents.toArray()
      return records.sort((a, b) => a.segmentId - b.segmentId).flatMap((record) => record.events)
    },
    status: readStatus,
    compact: () => exclusive(compact),
    applyRetention: () => exclusive(() => retain()),
    clear: () =>
      exclusive(async () => {
        await db.transaction('rw', allTables(), async () => {
          const before = await readStatus()
          const storedEpoch = ((await db.meta.get('epoch'))?.value as number | undefined) ?? 0
          await Promise.all(allTables().map((table) => table.clear()))
          await db.meta.bulkPut([
            { key: 'eventCount', value: 0 },
            { key: 'storedBytes', value: 0 },
            { key: 'dataVersion', value: before.dataVersion + 1 },
            { key: 'epoch', value: storedEpoch + 1 },
          ])
        })
        await checkEpoch()
        return readStatus()
      }),
    close() {
      db.close()
    },
  }
}

/** A fresh set of dictionaries for a store: the id dictionaries unloaded, the host's properties added. */
function storeDictionaries(layout: ColumnLayout): Dictionaries {
  const dictionaries = createDictionaries({ unloaded: ID_DIMENSIONS })
  for (const name of layout.propertyDimensions) {
    withProperty(dictionaries, name)
  }
  return dictionaries
}

function withProperty(dictionaries: Dictionaries, name: string): Dictionary {
  let dictionary = dictionaries.properties.get(name)
  if (!dictionary) {
    dictionary = new Dictionary()
    dictionaries.properties.set(name, dictionary)
  }
  return dictionary
}
