import OpenAI from 'openai'
import { APIPromise } from 'openai/core/api-promise'
import { Stream } from 'openai/core/streaming'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { generationIdOf, observeOpenAI, withAiscope, type GenerationInfo } from '../../src/instrument'
import { collector, onlyEvent, parsedError } from './collect'
import {
  CHAT_CHUNKS,
  CHAT_COMPLETION,
  CHAT_USAGE,
  EMBEDDING_VECTOR,
  RESPONSE,
  RESPONSE_EVENTS,
  WEATHER_TOOL,
  startMockLlmServer,
  type MockLlmServer,
} from './mockLlmServer'

let server: MockLlmServer

beforeAll(async () => {
  server = await startMockLlmServer()
})

afterAll(async () => {
  await server.close()
})

afterEach(() => {
  vi.restoreAllMocks()
})

function rawClient(options: { timeout?: number } = {}) {
  return new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL, maxRetries: 0, ...options })
}

function observed(options: { timeout?: number; privacyMode?: boolean } = {}) {
  const collected = collector()
  const { timeout, ...observeOptions } = options
  const client = observeOpenAI(rawClient(timeout === undefined ? {} : { timeout }), {
    target: collected.target,
    onError: collected.onError,
    ...observeOptions,
  })
  return { client, ...collected }
}

const WEATHER_MESSAGES = [
  { role: 'system' as const, content: 'You are helpful.' },
  { role: 'user' as const, content: 'Weather in Paris?' },
]

/** Records the chunk objects the SDK's own Stream yields, before anything of aiscope sees them. */
function recordSdkChunks(): unknown[] {
  const yielded: unknown[] = []
  const fromSSEResponse = Stream.fromSSEResponse.bind(Stream)
  vi.spyOn(Stream, 'fromSSEResponse').mockImplementation((...args: Parameters<typeof Stream.fromSSEResponse>) => {
    const stream = fromSSEResponse(...args)
    const internals = stream as unknown as { iterator: () => AsyncIterator<unknown> }
    const iterator = internals.iterator
    internals.iterator = function recordingIterator(this: unknown) {
      const inner = iterator.call(this)
      return {
        async next() {
          const result = await inner.next()
          if (!result.done) {
            yielded.push(result.value)
          }
          return result
        },
        return: (value?: unknown) => inner.return?.(value) ?? Promise.resolve({ done: true as const, value }),
      }
    }
    return stream
  })
  return yielded
}

