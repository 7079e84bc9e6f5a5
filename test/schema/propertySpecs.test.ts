import { describe, expect, expectTypeOf, it } from 'vitest'
import type { KnownPropertyName } from '../../src/schema/properties'
import { AI_PROPERTY_SPECS, CONTENT_PROPERTY_NAMES, propertySpec } from '../../src/schema/propertySpecs'
import { validateEvent } from '../../src/schema/validate'
import { NOW_MS, minimalGeneration } from './support'

/** Every property named in the PostHog reference §1.3 (property reference) and §1.6 ($ai_evaluation), and §1.1's event properties. */
const REFERENCE_PROPERTIES = [
  // §1.3
  '$ai_agent_handoffs', '$ai_agent_name', '$ai_agent_output_type', '$ai_agent_tools', '$ai_audio_input_format', '$ai_audio_output_format', '$ai_base_url',
  '$ai_cache_creation_1h_input_tokens', '$ai_cache_creation_5m_input_tokens', '$ai_cache_creation_input_tokens', '$ai_cache_read_input_tokens',
  '$ai_cache_read_token_price', '$ai_cache_reporting_exclusive', '$ai_cache_write_token_price', '$ai_completion_id', '$ai_cost_model_provider',
  '$ai_cost_model_source', '$ai_custom_data', '$ai_error', '$ai_error_normalized', '$ai_error_type', '$ai_framework', '$ai_framework_version',
  '$ai_generation_id', '$ai_group_id', '$ai_guardrail_triggered', '$ai_handoff_from_agent', '$ai_handoff_to_agent', '$ai_http_status',
  '$ai_input', '$ai_input_cost_usd', '$ai_input_state', '$ai_input_token_price', '$ai_input_tokens', '$ai_is_error', '$ai_latency', '$ai_lib',
  '$ai_lib_version', '$ai_max_tokens', '$ai_mcp_data', '$ai_mcp_server', '$ai_mcp_tools', '$ai_model', '$ai_model_config', '$ai_model_cost_used',
  '$ai_model_parameters', '$ai_output', '$ai_output_choices', '$ai_output_cost_usd', '$ai_output_state', '$ai_output_token_price', '$ai_output_tokens',
  '$ai_parent_id', '$ai_prompt_name', '$ai_prompt_version', '$ai_provider', '$ai_provider_metadata', '$ai_reasoning_tokens', '$ai_request_cost_usd',
  '$ai_request_count', '$ai_request_price', '$ai_request_url', '$ai_response_id', '$ai_service_tier', '$ai_session_id', '$ai_span_id', '$ai_span_name',
  '$ai_span_type', '$ai_stop_reason', '$ai_stream', '$ai_temperature', '$ai_text_input_tokens', '$ai_text_output_tokens', '$ai_image_input_tokens',
  '$ai_image_output_tokens', '$ai_audio_input_tokens', '$ai_audio_output_tokens', '$ai_video_input_tokens', '$ai_video_output_tokens',
  '$ai_time_to_first_token', '$ai_tokens_source', '$ai_tool_call_count', '$ai_tools', '$ai_tools_called', '$ai_total_cost_usd', '$ai_total_tokens',
  '$ai_trace_id', '$ai_trace_metadata', '$ai_trace_name', '$ai_usage', '$ai_web_search_cost_usd', '$ai_web_search_count', '$ai_web_search_price',
  '$session_id', '$exception_event_id',
  // §1.6
  '$ai_evaluation_allows_na', '$ai_evaluation_applicable', '$ai_evaluation_backfill_id', '$ai_evaluation_categorical_result', '$ai_evaluation_id',
  '$ai_evaluation_key_id', '$ai_evaluation_key_type', '$ai_evaluation_model', '$ai_evaluation_name', '$ai_evaluation_numeric_result',
  '$ai_evaluation_numeric_result_min', '$ai_evaluation_numeric_result_max', '$ai_evaluation_probability', '$ai_evaluation_provider',
  '$ai_evaluation_reasoning', '$ai_evaluation_result', '$ai_evaluation_result_type', '$ai_evaluation_runtime', '$ai_evaluation_score_label',
  '$ai_evaluation_score_value', '$ai_evaluation_skip_reason', '$ai_evaluation_skipped', '$ai_evaluation_start_time', '$ai_evaluation_trigger',
  '$ai_evaluation_type', '$ai_sentiment_label', '$ai_sentiment_message_count', '$ai_sentiment_messages', '$ai_sentiment_score', '$ai_sentiment_scores',
  '$ai_target_event_id', '$ai_target_event_type', '$ai_target_id', '$ai_target_type',
  // §1.1
  '$ai_metric_name', '$ai_metric_value', '$ai_feedback_text',
  // Product events around AI output
  '$exception_list', '$current_url', '$pathname', '$ai_interaction', '$ai_edit_distance', '$feature_flag', '$feature_flag_response',
]

describe('AI_PROPERTY_SPECS', () => {
  it('names exactly the properties the types name', () => {
    expectTypeOf<keyof typeof AI_PROPERTY_SPECS>().toEqualTypeOf<KnownPropertyName>()
  })

  it('covers every property of the PostHog reference', () => {
    const missing = REFERENCE_PROPERTIES.filter((name) => propertySpec(name) === undefined)
    expect(missing).toEqual([])
  })

  it('gives every number a unit, and core numbers the reject policy', () => {
    for (const [name, spec] of Object.entries(AI_PROPERTY_SPECS)) {
      expect(spec.description.length, name).toBeGreaterThan(0)
      if (spec.kind === 'seconds' || spec.kind === 'usd' || spec.kind === 'usdPerToken') {
        expect(spec.unit, name).toBeDefined()
        expect(spec.onInvalid, name).toBe('reject')
      }
      if (name.endsWith('_tokens') && name !== '$ai_max_tokens') {
        expect(spec, name).toMatchObject({ kind: 'integer', unit: 'tokens', onInvalid: 'reject' })
      }
    }
    expect(AI_PROPERTY_SPECS.$ai_latency).toMatchObject({ kind: 'seconds', unit: 'seconds' })
    expect(AI_PROPERTY_SPECS.$ai_total_cost_usd).toMatchObject({ kind: 'usd', unit: 'USD' })
    expect(AI_PROPERTY_SPECS.$ai_input_token_price).toMatchObject({ kind: 'usdPerToken', unit: 'USD per token' })
  })

  it('lists the content properties', () => {
    expect([...CONTENT_PROPERTY_NAMES].sort()).toEqual(['$ai_input', '$ai_input_state', '$ai_output', '$ai_output_choices', '$ai_output_state', '$ai_tools'])
  })

  it('finds no spec for inherited names', () => {
    expect(propertySpec('constructor')).toBeUndefined()
    expect(propertySpec('toString')).toBeUndefined()
  })
})

describe('validateEvent follows AI_PROPERTY_SPECS', () => {
  const numberKinds = new Set(['integer', 'number', 'seconds', 'usd', 'usdPerToken'])
  const numberProperties = Object.entries(AI_PROPERTY_SPECS).filter(([, spec]) => numberKinds.has(spec.kind))

  it.each(numberProperties)('%s: an invalid value costs what the spec says', (name, spec) => {
    const result = validateEvent(minimalGeneration({ [name]: 'not a number' }), { nowMs: NOW_MS })
    const entries = result.ok ? result.warnings : result.problems
    expect(result.ok).toBe(spec.onInvalid === 'drop')
    expect(entries.filter((entry) => entry.field === name)).toHaveLength(1)
    expect(entries.find((entry) => entry.field === name)?.reason).toMatch(/^expected .*, got "not a number"/)
  })
})
