/**
 * Every event property aiscope knows, grouped as PostHog's reference groups them (§1.3
 * structure and identity, model and request, content, tokens, timing, cost, errors,
 * derived, framework extras; §1.6 evaluations) plus the product events linked to AI
 * output. Types are those of a validated event (`validateEvent` output): ids are strings,
 * `$ai_error` is an object, counts are integers. Units are in each comment: latencies in
 * seconds, costs in USD, prices in USD per token, counts in tokens.
 *
 * `AI_PROPERTY_SPECS` (propertySpecs.ts) holds the same list as data; the compiler checks
 * that the two name the same properties.
 */

import type { InteractionKind } from './events'

/** Structure and identity: how an event finds its trace, parent, session and library. */
export interface AiIdentityProperties {
  /** string id. The trace the event belongs to: every event sharing it is one trace. Required on AI events. Numbers, booleans and BigInts are turned into strings. */
  $ai_trace_id?: string
  /** string id. Groups traces into a session. Distinct from `$session_id` (session replay). */
  $ai_session_id?: string
  /** string id. Id of this span (LangChain uses its run id); children point at it with `$ai_parent_id`. */
  $ai_span_id?: string
  /** string id. Parent of this node: a span id, or the trace id for top-level children. */
  $ai_parent_id?: string
  /** string id. Id of a generation, which interactions and evaluations point at. Not sent by PostHog's SDK. */
  $ai_generation_id?: string
  /** string. Name of a span or generation; on `$ai_trace` the trace name. */
  $ai_span_name?: string
  /** string. Trace name, sent by OpenAI Agents on `$ai_trace`. */
  $ai_trace_name?: string
  /** string. Kind of span: `tool`, `agent`, `handoff`, `guardrail`, `custom`, `mcp_tools`, ... (OpenAI Agents). */
  $ai_span_type?: string
  /** string. Framework that produced the event: `langchain`, `openai-agents`, `vercel`, ... */
  $ai_framework?: string
  /** string. Version of `$ai_framework`, e.g. `5` or `6` for the Vercel AI SDK. */
  $ai_framework_version?: string
  /** string. Library that captured the event, e.g. `posthog-ai`. */
  $ai_lib?: string
  /** string. Version of `$ai_lib`, e.g. `8.13.1`. */
  $ai_lib_version?: string
  /** string. Name of the managed prompt the generation used. */
  $ai_prompt_name?: string
  /** string or number. Version of the managed prompt. */
  $ai_prompt_version?: string | number
  /** string id. OpenAI Agents group id; the SDK also writes it to `$ai_session_id`. */
  $ai_group_id?: string
  /** string id. PostHog session-replay session. */
  $session_id?: string
  /** string id. The `$exception` event raised by the failed call this generation records. */
  $exception_event_id?: string
}

/** Model parameters as the SDK copies them from the request (`$ai_model_parameters`). */
export interface AiModelParameters {
  /** Sampling temperature, usually 0 to 2. */
  temperature?: number
  /** Most output tokens (chat completions, Anthropic). */
  max_tokens?: number
  /** Most output tokens (newer OpenAI models). */
  max_completion_tokens?: number
  /** Nucleus sampling probability, 0 to 1. */
  top_p?: number
  /** OpenAI frequency penalty, -2 to 2. */
  frequency_penalty?: number
  /** OpenAI presence penalty, -2 to 2. */
  presence_penalty?: number
  /** Number of choices asked for. */
  n?: number
  /** Stop sequences. */
  stop?: string | readonly string[] | null
  /** Whether the response was streamed. */
  stream?: boolean
  /** Whether the response was streamed (LangChain's name). */
  streaming?: boolean
  /** Audio language (transcriptions). */
  language?: string
  /** Requested response format, e.g. `{ type: 'json_schema', ... }`. */
  response_format?: unknown
  /** Transcription timestamp granularities. */
  timestamp_granularities?: readonly string[]
  /** Service tier that served the request. */
  service_tier?: string
  /** Any other parameter the caller passed. */
  [parameter: string]: unknown
}

