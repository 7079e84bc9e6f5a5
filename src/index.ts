/**
 * aiscope: AI/LLM observability over a local IndexedDB store, with aggregation in a Web
 * Worker. This entry has no React in it; the panels are in `aiscope/react`, the SDK
 * wrappers in `aiscope/instrument`, the cost engine in `aiscope/pricing`, validation and
 * the message model in `aiscope/schema`. It stays small: the engine loads lazily (in the
 * worker, or in-process where there is none).
 */
export {
  createAiscope,
  type AiscopeClient,
  type AiscopeOptions,
  type CaptureRejection,
  type CaptureStats,
  type EngineMode,
  type ImportOptions,
  type QueryOptions,
  type StatusListener,
} from './client'
export type { CaptureInput, CaptureTarget } from './ingest/captureTarget'
export type { ImportFormat, ImportSource } from './ingest/importers'
export type {
  AggregateResult,
  AggregateRow,
  AggregateSpec,
  Dimension,
  DimensionFilter,
  ErrorFilter,
  Filter,
  ImportProblemReport,
  ImportProgress,
  ImportReport,
  IngestReport,
  Interval,
  Measure,
  NumericField,
  QueryResult,
  QuerySpec,
  RangeFilter,
  RejectedEvent,
  TimeRange,
  TimingStatistic,
  TraceEventsResult,
  TraceEventsSpec,
  TraceResult,
  TraceTotals,
  TraceSpec,
  TraceRow,
  TraceSortField,
  TracesResult,
  TracesSpec,
  SessionEventRow,
  SessionResult,
  SessionSpec,
  UsersResult,
  UsersRow,
  UsersSpec,
  ErrorsResult,
  ErrorsSpec,
  InteractionsResult,
  InteractionsRow,
  InteractionsSpec,
  GenerationRow,
  GenerationSortField,
  GenerationsResult,
  GenerationsSpec,
  LoadProgress,
} from './query'
export { DIMENSIONS, OTHER_GROUP } from './query/spec'
export { stringAt, packedStringAt, type CodedStrings, type PackedStrings } from './query/traceStrings'
export type { RetentionPolicy, RetentionReason, RetentionReport, StoreStatus } from './store'
export type * from './schema'
export {
  AI_EVENT_NAMES,
  EXCEPTION_EVENT,
  FEATURE_FLAG_CALLED_EVENT,
  INTERACTION_EVENT,
  INTERACTION_KINDS,
  KNOWN_EVENT_NAMES,
  PAGEVIEW_EVENT,
  isAiEventName,
  isEventNamed,
} from './schema/events'
