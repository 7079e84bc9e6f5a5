import { describe, expect, it } from 'vitest'
import { computeColumnCosts } from '../../src/query/columnCosts'
import { createDictionaries, eventsToColumns } from '../../src/store'
import { priceEvent } from '../../src/pricing'
import { validateEvent, type AiscopeEvent } from '../../src/schema'
import { generateEvents } from '../../src/testing'

function normalisedEvents(size: number, seed: number): AiscopeEvent[] {
  return generateEvents({ size, seed }).flatMap((input) => {
    const result = validateEvent(input)
    return result.ok ? [result.event] : []
  })
}

/** A generation of `model` by `provider` with 10 output tokens and the given properties. */
function generation(uuid: string, model: string, provider: string, properties: Record<string, unknown>): AiscopeEvent {
  return {
    event: '$ai_generation',
    uuid,
    distinct_id: 'user_1',
    timestamp: '2026-11-01T00:00:00.000Z',
    properties: { $ai_model: model, $ai_provider: provider, $ai_output_tokens: 10, ...properties },
  }
}

describe('costs computed from columns', () => {
  it('equal priceEvent for every generated event, unknown staying unknown', () => {
    const events = normalisedEvents(20_000, 11)
    const dictionaries = createDictionaries()
    const costs = computeColumnCosts(eventsToColumns(events, dictionaries), dictionaries)
    let priced = 0
    let unknown = 0
    events.forEach((event, row) => {
      const isPriced = event.event === '$ai_generation' || event.event === '$ai_embedding'
      const expected = isPriced ? priceEvent(event.properties).totalCostUsd : null
      const actual = costs[row] as number
      if (expected === null) {
        expect(actual, `row ${row} ${event.event} ${String(event.properties.$ai_model)}`).toBeNaN()
        unknown += isPriced ? 1 : 0
      } else {
        expect(actual).toBeCloseTo(expected, 12)
        priced += 1
      }
    })
    expect(priced).toBeGreaterThan(5_000)
    expect(unknown).toBeGreaterThan(0)
  })

  it('reads cache tokens beyond the input tokens as reported apart, as priceEvent does, when the event does not say', () => {
    const gpt4o = (uuid: string, properties: Record<string, unknown>) => generation(uuid, 'gpt-4o', 'openai', properties)
    const events = [
      gpt4o('more-cache-than-input', { $ai_input_tokens: 100, $ai_cache_read_input_tokens: 500 }),
      gpt4o('cache-inside-input', { $ai_input_tokens: 600, $ai_cache_read_input_tokens: 500 }),
      gpt4o('cache-write-beyond-input', { $ai_input_tokens: 100, $ai_cache_creation_input_tokens: 300 }),
    ]
    const dictionaries = createDictionaries()
    const costs = computeColumnCosts(eventsToColumns(events, dictionaries), dictionaries)
    // gpt-4o: $2.50 input, $1.25 cache read, $10 output per million tokens.
    expect(costs[0]).toBeCloseTo((100 * 2.5 + 500 * 1.25 + 10 * 10) / 1e6, 12)
    expect(costs[1]).toBeCloseTo((100 * 2.5 + 500 * 1.25 + 10 * 10) / 1e6, 12)
    events.forEach((event, row) => expect(costs[row]).toBeCloseTo(priceEvent(event.properties).totalCostUsd as number, 12))
  })

  it('prices cache writes sent as a 5-minute and 1-hour split, and 1-hour writes at their own rate, as priceEvent does', () => {
    const claude = (uuid: string, properties: Record<string, unknown>) =>
      generation(uuid, 'claude-sonnet-4', 'anthropic', { $ai_input_tokens: 100, ...properties })
    const events = [
      claude('split-only', { $ai_cache_creation_5m_input_tokens: 1_000, $ai_cache_creation_1h_input_tokens: 2_000 }),
      claude('total-with-1h', { $ai_cache_creation_input_tokens: 3_000, $ai_cache_creation_1h_input_tokens: 2_000 }),
      claude('total-only', { $ai_cache_creation_input_tokens: 3_000 }),
    ]
    const dictionaries = createDictionaries()
    const columns = eventsToColumns(events, dictionaries)
    const costs = computeColumnCosts(columns, dictionaries)
    // claude-sonnet-4: $3 input, $3.75 5-minute writes, $6 1-hour writes, $15 output per million tokens.
    const withSplit = (100 * 3 + 1_000 * 3.75 + 2_000 * 6 + 10 * 15) / 1e6
    expect(costs[0]).toBeCloseTo(withSplit, 12)
    expect(costs[1]).toBeCloseTo(withSplit, 12)
    expect(costs[2]).toBeCloseTo((100 * 3 + 3_000 * 3.75 + 10 * 15) / 1e6, 12)
    events.forEach((event, row) => expect(costs[row]).toBeCloseTo(priceEvent(event.properties).totalCostUsd as number, 12))
    // The cache-write tokens a panel sums are the split's total too.
    expect([...columns.numbers.cacheWriteTokens]).toEqual([3_000, 3_000, 3_000])
  })

  it('re-prices history with the host’s overrides', () => {
    const events = normalisedEvents(2_000, 4).filter(
      (event) => event.event === '$ai_generation' && event.properties.$ai_total_cost_usd === undefined,
    )
    const dictionaries = createDictionaries()
    const columns = eventsToColumns(events, dictionaries)
    const overrides = [{ match: 'gpt-4o-mini', usdPerMillionTokens: { input: 100, output: 100 } }]
    const costs = computeColumnCosts(columns, dictionaries, { overrides })
    events.forEach((event, row) => {
      const expected = priceEvent(event.properties, { overrides }).totalCostUsd
      if (expected === null) {
        expect(costs[row]).toBeNaN()
      } else {
        expect(costs[row]).toBeCloseTo(expected, 12)
      }
    })
    const miniRow = events.findIndex((event) => event.properties.$ai_model === 'gpt-4o-mini' && !event.properties.$ai_is_error)
    expect(miniRow).toBeGreaterThanOrEqual(0)
    expect(costs[miniRow]).toBeGreaterThan(0)
  })
})