/** Model and request: which model was asked, how, and through which endpoint. */
export interface AiModelRequestProperties {
  /** string. The model requested, e.g. `gpt-4o-mini` (not the dated name the response returns). */
  $ai_model?: string
  /** string. Provider: `openai`, `azure`, `anthropic`, `gemini`, `vercel`, ... */
  $ai_provider?: string
  /** object. Request parameters; see {@link AiModelParameters}. */
  $ai_model_parameters?: AiModelParameters
  /** number. Sampling temperature; derived from `$ai_model_parameters.temperature` when absent. */
  $ai_temperature?: number
  /** boolean. Whether the call streamed; derived from `$ai_model_parameters.stream` when absent. */
  $ai_stream?: boolean
  /** integer, tokens. Output token limit; derived from `max_tokens`, else `max_completion_tokens`. */
  $ai_max_tokens?: number
  /** string. Service tier that served the request, e.g. `default`. */
  $ai_service_tier?: string
  /** string URL. Base URL of the API, e.g. `https://api.openai.com/v1`. */
  $ai_base_url?: string
  /** string URL. Full request URL (documented; the SDK does not send it). */
  $ai_request_url?: string
  /** string. Why the model stopped: `stop`, `tool_calls`, `end_turn`, `length`, `STOP`, ... */
  $ai_stop_reason?: string
  /** string id. The provider's response id: `chatcmpl-…`, `resp_…`, `msg_…`. */
  $ai_completion_id?: string
  /** object. Provider extras: `{ system_fingerprint, request_id, incomplete_details }`. */
  $ai_provider_metadata?: Record<string, unknown>
}

/** Content ("heavy" properties): messages, outputs, states and tool definitions. Any JSON; see `toChatMessages`. */
export interface AiContentProperties {
  /** JSON. Input messages in the provider's dialect, a string, or a list of strings (embeddings). `null` in privacy mode. */
  $ai_input?: unknown
  /** JSON. Output choices, PostHog format `[{ role: 'assistant', content: [parts] }]`; `[]` when the call failed. */
  $ai_output_choices?: unknown
  /** JSON. Legacy output field the UI still reads. */
  $ai_output?: unknown
  /** JSON. Input state of a span or trace. */
  $ai_input_state?: unknown
  /** JSON. Output state of a span or trace (a LangGraph interrupt is `{ __interrupt__ }`). */
  $ai_output_state?: unknown
  /** JSON array. Tool definitions sent in the request, in the provider's format. */
  $ai_tools?: unknown
}

