import type { Dexie } from 'dexie'
import type { AiscopeEvent } from '../../src/schema'
import { COLUMN_DIMENSIONS, Dictionary, eventsToColumns, type Dictionaries } from '../../src/store'
import { timeRange, toStoredSegment, type DictionaryAddition } from '../../src/store/segments'
import { uuidFingerprints } from '../../src/store/uuidIndex'

/**
 * Dictionaries as schema versions 3 to 5 kept them: one per dimension, parent ids in their
 * own (version 6 codes them in the span ids' dictionary).
 */
function legacyDictionaries(): Dictionaries {
  const dictionaries = { properties: new Map<string, Dictionary>() } as Dictionaries
  for (const dimension of COLUMN_DIMENSIONS) {
    dictionaries[dimension] = new Dictionary()
  }
  return dictionaries
}

/** What one write added to every legacy dictionary, one entry per dimension. */
function legacyAdditions(dictionaries: Dictionaries, write: () => void): DictionaryAddition[] {
  const sizes = new Map(COLUMN_DIMENSIONS.map((dimension) => [dimension, dictionaries[dimension].size]))
  write()
  return COLUMN_DIMENSIONS.flatMap((dimension) => {
    const firstCode = sizes.get(dimension) as number
    const values = dictionaries[dimension].values.slice(firstCode)
    return values.length > 0 ? [{ key: dimension, firstCode, values }] : []
  })
}

/**
 * A store as an older schema version wrote it, frozen here so it does not follow later
 * changes. Versions 3 and 4: segments of plain typed-array columns (codes as narrow as they
 * fit, token counts as float32 where exact) and a dictionary log holding each write's
 * additions to every dictionary in one record. Version 5: packed columns with the ids apart
 * (packed by `toStoredSegment`, whose format version 5 introduced and later versions keep),
 * one log record per dictionary per write; parent ids in a dictionary of their own.
 */
export async function writeLegacySegmentStore(legacy: Dexie, version: 3 | 4 | 5, batches: readonly AiscopeEvent[][]): Promise<void> {
  const tables = {
    segments: '++id',
    segmentColumns: 'segmentId',
    segmentContents: 'segmentId',
    segmentUuids: 'segmentId',
    segmentFingerprints: 'segmentId',
    dictionaryLog: '++id',
    compactionLog: '++id',
    meta: 'key',
  }
  const stores =
    version === 3
      ? { batches: '++id', batchUuids: 'batchId', ...tables }
      : version === 4
        ? tables
        : { ...tables, dictionaryLog: '++id, key', segmentIdColumns: 'segmentId' }
  legacy.version(version).stores(stores)
  await legacy.open()
  const dictionaries = legacyDictionaries()
  const narrow = (codes: Uint32Array) => {
    const largest = codes.reduce((most, code) => Math.max(most, code), 0)
    return largest < 256 ? new Uint8Array(codes) : largest < 65_536 ? new Uint16Array(codes) : codes
  }
  for (const events of batches) {
    let columns = undefined as unknown as ReturnType<typeof eventsToColumns>
    const additions = legacyAdditions(dictionaries, () => {
      columns = eventsToColumns(events, dictionaries)
    })
    const segmentId = await legacy.table('segments').add({
      eventCount: events.length,
      ...timeRange(columns.tsMs),
      storedBytes: 1_000,
      columnsVersion: 1,
      organisationGroup: 'company',
      propertyNames: [],
    })
    if (version === 5) {
      const stored = toStoredSegment(columns)
      await legacy.table('segmentColumns').add({ segmentId, columns: stored.columns })
      await legacy.table('segmentIdColumns').add({ segmentId, dimensions: stored.idDimensions })
      await legacy.table('dictionaryLog').bulkAdd(additions)
    } else {
      await legacy.table('segmentColumns').add({
        segmentId,
        columns: {
          ...columns,
          dimensions: Object.fromEntries(Object.entries(columns.dimensions).map(([dimension, codes]) => [dimension, narrow(codes)])),
          numbers: { ...columns.numbers, inputTokens: new Float32Array(columns.numbers.inputTokens) },
          properties: {},
          length: undefined,
        },
      })
      await legacy.table('dictionaryLog').add({ additions })
    }
    const uuidsOfBatch = events.map((event) => event.uuid)
    await legacy.table('segmentContents').add({ segmentId, events })
    await legacy.table('segmentUuids').add({ segmentId, uuids: uuidsOfBatch })
    await legacy.table('segmentFingerprints').add({ segmentId, fingerprints: uuidFingerprints(uuidsOfBatch) })
  }
  const times = batches.flat().map((event) => Date.parse(event.timestamp))
  await legacy.table('meta').bulkPut([
    { key: 'eventCount', value: times.length },
    { key: 'dataVersion', value: batches.length },
    { key: 'firstTsMs', value: Math.min(...times) },
    { key: 'lastTsMs', value: Math.max(...times) },
    { key: 'storedBytes', value: 1_000 * batches.length },
  ])
  legacy.close()
}