describe('observeOpenAI: chat completions', () => {
  it('captures the $ai_generation @posthog/ai sends for a completion with a tool call and a cache hit', async () => {
    const { client, events, problems } = observed()
    const generations: GenerationInfo[] = []
    const completion = await client.chat.completions.create(
      withAiscope(
        { model: 'gpt-4o-mini', messages: WEATHER_MESSAGES, temperature: 0.2, max_tokens: 256, tools: [WEATHER_TOOL] },
        {
          distinctId: 'user_123',
          traceId: 'trace_abc',
          sessionId: 'sess_1',
          properties: { conversation_id: 'conv_1' },
          groups: { company: 'acme' },
          onGeneration: (generation) => generations.push(generation),
        },
      ),
    )

    expect(completion).toEqual(CHAT_COMPLETION)
    const event = onlyEvent(events)
    const generationId = event.properties.$ai_generation_id
    expect(event.event).toBe('$ai_generation')
    expect(event.distinct_id).toBe('user_123')
    expect(event.properties).toEqual({
      $ai_lib: 'aiscope',
      $ai_lib_version: '0.1.0',
      $ai_provider: 'openai',
      $ai_model: 'gpt-4o-mini',
      $ai_model_parameters: { temperature: 0.2, max_tokens: 256, service_tier: 'default' },
      $ai_service_tier: 'default',
      $ai_input: WEATHER_MESSAGES,
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
      $ai_usage: CHAT_USAGE,
      $ai_latency: expect.any(Number),
      $ai_trace_id: 'trace_abc',
      $ai_span_id: generationId,
      $ai_generation_id: generationId,
      $ai_session_id: 'sess_1',
      $ai_base_url: server.openaiBaseURL,
      $ai_cache_reporting_exclusive: false,
      conversation_id: 'conv_1',
      $ai_tokens_source: 'sdk',
      $ai_stop_reason: 'tool_calls',
      $ai_tools: [WEATHER_TOOL],
      $ai_completion_id: 'chatcmpl-abc123',
      $ai_provider_metadata: { system_fingerprint: 'fp_123', request_id: 'req_xyz' },
      $groups: { company: 'acme' },
    })
    expect(generationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(generationIdOf(completion)).toBe(generationId)
    expect(generations).toEqual([{ generationId, traceId: 'trace_abc', event: '$ai_generation', isError: false, completionId: 'chatcmpl-abc123' }])
    expect(problems).toEqual([])
  })

  it('sends the SDK exactly the params it would have sent unwrapped', async () => {
    const { client } = observed()
    const before = server.requests.length
    const params = { model: 'gpt-4o-mini', messages: WEATHER_MESSAGES }
    await rawClient().chat.completions.create(params)
    await client.chat.completions.create(withAiscope(params, { traceId: 't1' }))
    await client.chat.completions.create({ ...params, aiscope: { traceId: 't2' } } as typeof params)
    const [unwrapped, bySymbol, byKey] = server.requests.slice(before)
    expect(bySymbol?.body).toBe(unwrapped?.body)
    expect(byKey?.body).toBe(unwrapped?.body)
  })

  it('takes per-call options from an aiscope key as well, for plain JavaScript', async () => {
    const { client, events } = observed()
    const params = { model: 'gpt-4o-mini', messages: WEATHER_MESSAGES, aiscope: { traceId: 'trace_js', generationId: 'gen_js' } }
    await client.chat.completions.create(params as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
    expect(onlyEvent(events).properties).toMatchObject({ $ai_trace_id: 'trace_js', $ai_generation_id: 'gen_js', $ai_span_id: 'gen_js' })
  })

  it('generates a trace id per call and marks the event anonymous when no user is named', async () => {
    const { client, events } = observed()
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES })
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES })
    const [first, second] = events
    expect(first?.properties?.$ai_trace_id).not.toBe(second?.properties?.$ai_trace_id)
    expect(first?.distinct_id).toBe(first?.properties?.$ai_trace_id)
    expect(first?.properties?.$process_person_profile).toBe(false)
  })

  it('returns the SDK APIPromise itself, so withResponse() and asResponse() still work', async () => {
    const { client, events } = observed()
    const promise = client.chat.completions.create({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES })
    expect(promise).toBeInstanceOf(APIPromise)
    const { data, response, request_id } = await promise.withResponse()
    expect(data).toEqual(CHAT_COMPLETION)
    expect(response.status).toBe(200)
    expect(request_id).toBe('req_xyz')
    expect(onlyEvent(events).properties.$ai_completion_id).toBe('chatcmpl-abc123')
  })

  it('measures latency in seconds', async () => {
    const { client, events } = observed()
    await client.chat.completions.create({ model: 'slow', messages: WEATHER_MESSAGES })
    const latency = onlyEvent(events).properties.$ai_latency as number
    expect(latency).toBeGreaterThan(0.15)
    expect(latency).toBeLessThan(2)
  })

  it('leaves the client itself and its other resources untouched', () => {
    const client = rawClient()
    const create = client.chat.completions.create
    const { target } = collector()
    const wrapped = observeOpenAI(client, { target })
    expect(client.chat.completions.create).toBe(create)
    expect(wrapped).toBeInstanceOf(OpenAI)
    expect(wrapped.models).toBe(client.models)
    expect(wrapped.chat.completions.messages).toBe(client.chat.completions.messages)
    expect(wrapped.baseURL).toBe(client.baseURL)
    expect(wrapped.chat).toBe(wrapped.chat)
    expect(wrapped.chat.completions.create).not.toBe(create)
    expect(() => observeOpenAI(client, { target: {} as never })).toThrow(/capture target/)
  })

  it('captures the chat.completions.stream() helper through the observed create', async () => {
    const { client, events } = observed()
    const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES, stream_options: { include_usage: true } })
    const final = await runner.finalChatCompletion()
    expect(final.choices[0]?.message.content).toBe('Let me check the weather.')
    await vi.waitFor(() => expect(events).toHaveLength(1))
    expect(onlyEvent(events).properties.$ai_output_tokens).toBe(30)
  })
})

