/**
 * Known traces for the trace-explorer tests: a support agent's refund reply (an OpenAI
 * call with a tool call, a tool span, an Anthropic call with thinking and tool results,
 * a rate-limited call, an evaluation and an interaction) and a short summary trace, in
 * PostHog's envelope, fed to an in-process client over fake-indexeddb.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { expect } from 'vitest'
import { createAiscope, type AiscopeClient } from '../../../src'
import type { AiscopeEvent } from '../../../src/schema'

export const T0_MS = Date.UTC(2026, 10, 20, 9, 30)
const at = (seconds: number) => new Date(T0_MS + seconds * 1000).toISOString()

/** Model output with markup, a markdown link and a `javascript:` URL: all must stay text. */
export const HOSTILE_TEXT = 'Done <img src=x onerror="alert(1)"> see [the order](javascript:alert(1)) or javascript:alert(2)'

const common = (traceId: string, extra: Record<string, unknown> = {}) => ({
  $ai_trace_id: traceId,
  $ai_session_id: 'session-7',
  $groups: { company: 'acme' },
  feature: 'support-reply',
  ...extra,
})

export const refundTrace: AiscopeEvent[] = [
  {
    event: '$ai_trace',
    uuid: 'e-trace',
    distinct_id: 'ana@example.com',
    timestamp: at(0),
    properties: common('trace-refund', {
      $ai_span_name: 'refund-reply',
      $ai_latency: 4,
      $ai_input_state: { message: 'Where is my refund?' },
      $ai_output_state: 'Refund issued',
    }),
  },
  {
    event: '$ai_span',
    uuid: 'e-agent',
    distinct_id: 'ana@example.com',
    timestamp: at(0.1),
    properties: common('trace-refund', { $ai_span_id: 'span-agent', $ai_parent_id: 'trace-refund', $ai_span_name: 'support_agent', $ai_span_type: 'agent', $ai_latency: 3.8 }),
  },
  {
    event: '$ai_generation',
    uuid: 'gen-plan',
    distinct_id: 'ana@example.com',
    timestamp: at(0.2),
    properties: common('trace-refund', {
      $ai_generation_id: 'gen-plan',
      $ai_parent_id: 'span-agent',
      $ai_span_name: 'plan',
      $ai_model: 'gpt-4o-mini',
      $ai_provider: 'openai',
      $ai_model_parameters: { temperature: 0.2, stream: true },
      $ai_input: [
        { role: 'system', content: 'You are Relay, a support assistant.' },
        { role: 'user', content: 'Where is my refund for order A-1?' },
      ],
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Looking up the order.' },
            { type: 'function', id: 'call_1', function: { name: 'lookup_order', arguments: '{"order_id":"A-1","include":["refunds"]}' } },
          ],
        },
      ],
      $ai_input_tokens: 1200,
      $ai_output_tokens: 80,
      $ai_total_cost_usd: 0.0123,
      $ai_latency: 1.2,
      $ai_time_to_first_token: 0.3,
      $ai_prompt_name: 'support-reply',
      $ai_prompt_version: 4,
    }),
  },
  {
    event: '$ai_span',
    uuid: 'e-tool',
    distinct_id: 'ana@example.com',
    timestamp: at(1.5),
    properties: common('trace-refund', {
      $ai_span_id: 'span-tool',
      $ai_parent_id: 'span-agent',
      $ai_span_name: 'lookup_order',
      $ai_span_type: 'tool',
      $ai_latency: 0.4,
      $ai_input_state: { order_id: 'A-1' },
      $ai_output_state: { status: 'refunded', amount: 42 },
    }),
  },
  {
    event: '$ai_generation',
    uuid: 'gen-compose',
    distinct_id: 'ana@example.com',
    timestamp: at(2),
    properties: common('trace-refund', {
      $ai_generation_id: 'gen-compose',
      $ai_parent_id: 'span-agent',
      $ai_span_name: 'compose',
      $ai_model: 'claude-sonnet-4-5',
      $ai_provider: 'anthropic',
      $ai_input: [
        { role: 'user', content: [{ type: 'text', text: 'Where is my refund for order A-1?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup_order', input: { order_id: 'A-1' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"status":"refunded"}' }] },
      ],
      $ai_output_choices: [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The refund went out yesterday.' },
            { type: 'text', text: HOSTILE_TEXT },
          ],
        },
      ],
      $ai_input_tokens: 2000,
      $ai_output_tokens: 300,
      $ai_latency: 1.5,
    }),
  },
  {
    event: '$ai_generation',
    uuid: 'gen-fail',
    distinct_id: 'ana@example.com',
    timestamp: at(3.6),
    properties: common('trace-refund', {
      $ai_generation_id: 'gen-fail',
      $ai_parent_id: 'span-agent',
      $ai_span_name: 'retry',
      $ai_model: 'gpt-4o',
      $ai_provider: 'openai',
      $ai_is_error: true,
      $ai_http_status: 429,
      $ai_error: { message: 'Rate limit reached for gpt-4o', type: 'rate_limit_error' },
      $ai_input: 'ping',
      $ai_latency: 0.2,
    }),
  },
  {
    event: '$ai_evaluation',
    uuid: 'e-eval',
    distinct_id: 'ana@example.com',
    timestamp: at(10),
    properties: {
      $ai_trace_id: 'trace-refund',
      $ai_evaluation_name: 'helpfulness',
      $ai_evaluation_numeric_result: 0.9,
      $ai_evaluation_reasoning: 'Answers with the refund date.',
      $ai_target_event_id: 'gen-compose',
      $ai_target_type: 'generation_uuid',
    },
  },
  {
    event: '$ai_interaction',
    uuid: 'e-accepted',
    distinct_id: 'ana@example.com',
    timestamp: at(12),
    properties: { $ai_trace_id: 'trace-refund', $ai_generation_id: 'gen-compose', $ai_interaction: 'accepted' },
  },
]

