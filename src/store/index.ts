export {
  openEventStore,
  toBatchRecord,
  STORE_SCHEMA_VERSION,
  type AppendResult,
  type BatchUuidsRecord,
  type EventStore,
  type EventStoreOptions,
  type EventBatchRecord,
  type StoreStatus,
} from './eventStore'
export { UuidIndex } from './uuidIndex'
export {
  COLUMN_DIMENSIONS,
  NUMERIC_COLUMNS,
  Dictionary,
  createDictionaries,
  eventsToColumns,
  type ColumnDimension,
  type ColumnOptions,
  type Dictionaries,
  type EventColumns,
  type NumericColumn,
} from './columns'
