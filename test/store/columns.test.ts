import { describe, expect, it } from 'vitest'
import { Dictionary, createDictionaries, eventsToColumns } from '../../src/store'
import { validateEvent, type AiscopeEvent } from '../../src/schema'
import { generateEvents } from '../../src/testing'

function normalised(input: unknown): AiscopeEvent {
  const result = validateEvent(input, { nowMs: Date.parse('2026-11-27T00:00:00Z') })
  if (!result.ok) {
    throw new Error(JSON.stringify(result.problems))
  }
  return result.event
}

describe('events to columns', () => {
  it('encodes dimensions through shared dictionaries and numbers with NaN for absent values', () => {
    const dictionaries = createDictionaries()
    const columns = eventsToColumns(
      [
        normalised({
          event: '$ai_generation',
          uuid: 'g1',
          distinct_id: 'user_1',
          timestamp: '2026-11-01T10:00:00.000Z',
          properties: {
            $ai_trace_id: 't1',
            $ai_model: 'gpt-4o',
            $ai_provider: 'openai',
            $ai_input_tokens: 100,
            $ai_latency: 1.5,
            $groups: { company: 'acme' },
            feature: 'draft-reply',
            $ai_prompt_version: 4,
          },
        }),
        normalised({
          event: '$ai_generation',
          uuid: 'g2',
          timestamp: '2026-11-01T10:00:01.000Z',
          properties: {
            $ai_trace_id: 't2',
            $ai_model: 'gpt-4o',
            $ai_provider: 'openai',
            $ai_is_error: true,
            $ai_http_status: 429,
            $ai_error: '{"name":"RateLimitError","message":"Rate limit reached"}',
            $ai_total_cost_usd: 0.25,
          },
        }),
      ],
      dictionaries,
    )
    expect(columns.length).toBe(2)
    expect(columns.dimensions.model[0]).toBe(columns.dimensions.model[1])
    expect(dictionaries.model.decode(columns.dimensions.model[0] ?? 0)).toBe('gpt-4o')
    expect(dictionaries.organisation.decode(columns.dimensions.organisation[0] ?? 0)).toBe('acme')
    expect(dictionaries.promptVersion.decode(columns.dimensions.promptVersion[0] ?? 0)).toBe('4')
    expect(dictionaries.user.decode(columns.dimensions.user[0] ?? 0)).toBe('user_1')
    // The second event has no user: its trace id stands in, so it counts as anonymous.
    expect(columns.dimensions.user[1]).toBe(0)
    expect(columns.isAnonymous[1]).toBe(1)
    expect(dictionaries.errorKind.decode(columns.dimensions.errorKind[1] ?? 0)).toBe('rate_limit')
    expect(columns.numbers.inputTokens[0]).toBe(100)
    expect(columns.numbers.outputTokens[0]).toBeNaN()
    expect(columns.numbers.latencyS[0]).toBe(1.5)
    expect(columns.numbers.clientCostUsd[0]).toBeNaN()
    expect(columns.numbers.clientCostUsd[1]).toBe(0.25)
    expect(columns.tsMs[1]).toBe(Date.parse('2026-11-01T10:00:01.000Z'))
  })

  it('keeps host-declared properties as dimensions', () => {
    const dictionaries = createDictionaries()
    const events = generateEvents({ size: 500, seed: 2 }).map(normalised)
    const columns = eventsToColumns(events, dictionaries, { propertyDimensions: ['$lib'] })
    const libs = new Set(Array.from(columns.properties.get('$lib') ?? [], (code) => dictionaries.properties.get('$lib')?.decode(code)))
    expect(libs).toContain('posthog-node')
    expect(columns.length).toBe(500)
  })
})

describe('an unloaded dictionary', () => {
  it('takes its strings by code, the reserved empty string first, and decodes and finds them', () => {
    const dictionary = Dictionary.unloaded()
    dictionary.growUnloaded(3)
    expect(() => dictionary.decode(1)).toThrow(/read before it was loaded/)
    dictionary.load(['', 'span-a', 'span-b'])
    expect(dictionary.size).toBe(3)
    expect([dictionary.decode(0), dictionary.decode(1), dictionary.decode(2)]).toEqual([null, 'span-a', 'span-b'])
    expect(dictionary.find('span-b')).toBe(2)
    expect(dictionary.encode('span-c')).toBe(3)
  })

  it('refuses strings that do not start at the reserved code, or fewer than its log announced', () => {
    expect(() => Dictionary.unloaded().load(['span-a'])).toThrow(/start with the reserved empty string/)
    const short = Dictionary.unloaded()
    short.growUnloaded(4)
    expect(() => short.load(['', 'span-a', 'span-b'])).toThrow(/has 3 values, fewer than the 4 its log announced/)
  })
})
