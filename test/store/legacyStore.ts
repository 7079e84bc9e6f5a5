import type { Dexie } from 'dexie'
import type { AiscopeEvent } from '../../src/schema'
import { createDictionaries, eventsToColumns } from '../../src/store'
import { dictionaryAdditions, dictionarySizes, timeRange } from '../../src/store/segments'
import { uuidFingerprints } from '../../src/store/uuidIndex'

/**
 * A store as schema versions 3 and 4 wrote it: segments of plain typed-array columns (codes
 * as narrow as they fit, token counts as float32 where exact) and a dictionary log holding
 * each write's additions to every dictionary in one record.
 */
export async function writeLegacySegmentStore(legacy: Dexie, version: 3 | 4, batches: readonly AiscopeEvent[][]): Promise<void> {
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
  legacy.version(version).stores(version === 3 ? { batches: '++id', batchUuids: 'batchId', ...tables } : tables)
  await legacy.open()
  const dictionaries = createDictionaries()
  const narrow = (codes: Uint32Array) => {
    const largest = codes.reduce((most, code) => Math.max(most, code), 0)
    return largest < 256 ? new Uint8Array(codes) : largest < 65_536 ? new Uint16Array(codes) : codes
  }
  for (const events of batches) {
    const sizes = dictionarySizes(dictionaries)
    const columns = eventsToColumns(events, dictionaries)
    const segmentId = await legacy.table('segments').add({
      eventCount: events.length,
      ...timeRange(columns.tsMs),
      storedBytes: 1_000,
      columnsVersion: 1,
      organisationGroup: 'company',
      propertyNames: [],
    })
    const uuidsOfBatch = events.map((event) => event.uuid)
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
    await legacy.table('segmentContents').add({ segmentId, events })
    await legacy.table('segmentUuids').add({ segmentId, uuids: uuidsOfBatch })
    await legacy.table('segmentFingerprints').add({ segmentId, fingerprints: uuidFingerprints(uuidsOfBatch) })
    await legacy.table('dictionaryLog').add({ additions: dictionaryAdditions(dictionaries, sizes) })
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

