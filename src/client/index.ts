export {
  createAiscope,
  type AiscopeClient,
  type AiscopeOptions,
  type EngineMode,
  type StatusListener,
} from './createAiscope'
