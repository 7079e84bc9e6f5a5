import { describe, expect, it } from 'vitest'
import { MAX_KEPT_ATTRIBUTES, readImport } from '../../../src/ingest/importers'
import type { CaptureInput } from '../../../src/ingest/captureTarget'
import { collectImport, fixtureBytes, fixtureText, propertiesOf, tinyChunkStream } from './importTestUtils'

const TRACE_ID = '5b8efff798038103d269b633813fc60c'
const ROOT_SPAN = 'eee19b7ec3c1b174'
const UUID_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

async function importOtlp(source: string | ReadableStream<Uint8Array>) {
  return collectImport(readImport(source, { format: 'otlp-json' }))
}

/** A one-span trace request; `span` fields override the defaults. */
function oneSpan(span: Record<string, unknown>, resourceAttributes: unknown[] = []): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: TRACE_ID,
                spanId: ROOT_SPAN,
                name: 'span',
                kind: 1,
                startTimeUnixNano: '1732694400000000000',
                endTimeUnixNano: '1732694401000000000',
                ...span,
              },
            ],
          },
        ],
      },
    ],
  })
}

function attribute(key: string, value: Record<string, unknown>) {
  return { key, value }
}

describe('otlp-json: OTel GenAI spans', () => {
  it('maps the OLD attribute names and the NEW ones to the same events', async () => {
    const old = await importOtlp(fixtureText('otlp-genai-old.json'))
    const current = await importOtlp(fixtureText('otlp-genai-new.json'))
    expect(old.problems).toEqual([])
    expect(current.problems).toEqual([])
    expect(old.events).toHaveLength(5)
    expect(current.events).toEqual(old.events)
    expect(current.locations).toEqual(old.locations)
  })

  it('builds the generation: ids, parent, model, parameters, tokens, messages, stop reason', async () => {
    const { events } = await importOtlp(fixtureText('otlp-genai-new.json'))
    const generation = events[1] as CaptureInput
    expect(generation.event).toBe('$ai_generation')
    expect(generation.uuid).toMatch(UUID_FORMAT)
    expect(generation.distinct_id).toBe('user_123')
    expect(generation.timestamp).toBe('2024-11-27T08:00:00.100Z')
    expect(generation.properties).toEqual({
      $ai_trace_id: TRACE_ID,
      $ai_span_id: 'eee19b7ec3c1b173',
      $ai_generation_id: 'eee19b7ec3c1b173',
      $ai_parent_id: ROOT_SPAN,
      $ai_span_name: 'openai.chat',
      $ai_session_id: 'conv_1',
      $ai_provider: 'openai',
      // The requested model, as @posthog/ai records it; the response model is the fallback.
      $ai_model: 'gpt-4o-mini',
      $ai_model_parameters: { temperature: 0.2, max_tokens: 256 },
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
      $ai_input_tokens: 120,
      $ai_output_tokens: 30,
      $ai_cache_read_input_tokens: 64,
      $ai_stop_reason: 'tool_calls',
      $ai_completion_id: 'chatcmpl-abc123',
      $ai_latency: 1.25,
      $ai_base_url: 'api.openai.com',
      $ai_lib: 'opentelemetry',
      $ai_lib_version: '1.38.0',
      $ai_ingestion_source: 'otel',
      $service_name: 'weather-bot',
      'otel.scope.name': 'opentelemetry.instrumentation.openai.v1',
      'otel.scope.version': '0.40.0',
    })
  })

  it('computes latency in seconds exactly from nanosecond strings, and ISO timestamps', async () => {
    const { events } = await importOtlp(fixtureText('otlp-genai-old.json'))
    expect(events.map((event) => propertiesOf(event).$ai_latency)).toEqual([3.5, 1.25, 0.25, 0.5, undefined])
    expect(events.map((event) => event.timestamp)).toEqual([
      '2024-11-27T08:00:00.000Z',
      '2024-11-27T08:00:00.100Z',
      '2024-11-27T08:00:01.400Z',
      '2024-11-27T08:00:01.700Z',
      '2024-11-27T08:00:02.190Z',
    ])
  })

  it('makes the root a child of the trace, types the spans, keeps unused attributes, ignores unknown fields', async () => {
    const { events } = await importOtlp(fixtureText('otlp-genai-new.json'))
    const [root, , tool] = events
    expect(propertiesOf(root)).toMatchObject({
      $ai_parent_id: TRACE_ID,
      $ai_span_type: 'workflow',
      $ai_span_name: 'weather_agent.workflow',
    })
    expect(root?.event).toBe('$ai_span')
    expect(tool?.event).toBe('$ai_span')
    expect(propertiesOf(tool)).toMatchObject({ $ai_span_type: 'tool', 'gen_ai.tool.name': 'get_weather' })
    for (const event of events) {
      const keys = Object.keys(propertiesOf(event))
      expect(keys).not.toContain('someFutureField')
      expect(keys).not.toContain('host.name')
      expect(keys).not.toContain('gen_ai.operation.name')
      expect(keys).not.toContain('gen_ai.input.messages')
      expect(keys.some((key) => key.startsWith('gen_ai.prompt.'))).toBe(false)
    }
  })

  it('marks the failed call as an error and links an $exception event to it', async () => {
    const { events, locations } = await importOtlp(fixtureText('otlp-genai-new.json'))
    const failed = events[3] as CaptureInput
    const exception = events[4] as CaptureInput
    expect(propertiesOf(failed)).toMatchObject({
      $ai_is_error: true,
      $ai_error: 'Rate limit reached',
      $exception_event_id: exception.uuid,
      $ai_input: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [{ type: 'function', id: 'call_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', content: '{"temp_c":22}', tool_call_id: 'call_1' },
      ],
    })
    expect(exception).toEqual({
      event: '$exception',
      uuid: expect.stringMatching(UUID_FORMAT),
      distinct_id: 'user_123',
      timestamp: '2024-11-27T08:00:02.190Z',
      properties: {
        $exception_list: [
          {
            type: 'openai.RateLimitError',
            value: 'Error code: 429 - Rate limit reached for gpt-4o-mini',
            mechanism: { handled: true, synthetic: false },
          },
        ],
        $exception_type: 'openai.RateLimitError',
        $exception_message: 'Error code: 429 - Rate limit reached for gpt-4o-mini',
        $exception_stack_trace_raw:
          'Traceback (most recent call last):\n  File "agent.py", line 12, in run\nopenai.RateLimitError: 429',
        $ai_trace_id: TRACE_ID,
        $service_name: 'weather-bot',
      },
    })
    expect(locations[4]).toBe('resourceSpans[0].scopeSpans[0].spans[3].events[0]')
  })

  it('gives the same uuids on every import, so a re-import stores nothing twice', async () => {
    const first = await importOtlp(fixtureText('otlp-genai-old.json'))
    const second = await importOtlp(fixtureText('otlp-genai-old.json'))
    const uuids = first.events.map((event) => event.uuid)
    expect(second.events.map((event) => event.uuid)).toEqual(uuids)
    expect(new Set(uuids).size).toBe(uuids.length)
  })

  it('reads JSON Lines of requests (the collector file exporter), streamed in 1-3 byte chunks', async () => {
    const line = (text: string) => JSON.stringify(JSON.parse(text))
    const jsonl = `${line(fixtureText('otlp-genai-new.json'))}\n{"resourceSpans": [\n${line(fixtureText('openinference.json'))}\n`
    const result = await importOtlp(tinyChunkStream(new TextEncoder().encode(jsonl)))
    expect(result.events).toHaveLength(10)
    expect(result.locations[0]).toBe('line 1, resourceSpans[0].scopeSpans[0].spans[0]')
    expect(result.locations[9]).toBe('line 3, resourceSpans[0].scopeSpans[0].spans[4]')
    expect(result.problems).toEqual([{ location: 'line 2', message: expect.stringMatching(/^not valid JSON/) }])
  })
})

