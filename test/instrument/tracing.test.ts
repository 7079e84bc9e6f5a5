import { describe, expect, it, vi } from 'vitest'
import { observeFetch, startTrace, withAiscope, type FetchLike } from '../../src/instrument'
import { collector, parsedError } from './collect'
import { CHAT_COMPLETION } from './mockLlmServer'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A fetch that answers every chat completion from the fixture, with no server. */
const fixtureFetch: FetchLike = () => Promise.resolve(Response.json(CHAT_COMPLETION))

function chatRequest(): RequestInit {
  return { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) }
}

describe('startTrace', () => {
  it('captures $ai_trace and nested $ai_span events, and puts a generation under its span', async () => {
    const { target, events, problems, onError } = collector()
    const trace = startTrace(target, {
      name: 'answer question',
      traceId: 'trace_1',
      sessionId: 'sess_1',
      distinctId: 'user_1',
      input: { question: 'Weather?' },
      onError,
    })
    const agent = trace.span('agent', { type: 'agent' })
    const search = agent.span('search docs', { type: 'retrieval', input: { query: 'weather' } })
    await pause(60)
    search.end({ output: { hits: 3 } })

    const observedFetch = observeFetch(fixtureFetch, { target, onError })
    await observedFetch('https://api.test/v1/chat/completions', withAiscope(chatRequest(), agent.context))
    await vi.waitFor(() => expect(events.map((event) => event.event)).toContain('$ai_generation'))
    agent.end()
    trace.end({ output: { answer: 'Sunny' } })

    const byName = Object.fromEntries(events.map((event) => [String(event.properties?.$ai_span_name ?? event.event), event]))
    expect(byName['search docs']).toMatchObject({
      event: '$ai_span',
      distinct_id: 'user_1',
      properties: {
        $ai_trace_id: 'trace_1',
        $ai_span_id: search.spanId,
        $ai_parent_id: agent.spanId,
        $ai_span_type: 'retrieval',
        $ai_session_id: 'sess_1',
        $ai_input_state: { query: 'weather' },
        $ai_output_state: { hits: 3 },
        $ai_lib: 'aiscope',
      },
    })
    expect(byName.agent?.properties).toMatchObject({ $ai_span_id: agent.spanId, $ai_parent_id: 'trace_1', $ai_span_type: 'agent' })
    expect(byName.$ai_generation).toMatchObject({
      distinct_id: 'user_1',
      properties: { $ai_trace_id: 'trace_1', $ai_parent_id: agent.spanId, $ai_session_id: 'sess_1' },
    })
    expect(byName['answer question']).toMatchObject({
      event: '$ai_trace',
      properties: { $ai_trace_id: 'trace_1', $ai_input_state: { question: 'Weather?' }, $ai_output_state: { answer: 'Sunny' } },
    })
    expect(byName['answer question']?.properties).not.toHaveProperty('$ai_parent_id')

    const searchLatency = byName['search docs']?.properties?.$ai_latency as number
    const traceLatency = byName['answer question']?.properties?.$ai_latency as number
    expect(searchLatency).toBeGreaterThan(0.04)
    expect(searchLatency).toBeLessThan(2)
    expect(traceLatency).toBeGreaterThanOrEqual(searchLatency)
    expect(problems).toEqual([])
  })

  it('records an error, and counts only the first end()', () => {
    const { target, events, problems, onError } = collector()
    const trace = startTrace(target, { name: 'failing', onError })
    const tool = trace.span('call tool', { type: 'tool' })
    tool.end({ error: new RangeError('city not found') })
    tool.end()
    trace.end({ error: 'gave up' })
    expect(events).toHaveLength(2)
    const [toolEvent, traceEvent] = events
    expect(toolEvent?.properties?.$ai_is_error).toBe(true)
    expect(parsedError(toolEvent?.properties ?? {})).toEqual({ name: 'RangeError', message: 'city not found' })
    expect(parsedError(traceEvent?.properties ?? {})).toEqual({ name: 'Error', message: 'gave up' })
    expect(traceEvent?.distinct_id).toBe(trace.traceId)
    expect(traceEvent?.properties?.$process_person_profile).toBe(false)
    expect(problems.map((problem) => problem.message)).toEqual(['aiscope: end() was called twice on $ai_span "call tool"; only the first counts'])
  })

  it('stores no state in privacy mode and passes it on to generations through context', async () => {
    const { target, events } = collector()
    const trace = startTrace(target, { name: 'private', privacyMode: true, input: { secret: 'prompt' } })
    const step = trace.span('step', { input: { secret: 'x' } })
    await observeFetch(fixtureFetch, { target, ...step.context })('https://api.test/v1/chat/completions', chatRequest())
    await vi.waitFor(() => expect(events).toHaveLength(1))
    step.end({ output: 'secret' })
    trace.end({ output: 'secret' })
    expect(JSON.stringify(events)).not.toContain('secret')
    expect(events[0]?.properties).toMatchObject({ $ai_input: null, $ai_output_choices: null, $ai_parent_id: step.spanId })
  })

  it('refuses to start without a capture target', () => {
    expect(() => startTrace(undefined as never, { name: 'x' })).toThrow(/capture target/)
  })
})
