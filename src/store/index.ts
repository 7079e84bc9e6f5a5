export {
  openEventStore,
  toBatchRecord,
  STORE_SCHEMA_VERSION,
  type EventStore,
  type EventStoreOptions,
  type EventBatchRecord,
  type StoreStatus,
} from './eventStore'
