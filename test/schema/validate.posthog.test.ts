import { describe, expect, it } from 'vitest'
import { validateEvent } from '../../src/schema/validate'
import { NOW_MS, expectRejected, expectValid, minimalGeneration, sequentialUuids } from './support'

/** `batch[0]` of the `@posthog/ai@8.13.1` OpenAI wrapper payload (PostHog reference §1.4), literally. */
const OPENAI_WRAPPER_GENERATION = {
  event: '$ai_generation',
  properties: {
    $ai_lib: 'posthog-ai',
    $ai_lib_version: '8.13.1',
    $ai_provider: 'openai',
    $ai_model: 'gpt-4o-mini',
    $ai_model_parameters: { temperature: 0.2, max_tokens: 256, service_tier: 'default' },
    $ai_service_tier: 'default',
    $ai_input: [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Weather in Paris?' },
    ],
    $ai_output_choices: [
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'function', id: 'call_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        ],
      },
    ],
    $ai_http_status: 200,
    $ai_input_tokens: 120,
    $ai_output_tokens: 30,
    $ai_cache_read_input_tokens: 64,
    $ai_usage: {
      prompt_tokens: 120,
      completion_tokens: 30,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 64, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    $ai_latency: 0.009,
    $ai_trace_id: 'trace_abc',
    $ai_base_url: 'https://api.openai.com/v1',
    $ai_cache_reporting_exclusive: false,
    conversation_id: 'conv_1',
    $ai_session_id: 'sess_1',
    $ai_tokens_source: 'sdk',
    $ai_stop_reason: 'tool_calls',
    $ai_tools: [
      {
        type: 'function',
        function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ],
    $ai_completion_id: 'chatcmpl-abc123',
    $ai_provider_metadata: { system_fingerprint: 'fp_123', request_id: 'req_xyz' },
    $groups: { company: 'acme' },
    $lib: 'posthog-node',
    $lib_version: '5.70.0',
    $is_server: true,
    $geoip_disable: true,
  },
  timestamp: '2026-11-27T08:49:37.450Z',
  uuid: '01a21c32-22aa-78cf-b88f-8a6a7ecd1521',
  distinct_id: 'user_123',
}

describe('validateEvent on @posthog/ai payloads', () => {
  it('keeps the OpenAI wrapper generation of §1.4 and adds what PostHog ingestion derives', () => {
    const input = structuredClone(OPENAI_WRAPPER_GENERATION)
    const { event, warnings } = expectValid(validateEvent(input, { nowMs: NOW_MS }))

    expect(warnings).toEqual([])
    expect(event).toEqual({
      event: '$ai_generation',
      uuid: '01a21c32-22aa-78cf-b88f-8a6a7ecd1521',
      distinct_id: 'user_123',
      timestamp: '2026-11-27T08:49:37.450Z',
      properties: {
        ...OPENAI_WRAPPER_GENERATION.properties,
        $ai_cache_reporting_exclusive: false,
        $ai_temperature: 0.2,
        $ai_max_tokens: 256,
        $ai_tools_called: 'get_weather',
        $ai_tool_call_count: 1,
      },
    })
    expect(event.properties).not.toHaveProperty('$ai_stream')
    expect(input).toEqual(OPENAI_WRAPPER_GENERATION)
    // The event and its properties are new objects; content that needed no change is shared, not copied.
    expect(event).not.toBe(input)
    expect(event.properties).not.toBe(input.properties)
    expect(event.properties.$ai_input).toBe(input.properties.$ai_input)
  })

  it('parses the 429 error of the failed call, flags it and normalises it for grouping', () => {
    const message =
      '429 Rate limit reached for gpt-4o-mini in organization org-Hq9KXcBm4t on tokens per min (TPM): Limit 200000, Used 199712, Requested 1312. Please try again in 304ms.'
    const serialisedError = JSON.stringify({
      name: 'RateLimitError',
      message,
      stack: `Error: ${message}\n    at APIError.generate (file:///app/node_modules/openai/core/error.mjs:62:20)`,
      status: 429,
      headers: { 'x-request-id': 'req_7c3f9a1e2b4d', 'retry-after-ms': '304' },
      error: { message, type: 'tokens', param: null, code: 'rate_limit_exceeded' },
      type: 'tokens',
    })
    const traceId = '9f1c2b3a-4d5e-4f60-8a7b-0c1d2e3f4a5b'
    const failedCall = {
      event: '$ai_generation',
      properties: {
        $ai_lib: 'posthog-ai',
        $ai_lib_version: '8.13.1',
        $ai_provider: 'openai',
        $ai_model: 'gpt-4o-mini',
        $ai_model_parameters: {},
        $ai_input: [{ role: 'user', content: 'Weather in Paris?' }],
        $ai_output_choices: [],
        $ai_http_status: 429,
        $ai_latency: 0.112,
        $ai_trace_id: traceId,
        $ai_base_url: 'https://api.openai.com/v1',
        $ai_is_error: true,
        $ai_error: serialisedError,
        $lib: 'posthog-node',
        $lib_version: '5.70.0',
      },
      timestamp: '2026-11-27T08:50:01.002Z',
      uuid: '01a21c32-3b1e-7c2d-9e0f-1a2b3c4d5e6f',
    }

    const { event, warnings } = expectValid(validateEvent(failedCall, { nowMs: NOW_MS }))

    expect(warnings).toEqual([])
    expect(event.distinct_id).toBe(traceId)
    expect(event.properties).toEqual({
      ...failedCall.properties,
      $ai_error: JSON.parse(serialisedError),
      $ai_is_error: true,
      $ai_error_normalized:
        'RateLimitError: <N> Rate limit reached for gpt-<N>o-mini in organization <ID> on tokens per min (TPM): Limit <N>, Used <N>, Requested <N>. Please try again in <N>ms.',
      $ai_cache_reporting_exclusive: false,
      $process_person_profile: false,
    })
  })

  it('reads $ai_is_error "true" and a plain-text $ai_error as { message }', () => {
    const { event } = expectValid(
      validateEvent(minimalGeneration({ $ai_is_error: 'true', $ai_error: 'Request req_abc123def456 timed out after 30000 ms at 2026-11-27T08:00:00.123Z' }), { nowMs: NOW_MS }),
    )
    expect(event.properties.$ai_is_error).toBe(true)
    expect(event.properties.$ai_error).toEqual({ message: 'Request req_abc123def456 timed out after 30000 ms at 2026-11-27T08:00:00.123Z' })
    expect(event.properties.$ai_error_normalized).toBe('Request <ID> timed out after <N> ms at <TIMESTAMP>')
  })

  it('gives an error without $ai_error the "Unknown error" group and keeps an explicit normalised error', () => {
    const { event: unknown } = expectValid(validateEvent(minimalGeneration({ $ai_is_error: true }), { nowMs: NOW_MS }))
    expect(unknown.properties.$ai_error_normalized).toBe('Unknown error')
    const { event: explicit } = expectValid(
      validateEvent(minimalGeneration({ $ai_is_error: true, $ai_error: 'boom 1', $ai_error_normalized: 'my group' }), { nowMs: NOW_MS }),
    )
    expect(explicit.properties.$ai_error_normalized).toBe('my group')
  })

  it('leaves $ai_error_normalized off events that are not errors', () => {
    const { event } = expectValid(validateEvent(minimalGeneration({ $ai_error: 'a warning, not a failure' }), { nowMs: NOW_MS }))
    expect(event.properties.$ai_error).toEqual({ message: 'a warning, not a failure' })
    expect(event.properties).not.toHaveProperty('$ai_error_normalized')
  })
})

describe('validateEvent normalisation', () => {
  it('turns number, boolean and BigInt ids into strings and drops object ids with a warning', () => {
    const { event, warnings } = expectValid(
      validateEvent(
        minimalGeneration({ $ai_trace_id: 42, $ai_parent_id: true, $ai_span_id: 12345678901234567890n, $ai_generation_id: 7.5, $ai_session_id: { id: 1 } }),
        { nowMs: NOW_MS },
      ),
    )
    expect(event.properties).toMatchObject({ $ai_trace_id: '42', $ai_parent_id: 'true', $ai_span_id: '12345678901234567890', $ai_generation_id: '7.5' })
    expect(event.properties).not.toHaveProperty('$ai_session_id')
    expect(warnings).toEqual([
      {
        field: '$ai_session_id',
        reason: 'expected a string id (numbers, booleans and BigInts are turned into strings), got an object {id}; dropped',
      },
    ])
  })

  it('rejects a generation whose trace id is an object, naming what came', () => {
    const problems = expectRejected(validateEvent(minimalGeneration({ $ai_trace_id: { nested: 'trace' } }), { nowMs: NOW_MS }))
    expect(problems).toEqual([
      {
        field: '$ai_trace_id',
        reason: 'required on $ai_generation events (every AI event belongs to a trace): expected a string id, got an object {nested}',
      },
    ])
  })

  it.each([
    ['an ISO string with an offset', '2026-11-27T09:49:37.450+01:00', '2026-11-27T08:49:37.450Z'],
    ['an ISO string with a compact offset', '2026-11-27T03:19:37.450-0530', '2026-11-27T08:49:37.450Z'],
    ['an ISO string without an offset (UTC)', '2026-11-27T08:49:37.450', '2026-11-27T08:49:37.450Z'],
    ['a ClickHouse export time with microseconds', '2026-11-27 08:49:37.450123', '2026-11-27T08:49:37.450Z'],
    ['a date', '2026-11-27', '2026-11-27T00:00:00.000Z'],
    ['ms since epoch', 1_795_769_377_450, '2026-11-27T08:49:37.450Z'],
    ['ms since epoch as a string', '1795769377450', '2026-11-27T08:49:37.450Z'],
    ['a Date', new Date(1_795_769_377_450), '2026-11-27T08:49:37.450Z'],
  ])('normalises a timestamp given as %s', (_, timestamp, expected) => {
    const { event, warnings } = expectValid(validateEvent({ ...minimalGeneration(), timestamp }, { nowMs: NOW_MS }))
    expect(event.timestamp).toBe(expected)
    expect(warnings).toEqual([])
  })

  it.each([
    ['seconds', 1_795_769_377.45, 'read as seconds since epoch'],
    ['microseconds', 1_795_769_377_450_000, 'read as microseconds since epoch'],
    ['nanoseconds', 1_795_769_377_450_000_000n, 'read as nanoseconds since epoch'],
  ])('reads epoch %s by magnitude, with a warning', (_, timestamp, note) => {
    const { event, warnings } = expectValid(validateEvent({ ...minimalGeneration(), timestamp }, { nowMs: NOW_MS }))
    expect(event.timestamp).toBe('2026-11-27T08:49:37.450Z')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.field).toBe('timestamp')
    expect(warnings[0]?.reason).toContain(note)
  })

  it.each([
    ['a sentence', 'yesterday at noon', 'expected an ISO 8601 string or ms since epoch, got "yesterday at noon"'],
    ['an impossible date', '2026-02-30T00:00:00.000Z', 'expected an ISO 8601 string or ms since epoch (a real date: 2026-02-30 does not exist), got "2026-02-30T00:00:00.000Z"'],
    ['a negative number', -5, 'expected an ISO 8601 string or ms since epoch (a positive finite number), got -5'],
    ['NaN', Number.NaN, 'expected an ISO 8601 string or ms since epoch (a positive finite number), got NaN'],
    ['an object', { at: 1 }, 'expected an ISO 8601 string or ms since epoch, got an object {at}'],
    ['the year 10000', '10000-01-01', 'expected an ISO 8601 string or ms since epoch, got "10000-01-01"'],
  ])('rejects a timestamp given as %s', (_, timestamp, reason) => {
    expect(expectRejected(validateEvent({ ...minimalGeneration(), timestamp }, { nowMs: NOW_MS }))).toEqual([{ field: 'timestamp', reason }])
  })

  it('uses nowMs when the timestamp is missing and warns about one far in the future', () => {
    const { event } = expectValid(validateEvent({ ...minimalGeneration(), timestamp: undefined }, { nowMs: NOW_MS }))
    expect(event.timestamp).toBe('2026-11-27T09:00:00.000Z')
    const { warnings } = expectValid(validateEvent({ ...minimalGeneration(), timestamp: '2027-01-01T00:00:00.000Z' }, { nowMs: NOW_MS }))
    expect(warnings.map((warning) => warning.field)).toEqual(['timestamp'])
    expect(warnings[0]?.reason).toContain('days after now')
  })

  it('makes a uuid with makeUuid when absent and keeps a given one', () => {
    const makeUuid = sequentialUuids()
    const { event: made } = expectValid(validateEvent({ ...minimalGeneration(), uuid: undefined }, { nowMs: NOW_MS, makeUuid }))
    expect(made.uuid).toBe('00000000-0000-4000-8000-000000000001')
    const { event: kept } = expectValid(validateEvent(minimalGeneration(), { nowMs: NOW_MS, makeUuid }))
    expect(kept.uuid).toBe('5b0e3c6a-6d1f-4a55-9a1e-8f0b7b2f4c11')
  })

  it('makes a random v4 uuid by default', () => {
    const { event } = expectValid(validateEvent({ ...minimalGeneration(), uuid: undefined }))
    expect(event.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('turns a numeric distinct_id into a string and reads posthog-js distinct ids from the properties', () => {
    expect(expectValid(validateEvent({ ...minimalGeneration(), distinct_id: 1234 }, { nowMs: NOW_MS })).event.distinct_id).toBe('1234')
    const pageview = { event: '$pageview', properties: { distinct_id: 'anon_9', $current_url: 'https://app.example/settings/billing?tab=1' } }
    const { event } = expectValid(validateEvent(pageview, { nowMs: NOW_MS }))
    expect(event.distinct_id).toBe('anon_9')
    expect(event.properties.$pathname).toBe('/settings/billing')
  })

  it('rejects a non-AI event without a distinct_id', () => {
    expect(expectRejected(validateEvent({ event: '$pageview', properties: { $current_url: 'https://app.example/' } }, { nowMs: NOW_MS }))).toEqual([
      {
        field: 'distinct_id',
        reason: 'expected a non-empty string or number identifying the user, got nothing (only $ai_* events with an $ai_trace_id fall back to the trace id)',
      },
    ])
  })

  it.each([
    ['openai', 'gpt-4o-mini', undefined, false],
    ['anthropic', 'claude-sonnet-4-5', undefined, true],
    ['openrouter', 'anthropic/claude-3.5-sonnet', undefined, true],
    ['bedrock', 'claude-3-haiku', undefined, true],
    ['gemini', 'gemini-2.5-flash', undefined, false],
    ['gateway', 'anthropic/claude-sonnet-4', 'vercel', false],
  ])('resolves $ai_cache_reporting_exclusive for provider %s, model %s', (provider, model, framework, exclusive) => {
    const { event } = expectValid(
      validateEvent(
        minimalGeneration({ $ai_provider: provider, $ai_model: model, $ai_framework: framework, $ai_cache_reporting_exclusive: undefined, $ai_input_tokens: 100, $ai_cache_read_input_tokens: 40 }),
        { nowMs: NOW_MS },
      ),
    )
    expect(event.properties.$ai_cache_reporting_exclusive).toBe(exclusive)
  })

  it('treats Vercel AI Gateway as exclusive when the input is smaller than the cache tokens', () => {
    const properties = { $ai_provider: 'gateway', $ai_framework: 'vercel', $ai_model: 'anthropic/claude-sonnet-4', $ai_input_tokens: 10, $ai_cache_read_input_tokens: 40 }
    expect(expectValid(validateEvent(minimalGeneration(properties), { nowMs: NOW_MS })).event.properties.$ai_cache_reporting_exclusive).toBe(true)
  })

  it('keeps an explicit $ai_cache_reporting_exclusive, also given as a string', () => {
    const anthropic = { $ai_provider: 'anthropic', $ai_model: 'claude-sonnet-4-5' }
    expect(expectValid(validateEvent(minimalGeneration({ ...anthropic, $ai_cache_reporting_exclusive: false }), { nowMs: NOW_MS })).event.properties.$ai_cache_reporting_exclusive).toBe(false)
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ ...anthropic, $ai_cache_reporting_exclusive: 'false' }), { nowMs: NOW_MS }))
    expect(event.properties.$ai_cache_reporting_exclusive).toBe(false)
    expect(warnings).toEqual([{ field: '$ai_cache_reporting_exclusive', reason: 'expected true or false, got "false"; converted to false' }])
  })

  it('derives temperature, stream and max tokens from the model parameters without overwriting explicit values', () => {
    const streamed = expectValid(
      validateEvent(minimalGeneration({ $ai_model_parameters: { temperature: 0, stream: true, max_completion_tokens: 512 } }), { nowMs: NOW_MS }),
    ).event.properties
    expect(streamed).toMatchObject({ $ai_temperature: 0, $ai_stream: true, $ai_max_tokens: 512 })

    const both = expectValid(validateEvent(minimalGeneration({ $ai_model_parameters: { max_tokens: 100, max_completion_tokens: 512 } }), { nowMs: NOW_MS })).event.properties
    expect(both.$ai_max_tokens).toBe(100)

    const explicit = expectValid(
      validateEvent(minimalGeneration({ $ai_temperature: 1, $ai_model_parameters: { temperature: 0.3 } }), { nowMs: NOW_MS }),
    ).event.properties
    expect(explicit.$ai_temperature).toBe(1)
  })

  it('warns instead of deriving from an unusable model parameter', () => {
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_model_parameters: { temperature: 'warm', max_tokens: null } }), { nowMs: NOW_MS }))
    expect(event.properties).not.toHaveProperty('$ai_temperature')
    expect(event.properties).not.toHaveProperty('$ai_max_tokens')
    expect(warnings).toEqual([{ field: '$ai_model_parameters.temperature', reason: 'expected a finite number, got "warm"; $ai_temperature not derived' }])
  })

  it('counts the tool calls of Anthropic, OpenAI and Vercel shaped outputs, in call order', () => {
    const output = [
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_1', name: 'search_docs', input: { query: 'refunds' } },
          { type: 'tool-call', toolCallId: 'c2', toolName: 'lookup_order', input: { id: 'A1' } },
        ],
        tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'create_ticket', arguments: '{}' } }],
      },
    ]
    const { event } = expectValid(validateEvent(minimalGeneration({ $ai_output_choices: output }), { nowMs: NOW_MS }))
    expect(event.properties.$ai_tools_called).toBe('search_docs,lookup_order,create_ticket')
    expect(event.properties.$ai_tool_call_count).toBe(3)
  })

  it('keeps a host-given $ai_tools_called and counts it', () => {
    const { event } = expectValid(validateEvent(minimalGeneration({ $ai_tools_called: 'a, b,,c' }), { nowMs: NOW_MS }))
    expect(event.properties.$ai_tools_called).toBe('a, b,,c')
    expect(event.properties.$ai_tool_call_count).toBe(3)
  })

  it('converts numeric strings in number fields with a warning', () => {
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input_tokens: '120', $ai_latency: '1.25', $ai_total_cost_usd: '0.0012' }), { nowMs: NOW_MS }))
    expect(event.properties).toMatchObject({ $ai_input_tokens: 120, $ai_latency: 1.25, $ai_total_cost_usd: 0.0012 })
    expect(warnings).toEqual([
      { field: '$ai_input_tokens', reason: 'expected a non-negative integer (tokens), got the string "120"; converted to 120' },
      { field: '$ai_latency', reason: 'expected seconds as a finite number >= 0, got the string "1.25"; converted to 1.25' },
      { field: '$ai_total_cost_usd', reason: 'expected USD as a finite number >= 0, got the string "0.0012"; converted to 0.0012' },
    ])
  })

  it('warns about latencies that look like milliseconds and prices that look per million tokens', () => {
    const { warnings } = expectValid(validateEvent(minimalGeneration({ $ai_latency: 5400, $ai_input_token_price: 2.5, $ai_output_token_price: 0.00001 }), { nowMs: NOW_MS }))
    expect(warnings).toEqual([
      { field: '$ai_latency', reason: '5400 seconds is over an hour; latencies are in seconds, not milliseconds' },
      { field: '$ai_input_token_price', reason: '2.5 USD per token looks like a price per million tokens; prices are per token' },
    ])
  })

  it('keeps host properties as they are and moves top-level $set into the properties', () => {
    const input = { ...minimalGeneration({ plan: 'pro', seats: 40, flags: { beta: true } }), $set: { email: 'a@b.example' }, sent_at: '2026-11-27T08:00:01.000Z', extra: 1 }
    const { event, warnings } = expectValid(validateEvent(input, { nowMs: NOW_MS }))
    expect(event.properties).toMatchObject({ plan: 'pro', seats: 40, flags: { beta: true }, $set: { email: 'a@b.example' } })
    expect(event).not.toHaveProperty('extra')
    expect(warnings).toEqual([{ field: 'input', reason: 'unknown top-level key "extra" dropped; put custom data in properties' }])
  })

  it('accepts properties sent as a JSON string, as PostHog exports have them', () => {
    const { event, warnings } = expectValid(validateEvent({ ...minimalGeneration(), properties: JSON.stringify({ $ai_trace_id: 't', $ai_model: 'm', $ai_provider: 'p' }) }, { nowMs: NOW_MS }))
    expect(event.properties.$ai_trace_id).toBe('t')
    expect(warnings).toEqual([{ field: 'properties', reason: 'expected an object, got a JSON string of one; parsed' }])
  })

  it('warns when a generation has no model or provider, but keeps it', () => {
    const { warnings } = expectValid(validateEvent(minimalGeneration({ $ai_model: undefined, $ai_provider: undefined }), { nowMs: NOW_MS }))
    expect(warnings.map((warning) => warning.field)).toEqual(['$ai_model', '$ai_provider'])
    expect(warnings[0]?.reason).toBe('expected the model name on $ai_generation events, got nothing; costs cannot be computed without it')
  })
})