describe('otlp-json: OpenInference spans', () => {
  async function openInferenceEvents(): Promise<Map<string, CaptureInput>> {
    const { events, problems } = await importOtlp(fixtureText('openinference.json'))
    expect(problems).toEqual([])
    return new Map(events.map((event) => [String(propertiesOf(event).$ai_span_name), event]))
  }

  it('maps an LLM span to a generation with its messages, tokens, cost and parameters', async () => {
    const llm = (await openInferenceEvents()).get('ChatCompletion')
    expect(llm?.event).toBe('$ai_generation')
    expect(llm?.distinct_id).toBe('u-9')
    expect(propertiesOf(llm)).toMatchObject({
      $ai_session_id: 'sess-77',
      $ai_provider: 'openai',
      $ai_model: 'gpt-4o-2024-08-06',
      $ai_model_parameters: { temperature: 0, max_tokens: 512 },
      $ai_input: [
        { role: 'system', content: 'Answer from the documents.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is the refund policy?' },
            { type: 'image', image: 'https://example.com/receipt.png' },
          ],
        },
      ],
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [{ type: 'function', id: 'call_7', function: { name: 'lookup_policy', arguments: '{"topic":"refunds"}' } }],
        },
      ],
      $ai_input_tokens: 1200,
      $ai_output_tokens: 85,
      $ai_total_tokens: 1285,
      $ai_cache_read_input_tokens: 1024,
      $ai_reasoning_tokens: 32,
      $ai_total_cost_usd: 0.0042,
      $ai_stop_reason: 'tool_calls',
      $ai_latency: 1.5,
    })
    // Messages came from llm.input_messages; the raw request in input.value is not kept beside them.
    expect(Object.keys(propertiesOf(llm)).filter((key) => !key.startsWith('$') && !key.startsWith('otel.'))).toEqual([])
  })

  it('maps TOOL, CHAIN, RETRIEVER and EMBEDDING spans', async () => {
    const events = await openInferenceEvents()
    expect(events.get('lookup_policy')?.event).toBe('$ai_span')
    expect(propertiesOf(events.get('lookup_policy'))).toMatchObject({
      $ai_span_type: 'tool',
      $ai_parent_id: 'b7ad6b7169203332',
      $ai_input_state: { topic: 'refunds' },
      $ai_output_state: 'Refunds within 30 days.',
      'tool.name': 'lookup_policy',
      'tool.description': 'Looks up a policy by topic',
    })
    expect(propertiesOf(events.get('query'))).toMatchObject({
      $ai_span_type: 'chain',
      $ai_parent_id: '0af7651916cd43dd8448eb211c80319c',
      $ai_input_state: 'What is the refund policy?',
      $ai_output_state: { answer: 'Refunds are accepted within 30 days.' },
      metadata: '{"tenant":"acme"}',
      'tag.tags': ['support', 'rag'],
    })
    expect(propertiesOf(events.get('retrieve'))).toMatchObject({
      $ai_span_type: 'retriever',
      $ai_output_state: [{ id: 'doc-1', content: 'Refunds within 30 days.', score: 0.92 }],
    })
    const embedding = events.get('embedding')
    expect(embedding?.event).toBe('$ai_embedding')
    expect(propertiesOf(embedding)).toMatchObject({ $ai_model: 'text-embedding-3-small', $ai_input: ['refund policy'] })
    expect(Object.keys(propertiesOf(embedding)).some((key) => key.startsWith('embedding.'))).toBe(false)
  })
})