describe('observeOpenAI: streaming', () => {
  const streamParams = {
    model: 'gpt-4o-mini',
    messages: WEATHER_MESSAGES,
    tools: [WEATHER_TOOL],
    stream: true as const,
    stream_options: { include_usage: true },
  }

  it('passes every chunk through as the SDK yielded it, and captures once at the end', async () => {
    const { client, events, problems } = observed()
    const sdkChunks = recordSdkChunks()
    const stream = await client.chat.completions.create(streamParams)
    expect(stream).toBeInstanceOf(Stream)
    expect(stream.controller).toBeInstanceOf(AbortController)
    expect(generationIdOf(stream)).toMatch(/^[0-9a-f-]{36}$/)

    const seen: unknown[] = []
    for await (const chunk of stream) {
      seen.push(chunk)
      expect(events).toHaveLength(0)
    }
    expect(seen).toEqual(CHAT_CHUNKS)
    expect(seen).toHaveLength(sdkChunks.length)
    seen.forEach((chunk, index) => expect(chunk).toBe(sdkChunks[index]))

    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({
      $ai_model: 'gpt-4o-mini',
      $ai_model_parameters: { stream: true, service_tier: 'default' },
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check the weather.' },
            { type: 'function', id: 'call_9', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
      ],
      $ai_input_tokens: 120,
      $ai_output_tokens: 30,
      $ai_cache_read_input_tokens: 64,
      $ai_stop_reason: 'tool_calls',
      $ai_completion_id: 'chatcmpl-stream1',
      $ai_http_status: 200,
      $ai_generation_id: generationIdOf(stream),
    })
    expect(properties).not.toHaveProperty('$ai_stream_cancelled')
    const ttft = properties.$ai_time_to_first_token as number
    const latency = properties.$ai_latency as number
    expect(ttft).toBeGreaterThan(0)
    expect(ttft).toBeLessThanOrEqual(latency)
    // Ten chunks 15 ms apart: the first content delta comes well before the end.
    expect(latency - ttft).toBeGreaterThan(0.05)
    expect(problems).toEqual([])
  })

  it('captures what was seen when the caller breaks out, and the SDK still aborts the request', async () => {
    const { client, events } = observed()
    const before = server.requests.length
    const stream = await client.chat.completions.create(streamParams)
    let count = 0
    for await (const chunk of stream) {
      expect(chunk).toEqual(CHAT_CHUNKS[count])
      count++
      if (count === 3) {
        break
      }
    }
    const { properties } = onlyEvent(events)
    expect(properties.$ai_stream_cancelled).toBe(true)
    expect(properties.$ai_is_error).toBeUndefined()
    expect(properties.$ai_output_choices).toEqual([{ role: 'assistant', content: [{ type: 'text', text: 'Let me check the ' }] }])
    expect(properties).not.toHaveProperty('$ai_input_tokens')
    expect(stream.controller.signal.aborted).toBe(true)
    await vi.waitFor(() => expect(server.requests[before]?.abortedByClient).toBe(true))
  })

  it('marks the stream cancelled when the caller aborts it through its controller', async () => {
    const { client, events } = observed()
    const stream = await client.chat.completions.create(streamParams)
    let count = 0
    for await (const chunk of stream) {
      void chunk
      count++
      if (count === 2) {
        stream.controller.abort()
      }
    }
    expect(count).toBeLessThan(CHAT_CHUNKS.length)
    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({ $ai_stream_cancelled: true, $ai_output_choices: [{ content: [{ type: 'text', text: 'Let me ' }] }] })
    expect(properties.$ai_is_error).toBeUndefined()
  })

  it('keeps tee() working: both halves get every chunk and the event is captured once', async () => {
    const { client, events } = observed()
    const stream = await client.chat.completions.create(streamParams)
    const [left, right] = stream.tee()
    const read = async (half: typeof left) => {
      const chunks: unknown[] = []
      for await (const chunk of half) {
        chunks.push(chunk)
      }
      return chunks
    }
    const [leftChunks, rightChunks] = await Promise.all([read(left), read(right)])
    expect(leftChunks).toEqual(CHAT_CHUNKS)
    expect(rightChunks).toEqual(CHAT_CHUNKS)
    rightChunks.forEach((chunk, index) => expect(chunk).toBe(leftChunks[index]))
    expect(onlyEvent(events).properties.$ai_output_tokens).toBe(30)
  })

  it('keeps toReadableStream() working', async () => {
    const { client, events } = observed()
    const stream = await client.chat.completions.create(streamParams)
    const text = await new Response(stream.toReadableStream()).text()
    const lines = text.trim().split('\n').map((line) => JSON.parse(line) as unknown)
    expect(lines).toEqual(CHAT_CHUNKS)
    expect(onlyEvent(events).properties.$ai_output_choices).toMatchObject([
      { content: [{ text: 'Let me check the weather.' }, { function: { arguments: '{"city":"Paris"}' } }] },
    ])
  })

  it('rethrows an error from inside the stream as it is, and captures it with the partial output', async () => {
    const { client, events } = observed()
    const read = async (target: OpenAI) => {
      const stream = await target.chat.completions.create({ ...streamParams, model: 'stream-error' })
      try {
        for await (const chunk of stream) {
          void chunk
        }
      } catch (error) {
        return error
      }
      throw new Error('the stream did not fail')
    }
    const unwrappedError = await read(rawClient())
    const error = await read(client)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect((error as Error).constructor).toBe((unwrappedError as Error).constructor)
    expect((error as Error).message).toBe((unwrappedError as Error).message)
    const { properties } = onlyEvent(events)
    expect(generationIdOf(error)).toBe(properties.$ai_generation_id)
    expect(properties).toMatchObject({ $ai_is_error: true, $ai_http_status: 500 })
    expect(parsedError(properties)).toMatchObject({ name: 'APIError', message: 'Upstream overloaded' })
    // The server sent three chunks before its error event: the role, "Let me ", "check the ".
    expect(properties.$ai_output_choices).toEqual([{ role: 'assistant', content: [{ type: 'text', text: 'Let me check the ' }] }])
  })
})

