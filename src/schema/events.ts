/**
 * The event envelope and the `$ai_*` property shapes aiscope reads, following PostHog's
 * schema so that events from `@posthog/ai`, `posthog-node` and PostHog exports work as
 * they are. Units are part of the contract: latencies are seconds, costs are USD, token
 * counts are integers. Every property, with its unit, is in `properties.ts`.
 */

import type {
  AiEventProperties,
  EvaluationEventProperties,
  ExceptionEventProperties,
  FeatureFlagCalledEventProperties,
  InteractionEventProperties,
  PageviewEventProperties,
} from './properties'

/** Names of the AI events PostHog ingests, plus the product events aiscope links to them. */
export const AI_EVENT_NAMES = [
  '$ai_generation',
  '$ai_embedding',
  '$ai_span',
  '$ai_trace',
  '$ai_metric',
  '$ai_feedback',
  '$ai_evaluation',
] as const

/** One of PostHog's `$ai_*` event names. */
export type AiEventName = (typeof AI_EVENT_NAMES)[number]

/** What a user did with a piece of AI output. */
export const INTERACTION_KINDS = ['accepted', 'rejected', 'regenerated', 'copied', 'edited'] as const

/** One of {@link INTERACTION_KINDS}. */
export type InteractionKind = (typeof INTERACTION_KINDS)[number]

/**
 * Event name of a user interaction with AI output. The kind is in `$ai_interaction`, the
 * generation or trace it concerns in `$ai_generation_id` / `$ai_trace_id`.
 */
export const INTERACTION_EVENT = '$ai_interaction'

/** Event name of an exception (posthog-node / posthog-js); linked to AI traces by `$ai_trace_id`. */
export const EXCEPTION_EVENT = '$exception'

/** Event name of a page view; `$current_url` and `$pathname` say which page. */
export const PAGEVIEW_EVENT = '$pageview'

/** Event name of a feature-flag exposure; `$feature_flag` and `$feature_flag_response` say which flag and value. */
export const FEATURE_FLAG_CALLED_EVENT = '$feature_flag_called'

/** Every event name aiscope stores. Hosts may also send their own (conversions, for example). */
export type KnownEventName =
  | AiEventName
  | typeof INTERACTION_EVENT
  | typeof EXCEPTION_EVENT
  | typeof PAGEVIEW_EVENT
  | typeof FEATURE_FLAG_CALLED_EVENT

/** Every name of {@link KnownEventName}, AI events first. */
export const KNOWN_EVENT_NAMES: readonly KnownEventName[] = [
  ...AI_EVENT_NAMES,
  INTERACTION_EVENT,
  EXCEPTION_EVENT,
  PAGEVIEW_EVENT,
  FEATURE_FLAG_CALLED_EVENT,
]

const AI_EVENT_NAME_SET: ReadonlySet<string> = new Set(AI_EVENT_NAMES)

/** True for the seven `$ai_*` event names of {@link AI_EVENT_NAMES} (not `$ai_interaction`). */
export function isAiEventName(name: string): name is AiEventName {
  return AI_EVENT_NAME_SET.has(name)
}

/** A chat message as `@posthog/ai` sends it in `$ai_input` and `$ai_output_choices`. */
export interface AiMessage {
  role: 'system' | 'user' | 'assistant' | 'tool' | (string & {})
  content: string | readonly AiContentPart[] | null
  /** Set on `tool` messages: the id of the tool call this message answers. */
  tool_call_id?: string
}

/** One typed part of a message's content. */
export type AiContentPart =
  | { type: 'text'; text: string }
  | { type: 'function'; id: string; function: { name: string; arguments: string } }
  | { type: 'image'; image: string }
  | { type: 'reasoning'; text: string }
  | { type: string; [key: string]: unknown }

/**
 * Properties of a well-formed `$ai_generation` or `$ai_embedding` (PostHog reference §1.3).
 * `validateEvent` warns, but does not reject, when `$ai_model` or `$ai_provider` is
 * missing; {@link GenerationEvent} types what validation guarantees.
 */