describe('otlp-json: Vercel AI SDK spans (ai.* attributes)', () => {
  it('makes the provider-level call a generation and the tool call a tool span', async () => {
    const s = (value: string) => ({ stringValue: value })
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [attribute('service.name', s('next-app'))] },
          scopeSpans: [
            {
              scope: { name: 'ai' },
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: 'aaaaaaaaaaaaaaa1',
                  parentSpanId: ROOT_SPAN,
                  name: 'ai.generateText.doGenerate',
                  startTimeUnixNano: '1732694400000000000',
                  endTimeUnixNano: '1732694400750000000',
                  attributes: [
                    attribute('ai.operationId', s('ai.generateText.doGenerate')),
                    attribute('ai.model.provider', s('openai.chat')),
                    attribute('ai.model.id', s('gpt-4o-mini')),
                    attribute('ai.prompt.messages', s('[{"role":"user","content":[{"type":"text","text":"Hi"}]}]')),
                    attribute('ai.response.text', s('Hello!')),
                    attribute('ai.response.finishReason', s('stop')),
                    attribute('ai.response.msToFirstChunk', { doubleValue: 125 }),
                    attribute('ai.usage.promptTokens', { intValue: 8 }),
                    attribute('ai.usage.completionTokens', { intValue: 2 }),
                    attribute('ai.telemetry.metadata.userId', s('user_9')),
                    attribute('ai.telemetry.metadata.feature', s('greeting')),
                    attribute('ai.request.headers.authorization', s('Bearer secret')),
                  ],
                },
                {
                  traceId: TRACE_ID,
                  spanId: 'aaaaaaaaaaaaaaa2',
                  parentSpanId: ROOT_SPAN,
                  name: 'ai.toolCall',
                  startTimeUnixNano: '1732694401000000000',
                  endTimeUnixNano: '1732694401100000000',
                  attributes: [
                    attribute('ai.operationId', s('ai.toolCall')),
                    attribute('ai.toolCall.name', s('get_weather')),
                    attribute('ai.toolCall.args', s('{"city":"Oslo"}')),
                    attribute('ai.toolCall.result', s('{"temp_c":3}')),
                  ],
                },
              ],
            },
          ],
        },
      ],
    }
    const { events } = await importOtlp(JSON.stringify(request))
    const [generation, tool] = events
    expect(generation?.event).toBe('$ai_generation')
    expect(generation?.distinct_id).toBe('user_9')
    expect(propertiesOf(generation)).toMatchObject({
      $ai_provider: 'openai',
      $ai_model: 'gpt-4o-mini',
      $ai_input: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      $ai_output_choices: [{ role: 'assistant', content: 'Hello!' }],
      $ai_stop_reason: 'stop',
      $ai_time_to_first_token: 0.125,
      $ai_input_tokens: 8,
      $ai_output_tokens: 2,
      $ai_latency: 0.75,
      'ai.telemetry.metadata.feature': 'greeting',
    })
    expect(propertiesOf(generation)['ai.request.headers.authorization']).toBeUndefined()
    expect(tool?.event).toBe('$ai_span')
    expect(propertiesOf(tool)).toMatchObject({
      $ai_span_type: 'tool',
      $ai_span_name: 'get_weather',
      $ai_input_state: { city: 'Oslo' },
      $ai_output_state: { temp_c: 3 },
    })
  })
})

