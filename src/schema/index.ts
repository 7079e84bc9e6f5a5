/**
 * `src/schema`: event types in PostHog's `$ai_*` schema, property metadata, validation
 * and normalisation, and the message model with its dialect readers. Imports nothing
 * else of aiscope and no packages; touches no browser globals at import time, so it runs
 * in pages, workers and Node.
 */

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
  type AiContentPart,
  type AiEventName,
  type AiGenerationProperties,
  type AiMessage,
  type AiscopeEvent,
  type EmbeddingEvent,
  type EvaluationEvent,
  type ExceptionEvent,
  type FeatureFlagCalledEvent,
  type FeedbackEvent,
  type GenerationEvent,
  type InteractionEvent,
  type InteractionKind,
  type KnownEvent,
  type KnownEventName,
  type KnownEventPropertiesByName,
  type MetricEvent,
  type PageviewEvent,
  type SpanEvent,
  type TraceEvent,
} from './events'
export type {
  AiContentProperties,
  AiCostProperties,
  AiDerivedProperties,
  AiErrorProperties,
  AiErrorValue,
  AiEvaluationProperties,
  AiEventProperties,
  AiFrameworkProperties,
  AiIdentityProperties,
  AiMetricFeedbackProperties,
  AiModelParameters,
  AiModelRequestProperties,
  AiTimingProperties,
  AiTokenProperties,
  EvaluationEventProperties,
  ExceptionEntry,
  ExceptionEventProperties,
  ExceptionProperties,
  ExceptionStackFrame,
  FeatureFlagCalledEventProperties,
  FeatureFlagProperties,
  InteractionEventProperties,
  InteractionProperties,
  KnownProperties,
  KnownPropertyName,
  PageviewEventProperties,
  PageviewProperties,
  PostHogCommonProperties,
} from './properties'
export {
  AI_PROPERTY_SPECS,
  CONTENT_PROPERTY_NAMES,
  propertySpec,
  type InvalidValuePolicy,
  type PropertyGroup,
  type PropertyKind,
  type PropertySpec,
} from './propertySpecs'
export { DEFAULT_MAX_CONTENT_BYTES, MAX_EVENT_NAME_CHARS, MAX_ID_CHARS, resolveCacheReportingExclusive, validateEvent } from './validate'
export type { EventProblem, ValidateOptions, ValidationResult } from './validation.types'
export {
  MAX_NESTING_DEPTH,
  MAX_OTHER_PROPERTIES_CHARS,
  MAX_PROPERTY_STRING_CHARS,
  REMOVAL_MARKER_PREFIX,
  TRUNCATED_KEYS_MARKER_KEY,
  TRUNCATION_MARKER_PREFIX,
} from './sanitize'
export { formatBytes, parseBinaryPlaceholder, type ParsedPlaceholder } from './binary'
export { MAX_NORMALIZED_ERROR_SOURCE_CHARS, UNKNOWN_ERROR_TEXT, normalizeErrorText } from './errorNormalization'
export { readTimestamp, type TimestampReading } from './timestamps'
export {
  detectMessageDialect,
  toChatMessages,
  toolCallNames,
  type ChatMediaPart,
  type ChatMessage,
  type ChatPart,
  type ChatReasoningPart,
  type ChatRole,
  type ChatTextPart,
  type ChatToolCallPart,
  type ChatToolResultPart,
  type ChatUnknownPart,
  type MessageDialect,
  type MessageHint,
} from './messages'
export { classifyError, ERROR_KINDS, type ErrorFacts, type ErrorKind } from './errorKind'
