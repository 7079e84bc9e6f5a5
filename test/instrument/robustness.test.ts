import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { observeOpenAI, withAiscope } from '../../src/instrument'
import { collector, onlyEvent } from './collect'
import { CHAT_CHUNKS, CHAT_COMPLETION, startMockLlmServer, type MockLlmServer } from './mockLlmServer'

let server: MockLlmServer

beforeAll(async () => {
  server = await startMockLlmServer()
})

afterAll(async () => {
  await server.close()
})

function rawClient() {
  return new OpenAI({ apiKey: 'sk-test', baseURL: server.openaiBaseURL, maxRetries: 0 })
}

const MESSAGES = [{ role: 'user' as const, content: 'Weather in Paris?' }]

describe('a wrapped call survives whatever the instrumentation meets', () => {
  it('returns the result when the capture target throws, and reports it', async () => {
    const problems: Error[] = []
    const failure = new Error('disk full')
    const client = observeOpenAI(rawClient(), {
      target: {
        capture() {
          throw failure
        },
      },
      onError: (problem) => problems.push(problem),
    })
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
    expect(completion).toEqual(CHAT_COMPLETION)
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true })
    const chunks: unknown[] = []
    for await (const chunk of stream) {
      chunks.push(chunk)
    }
    expect(chunks).toEqual(CHAT_CHUNKS)
    expect(problems.map((problem) => [problem.message, problem.cause])).toEqual([
      ['aiscope: the capture target threw while capturing $ai_generation', failure],
      ['aiscope: the capture target threw while capturing $ai_generation', failure],
    ])
  })

  it('survives callbacks that throw: onGeneration, redact, and onError itself', async () => {
    const { target, events } = collector()
    const client = observeOpenAI(rawClient(), {
      target,
      onGeneration: () => {
        throw new Error('callback bug')
      },
      onError: () => {
        throw new Error('handler bug')
      },
    })
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })).resolves.toEqual(CHAT_COMPLETION)
    expect(events).toHaveLength(1)

    const redacting = collector()
    const redacted = observeOpenAI(rawClient(), {
      target: redacting.target,
      onError: redacting.onError,
      redact: () => {
        throw new Error('redact bug')
      },
    })
    await expect(redacted.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })).resolves.toEqual(CHAT_COMPLETION)
    // Content the redactor should have removed must not leak: the event is dropped.
    expect(redacting.events).toEqual([])
    expect(redacting.problems[0]?.message).toBe('aiscope: redact threw; $ai_generation was not captured')
  })

  it('copies cyclic per-call properties and cyclic content safely', async () => {
    const { target, events, problems, onError } = collector()
    const client = observeOpenAI(rawClient(), { target, onError })
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    // The SDK sends what toJSON returns; the object itself holds a cycle.
    const content = { text: 'Weather in Paris?', owner: null as unknown, toJSON: () => 'Weather in Paris?' }
    content.owner = content
    const completion = await client.chat.completions.create(
      withAiscope(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: content as unknown as string }] },
        { properties: { context: cyclic } },
      ),
    )
    expect(completion).toEqual(CHAT_COMPLETION)
    const { properties } = onlyEvent(events)
    expect(properties.context).toEqual({ name: 'loop', self: '[Circular]' })
    expect(properties.$ai_input).toEqual([{ role: 'user', content: 'Weather in Paris?' }])
    expect(() => JSON.stringify(properties)).not.toThrow()
    expect(problems).toEqual([])
  })

  it('rethrows the error of params the SDK itself cannot send, and captures it', async () => {
    const { target, events } = collector()
    const client = observeOpenAI(rawClient(), { target })
    const cyclicMessage: Record<string, unknown> = { role: 'user', content: 'hi' }
    cyclicMessage.again = cyclicMessage
    const params = { model: 'gpt-4o-mini', messages: [cyclicMessage] } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming
    const unwrapped = await rawClient().chat.completions.create(params).catch((error: unknown) => error)
    const wrapped = await client.chat.completions.create(params).catch((error: unknown) => error)
    expect(unwrapped).toBeInstanceOf(Error)
    expect((wrapped as Error).constructor).toBe((unwrapped as Error).constructor)
    expect((wrapped as Error).message).toBe((unwrapped as Error).message)
    const { properties } = onlyEvent(events)
    expect(properties.$ai_is_error).toBe(true)
    expect(properties.$ai_input).toEqual([{ role: 'user', content: 'hi', again: '[Circular]' }])
  })

  it('keeps __proto__ keys as plain data and pollutes no prototype', async () => {
    const { target, events } = collector()
    const client = observeOpenAI(rawClient(), { target })
    const hostProperties = JSON.parse('{"__proto__": {"polluted": "yes"}, "team": "search"}') as Record<string, unknown>
    const message = JSON.parse('{"role": "user", "content": "hi", "__proto__": {"isAdmin": true}}') as { role: 'user'; content: string }
    await client.chat.completions.create(withAiscope({ model: 'gpt-4o-mini', messages: [message] }, { properties: hostProperties }))
    const { properties } = onlyEvent(events)
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype)
    expect(Object.hasOwn(properties, '__proto__')).toBe(true)
    expect(properties.team).toBe('search')
    expect((properties as { polluted?: unknown }).polluted).toBeUndefined()
    expect(({} as { polluted?: unknown; isAdmin?: unknown }).polluted).toBeUndefined()
    const [inputMessage] = properties.$ai_input as Record<string, unknown>[]
    expect(Object.getPrototypeOf(inputMessage)).toBe(Object.prototype)
    expect((inputMessage as { isAdmin?: unknown }).isAdmin).toBeUndefined()
  })

  it('handles a huge prompt: the call returns the same result and the event keeps the input', async () => {
    const { target, events } = collector()
    const client = observeOpenAI(rawClient(), { target })
    const huge = 'x'.repeat(5_000_000)
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: huge }] })
    expect(completion).toEqual(CHAT_COMPLETION)
    const [message] = onlyEvent(events).properties.$ai_input as { content: string }[]
    expect(message?.content).toHaveLength(5_000_000)
  })

  it('snapshots the input when the call starts, before the host appends the answer', async () => {
    const { target, events } = collector()
    const client = observeOpenAI(rawClient(), { target })
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })
    messages.push({ role: 'assistant', content: 'appended while streaming' })
    for await (const chunk of stream) {
      void chunk
    }
    expect(onlyEvent(events).properties.$ai_input).toEqual([{ role: 'user', content: 'Weather in Paris?' }])
  })
})