/** Token counts. All are non-negative integers counted in tokens. */
export interface AiTokenProperties {
  /** integer, tokens. Prompt tokens. OpenAI-style (inclusive) counts include cache reads and writes. */
  $ai_input_tokens?: number
  /** integer, tokens. Completion tokens; OpenAI's include reasoning tokens. */
  $ai_output_tokens?: number
  /** integer, tokens. Prompt tokens read from the provider's cache. */
  $ai_cache_read_input_tokens?: number
  /** integer, tokens. Prompt tokens written to the provider's cache. */
  $ai_cache_creation_input_tokens?: number
  /** integer, tokens. Cache writes with a 5-minute lifetime (LangChain, Anthropic). */
  $ai_cache_creation_5m_input_tokens?: number
  /** integer, tokens. Cache writes with a 1-hour lifetime (LangChain, Anthropic). */
  $ai_cache_creation_1h_input_tokens?: number
  /** boolean. `true`: cache tokens are not included in `$ai_input_tokens` (Anthropic style). Resolved and written back when absent. */
  $ai_cache_reporting_exclusive?: boolean
  /** integer, tokens. Reasoning tokens; for OpenAI already inside `$ai_output_tokens`. */
  $ai_reasoning_tokens?: number
  /** integer, tokens. Total tokens (sent by OpenAI Agents only). */
  $ai_total_tokens?: number
  /** integer, count. Web searches the call made. */
  $ai_web_search_count?: number
  /** integer, count. Billable requests (defaults to 1 when `$ai_request_price` is set). */
  $ai_request_count?: number
  /** integer, tokens. Text part of the input. */
  $ai_text_input_tokens?: number
  /** integer, tokens. Text part of the output. */
  $ai_text_output_tokens?: number
  /** integer, tokens. Image part of the input. */
  $ai_image_input_tokens?: number
  /** integer, tokens. Image part of the output. */
  $ai_image_output_tokens?: number
  /** integer, tokens. Audio part of the input. */
  $ai_audio_input_tokens?: number
  /** integer, tokens. Audio part of the output. */
  $ai_audio_output_tokens?: number
  /** integer, tokens. Video part of the input. */
  $ai_video_input_tokens?: number
  /** integer, tokens. Video part of the output. */
  $ai_video_output_tokens?: number
  /** object. The provider's raw `usage` object as the SDK sent it. */
  $ai_usage?: Record<string, unknown>
  /** string. Where the counts came from: `sdk`, or `passthrough` when the caller passed them. */
  $ai_tokens_source?: string
}

/** Timing. Seconds, not milliseconds. */
export interface AiTimingProperties {
  /** number, seconds (float, ≥ 0). Wall time of the call or span. */
  $ai_latency?: number
  /** number, seconds (float, ≥ 0). Streaming only: time from the request to the first content delta. */
  $ai_time_to_first_token?: number
}

/** Costs in USD and custom prices in USD per token (not per million tokens). */
export interface AiCostProperties {
  /** number, USD. Cost of the input tokens. */
  $ai_input_cost_usd?: number
  /** number, USD. Cost of the output tokens. */
  $ai_output_cost_usd?: number
  /** number, USD. Per-request fee. */
  $ai_request_cost_usd?: number
  /** number, USD. Cost of web searches. */
  $ai_web_search_cost_usd?: number
  /** number, USD. Total cost: input + output (+ request + web search). */
  $ai_total_cost_usd?: number
  /** number, USD per token. Custom input price; needs `$ai_output_token_price` too. */
  $ai_input_token_price?: number
  /** number, USD per token. Custom output price; needs `$ai_input_token_price` too. */
  $ai_output_token_price?: number
  /** number, USD per token. Custom price of cache reads. */
  $ai_cache_read_token_price?: number
  /** number, USD per token. Custom price of cache writes. */
  $ai_cache_write_token_price?: number
  /** number, USD per request. Custom per-request price. */
  $ai_request_price?: number
  /** number, USD per search. Custom web-search price. */
  $ai_web_search_price?: number
  /** string. Model whose price was used (written back by cost computation). */
  $ai_model_cost_used?: string
  /** string. Where the price came from: `openrouter`, `manual`, `custom` or `passthrough`. */
  $ai_cost_model_source?: string
  /** string. Provider whose price was used. */
  $ai_cost_model_provider?: string
}

/** The normalised `$ai_error`: the SDK's serialised error, or `{ message }` for plain text. */
export interface AiErrorValue {
  /** Error class name, e.g. `RateLimitError`. */
  name?: string
  /** Error message. */
  message?: string
  /** Stack trace (the SDK keeps at most 20 lines). */
  stack?: string
  /** HTTP status of the failed call. */
  status?: number
  /** Anything else the error carried: `headers`, `error` (the provider's body), `type`, `cause`. */
  [key: string]: unknown
}

