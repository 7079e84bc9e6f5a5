import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { generationIdOf, observeAnthropic, withAiscope } from '../../src/instrument'
import { collector, onlyEvent, parsedError } from './collect'
import {
  ANTHROPIC_EVENTS,
  ANTHROPIC_MESSAGE,
  ANTHROPIC_TOOL,
  ANTHROPIC_USAGE,
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

function rawClient() {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.origin, maxRetries: 0 })
}

function observed() {
  const collected = collector()
  const client = observeAnthropic(rawClient(), { target: collected.target, onError: collected.onError })
  return { client, ...collected }
}

const MESSAGES = [{ role: 'user' as const, content: 'Weather in Paris?' }]

describe('observeAnthropic', () => {
  it('captures a message with text, a tool_use and cache tokens, the system prompt first', async () => {
    const { client, events, problems } = observed()
    const message = await client.messages.create(
      withAiscope(
        { model: 'claude-sonnet-5-5', max_tokens: 1024, system: 'You are helpful.', messages: MESSAGES, tools: [ANTHROPIC_TOOL], temperature: 0.5 },
        { traceId: 'trace_a', distinctId: 'user_9' },
      ),
    )
    expect(message).toEqual(ANTHROPIC_MESSAGE)
    const event = onlyEvent(events)
    const generationId = event.properties.$ai_generation_id
    expect(generationIdOf(message)).toBe(generationId)
    expect(event.distinct_id).toBe('user_9')
    expect(event.properties).toEqual({
      $ai_lib: 'aiscope',
      $ai_lib_version: '0.1.0',
      $ai_provider: 'anthropic',
      $ai_model: 'claude-sonnet-5-5',
      $ai_model_parameters: { temperature: 0.5, max_tokens: 1024 },
      $ai_input: [{ role: 'system', content: 'You are helpful.' }, ...MESSAGES],
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'I will look it up.' },
            { type: 'function', id: 'toolu_01', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        },
      ],
      $ai_http_status: 200,
      $ai_input_tokens: 21,
      $ai_output_tokens: 64,
      $ai_cache_read_input_tokens: 1800,
      $ai_cache_creation_input_tokens: 100,
      $ai_usage: ANTHROPIC_USAGE,
      $ai_latency: expect.any(Number),
      $ai_trace_id: 'trace_a',
      $ai_span_id: generationId,
      $ai_generation_id: generationId,
      $ai_base_url: server.origin,
      $ai_cache_reporting_exclusive: true,
      $ai_tokens_source: 'sdk',
      $ai_stop_reason: 'tool_use',
      $ai_tools: [ANTHROPIC_TOOL],
      $ai_completion_id: 'msg_01abc',
      $ai_provider_metadata: { request_id: 'req_ant_1' },
    })
    expect(problems).toEqual([])
  })

  it('passes a stream of thinking, text and tool input through and accumulates it', async () => {
    const { client, events, problems } = observed()
    const stream = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 64000, messages: MESSAGES, stream: true })
    const seen: unknown[] = []
    for await (const event of stream) {
      seen.push(event)
    }
    expect(seen).toEqual(ANTHROPIC_EVENTS)
    const { properties } = onlyEvent(events)
    expect(properties).toMatchObject({
      $ai_model_parameters: { max_tokens: 64000, stream: true },
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'The user wants the weather.' },
            { type: 'text', text: 'Looking it up.' },
            { type: 'function', id: 'toolu_02', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
          ],
        },
      ],
      $ai_input_tokens: 21,
      $ai_output_tokens: 87,
      $ai_cache_read_input_tokens: 1800,
      $ai_cache_creation_input_tokens: 100,
      $ai_stop_reason: 'tool_use',
      $ai_completion_id: 'msg_02stream',
      $ai_cache_reporting_exclusive: true,
      $ai_provider_metadata: { request_id: 'req_ant_1' },
    })
    expect(properties.$ai_time_to_first_token as number).toBeGreaterThan(0)
    expect(properties.$ai_time_to_first_token as number).toBeLessThanOrEqual(properties.$ai_latency as number)
    expect(problems).toEqual([])
  })

  it('captures messages.stream() through the observed create', async () => {
    const { client, events } = observed()
    const texts: string[] = []
    const final = await client.messages
      .stream({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages: MESSAGES })
      .on('text', (text) => texts.push(text))
      .finalMessage()
    expect(texts.join('')).toBe('Looking it up.')
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use'])
    await vi.waitFor(() => expect(events).toHaveLength(1))
    expect(onlyEvent(events).properties).toMatchObject({ $ai_output_tokens: 87, $ai_stop_reason: 'tool_use' })
  })

  it('rethrows a 429 as the SDK RateLimitError and captures it', async () => {
    const { client, events } = observed()
    const params = { model: 'rate-limited', max_tokens: 10, messages: MESSAGES }
    const unwrapped = await rawClient().messages.create(params).catch((error: unknown) => error)
    const error = await client.messages.create(params).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Anthropic.RateLimitError)
    expect((error as Error).constructor).toBe((unwrapped as Error).constructor)
    expect((error as Error).message).toBe((unwrapped as Error).message)
    const { properties } = onlyEvent(events)
    expect(generationIdOf(error)).toBe(properties.$ai_generation_id)
    expect(properties).toMatchObject({ $ai_http_status: 429, $ai_is_error: true, $ai_output_choices: [] })
    expect(parsedError(properties)).toMatchObject({ name: 'RateLimitError', status: 429, type: 'rate_limit_error' })
  })

  it('rethrows an error the SDK throws before sending, as it is', () => {
    const { client, events } = observed()
    // A non-streaming call this long is refused by the SDK itself, synchronously.
    const call = () => client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 1_000_000, messages: MESSAGES })
    expect(call).toThrow(Anthropic.AnthropicError)
    expect(onlyEvent(events).properties).toMatchObject({ $ai_is_error: true, $ai_http_status: 500 })
  })
})