export const summaryTrace: AiscopeEvent[] = [
  {
    event: '$ai_generation',
    uuid: 'gen-summary',
    distinct_id: 'bo@example.com',
    timestamp: at(60),
    properties: {
      $ai_trace_id: 'trace-summary',
      $ai_span_name: 'summarise',
      $ai_model: 'gemini-2.5-flash',
      $ai_provider: 'gemini',
      $ai_input: 'Summarise ticket 7',
      $ai_output_choices: [{ role: 'assistant', content: 'Customer wants a refund.' }],
      $ai_input_tokens: 50,
      $ai_output_tokens: 10,
      $ai_total_cost_usd: 1.5,
      $ai_latency: 0.5,
    },
  },
]

/** A trace of `stepCount` steps under one agent span, `step 1` … `step N`, one a second: more rows than a tree shows at once. */
export function wideTrace(stepCount: number): AiscopeEvent[] {
  const agent: AiscopeEvent = {
    event: '$ai_span',
    uuid: 'e-wide-agent',
    distinct_id: 'cy@example.com',
    timestamp: at(100),
    properties: common('trace-wide', { $ai_span_id: 'wide-agent', $ai_span_name: 'agent', $ai_latency: stepCount + 1 }),
  }
  const steps = Array.from(
    { length: stepCount },
    (_, index): AiscopeEvent => ({
      event: '$ai_span',
      uuid: `e-wide-step-${index + 1}`,
      distinct_id: 'cy@example.com',
      timestamp: at(101 + index),
      properties: common('trace-wide', { $ai_span_id: `wide-step-${index + 1}`, $ai_parent_id: 'wide-agent', $ai_span_name: `step ${index + 1}`, $ai_latency: 0.5 }),
    }),
  )
  return [agent, ...steps]
}

let storeNumber = 0

/** An in-process client over a fresh fake IndexedDB, holding `events`. */
export async function clientWith(events: readonly AiscopeEvent[]): Promise<AiscopeClient> {
  storeNumber += 1
  const client = createAiscope({ dbName: `traces-${storeNumber}`, worker: 'off', indexedDB: new IDBFactory(), IDBKeyRange })
  const report = await client.ingest(events)
  expect(report.rejected).toEqual([])
  return client
}

/** Long enough for the first query, which loads the in-process engine's modules under jsdom. */
export const FIRST_QUERY = { timeout: 20_000 }
