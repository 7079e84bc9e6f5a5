/**
 * Data of the trace-explorer stories (and of the tests that check what they show): one
 * trace per message dialect `toChatMessages` reads, a deeply nested trace and a 10k-span
 * trace, all in PostHog's envelope, made without randomness.
 */
import type { AiscopeEvent } from '../src/schema'

/** The time the stories' traces start. */
export const STORY_T0_MS = Date.UTC(2026, 10, 26, 14, 0)

const at = (ms: number) => new Date(STORY_T0_MS + ms).toISOString()

/** A message dialect, as the stories name it. */
export type StoryDialect = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'vercel-ai'

interface DialectSample {
  title: string
  model: string
  provider: string
  input: unknown
  output: unknown
}

const TINY_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

/** One conversation per dialect: system or instructions, a user turn with an image, a tool call and its result, reasoning, and the answer. */
export const DIALECT_SAMPLES: Record<StoryDialect, DialectSample> = {
  'openai-chat': {
    title: 'OpenAI chat completions',
    model: 'gpt-4o',
    provider: 'openai',
    input: [
      { role: 'system', content: 'You are Relay, a support assistant. Answer in two sentences.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Is this the parcel from order A-9?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${TINY_PNG}` } },
        ],
      },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A-9"}' } }] },
      { role: 'tool', tool_call_id: 'call_9', content: '{"status":"shipped","carrier":"DHL"}' },
    ],
    output: [{ role: 'assistant', content: 'Yes: order A-9 shipped with DHL yesterday.' }],
  },
  'openai-responses': {
    title: 'OpenAI Responses',
    model: 'o3-mini',
    provider: 'openai',
    input: [
      { type: 'message', role: 'developer', content: 'Cite the help centre.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'How do I reset SSO?' }] },
      { type: 'function_call', call_id: 'fc_1', name: 'search_help_center', arguments: '{"query":"reset SSO"}' },
      { type: 'function_call_output', call_id: 'fc_1', output: '[1] Settings → Security → Reset SSO' },
    ],
    output: [
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'The article covers it; answer with the path.' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Open Settings → Security → Reset SSO [1].' }] },
    ],
  },
  anthropic: {
    title: 'Anthropic messages',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    input: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Is this the parcel from order A-9?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_7', name: 'lookup_order', input: { order_id: 'A-9' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_7', content: 'shipped with DHL' }] },
    ],
    output: [
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'The tool says shipped; the photo matches the DHL label.' },
          { type: 'text', text: 'Yes, that is order A-9: it shipped with DHL.' },
        ],
      },
    ],
  },
  gemini: {
    title: 'Google Gemini',
    model: 'gemini-2.5-pro',
    provider: 'gemini',
    input: {
      systemInstruction: { parts: [{ text: 'You are Relay, a support assistant.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'What is the weather at the Oslo office?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 3, sky: 'snow' } } }] },
      ],
    },
    output: [{ role: 'model', parts: [{ text: 'Snow is likely, so I answer about the cold.', thought: true }, { text: 'It is 3 °C and snowing in Oslo.' }] }],
  },
  'vercel-ai': {
    title: 'Vercel AI SDK',
    model: 'gpt-4.1',
    provider: 'openai',
    input: [
      { role: 'system', content: 'You are Relay, a support assistant.' },
      { role: 'user', content: [{ type: 'text', text: 'Find the refund policy.' }, { type: 'image', image: 'https://example.com/screenshot.png' }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'tc_1', toolName: 'search_docs', args: { q: 'refund policy' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'tc_1', toolName: 'search_docs', result: { hits: 2, top: 'Refunds within 30 days' } }] },
    ],
    output: [{ role: 'assistant', content: [{ type: 'reasoning', text: 'Two hits; the first is the policy.' }, { type: 'text', text: 'Refunds are accepted within 30 days.' }] }],
  },
}

/** A trace of one call in a dialect: a `$ai_trace` and its `$ai_generation`. */
export function dialectTrace(dialect: StoryDialect): AiscopeEvent[] {
  const sample = DIALECT_SAMPLES[dialect]
  const traceId = `trace-${dialect}`
  return [
    {
      event: '$ai_trace',
      uuid: `${traceId}-root`,
      distinct_id: 'story-user',
      timestamp: at(0),
      properties: { $ai_trace_id: traceId, $ai_span_name: `${sample.title} conversation`, $ai_latency: 2.4 },
    },
    {
      event: '$ai_generation',
      uuid: `${traceId}-call`,
      distinct_id: 'story-user',
      timestamp: at(100),
      properties: {
        $ai_trace_id: traceId,
        $ai_generation_id: `${traceId}-call`,
        $ai_parent_id: traceId,
        $ai_span_name: 'answer',
        $ai_model: sample.model,
        $ai_provider: sample.provider,
        $ai_input: sample.input,
        $ai_output_choices: sample.output,
        $ai_input_tokens: 840,
        $ai_output_tokens: 120,
        $ai_latency: 2.2,
        $ai_time_to_first_token: 0.4,
        $ai_stream: true,
      },
    },
  ]
}