describe('observeOpenAI: errors', () => {
  async function failure(call: Promise<unknown>): Promise<unknown> {
    try {
      await call
    } catch (error) {
      return error
    }
    throw new Error('the call did not fail')
  }

  it('rethrows a 429 as the SDK RateLimitError and captures it', async () => {
    const { client, events } = observed()
    const params = { model: 'rate-limited', messages: WEATHER_MESSAGES, temperature: 0.2 }
    const unwrapped = await failure(rawClient().chat.completions.create(params))
    const error = await failure(client.chat.completions.create(params))

    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect((error as Error).constructor).toBe((unwrapped as Error).constructor)
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).status).toBe(429)
    expect((error as Error).message).toBe((unwrapped as Error).message)

    const event = onlyEvent(events)
    expect(generationIdOf(error)).toBe(event.properties.$ai_generation_id)
    expect(event.properties).toMatchObject({
      $ai_http_status: 429,
      $ai_is_error: true,
      $ai_output_choices: [],
      $ai_input: WEATHER_MESSAGES,
      $ai_model: 'rate-limited',
      $ai_model_parameters: { temperature: 0.2 },
    })
    expect(event.properties).not.toHaveProperty('$ai_input_tokens')
    expect(parsedError(event.properties)).toEqual({
      name: 'RateLimitError',
      message: '429 Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.',
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
    })
  })

  it('rethrows a 500 as the SDK InternalServerError and captures it', async () => {
    const { client, events } = observed()
    const error = await failure(client.chat.completions.create({ model: 'server-error', messages: WEATHER_MESSAGES }))
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({ $ai_http_status: 500, $ai_is_error: true })
    expect(parsedError(properties)).toMatchObject({ name: 'InternalServerError', status: 500, type: 'server_error' })
  })

  it('rethrows a timeout as the SDK APIConnectionTimeoutError and captures it', async () => {
    const { client, events } = observed({ timeout: 150 })
    const error = await failure(client.chat.completions.create({ model: 'hang', messages: WEATHER_MESSAGES }))
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError)
    const { properties } = onlyEvent(events)
    expect(generationIdOf(error)).toBe(properties.$ai_generation_id)
    expect(properties).toMatchObject({ $ai_is_error: true, $ai_http_status: 500 })
    expect(parsedError(properties)).toMatchObject({ name: 'APIConnectionTimeoutError', message: 'Request timed out.' })
    expect(properties.$ai_latency as number).toBeGreaterThanOrEqual(0.14)
    expect(properties.$ai_latency as number).toBeLessThan(2)
  })
})

