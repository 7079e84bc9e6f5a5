/**
 * Metadata of every known property as data: its kind (which decides how `validateEvent`
 * checks and normalises it), unit, group, what an invalid value costs the event, and a
 * description for docs and tooltips. The `satisfies` clause makes the compiler check that
 * this table and `KnownProperties` name exactly the same properties.
 */

import { INTERACTION_KINDS } from './events'
import type { KnownProperties, KnownPropertyName } from './properties'

/**
 * How a property is checked and normalised:
 * - `id`: string; numbers, booleans and BigInts become strings; objects are dropped.
 * - `string`: string; numbers and booleans become strings (with a warning).
 * - `integer`: non-negative integer; numeric strings are converted (with a warning).
 * - `number`: finite number; numeric strings are converted (with a warning).
 * - `seconds`: finite number ≥ 0, in seconds.
 * - `usd`: finite number ≥ 0, in USD.
 * - `usdPerToken`: finite number ≥ 0, in USD per token.
 * - `boolean`: `true`/`false`; `'true'`/`'false'` and `1`/`0` are converted.
 * - `timestamp`: ISO 8601 string or ms since epoch, normalised to an ISO string.
 * - `enum`: one of `values`.
 * - `scalar`: string, number or boolean, kept as it is.
 * - `object`: a JSON object (a JSON string of one is parsed).
 * - `json`: any JSON value.
 * - `content`: any JSON; counts toward `maxContentBytes`, base64 payloads become placeholders.
 * - `error`: an error; JSON strings are parsed, other strings become `{ message }`.
 * - `exceptionList`: PostHog's `$exception_list`.
 */
export type PropertyKind =
  | 'id'
  | 'string'
  | 'integer'
  | 'number'
  | 'seconds'
  | 'usd'
  | 'usdPerToken'
  | 'boolean'
  | 'timestamp'
  | 'enum'
  | 'scalar'
  | 'object'
  | 'json'
  | 'content'
  | 'error'
  | 'exceptionList'

/** Section of the PostHog reference a property belongs to. */
export type PropertyGroup =
  | 'identity'
  | 'model'
  | 'content'
  | 'tokens'
  | 'timing'
  | 'cost'
  | 'errors'
  | 'derived'
  | 'framework'
  | 'metricFeedback'
  | 'evaluation'
  | 'exception'
  | 'pageview'
  | 'interaction'
  | 'featureFlag'
  | 'posthog'

/**
 * What `validateEvent` does with a value of the wrong type or out of range:
 * `reject` the event (core numbers: tokens, latency, costs, prices; the interaction kind),
 * or `drop` the property and warn.
 */
export type InvalidValuePolicy = 'reject' | 'drop'

/** Metadata of one property. */
export interface PropertySpec {
  /** How the value is checked and normalised. */
  kind: PropertyKind
  /** Unit of a number, e.g. `seconds`, `USD`, `tokens`, `USD per token`. @default undefined (no unit) */
  unit?: string
  /** Reference section. */
  group: PropertyGroup
  /** What an invalid value costs the event. */
  onInvalid: InvalidValuePolicy
  /** Allowed values of an `enum`. @default undefined (any string) */
  values?: readonly string[]
  /** One sentence for docs and tooltips. */
  description: string
}

const identity = (kind: PropertyKind, description: string): PropertySpec => ({ kind, group: 'identity', onInvalid: 'drop', description })
const model = (kind: PropertyKind, description: string, unit?: string): PropertySpec => ({ kind, group: 'model', onInvalid: 'drop', description, ...(unit ? { unit } : {}) })
const content = (description: string): PropertySpec => ({ kind: 'content', group: 'content', onInvalid: 'drop', description })
const tokens = (description: string, unit = 'tokens'): PropertySpec => ({ kind: 'integer', unit, group: 'tokens', onInvalid: 'reject', description })
const cost = (kind: 'usd' | 'usdPerToken', unit: string, description: string): PropertySpec => ({ kind, unit, group: 'cost', onInvalid: 'reject', description })
const plain = (group: PropertyGroup, kind: PropertyKind, description: string, unit?: string): PropertySpec => ({ kind, group, onInvalid: 'drop', description, ...(unit ? { unit } : {}) })

