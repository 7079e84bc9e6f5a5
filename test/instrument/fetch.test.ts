import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AISCOPE_CALL, generationIdOf, observeFetch, withAiscope, type FetchLike } from '../../src/instrument'
import { collector, onlyEvent, parsedError } from './collect'
import { CHAT_CHUNKS, CHAT_COMPLETION, RESPONSE, sseText, startMockLlmServer, type MockLlmServer } from './mockLlmServer'

let server: MockLlmServer

beforeAll(async () => {
  server = await startMockLlmServer()
})

afterAll(async () => {
  await server.close()
})

const MESSAGES = [{ role: 'user', content: 'Weather in Paris?' }]

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

/** `fetch` that remembers the Responses it returned and the inits it was given. */
function spyFetch() {
  const responses: Response[] = []
  const inits: (RequestInit | undefined)[] = []
  const fetchImpl: FetchLike = async (input, init) => {
    inits.push(init)
    const response = await fetch(input, init)
    responses.push(response)
    return response
  }
  return { fetchImpl, responses, inits }
}

function observed(fetchImpl: FetchLike = fetch) {
  const collected = collector()
  return { fetch: observeFetch(fetchImpl, { target: collected.target, onError: collected.onError }), ...collected }
}

describe('observeFetch', () => {
  it('captures a JSON chat completion and returns the very Response, its body unread', async () => {
    const spy = spyFetch()
    const { fetch: observedFetch, events, problems } = observed(spy.fetchImpl)
    const url = `${server.openaiBaseURL}/chat/completions`
    const params = { model: 'gpt-4o-mini', messages: MESSAGES, temperature: 0.2 }
    const unwrappedText = await (await fetch(url, post(params))).text()

    const response = await observedFetch(url, post(params))
    expect(response).toBe(spy.responses[0])
    expect(response.bodyUsed).toBe(false)
    expect(await response.text()).toBe(unwrappedText)
    expect(JSON.parse(unwrappedText)).toEqual(CHAT_COMPLETION)

    await vi.waitFor(() => expect(events).toHaveLength(1))
    const { properties } = onlyEvent(events)
    expect(generationIdOf(response)).toBe(properties.$ai_generation_id)
    expect(properties).toMatchObject({
      $ai_provider: 'openai',
      $ai_model: 'gpt-4o-mini',
      $ai_model_parameters: { temperature: 0.2, service_tier: 'default' },
      $ai_input: MESSAGES,
      $ai_output_choices: [{ role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'function', id: 'call_1' }] }],
      $ai_input_tokens: 120,
      $ai_output_tokens: 30,
      $ai_cache_read_input_tokens: 64,
      $ai_http_status: 200,
      $ai_base_url: server.openaiBaseURL,
      $ai_completion_id: 'chatcmpl-abc123',
      $ai_provider_metadata: { system_fingerprint: 'fp_123', request_id: 'req_xyz' },
    })
    expect(problems).toEqual([])
  })

  it('passes an event stream through chunk for chunk and captures it when the caller has read it', async () => {
    const sourceChunks: Uint8Array[] = []
    const fetchImpl: FetchLike = async (input, init) => {
      const response = await fetch(input, init)
      const recorded = response.body?.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(bytes, controller) {
            sourceChunks.push(bytes)
            controller.enqueue(bytes)
          },
        }),
      )
      return new Response(recorded, { status: response.status, headers: response.headers })
    }
    const { fetch: observedFetch, events } = observed(fetchImpl)
    const params = { model: 'gpt-4o-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } }
    const response = await observedFetch(`${server.openaiBaseURL}/chat/completions`, post(params))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(response.headers.get('x-request-id')).toBe('req_xyz')
    expect(generationIdOf(response)).toMatch(/^[0-9a-f-]{36}$/)

    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const received: Uint8Array[] = []
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received.push(read.value)
      expect(events).toHaveLength(0)
    }
    expect(received.length).toBe(sourceChunks.length)
    received.forEach((bytes, index) => expect(bytes).toBe(sourceChunks[index]))
    expect(new TextDecoder().decode(Buffer.concat(received))).toBe(sseText(CHAT_CHUNKS, false))

    const { properties } = onlyEvent(events)
    expect(properties.$ai_generation_id).toBe(generationIdOf(response))
    expect(properties).toMatchObject({
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
      $ai_stop_reason: 'tool_calls',
    })
    expect(properties.$ai_time_to_first_token as number).toBeLessThanOrEqual(properties.$ai_latency as number)
  })

  it('reads back a streamed body byte-identical to the unwrapped fetch', async () => {
    const { fetch: observedFetch } = observed()
    const url = `${server.openaiBaseURL}/responses`
    const params = { model: 'gpt-4.1-mini', input: 'Weather?', stream: true }
    const [unwrapped, wrapped] = await Promise.all([fetch(url, post(params)), observedFetch(url, post(params))])
    const [unwrappedBytes, wrappedBytes] = await Promise.all([unwrapped.arrayBuffer(), wrapped.arrayBuffer()])
    expect(new Uint8Array(wrappedBytes)).toEqual(new Uint8Array(unwrappedBytes))
    expect(wrapped.url).toBe(unwrapped.url)
  })

  it('cancels the request when the caller cancels the body, and captures what was seen', async () => {
    const { fetch: observedFetch, events } = observed()
    const before = server.requests.length
    const response = await observedFetch(`${server.openaiBaseURL}/chat/completions`, post({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }))
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    await reader.cancel()
    const { properties } = onlyEvent(events)
    expect(properties.$ai_stream_cancelled).toBe(true)
    await vi.waitFor(() => expect(server.requests[before]?.abortedByClient).toBe(true))
  })

  it('captures a 429 and leaves its body to the caller', async () => {
    const { fetch: observedFetch, events } = observed()
    const url = `${server.openaiBaseURL}/chat/completions`
    const params = { model: 'rate-limited', messages: MESSAGES }
    const unwrappedText = await (await fetch(url, post(params))).text()
    const response = await observedFetch(url, post(params))
    expect(response.status).toBe(429)
    expect(await response.text()).toBe(unwrappedText)
    await vi.waitFor(() => expect(events).toHaveLength(1))
    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({ $ai_http_status: 429, $ai_is_error: true, $ai_output_choices: [] })
    expect(parsedError(properties)).toEqual({
      name: 'APIError',
      message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.',
      status: 429,
      type: 'requests',
      code: 'rate_limit_exceeded',
    })
  })

  it('rethrows a network error as it was, and captures it', async () => {
    const failure = new TypeError('fetch failed')
    const { fetch: observedFetch, events } = observed(() => Promise.reject(failure))
    const caught = await observedFetch(`${server.openaiBaseURL}/embeddings`, post({ model: 'text-embedding-3-small', input: 'hi' })).catch(
      (error: unknown) => error,
    )
    expect(caught).toBe(failure)
    const event = onlyEvent(events)
    expect(event.event).toBe('$ai_embedding')
    expect(event.properties).toMatchObject({ $ai_is_error: true, $ai_http_status: 500, $ai_input: 'hi' })
    expect(parsedError(event.properties)).toMatchObject({ name: 'TypeError', message: 'fetch failed' })
  })

  it('passes other requests straight through', async () => {
    const sentinel = Promise.resolve(new Response('ok'))
    const fetchImpl = vi.fn<FetchLike>(() => sentinel)
    const { fetch: observedFetch, events } = observed(fetchImpl)
    const init = { method: 'GET' }
    expect(observedFetch(`${server.openaiBaseURL}/models`, init)).toBe(sentinel)
    expect(observedFetch('https://example.test/v1/chat/completions', { method: 'GET' })).toBe(sentinel)
    expect(fetchImpl).toHaveBeenNthCalledWith(1, `${server.openaiBaseURL}/models`, init)
    expect(events).toEqual([])
  })

  it('reads a Request object without consuming it, and takes per-call options from the init', async () => {
    const spy = spyFetch()
    const { fetch: observedFetch, events } = observed(spy.fetchImpl)
    const request = new Request(`${server.openaiBaseURL}/responses`, post({ model: 'gpt-4.1-mini', instructions: 'Be brief.', input: 'Weather?' }))
    const response = await observedFetch(request, withAiscope({}, { traceId: 'trace_fetch', generationId: 'gen_fetch' }))
    expect(await response.json()).toEqual(RESPONSE)
    expect(spy.inits[0]).toEqual({})
    expect(Object.getOwnPropertySymbols(spy.inits[0])).not.toContain(AISCOPE_CALL)
    await vi.waitFor(() => expect(events).toHaveLength(1))
    expect(onlyEvent(events).properties).toMatchObject({
      $ai_trace_id: 'trace_fetch',
      $ai_generation_id: 'gen_fetch',
      $ai_input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
      ],
      $ai_output_tokens: 50,
      $ai_base_url: server.openaiBaseURL,
    })
  })

  it('lets options.match choose the requests, and reports a match function that throws', async () => {
    const { target, events, problems, onError } = collector()
    const fetchImpl = vi.fn<FetchLike>(() => Promise.resolve(Response.json(CHAT_COMPLETION)))
    const observedFetch = observeFetch(fetchImpl, {
      target,
      onError,
      match: (url) => {
        if (url.hostname === 'broken.test') {
          throw new Error('bad matcher')
        }
        return url.pathname === '/llm'
      },
    })
    await observedFetch('https://proxy.test/llm', post({ model: 'm', messages: MESSAGES }))
    await observedFetch('https://broken.test/llm', post({ model: 'm', messages: MESSAGES }))
    await vi.waitFor(() => expect(events).toHaveLength(1))
    expect(onlyEvent(events).properties).toMatchObject({ $ai_base_url: 'https://proxy.test/llm', $ai_output_tokens: 30 })
    expect(problems.map((problem) => problem.message)).toEqual(['aiscope: observeFetch match threw; the request was not observed'])
  })

  it('serves as the fetch of an SDK client', async () => {
    const { target, events } = collector()
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: server.openaiBaseURL,
      maxRetries: 0,
      fetch: observeFetch(fetch, { target, provider: 'openai-compatible' }),
    })
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })
    const seen: unknown[] = []
    for await (const chunk of stream) {
      seen.push(chunk)
    }
    expect(seen).toEqual(CHAT_CHUNKS)
    expect(onlyEvent(events).properties).toMatchObject({ $ai_provider: 'openai-compatible', $ai_output_tokens: 30 })
  })
})