/** Errors of the call. */
export interface AiErrorProperties {
  /** boolean. The call failed. `'true'` strings are turned into `true`. */
  $ai_is_error?: boolean
  /** object. The error; JSON strings are parsed, plain strings become `{ message }`. See {@link AiErrorValue}. */
  $ai_error?: AiErrorValue
  /** integer. HTTP status: 200 on success; on failure the error's status, else 500. */
  $ai_http_status?: number
  /** string. `$ai_error` with ids, timestamps and numbers replaced by `<ID>`, `<TIMESTAMP>`, `<N>`; the Errors grouping key. */
  $ai_error_normalized?: string
  /** string. Error type (OpenAI Agents). */
  $ai_error_type?: string
}

/** Derived at ingestion from `$ai_output_choices`. */
export interface AiDerivedProperties {
  /** string. Comma-separated names of the tools the output called, in call order. */
  $ai_tools_called?: string
  /** integer, count. Number of tool calls in the output. */
  $ai_tool_call_count?: number
}

/** Framework extras (Google ADK, OpenAI Agents). */
export interface AiFrameworkProperties {
  /** string. Agent name (Google ADK). */
  $ai_agent_name?: string
  /** JSON. Tools available to the agent (OpenAI Agents). */
  $ai_agent_tools?: unknown
  /** JSON. Handoffs available to the agent (OpenAI Agents). */
  $ai_agent_handoffs?: unknown
  /** string. Output type of the agent (OpenAI Agents). */
  $ai_agent_output_type?: string
  /** string. Agent handing off (OpenAI Agents handoff span). */
  $ai_handoff_from_agent?: string
  /** string. Agent handed to (OpenAI Agents handoff span). */
  $ai_handoff_to_agent?: string
  /** boolean. Whether a guardrail tripped (OpenAI Agents guardrail span). */
  $ai_guardrail_triggered?: boolean
  /** JSON. Data of a custom span (OpenAI Agents). */
  $ai_custom_data?: unknown
  /** string. MCP server name (OpenAI Agents). */
  $ai_mcp_server?: string
  /** JSON. Tools an MCP server listed (OpenAI Agents). */
  $ai_mcp_tools?: unknown
  /** JSON. Extra MCP data (OpenAI Agents). */
  $ai_mcp_data?: unknown
  /** JSON. Model configuration (OpenAI Agents). */
  $ai_model_config?: unknown
  /** string. Audio input format of a speech span. */
  $ai_audio_input_format?: string
  /** string. Audio output format of a speech span. */
  $ai_audio_output_format?: string
  /** JSON. Trace metadata (OpenAI Agents). */
  $ai_trace_metadata?: unknown
  /** string id. Response id (OpenAI Agents). */
  $ai_response_id?: string
}

/** `$ai_metric` and `$ai_feedback` (legacy manual events). */
export interface AiMetricFeedbackProperties {
  /** string. Name of the metric. */
  $ai_metric_name?: string
  /** number. Value of the metric, in the metric's own unit. */
  $ai_metric_value?: number
  /** string. User feedback text. */
  $ai_feedback_text?: string
}

