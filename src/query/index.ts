export {
  createEngine,
  MAX_REPORTED_IMPORT_PROBLEMS,
  type AiscopeEngine,
  type EngineImportOptions,
  type EngineOptions,
  type ImportProgressCallback,
  type ImportRedactCallback,
  type ImportProblemReport,
  type ImportProgress,
  type ImportReport,
  type IngestReport,
  type RejectedEvent,
} from './engine'