describe('validateEvent on the events around AI output', () => {
  const base = { distinct_id: 'user_1', timestamp: '2026-11-27T08:00:00.000Z', uuid: 'e1' }

  it('keeps an edited interaction with its edit distance', () => {
    const properties = { $ai_interaction: 'edited', $ai_generation_id: 'gen_1', $ai_trace_id: 'trace_1', $ai_edit_distance: 35 }
    const { event, warnings } = expectValid(validateEvent({ ...base, event: '$ai_interaction', properties }, { nowMs: NOW_MS }))
    expect(event.properties).toEqual(properties)
    expect(warnings).toEqual([])
  })

  it('rejects an interaction of an unknown kind or linked to nothing', () => {
    expect(expectRejected(validateEvent({ ...base, event: '$ai_interaction', properties: { $ai_interaction: 'liked' } }, { nowMs: NOW_MS }))).toEqual([
      { field: '$ai_interaction', reason: 'expected one of accepted, rejected, regenerated, copied, edited, got "liked"' },
      { field: '$ai_generation_id', reason: 'an $ai_interaction needs $ai_generation_id or $ai_trace_id to say which output it concerns: expected a string id, got nothing' },
    ])
  })

  it('drops a fractional edit distance with a warning', () => {
    const { event, warnings } = expectValid(
      validateEvent({ ...base, event: '$ai_interaction', properties: { $ai_interaction: 'edited', $ai_trace_id: 't', $ai_edit_distance: 3.5 } }, { nowMs: NOW_MS }),
    )
    expect(event.properties).not.toHaveProperty('$ai_edit_distance')
    expect(warnings).toEqual([{ field: '$ai_edit_distance', reason: 'expected a non-negative integer (characters), got 3.5; dropped' }])
  })

  it('keeps an exception linked to a trace and builds a list from legacy fields', () => {
    const exceptionList = [{ type: 'RateLimitError', value: '429 Rate limit reached', mechanism: { handled: true, type: 'generic' }, stacktrace: { type: 'raw', frames: [{ filename: 'app.js', lineno: 3 }] } }]
    const { event } = expectValid(validateEvent({ ...base, event: '$exception', properties: { $exception_list: exceptionList, $ai_trace_id: 'trace_1' } }, { nowMs: NOW_MS }))
    expect(event.properties).toEqual({ $exception_list: exceptionList, $ai_trace_id: 'trace_1' })

    const legacy = expectValid(validateEvent({ ...base, event: '$exception', properties: { $exception_type: 'TypeError', $exception_message: 'x is undefined' } }, { nowMs: NOW_MS }))
    expect(legacy.event.properties.$exception_list).toEqual([{ type: 'TypeError', value: 'x is undefined' }])
  })

  it('rejects an exception without a list', () => {
    expect(expectRejected(validateEvent({ ...base, event: '$exception', properties: { $exception_list: 'boom' } }, { nowMs: NOW_MS }))).toEqual([
      { field: '$exception_list', reason: 'required on $exception events: expected a non-empty array of {type, value, mechanism, stacktrace?}, got "boom"' },
    ])
  })

  it('keeps a feature-flag exposure and rejects one without a flag key', () => {
    const { event } = expectValid(validateEvent({ ...base, event: '$feature_flag_called', properties: { $feature_flag: 'reply-model-test', $feature_flag_response: false } }, { nowMs: NOW_MS }))
    expect(event.properties).toEqual({ $feature_flag: 'reply-model-test', $feature_flag_response: false })
    expect(expectRejected(validateEvent({ ...base, event: '$feature_flag_called', properties: { $feature_flag_response: 'test' } }, { nowMs: NOW_MS }))).toEqual([
      { field: '$feature_flag', reason: 'required on $feature_flag_called events: expected the flag key as a string, got nothing' },
    ])
  })

  it('keeps an evaluation that names its target without a trace id', () => {
    const properties = { $ai_evaluation_id: 'ev_1', $ai_evaluation_name: 'tone', $ai_evaluation_result_type: 'categorical', $ai_evaluation_categorical_result: ['friendly'], $ai_target_event_id: 'gen_1', $ai_evaluation_start_time: '2026-11-27T08:00:00+00:00' }
    const { event } = expectValid(validateEvent({ ...base, event: '$ai_evaluation', properties }, { nowMs: NOW_MS }))
    expect(event.properties).toEqual({ ...properties, $ai_evaluation_start_time: '2026-11-27T08:00:00.000Z' })
    expect(expectRejected(validateEvent({ ...base, event: '$ai_evaluation', properties: { $ai_evaluation_result: true } }, { nowMs: NOW_MS }))[0]?.field).toBe('$ai_trace_id')
  })
})