export interface AiGenerationProperties {
  $ai_trace_id: string
  $ai_session_id?: string
  $ai_span_id?: string
  $ai_parent_id?: string
  $ai_generation_id?: string
  $ai_span_name?: string
  $ai_model: string
  $ai_provider: string
  $ai_model_parameters?: Record<string, unknown>
  $ai_input?: readonly AiMessage[] | string | readonly string[] | null
  $ai_output_choices?: readonly AiMessage[] | null
  $ai_tools?: readonly unknown[]
  $ai_stop_reason?: string
  /** Integer count of prompt tokens; for OpenAI-style (inclusive) reporting it includes cache reads. */
  $ai_input_tokens?: number
  /** Integer count of completion tokens; OpenAI's include reasoning tokens. */
  $ai_output_tokens?: number
  $ai_cache_read_input_tokens?: number
  $ai_cache_creation_input_tokens?: number
  /** `true`: cache tokens are not included in `$ai_input_tokens` (Anthropic style). */
  $ai_cache_reporting_exclusive?: boolean
  $ai_reasoning_tokens?: number
  /** Wall time of the call, in seconds. */
  $ai_latency?: number
  /** Streaming only: seconds from the request to the first content delta. */
  $ai_time_to_first_token?: number
  $ai_http_status?: number
  $ai_is_error?: boolean
  /** The serialised error: PostHog's SDK sends a JSON string, the docs allow an object. */
  $ai_error?: string | Record<string, unknown>
  $ai_input_cost_usd?: number
  $ai_output_cost_usd?: number
  $ai_total_cost_usd?: number
  $ai_prompt_name?: string
  $ai_prompt_version?: string | number
  $ai_lib?: string
  $ai_lib_version?: string
  $ai_base_url?: string
  $groups?: Record<string, string>
  [property: string]: unknown
}

/**
 * One captured event, in PostHog's envelope. `timestamp` is ISO 8601; `properties` holds
 * the `$ai_*` keys and any of the host's own.
 */
export interface AiscopeEvent<Properties extends Record<string, unknown> = Record<string, unknown>> {
  /** Event name: one of {@link KnownEventName} or the host's own. */
  event: KnownEventName | (string & {})
  /** Unique id of the event; capturing the same uuid twice stores it once. */
  uuid: string
  /** The user the event belongs to. PostHog sets it to the trace id for anonymous events. */
  distinct_id: string
  /** ISO 8601 time of the event. */
  timestamp: string
  properties: Properties
}

/** Properties by event name, as `validateEvent` guarantees them. */
export interface KnownEventPropertiesByName {
  /** One LLM call. */
  $ai_generation: AiEventProperties
  /** One embedding call. */
  $ai_embedding: AiEventProperties
  /** A non-LLM step: tool, retrieval, agent, handoff, guardrail, ... */
  $ai_span: AiEventProperties
  /** The envelope of a trace: its name and input/output state. */
  $ai_trace: AiEventProperties
  /** A named metric on a trace (legacy). */
  $ai_metric: AiEventProperties
  /** User feedback on a trace (legacy). */
  $ai_feedback: AiEventProperties
  /** One evaluator result. */
  $ai_evaluation: EvaluationEventProperties
  /** A user's interaction with AI output. */
  $ai_interaction: InteractionEventProperties
  /** An exception. */
  $exception: ExceptionEventProperties
  /** A page view. */
  $pageview: PageviewEventProperties
  /** A feature-flag exposure. */
  $feature_flag_called: FeatureFlagCalledEventProperties
}

/** A stored event of a known name, with its properties typed. */
export type KnownEvent<Name extends KnownEventName = KnownEventName> = {
  [N in Name]: AiscopeEvent<KnownEventPropertiesByName[N]> & { event: N }
}[Name]

/** A validated `$ai_generation`. */
export type GenerationEvent = KnownEvent<'$ai_generation'>
/** A validated `$ai_embedding`. */
export type EmbeddingEvent = KnownEvent<'$ai_embedding'>
/** A validated `$ai_span`. */
export type SpanEvent = KnownEvent<'$ai_span'>
/** A validated `$ai_trace`. */
export type TraceEvent = KnownEvent<'$ai_trace'>
/** A validated `$ai_metric`. */
export type MetricEvent = KnownEvent<'$ai_metric'>
/** A validated `$ai_feedback`. */
export type FeedbackEvent = KnownEvent<'$ai_feedback'>
/** A validated `$ai_evaluation`. */
export type EvaluationEvent = KnownEvent<'$ai_evaluation'>
/** A validated `$ai_interaction`. */
export type InteractionEvent = KnownEvent<'$ai_interaction'>
/** A validated `$exception`. */
export type ExceptionEvent = KnownEvent<'$exception'>
/** A validated `$pageview`. */
export type PageviewEvent = KnownEvent<'$pageview'>
/** A validated `$feature_flag_called`. */
export type FeatureFlagCalledEvent = KnownEvent<'$feature_flag_called'>

/**
 * Narrows a validated event to a known name, typing its properties:
 * `if (isEventNamed(event, '$ai_generation')) event.properties.$ai_trace_id // string`.
 */
export function isEventNamed<Name extends KnownEventName>(event: AiscopeEvent, name: Name): event is AiscopeEvent & KnownEvent<Name> {
  return event.event === name
}
