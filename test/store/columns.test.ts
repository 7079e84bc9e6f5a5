import { describe, expect, it } from 'vitest'
import { Dictionary, createDictionaries, eventsToColumns } from '../../src/store'
import { packStringList } from '../../src/store/columns'
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

describe('a dictionary holding packed strings', () => {
  const loaded = () => {
    const dictionary = Dictionary.unloaded()
    dictionary.growUnloaded(6)
    // Two runs as two writes logged them: codes 2-3, then 4-5, after one unpacked string.
    dictionary.loadPacked(['', 'ab'], [packStringList(['c', 'abc']), packStringList(['b', 'span-7'])])
    return dictionary
  }

  it('decodes and finds strings where they are packed, a whole string only', () => {
    const dictionary = loaded()
    expect(dictionary.size).toBe(6)
    expect([0, 1, 2, 3, 4, 5, 6].map((code) => dictionary.decode(code))).toEqual([null, 'ab', 'c', 'abc', 'b', 'span-7', null])
    expect(['ab', 'c', 'abc', 'b', 'span-7'].map((value) => dictionary.find(value))).toEqual([1, 2, 3, 4, 5])
    // Texts that run across two strings ('c' + 'ab'), or lie inside one ('bc', 'span'), are no string.
    expect(['ca', 'bc', 'span', 'span-'].map((value) => dictionary.find(value))).toEqual([-1, -1, -1, -1])
  })

  it('unpacks them when every string is needed, and keeps coding after them', () => {
    const dictionary = loaded()
    dictionary.appendPacked(packStringList(['later']))
    expect(dictionary.values).toEqual(['', 'ab', 'c', 'abc', 'b', 'span-7', 'later'])
    expect(dictionary.encode('abc')).toBe(3)
    expect(dictionary.encode('new')).toBe(7)
    dictionary.appendPacked(packStringList(['after-the-map']))
    expect([dictionary.find('after-the-map'), dictionary.decode(8)]).toEqual([8, 'after-the-map'])
  })

  it('packs a range of codes in one text, from unpacked and packed strings alike, and compares a code with a string in place', () => {
    const dictionary = loaded()
    const whole = dictionary.packedRange(1, 6)
    expect(whole.text).toBe('abcabcbspan-7')
    expect(Array.from(whole.ends)).toEqual([2, 3, 6, 7, 13])
    const middle = dictionary.packedRange(3, 5)
    expect([middle.text, Array.from(middle.ends)]).toEqual(['abcb', [3, 4]])
    expect(dictionary.packedRange(2, 2).ends).toHaveLength(0)
    expect(() => dictionary.packedRange(0, 3)).toThrow(RangeError)
    expect(() => dictionary.packedRange(4, 7)).toThrow(/codes 4 to 6 are not all in use \(6 are\)/)
    expect([dictionary.equals(1, 'ab'), dictionary.equals(3, 'abc'), dictionary.equals(5, 'span-7')]).toEqual([true, true, true])
    // A string that starts the code's string, or runs on into the next one, is not it.
    expect([dictionary.equals(3, 'ab'), dictionary.equals(2, 'cab'), dictionary.equals(0, ''), dictionary.equals(6, 'x')]).toEqual([false, false, false, false])
  })

  it('takes back additions never written, packed or not, and codes them again', () => {
    const dictionary = loaded()
    dictionary.truncate(3)
    expect(dictionary.size).toBe(3)
    expect([dictionary.find('abc'), dictionary.decode(3)]).toEqual([-1, null])
    expect(dictionary.encode('span-7')).toBe(3)
  })
})