/**
 * Every known property: kind, unit, group, invalid-value policy and description.
 * Validation reads it; docs and UI can too (`AI_PROPERTY_SPECS.$ai_latency.unit === 'seconds'`).
 */
export const AI_PROPERTY_SPECS = {
  // Structure and identity
  $ai_trace_id: identity('id', 'Trace the event belongs to; required on AI events.'),
  $ai_session_id: identity('id', 'Session grouping traces (not the replay `$session_id`).'),
  $ai_span_id: identity('id', 'Id of this span; children point at it with `$ai_parent_id`.'),
  $ai_parent_id: identity('id', 'Parent span id, or the trace id for top-level children.'),
  $ai_generation_id: identity('id', 'Id of a generation, which interactions and evaluations point at.'),
  $ai_span_name: identity('string', 'Name of a span or generation; on `$ai_trace`, the trace name.'),
  $ai_trace_name: identity('string', 'Trace name (OpenAI Agents `$ai_trace`).'),
  $ai_span_type: identity('string', 'Kind of span: tool, agent, handoff, guardrail, custom, mcp_tools, ...'),
  $ai_framework: identity('string', 'Framework that produced the event: langchain, openai-agents, vercel, ...'),
  $ai_framework_version: identity('string', 'Version of the framework.'),
  $ai_lib: identity('string', 'Library that captured the event, e.g. posthog-ai.'),
  $ai_lib_version: identity('string', 'Version of the capturing library.'),
  $ai_prompt_name: identity('string', 'Managed prompt the generation used.'),
  $ai_prompt_version: identity('scalar', 'Version of the managed prompt (string or number).'),
  $ai_group_id: identity('id', 'OpenAI Agents group id.'),
  $session_id: identity('id', 'PostHog session-replay session.'),
  $exception_event_id: identity('id', 'The `$exception` event of the failed call.'),

  // Model and request
  $ai_model: model('string', 'Model requested, e.g. gpt-4o-mini.'),
  $ai_provider: model('string', 'Provider: openai, azure, anthropic, gemini, vercel, ...'),
  $ai_model_parameters: model('object', 'Request parameters: temperature, max_tokens, stream, ...'),
  $ai_temperature: model('number', 'Sampling temperature; derived from the model parameters.'),
  $ai_stream: model('boolean', 'Whether the call streamed; derived from the model parameters.'),
  $ai_max_tokens: model('integer', 'Output token limit; derived from max_tokens, else max_completion_tokens.', 'tokens'),
  $ai_service_tier: model('string', 'Service tier that served the request.'),
  $ai_base_url: model('string', 'Base URL of the API.'),
  $ai_request_url: model('string', 'Full request URL.'),
  $ai_stop_reason: model('string', 'Why the model stopped: stop, tool_calls, end_turn, length, ...'),
  $ai_completion_id: model('id', "The provider's response id (chatcmpl-…, resp_…, msg_…)."),
  $ai_provider_metadata: model('object', 'Provider extras: system_fingerprint, request_id, incomplete_details.'),

  // Content
  $ai_input: content('Input messages in the provider dialect, a string, or strings (embeddings).'),
  $ai_output_choices: content('Output choices: [{ role: "assistant", content: [parts] }].'),
  $ai_output: content('Legacy output field.'),
  $ai_input_state: content('Input state of a span or trace.'),
  $ai_output_state: content('Output state of a span or trace.'),
  $ai_tools: content('Tool definitions sent in the request.'),

  // Tokens
  $ai_input_tokens: tokens('Prompt tokens; inclusive of cache tokens unless $ai_cache_reporting_exclusive.'),
  $ai_output_tokens: tokens('Completion tokens; OpenAI counts include reasoning tokens.'),
  $ai_cache_read_input_tokens: tokens('Prompt tokens read from the cache.'),
  $ai_cache_creation_input_tokens: tokens('Prompt tokens written to the cache.'),
  $ai_cache_creation_5m_input_tokens: tokens('Cache writes with a 5-minute lifetime.'),
  $ai_cache_creation_1h_input_tokens: tokens('Cache writes with a 1-hour lifetime.'),
  $ai_cache_reporting_exclusive: plain('tokens', 'boolean', 'true: cache tokens are not included in $ai_input_tokens (Anthropic style).'),
  $ai_reasoning_tokens: tokens('Reasoning tokens (inside the output tokens for OpenAI).'),
  $ai_total_tokens: tokens('Total tokens (OpenAI Agents).'),
  $ai_web_search_count: tokens('Web searches the call made.', 'searches'),
  $ai_request_count: tokens('Billable requests.', 'requests'),
  $ai_text_input_tokens: tokens('Text part of the input.'),
  $ai_text_output_tokens: tokens('Text part of the output.'),
  $ai_image_input_tokens: tokens('Image part of the input.'),
  $ai_image_output_tokens: tokens('Image part of the output.'),
  $ai_audio_input_tokens: tokens('Audio part of the input.'),
  $ai_audio_output_tokens: tokens('Audio part of the output.'),
  $ai_video_input_tokens: tokens('Video part of the input.'),
  $ai_video_output_tokens: tokens('Video part of the output.'),
  $ai_usage: plain('tokens', 'object', "The provider's raw usage object."),
  $ai_tokens_source: plain('tokens', 'string', 'Where the counts came from: sdk or passthrough.'),

  // Timing
  $ai_latency: { kind: 'seconds', unit: 'seconds', group: 'timing', onInvalid: 'reject', description: 'Wall time of the call or span.' },
  $ai_time_to_first_token: { kind: 'seconds', unit: 'seconds', group: 'timing', onInvalid: 'reject', description: 'Streaming: time from the request to the first content delta.' },

  // Cost
  $ai_input_cost_usd: cost('usd', 'USD', 'Cost of the input tokens.'),
  $ai_output_cost_usd: cost('usd', 'USD', 'Cost of the output tokens.'),
  $ai_request_cost_usd: cost('usd', 'USD', 'Per-request fee.'),
  $ai_web_search_cost_usd: cost('usd', 'USD', 'Cost of web searches.'),
  $ai_total_cost_usd: cost('usd', 'USD', 'Total cost.'),
  $ai_input_token_price: cost('usdPerToken', 'USD per token', 'Custom input price (per token, not per million).'),
  $ai_output_token_price: cost('usdPerToken', 'USD per token', 'Custom output price (per token, not per million).'),
  $ai_cache_read_token_price: cost('usdPerToken', 'USD per token', 'Custom price of cache reads.'),
  $ai_cache_write_token_price: cost('usdPerToken', 'USD per token', 'Custom price of cache writes.'),
  $ai_request_price: cost('usd', 'USD per request', 'Custom per-request price.'),
  $ai_web_search_price: cost('usd', 'USD per search', 'Custom web-search price.'),
  $ai_model_cost_used: plain('cost', 'string', 'Model whose price was used.'),
  $ai_cost_model_source: plain('cost', 'string', 'Where the price came from: openrouter, manual, custom or passthrough.'),
  $ai_cost_model_provider: plain('cost', 'string', 'Provider whose price was used.'),

  // Errors
  $ai_is_error: plain('errors', 'boolean', 'The call failed.'),
  $ai_error: plain('errors', 'error', 'The error: an object; JSON strings are parsed, plain text becomes { message }.'),
  $ai_http_status: plain('errors', 'integer', 'HTTP status of the call.', 'HTTP status'),
  $ai_error_normalized: plain('errors', 'string', 'The error with ids, timestamps and numbers replaced; the grouping key.'),
  $ai_error_type: plain('errors', 'string', 'Error type (OpenAI Agents).'),

  // Derived
  $ai_tools_called: plain('derived', 'string', 'Comma-separated tool names called by the output, in order.'),
  $ai_tool_call_count: plain('derived', 'integer', 'Number of tool calls in the output.', 'calls'),

  // Framework extras
  $ai_agent_name: plain('framework', 'string', 'Agent name (Google ADK).'),
  $ai_agent_tools: plain('framework', 'json', 'Tools available to the agent.'),
  $ai_agent_handoffs: plain('framework', 'json', 'Handoffs available to the agent.'),
  $ai_agent_output_type: plain('framework', 'string', 'Output type of the agent.'),
  $ai_handoff_from_agent: plain('framework', 'string', 'Agent handing off.'),
  $ai_handoff_to_agent: plain('framework', 'string', 'Agent handed to.'),
  $ai_guardrail_triggered: plain('framework', 'boolean', 'A guardrail tripped.'),
  $ai_custom_data: plain('framework', 'json', 'Data of a custom span.'),
  $ai_mcp_server: plain('framework', 'string', 'MCP server name.'),
  $ai_mcp_tools: plain('framework', 'json', 'Tools an MCP server listed.'),
  $ai_mcp_data: plain('framework', 'json', 'Extra MCP data.'),
  $ai_model_config: plain('framework', 'json', 'Model configuration.'),
  $ai_audio_input_format: plain('framework', 'string', 'Audio input format.'),
  $ai_audio_output_format: plain('framework', 'string', 'Audio output format.'),
  $ai_trace_metadata: plain('framework', 'json', 'Trace metadata.'),
  $ai_response_id: plain('framework', 'id', 'Response id (OpenAI Agents).'),

  // Metrics and feedback
  $ai_metric_name: plain('metricFeedback', 'string', 'Name of the metric.'),
  $ai_metric_value: plain('metricFeedback', 'number', 'Value of the metric.'),
  $ai_feedback_text: plain('metricFeedback', 'string', 'User feedback text.'),

  // Evaluations (§1.6)
  $ai_evaluation_id: plain('evaluation', 'id', 'The evaluator.'),
  $ai_evaluation_name: plain('evaluation', 'string', 'Evaluator name.'),
  $ai_evaluation_type: plain('evaluation', 'string', 'online for live evaluations.'),
  $ai_evaluation_runtime: plain('evaluation', 'string', 'llm_judge, hog or sentiment.'),
  $ai_evaluation_result_type: plain('evaluation', 'string', 'boolean, categorical, numeric, sentiment, label or number.'),
  $ai_evaluation_start_time: plain('evaluation', 'timestamp', 'When the evaluation started.'),
  $ai_evaluation_reasoning: plain('evaluation', 'string', "The judge's explanation."),
  $ai_evaluation_trigger: plain('evaluation', 'string', 'live or backfill.'),
  $ai_evaluation_backfill_id: plain('evaluation', 'id', 'Backfill run.'),
  $ai_evaluation_skipped: plain('evaluation', 'boolean', 'The evaluation was skipped.'),
  $ai_evaluation_skip_reason: plain('evaluation', 'string', 'Why it was skipped.'),
  $ai_target_event_id: plain('evaluation', 'id', 'Event evaluated.'),
  $ai_target_event_type: plain('evaluation', 'string', 'Event name of the target.'),
  $ai_target_id: plain('evaluation', 'id', 'Target: a generation uuid or a trace id.'),
  $ai_target_type: plain('evaluation', 'string', 'generation_uuid or trace_id.'),
  $ai_evaluation_result: plain('evaluation', 'boolean', 'Result of a boolean evaluation.'),
  $ai_evaluation_allows_na: plain('evaluation', 'boolean', 'The evaluator may answer not applicable.'),
  $ai_evaluation_applicable: plain('evaluation', 'boolean', 'false when the evaluator answered not applicable.'),
  $ai_evaluation_categorical_result: plain('evaluation', 'json', 'Result of a categorical evaluation (string or strings).'),
  $ai_evaluation_numeric_result: plain('evaluation', 'number', 'Result of a numeric evaluation.'),
  $ai_evaluation_numeric_result_min: plain('evaluation', 'number', 'Lowest possible numeric result.'),
  $ai_evaluation_numeric_result_max: plain('evaluation', 'number', 'Highest possible numeric result.'),
  $ai_sentiment_label: plain('evaluation', 'string', 'Sentiment label.'),
  $ai_sentiment_score: plain('evaluation', 'number', 'Confidence of the sentiment label, 0 to 1.'),
  $ai_sentiment_scores: plain('evaluation', 'json', 'Score per sentiment label.'),
  $ai_sentiment_messages: plain('evaluation', 'json', 'Per-message sentiment results.'),
  $ai_sentiment_message_count: plain('evaluation', 'integer', 'User messages analysed.', 'messages'),
  $ai_evaluation_score_label: plain('evaluation', 'string', 'Score label (OTel).'),
  $ai_evaluation_score_value: plain('evaluation', 'number', 'Score value (OTel).'),
  $ai_evaluation_model: plain('evaluation', 'string', 'Judge model.'),
  $ai_evaluation_provider: plain('evaluation', 'string', 'Judge provider.'),
  $ai_evaluation_key_type: plain('evaluation', 'string', 'byok or posthog.'),
  $ai_evaluation_key_id: plain('evaluation', 'id', 'The bring-your-own key used.'),
  $ai_evaluation_probability: plain('evaluation', 'number', "The judge's probability for its answer, 0 to 1."),

  // Product events
  $exception_list: plain('exception', 'exceptionList', 'Exceptions, outermost first: [{ type, value, mechanism, stacktrace? }].'),
  $exception_level: plain('exception', 'string', 'Severity, e.g. error.'),
  $exception_type: plain('exception', 'string', 'Legacy exception class.'),
  $exception_message: plain('exception', 'string', 'Legacy exception message.'),
  $current_url: plain('pageview', 'string', "The page's full URL."),
  $pathname: plain('pageview', 'string', "The page's path."),
  $host: plain('pageview', 'string', "The page's host."),
  $ai_interaction: { kind: 'enum', values: INTERACTION_KINDS, group: 'interaction', onInvalid: 'reject', description: 'What the user did with the AI output.' },
  $ai_edit_distance: plain('interaction', 'integer', 'Edit distance between the output and what the user kept.', 'characters'),
  $feature_flag: plain('featureFlag', 'string', 'Flag key.'),
  $feature_flag_response: plain('featureFlag', 'scalar', 'Variant or on/off value the user got.'),

  // Added by PostHog's SDKs
  $lib: plain('posthog', 'string', 'SDK that sent the event.'),
  $lib_version: plain('posthog', 'string', 'Version of the SDK.'),
  $groups: plain('posthog', 'object', 'Group memberships: group type to group key.'),
  $process_person_profile: plain('posthog', 'boolean', 'false for anonymous events.'),
} as const satisfies Record<KnownPropertyName, PropertySpec>

/** `AI_PROPERTY_SPECS` as a lookup that never finds inherited keys (`constructor`, `toString`). */
const SPEC_LOOKUP: ReadonlyMap<string, PropertySpec> = new Map(Object.entries(AI_PROPERTY_SPECS))

/** The spec of a property, or `undefined` for a host's own property. */
export function propertySpec(name: string): PropertySpec | undefined {
  return SPEC_LOOKUP.get(name)
}

/** Names of the content properties, whose sizes share `maxContentBytes`. */
export const CONTENT_PROPERTY_NAMES = Object.keys(AI_PROPERTY_SPECS).filter(
  (name) => SPEC_LOOKUP.get(name)?.kind === 'content',
) as ReadonlyArray<keyof KnownProperties>