/** `$ai_evaluation` (PostHog reference §1.6), written by PostHog's evaluation workflows or by the host. */
export interface AiEvaluationProperties {
  /** string id. The evaluator. */
  $ai_evaluation_id?: string
  /** string. Evaluator name, e.g. `hallucination`. */
  $ai_evaluation_name?: string
  /** string. `online` for live evaluations. */
  $ai_evaluation_type?: string
  /** string. How it ran: `llm_judge`, `hog` or `sentiment`. */
  $ai_evaluation_runtime?: string
  /** string. Result kind: `boolean`, `categorical`, `numeric`, `sentiment`; over OTel `label` or `number`. */
  $ai_evaluation_result_type?: string
  /** string, ISO 8601 time. When the evaluation started. */
  $ai_evaluation_start_time?: string
  /** string. The judge's explanation. */
  $ai_evaluation_reasoning?: string
  /** string. `live` or `backfill`. */
  $ai_evaluation_trigger?: string
  /** string id. Backfill run, when `$ai_evaluation_trigger` is `backfill`. */
  $ai_evaluation_backfill_id?: string
  /** boolean. The evaluation was skipped. */
  $ai_evaluation_skipped?: boolean
  /** string. Why it was skipped. */
  $ai_evaluation_skip_reason?: string
  /** string id. Event evaluated (a generation's uuid). */
  $ai_target_event_id?: string
  /** string. Event name of the target, e.g. `$ai_generation`. */
  $ai_target_event_type?: string
  /** string id. Target id: a generation uuid or a trace id, per `$ai_target_type`. */
  $ai_target_id?: string
  /** string. `generation_uuid` or `trace_id`. */
  $ai_target_type?: string
  /** boolean. Result of a boolean evaluation (pass = `true`). */
  $ai_evaluation_result?: boolean
  /** boolean. The evaluator may answer "not applicable". */
  $ai_evaluation_allows_na?: boolean
  /** boolean. `false` when the evaluator answered "not applicable". */
  $ai_evaluation_applicable?: boolean
  /** string or string[]. Result of a categorical evaluation. */
  $ai_evaluation_categorical_result?: string | readonly string[]
  /** number. Result of a numeric evaluation, between `_min` and `_max`. */
  $ai_evaluation_numeric_result?: number
  /** number. Lowest possible numeric result. */
  $ai_evaluation_numeric_result_min?: number
  /** number. Highest possible numeric result. */
  $ai_evaluation_numeric_result_max?: number
  /** string. Sentiment label: `positive`, `neutral`, `negative`. */
  $ai_sentiment_label?: string
  /** number, 0 to 1. Confidence of the sentiment label. */
  $ai_sentiment_score?: number
  /** JSON. Score per sentiment label. */
  $ai_sentiment_scores?: unknown
  /** JSON. Per-message sentiment results. */
  $ai_sentiment_messages?: unknown
  /** integer, count. User messages analysed. */
  $ai_sentiment_message_count?: number
  /** string. Score label (evaluations ingested over OTel). */
  $ai_evaluation_score_label?: string
  /** number. Score value (evaluations ingested over OTel). */
  $ai_evaluation_score_value?: number
  /** string. Judge model. */
  $ai_evaluation_model?: string
  /** string. Judge provider. */
  $ai_evaluation_provider?: string
  /** string. Whose key paid for the judge: `byok` or `posthog`. */
  $ai_evaluation_key_type?: string
  /** string id. The bring-your-own key used. */
  $ai_evaluation_key_id?: string
  /** number, 0 to 1. The judge's probability for its answer. */
  $ai_evaluation_probability?: number
}

/** A PostHog stack frame (`$exception_list[].stacktrace.frames[]`). */
export interface ExceptionStackFrame {
  /** Source file. */
  filename?: string
  /** Function name. */
  function?: string
  /** 1-based line. */
  lineno?: number
  /** 1-based column. */
  colno?: number
  /** Frame is in the app's own code. */
  in_app?: boolean
  /** Anything else the SDK sent. */
  [key: string]: unknown
}

/** One exception of PostHog's `$exception_list` (the first is the outermost). */
export interface ExceptionEntry {
  /** Exception class, e.g. `RateLimitError`. */
  type: string
  /** Exception message. */
  value: string
  /** How it was caught, e.g. `{ handled: true, type: 'generic' }`. Optional: some exporters omit it. */
  mechanism?: { handled?: boolean; synthetic?: boolean; type?: string; [key: string]: unknown }
  /** Stack trace, raw or resolved. */
  stacktrace?: { type?: string; frames?: ExceptionStackFrame[]; [key: string]: unknown }
  /** Anything else the SDK sent. */
  [key: string]: unknown
}