/** A chain of `depth` nested spans ending in one call: indentation and keyboard travel. */
export function deeplyNestedTrace(depth = 60): AiscopeEvent[] {
  const traceId = 'trace-deep'
  const events: AiscopeEvent[] = [
    { event: '$ai_trace', uuid: 'deep-root', distinct_id: 'story-user', timestamp: at(0), properties: { $ai_trace_id: traceId, $ai_span_name: 'recursive-planner', $ai_latency: depth * 0.05 + 1 } },
  ]
  for (let level = 0; level < depth; level += 1) {
    events.push({
      event: '$ai_span',
      uuid: `deep-${level}`,
      distinct_id: 'story-user',
      timestamp: at(level * 25),
      properties: {
        $ai_trace_id: traceId,
        $ai_span_id: `deep-${level}`,
        $ai_parent_id: level === 0 ? traceId : `deep-${level - 1}`,
        $ai_span_name: `step ${level + 1}`,
        $ai_span_type: 'agent',
        $ai_latency: (depth - level) * 0.05 + 0.5,
      },
    })
  }
  events.push({
    event: '$ai_generation',
    uuid: 'deep-call',
    distinct_id: 'story-user',
    timestamp: at(depth * 25),
    properties: {
      $ai_trace_id: traceId,
      $ai_generation_id: 'deep-call',
      $ai_parent_id: `deep-${depth - 1}`,
      $ai_span_name: 'final answer',
      $ai_model: 'gpt-4o-mini',
      $ai_provider: 'openai',
      $ai_input: [{ role: 'user', content: 'Plan the migration.' }],
      $ai_output_choices: [{ role: 'assistant', content: 'Done in 60 steps.' }],
      $ai_input_tokens: 300,
      $ai_output_tokens: 40,
      $ai_latency: 0.4,
    },
  })
  return events
}

/**
 * A run of exactly `spanCount` tree nodes (10,000 by default): the trace, then batches of an
 * agent span, a tool span and 98 short calls (every 7th streamed, every 53rd failed), over
 * ten minutes.
 */
export function largeTrace(spanCount = 10_000): AiscopeEvent[] {
  const traceId = 'trace-large'
  const events: AiscopeEvent[] = [
    { event: '$ai_trace', uuid: 'large-root', distinct_id: 'story-user', timestamp: at(0), properties: { $ai_trace_id: traceId, $ai_span_name: 'nightly-triage', $ai_latency: 600 } },
  ]
  const loops = Math.max(1, Math.ceil((spanCount - 1) / 100))
  const loopMs = 600_000 / loops
  for (let loop = 0; loop < loops; loop += 1) {
    const loopId = `loop-${loop}`
    const loopStart = loop * loopMs
    events.push({
      event: '$ai_span',
      uuid: loopId,
      distinct_id: 'story-user',
      timestamp: at(loopStart),
      properties: { $ai_trace_id: traceId, $ai_span_id: loopId, $ai_parent_id: traceId, $ai_span_name: `ticket batch ${loop + 1}`, $ai_span_type: 'agent', $ai_latency: (loopMs * 0.9) / 1000 },
    })
    events.push({
      event: '$ai_span',
      uuid: `${loopId}-tool`,
      distinct_id: 'story-user',
      timestamp: at(loopStart + 5),
      properties: { $ai_trace_id: traceId, $ai_span_id: `${loopId}-tool`, $ai_parent_id: loopId, $ai_span_name: 'fetch_tickets', $ai_span_type: 'tool', $ai_latency: 0.2 },
    })
    for (let call = 0; call < 98; call += 1) {
      const index = loop * 98 + call
      const id = `${loopId}-call-${call}`
      events.push({
        event: '$ai_generation',
        uuid: id,
        distinct_id: 'story-user',
        timestamp: at(loopStart + 210 + call * ((loopMs * 0.85) / 98)),
        properties: {
          $ai_trace_id: traceId,
          $ai_generation_id: id,
          $ai_parent_id: loopId,
          $ai_span_name: `classify ticket ${index + 1}`,
          $ai_model: index % 3 === 0 ? 'gpt-4o-mini' : 'claude-haiku-4-5',
          $ai_provider: index % 3 === 0 ? 'openai' : 'anthropic',
          $ai_input: [{ role: 'user', content: `Classify ticket #${1000 + index}.` }],
          $ai_output_choices: [{ role: 'assistant', content: index % 2 === 0 ? 'billing' : 'shipping' }],
          $ai_input_tokens: 200 + (index % 50),
          $ai_output_tokens: 3,
          $ai_latency: (loopMs * 0.8) / 98 / 1000,
          ...(index % 7 === 0 ? { $ai_time_to_first_token: 0.12, $ai_stream: true } : {}),
          ...(index % 53 === 0 ? { $ai_is_error: true, $ai_http_status: 529, $ai_error: 'Overloaded' } : {}),
        },
      })
    }
  }
  return events.slice(0, spanCount)
}
