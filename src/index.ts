/**
 * aiscope: AI/LLM observability over a local IndexedDB store, with aggregation in a Web
 * Worker. This entry has no React in it; the panels are in `aiscope/react`.
 */
export {
  createAiscope,
  type AiscopeClient,
  type AiscopeOptions,
  type EngineMode,
  type StatusListener,
} from './client'
export type { StoreStatus } from './store'
export {
  AI_EVENT_NAMES,
  INTERACTION_EVENT,
  INTERACTION_KINDS,
  type AiEventName,
  type AiContentPart,
  type AiGenerationProperties,
  type AiMessage,
  type AiscopeEvent,
  type InteractionKind,
  type KnownEventName,
} from './schema/events'