describe('observeOpenAI: embeddings and Responses', () => {
  it('captures an $ai_embedding with its input and input tokens', async () => {
    const { client, events } = observed()
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'] })
    expect(result.data[0]?.embedding).toEqual(EMBEDDING_VECTOR)
    const event = onlyEvent(events)
    expect(event.event).toBe('$ai_embedding')
    expect(event.properties).toMatchObject({
      $ai_provider: 'openai',
      $ai_model: 'text-embedding-3-small',
      $ai_input: ['hello', 'world'],
      $ai_output_choices: null,
      $ai_input_tokens: 8,
      $ai_http_status: 200,
    })
    expect(event.properties).not.toHaveProperty('$ai_output_tokens')
    expect(event.properties).not.toHaveProperty('$ai_cache_reporting_exclusive')
  })

  it('captures a Responses API call: instructions as the system message, reasoning, text and function call out', async () => {
    const { client, events } = observed()
    const response = await client.responses.create({
      model: 'gpt-4.1-mini',
      instructions: 'Be brief.',
      input: 'Weather in Paris?',
      max_output_tokens: 100,
    })
    expect(response.output_text).toBe('Checking Paris.')
    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({
      $ai_model: 'gpt-4.1-mini',
      $ai_model_parameters: { max_output_tokens: 100, service_tier: 'default' },
      $ai_input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'User wants weather.' },
            { type: 'text', text: 'Checking Paris.' },
            { type: 'function', id: 'call_r1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
      ],
      $ai_input_tokens: 200,
      $ai_output_tokens: 50,
      $ai_cache_read_input_tokens: 128,
      $ai_reasoning_tokens: 12,
      $ai_stop_reason: 'completed',
      $ai_completion_id: 'resp_123',
      $ai_usage: RESPONSE.usage,
    })
  })

  it('captures a streamed Responses API call, passing its events through', async () => {
    const { client, events } = observed()
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: [{ role: 'user', content: 'Weather?' }], stream: true })
    const seen: unknown[] = []
    for await (const event of stream) {
      seen.push(event)
    }
    expect(seen).toEqual(RESPONSE_EVENTS)
    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({
      $ai_input: [{ role: 'user', content: 'Weather?' }],
      $ai_output_tokens: 50,
      $ai_completion_id: 'resp_123',
      $ai_stop_reason: 'completed',
    })
    expect(properties.$ai_output_choices).toMatchObject([{ content: [{ type: 'reasoning' }, { type: 'text', text: 'Checking Paris.' }, { type: 'function' }] }])
    expect(properties.$ai_time_to_first_token as number).toBeLessThanOrEqual(properties.$ai_latency as number)
  })
})

describe('observeOpenAI: privacy', () => {
  it('stores no content in privacy mode, per client or per call', async () => {
    const perClient = observed({ privacyMode: true })
    await perClient.client.chat.completions.create({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES })
    const perCall = observed()
    await perCall.client.chat.completions.create(withAiscope({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES }, { privacyMode: true }))
    for (const { events } of [perClient, perCall]) {
      const { properties } = onlyEvent(events)
      expect(properties.$ai_input).toBeNull()
      expect(properties.$ai_output_choices).toBeNull()
      expect(properties.$ai_input_tokens).toBe(120)
      expect(JSON.stringify(properties)).not.toContain('Paris')
    }
  })

  it('applies redact to the properties before capture', async () => {
    const { target, events } = collector()
    const client = observeOpenAI(rawClient(), {
      target,
      redact: (properties) => ({ ...properties, $ai_input: '[redacted]', team: 'search' }),
    })
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: WEATHER_MESSAGES })
    expect(onlyEvent(events).properties).toMatchObject({ $ai_input: '[redacted]', team: 'search', $ai_output_tokens: 30 })
  })
})
