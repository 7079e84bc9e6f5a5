export {
  openEventStore,
  STORE_SCHEMA_VERSION,
  type AppendResult,
  type EventStore,
  type EventStoreOptions,
  type RebuildProgress,
  type StoreStatus,
} from './eventStore'
export {
  fromStoredColumns,
  fromStoredIdColumns,
  MAIN_DIMENSIONS,
  type SegmentSummary,
  type CompactionLogRecord,
  type StoredSegmentColumns,
  type StoredSegmentIdColumns,
} from './segments'
export {
  planCompaction,
  planRetention,
  SMALL_SEGMENT_EVENTS,
  COMPACTED_SEGMENT_EVENTS,
  type RetentionPolicy,
  type RetentionReason,
  type RetentionReport,
} from './upkeep'
export { UuidIndex } from './uuidIndex'
export {
  COLUMN_DIMENSIONS,
  ID_DIMENSIONS,
  isIdDimension,
  type IdDimension,
  NUMERIC_COLUMNS,
  Dictionary,
  concatColumns,
  createDictionaries,
  eventsToColumns,
  type ColumnDimension,
  type ColumnOptions,
  type Dictionaries,
  type EventColumns,
  type NumericColumn,
  type PackedStrings,
} from './columns'
