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
} from './createAiscope'
