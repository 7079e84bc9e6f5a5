import { describe, expect, it } from 'vitest'
import { readImport } from '../../../src/ingest/importers'
import { collectImport } from './importTestUtils'

/** The literal `/batch/` body `@posthog/ai@8.13.1` + `posthog-node@5.70.0` posted (posthog.md §1.4). */
const BATCH_BODY = `{
  "api_key": "phc_test",
  "batch": [{
    "event": "$ai_generation",
    "properties": {
      "$ai_lib": "posthog-ai",
      "$ai_lib_version": "8.13.1",
      "$ai_provider": "openai",
      "$ai_model": "gpt-4o-mini",
      "$ai_model_parameters": { "temperature": 0.2, "max_tokens": 256, "service_tier": "default" },
      "$ai_service_tier": "default",
      "$ai_input": [
        { "role": "system", "content": "You are helpful." },
        { "role": "user", "content": "Weather in Paris?" }
      ],
      "$ai_output_choices": [{
        "role": "assistant",
        "content": [
          { "type": "text", "text": "Let me check." },
          { "type": "function", "id": "call_1",
            "function": { "name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}" } }
        ]
      }],
      "$ai_http_status": 200,
      "$ai_input_tokens": 120,
      "$ai_output_tokens": 30,
      "$ai_cache_read_input_tokens": 64,
      "$ai_usage": {
        "prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150,
        "prompt_tokens_details": { "cached_tokens": 64, "audio_tokens": 0 },
        "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0 }
      },
      "$ai_latency": 0.009,
      "$ai_trace_id": "trace_abc",
      "$ai_base_url": "https://api.openai.com/v1",
      "$ai_cache_reporting_exclusive": false,
      "conversation_id": "conv_1",
      "$ai_session_id": "sess_1",
      "$ai_tokens_source": "sdk",
      "$ai_stop_reason": "tool_calls",
      "$ai_tools": [{ "type": "function", "function": { "name": "get_weather",
        "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } } }],
      "$ai_completion_id": "chatcmpl-abc123",
      "$ai_provider_metadata": { "system_fingerprint": "fp_123", "request_id": "req_xyz" },
      "$groups": { "company": "acme" },
      "$lib": "posthog-node",
      "$lib_version": "5.70.0",
      "$is_server": true,
      "$geoip_disable": true
    },
    "timestamp": "2026-11-27T08:49:37.450Z",
    "uuid": "01a21c32-22aa-78cf-b88f-8a6a7ecd1521",
    "distinct_id": "user_123"
  }],
  "sent_at": "2026-11-27T08:49:37.454Z"
}
`

describe('posthog-batch', () => {
  it('reads the literal /batch/ body of the OpenAI wrapper, property for property', async () => {
    const { events, locations, problems } = await collectImport(readImport(BATCH_BODY, { format: 'posthog-batch' }))
    const expected = (JSON.parse(BATCH_BODY) as { batch: Record<string, unknown>[] }).batch[0]
    expect(problems).toEqual([])
    expect(events).toEqual([expected])
    expect(locations).toEqual(['batch[0]'])
    // Property order is kept too (it is the emitted order).
    expect(Object.keys(events[0]?.properties ?? {})).toEqual(Object.keys((expected?.properties as object) ?? {}))
  })

  it('reads a /capture/ single event and a bare array of events', async () => {
    const single = await collectImport(
      readImport('{"api_key":"phc_x","event":"$ai_span","distinct_id":"u1","properties":{"$ai_trace_id":"t"}}', {
        format: 'posthog-batch',
      }),
    )
    expect(single.events).toEqual([{ event: '$ai_span', distinct_id: 'u1', properties: { $ai_trace_id: 't' } }])
    expect(single.locations).toEqual(['document'])

    const array = await collectImport(
      readImport('[\n  {"event": "a", "properties": {"distinct_id": "anon", "token": "phc_x"}},\n  {"nope": 1}\n]\n', {
        format: 'posthog-batch',
      }),
    )
    expect(array.events).toEqual([{ event: 'a', distinct_id: 'anon', properties: { distinct_id: 'anon', token: 'phc_x' } }])
    expect(array.problems).toEqual([{ location: '[1]', message: 'expected an object with an "event" string, got no "event" field' }])
  })

  it('reads JSON Lines of bodies, one per line, naming the line of a bad one', async () => {
    const source = [
      '{"api_key":"k","batch":[{"event":"a"},{"event":"b"}]}',
      '{"api_key":"k","batch":[{"event":"c"},{"properties":{}}]}',
      '{"api_key":"k","data":"eyJldmVudCI6ImQifQ=="}',
      '{"api_key":"k","batch":[{"event":"e"}',
      '{"api_key":"k","batch":[{"event":"f"}]}',
    ].join('\n')
    const { events, locations, problems } = await collectImport(readImport(source, { format: 'posthog-batch' }))
    expect(events.map((event) => event.event)).toEqual(['a', 'b', 'c', 'f'])
    expect(locations).toEqual(['line 1, batch[0]', 'line 1, batch[1]', 'line 2, batch[0]', 'line 5, batch[0]'])
    expect(problems.map((problem) => problem.location)).toEqual(['line 2, batch[1]', 'line 3', 'line 4'])
    expect(problems[1]?.message).toMatch(/encoded "data" body .* is not supported/)
    expect(problems[2]?.message).toMatch(/^not valid JSON/)
  })

  it('reports a pretty-printed document that is not valid JSON as one problem over its lines', async () => {
    const { events, problems } = await collectImport(readImport('{\n  "batch": [\n    {"event": "a"},\n', { format: 'posthog-batch' }))
    expect(events).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.location).toBe('lines 1-3')
  })

  it('says what it expected when the document is something else', async () => {
    const { problems } = await collectImport(readImport('{"results": []}', { format: 'posthog-batch' }))
    expect(problems).toEqual([
      {
        location: 'document',
        message:
          'expected a /batch/ body ({"batch": [...]}), a /capture/ event ({"event": ...}) or an array of events, got an object with keys results',
      },
    ])
  })
})
