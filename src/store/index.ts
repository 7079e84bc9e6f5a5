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