/** `$exception`: linked to AI traces by `$ai_trace_id`. */
export interface ExceptionProperties {
  /** Exceptions, outermost first. Required on `$exception` events. */
  $exception_list?: ExceptionEntry[]
  /** string. Severity, e.g. `error`. */
  $exception_level?: string
  /** string. Legacy: exception class; turned into `$exception_list` when the list is absent. */
  $exception_type?: string
  /** string. Legacy: exception message; turned into `$exception_list` when the list is absent. */
  $exception_message?: string
}

/** `$pageview`. */
export interface PageviewProperties {
  /** string URL. The page's full URL. */
  $current_url?: string
  /** string. The page's path; derived from `$current_url` when absent. */
  $pathname?: string
  /** string. The page's host. */
  $host?: string
}

/** `$ai_interaction`: what a user did with AI output. */
export interface InteractionProperties {
  /** One of `accepted`, `rejected`, `regenerated`, `copied`, `edited`. Required on `$ai_interaction` events. */
  $ai_interaction?: InteractionKind
  /** integer, characters. Edit distance between the AI output and what the user kept (`edited`). */
  $ai_edit_distance?: number
}

/** `$feature_flag_called`: a feature-flag exposure. */
export interface FeatureFlagProperties {
  /** string. Flag key. Required on `$feature_flag_called` events. */
  $feature_flag?: string
  /** string or boolean. Variant or on/off value the user got. */
  $feature_flag_response?: string | boolean
}

/** Properties PostHog's SDKs add to every event. */
export interface PostHogCommonProperties {
  /** string. SDK that sent the event: `posthog-node`, `posthog-js`, ... */
  $lib?: string
  /** string. Version of `$lib`. */
  $lib_version?: string
  /** object. Group memberships: group type → group key, e.g. `{ company: 'acme' }`. */
  $groups?: Record<string, unknown>
  /** boolean. `false` for anonymous events (no person profile); set when `distinct_id` falls back to the trace id. */
  $process_person_profile?: boolean
}

/**
 * Every property aiscope knows, all optional. Events may carry others: a host's own
 * properties are kept as they are.
 */
export interface KnownProperties
  extends AiIdentityProperties,
    AiModelRequestProperties,
    AiContentProperties,
    AiTokenProperties,
    AiTimingProperties,
    AiCostProperties,
    AiErrorProperties,
    AiDerivedProperties,
    AiFrameworkProperties,
    AiMetricFeedbackProperties,
    AiEvaluationProperties,
    ExceptionProperties,
    PageviewProperties,
    InteractionProperties,
    FeatureFlagProperties,
    PostHogCommonProperties {}

/** Name of a property aiscope knows. */
export type KnownPropertyName = keyof KnownProperties

/** Properties of AI events: every known property, `$ai_trace_id` required, plus the host's own. */
export interface AiEventProperties extends KnownProperties {
  /** string id. The trace the event belongs to. */
  $ai_trace_id: string
  /** The host's own properties. */
  [property: string]: unknown
}

/** Properties of `$ai_evaluation` (trace id may be absent when the target is named). */
export interface EvaluationEventProperties extends KnownProperties {
  /** The host's own properties. */
  [property: string]: unknown
}

/** Properties of `$exception`. */
export interface ExceptionEventProperties extends KnownProperties {
  /** Exceptions, outermost first. */
  $exception_list: ExceptionEntry[]
  /** The host's own properties. */
  [property: string]: unknown
}

/** Properties of `$pageview`. */
export interface PageviewEventProperties extends KnownProperties {
  /** The host's own properties. */
  [property: string]: unknown
}

/** Properties of `$ai_interaction`: at least one of `$ai_generation_id` and `$ai_trace_id` is set. */
export interface InteractionEventProperties extends KnownProperties {
  /** What the user did. */
  $ai_interaction: InteractionKind
  /** The host's own properties. */
  [property: string]: unknown
}

/** Properties of `$feature_flag_called`. */
export interface FeatureFlagCalledEventProperties extends KnownProperties {
  /** Flag key. */
  $feature_flag: string
  /** The host's own properties. */
  [property: string]: unknown
}