describe('otlp-json: the wire-format traps', () => {
  it('accepts base64 ids (protobuf JSON mapping) and converts them to hex', async () => {
    const hex = await importOtlp(oneSpan({ parentSpanId: 'ffe19b7ec3c1bf74' }))
    const base64 = await importOtlp(
      oneSpan({ traceId: 'W47/95gDgQPSabYzgT/GDA==', spanId: '7uGbfsPBsXQ=', parentSpanId: '_-GbfsPBv3Q=' }),
    )
    expect(base64.problems).toEqual([])
    expect(base64.events).toEqual(hex.events)
    expect(propertiesOf(base64.events[0])).toMatchObject({
      $ai_trace_id: TRACE_ID,
      $ai_span_id: ROOT_SPAN,
      $ai_parent_id: 'ffe19b7ec3c1bf74',
    })
  })

  it('lowercases hex ids and treats an all-zero parent as a root', async () => {
    const { events } = await importOtlp(
      oneSpan({ traceId: TRACE_ID.toUpperCase(), spanId: ROOT_SPAN.toUpperCase(), parentSpanId: '0000000000000000' }),
    )
    expect(propertiesOf(events[0])).toMatchObject({ $ai_trace_id: TRACE_ID, $ai_span_id: ROOT_SPAN, $ai_parent_id: TRACE_ID })
  })

  it('reads times given as numbers, and error status as an integer or a string enum', async () => {
    const numeric = await importOtlp(
      oneSpan({ startTimeUnixNano: 1732694400000000000, endTimeUnixNano: 1732694402000000000, status: { code: 2 } }),
    )
    expect(propertiesOf(numeric.events[0])).toMatchObject({ $ai_latency: 2, $ai_is_error: true, $ai_error: 'error' })
    const named = await importOtlp(
      oneSpan({ status: { code: 'STATUS_CODE_ERROR', message: 'boom' }, kind: 'SPAN_KIND_CLIENT' }),
    )
    expect(propertiesOf(named.events[0])).toMatchObject({ $ai_is_error: true, $ai_error: 'boom' })
    const ok = await importOtlp(oneSpan({ status: { code: 1 } }))
    expect(propertiesOf(ok.events[0]).$ai_is_error).toBeUndefined()
  })

  it('decodes every AnyValue kind, with 64-bit ints as strings or numbers', async () => {
    const { events } = await importOtlp(
      oneSpan({
        attributes: [
          attribute('app.string', { stringValue: 'x' }),
          attribute('app.int_string', { intValue: '42' }),
          attribute('app.int_number', { intValue: 42 }),
          attribute('app.int_huge', { intValue: '9223372036854775807' }),
          attribute('app.double', { doubleValue: 0.5 }),
          attribute('app.bool', { boolValue: true }),
          attribute('app.array', { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }] } }),
          attribute('app.kvlist', { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } }),
          attribute('app.bytes', { bytesValue: 'AQID' }),
          attribute('app.empty', {}),
        ],
      }),
    )
    expect(propertiesOf(events[0])).toMatchObject({
      'app.string': 'x',
      'app.int_string': 42,
      'app.int_number': 42,
      'app.int_huge': '9223372036854775807',
      'app.double': 0.5,
      'app.bool': true,
      'app.array': [1, 'two'],
      'app.kvlist': { k: false },
      'app.bytes': 'AQID',
      'app.empty': null,
    })
  })

  it('uses the trace id as distinct_id, without a person profile, when no user is known', async () => {
    const { events } = await importOtlp(oneSpan({}))
    expect(events[0]?.distinct_id).toBe(TRACE_ID)
    expect(propertiesOf(events[0]).$process_person_profile).toBe(false)
    const fromResource = await importOtlp(oneSpan({}, [attribute('enduser.id', { stringValue: 'ops@example.com' })]))
    expect(fromResource.events[0]?.distinct_id).toBe('ops@example.com')
    expect(propertiesOf(fromResource.events[0]).$process_person_profile).toBeUndefined()
  })

  it('prepends gen_ai.system_instructions as a system message, and reads the traceloop request type', async () => {
    const { events } = await importOtlp(
      oneSpan({
        attributes: [
          attribute('llm.request.type', { stringValue: 'embedding' }),
          attribute('gen_ai.system_instructions', { stringValue: '[{"type":"text","content":"Be brief."}]' }),
          attribute('gen_ai.input.messages', { stringValue: '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]' }),
        ],
      }),
    )
    expect(events[0]?.event).toBe('$ai_embedding')
    expect(propertiesOf(events[0]).$ai_input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ])
  })

  it(`keeps at most ${MAX_KEPT_ATTRIBUTES} unknown attributes per span`, async () => {
    const attributes = Array.from({ length: 100 }, (_, index) => attribute(`app.key_${index}`, { intValue: index }))
    const { events } = await importOtlp(oneSpan({ attributes }))
    const kept = Object.keys(propertiesOf(events[0])).filter((key) => key.startsWith('app.'))
    expect(kept).toHaveLength(MAX_KEPT_ATTRIBUTES)
    expect(kept[0]).toBe('app.key_0')
  })

  it('skips spans it cannot place, and reports odd times, naming the span', async () => {
    const request = {
      resourceSpans: [
        {
          resource: {},
          scopeSpans: [
            {
              spans: [
                { traceId: 'not-an-id', spanId: ROOT_SPAN, name: 'a' },
                { traceId: TRACE_ID, name: 'b' },
                { traceId: TRACE_ID, spanId: ROOT_SPAN, name: 'c', startTimeUnixNano: '20', endTimeUnixNano: '10' },
                { traceId: TRACE_ID, spanId: 'eee19b7ec3c1b170', name: 'd', parentSpanId: 'xyz' },
              ],
            },
            { spans: 'nope' },
          ],
        },
      ],
    }
    const { events, problems } = await importOtlp(JSON.stringify(request))
    expect(events.map((event) => propertiesOf(event).$ai_span_name)).toEqual(['c', 'd'])
    expect(problems.map((problem) => `${problem.location}: ${problem.message}`)).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[0]: span skipped: traceId "not-an-id" is not 32 hex digits (or base64 of 16 bytes), or is all zeros',
      'resourceSpans[0].scopeSpans[0].spans[1]: span skipped: spanId null is not 16 hex digits (or base64 of 8 bytes), or is all zeros',
      'resourceSpans[0].scopeSpans[0].spans[2]: endTimeUnixNano is before startTimeUnixNano: no $ai_latency',
      'resourceSpans[0].scopeSpans[0].spans[3]: parentSpanId "xyz" is not a valid span id: the span is imported as a root',
      'resourceSpans[0].scopeSpans[0].spans[3]: no usable startTimeUnixNano: the event has no timestamp',
      'resourceSpans[0].scopeSpans[1].spans: expected an array, got a string',
    ])
  })

  it('says so when given logs or metrics instead of traces', async () => {
    const { problems } = await importOtlp('{"resourceLogs": []}\n{"resourceMetrics": []}\n')
    expect(problems).toEqual([
      { location: 'line 1', message: 'OTLP logs are not imported: only traces ({"resourceSpans": [...]})' },
      { location: 'line 2', message: 'OTLP metrics are not imported: only traces ({"resourceSpans": [...]})' },
    ])
  })

  it('reports the whole source byte count of a pretty-printed single document', async () => {
    const { summary, chunks } = await importOtlp(fixtureText('openinference.json'))
    expect(summary.bytesRead).toBe(fixtureBytes('openinference.json').length)
    expect(chunks.at(-1)?.totalBytes).toBe(summary.bytesRead)
  })
})
