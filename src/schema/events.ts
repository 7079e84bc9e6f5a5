/**
 * The event envelope and the `$ai_*` property shapes aiscope reads, following PostHog's
 * schema so that events from `@posthog/ai`, `posthog-node` and PostHog exports work as
 * they are. Units are part of the contract: latencies are seconds, costs are USD, token
 * counts are integers.
 */

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

/** Every event name aiscope stores. Hosts may also send their own (conversions, for example). */
export type KnownEventName =
  | AiEventName
  | typeof INTERACTION_EVENT
  | '$exception'
  | '$pageview'
  | '$feature_flag_called'

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

/** Properties of `$ai_generation` and `$ai_embedding` events (PostHog reference §1.3). */
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
