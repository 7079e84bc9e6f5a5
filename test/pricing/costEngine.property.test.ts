import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PRICE_TABLE, priceEvent, type EventCost, type PriceTableEntry } from '../../src/pricing'

const CHAT_ENTRIES = PRICE_TABLE.filter((entry) => entry.kind === 'chat')

/** Token counts of one call; up to 5M each, so totals stay where 1e-10 USD is meaningful. */
interface Counts {
  readonly input: number
  readonly output: number
  readonly cacheRead: number
  readonly cacheWrite: number
  readonly reasoning: number
}

const count = fc.nat({ max: 5_000_000 })
const countsArbitrary: fc.Arbitrary<Counts> = fc.record({
  input: count,
  output: count,
  cacheRead: count,
  cacheWrite: count,
  reasoning: count,
})
const entryArbitrary = fc.constantFrom(...CHAT_ENTRIES)

function properties(entry: PriceTableEntry, counts: Counts, exclusive: boolean): Record<string, unknown> {
  return {
    $ai_model: entry.modelId,
    $ai_provider: entry.provider,
    $ai_input_tokens: counts.input,
    $ai_output_tokens: counts.output,
    $ai_cache_read_input_tokens: counts.cacheRead,
    $ai_cache_creation_input_tokens: counts.cacheWrite,
    $ai_reasoning_tokens: counts.reasoning,
    $ai_cache_reporting_exclusive: exclusive,
  }
}

function totalOf(cost: EventCost): number {
  if (cost.totalCostUsd === null) {
    throw new Error(`unpriced: ${cost.source === 'unknown' ? cost.reason : ''}`)
  }
  return cost.totalCostUsd
}

/** Inclusive counts must contain their cache parts; trims the cache counts to fit. */
function inclusiveCounts(counts: Counts): Counts {
  const cacheRead = Math.min(counts.cacheRead, counts.input)
  return { ...counts, cacheRead, cacheWrite: Math.min(counts.cacheWrite, counts.input - cacheRead) }
}

const TOLERANCE_USD = 1e-9

describe('cost engine properties', () => {
  it('prices every table model as the sum of its parts, never negative', () => {
    fc.assert(
      fc.property(entryArbitrary, countsArbitrary, fc.boolean(), (entry, counts, exclusive) => {
        const cost = priceEvent(properties(entry, counts, exclusive))
        if (cost.source === 'unknown') {
          throw new Error(cost.reason)
        }
        const parts =
          cost.inputCostUsd +
          cost.outputCostUsd +
          cost.cacheReadCostUsd +
          cost.cacheWriteCostUsd +
          cost.reasoningCostUsd +
          cost.requestCostUsd +
          cost.webSearchCostUsd +
          cost.unitemizedCostUsd
        expect(cost.source).toBe('table')
        expect(cost.unitemizedCostUsd).toBe(0)
        expect(cost.totalCostUsd).toBeCloseTo(parts, 10)
        expect(cost.totalCostUsd).toBeGreaterThanOrEqual(0)
      }),
    )
  })

  it('is monotone in every token count with exclusive reporting', () => {
    const key = fc.constantFrom<keyof Counts>('input', 'output', 'cacheRead', 'cacheWrite')
    fc.assert(
      fc.property(entryArbitrary, countsArbitrary, key, fc.nat({ max: 1_000_000 }), (entry, counts, grown, delta) => {
        const before = totalOf(priceEvent(properties(entry, counts, true)))
        const after = totalOf(priceEvent(properties(entry, { ...counts, [grown]: counts[grown] + delta }, true)))
        expect(after).toBeGreaterThanOrEqual(before - TOLERANCE_USD)
      }),
    )
  })

  it('is monotone in input and output counts with inclusive reporting', () => {
    const key = fc.constantFrom<keyof Counts>('input', 'output')
    fc.assert(
      fc.property(entryArbitrary, countsArbitrary, key, fc.nat({ max: 1_000_000 }), (entry, rawCounts, grown, delta) => {
        const counts = inclusiveCounts(rawCounts)
        const before = totalOf(priceEvent(properties(entry, counts, false)))
        const after = totalOf(priceEvent(properties(entry, { ...counts, [grown]: counts[grown] + delta }, false)))
        expect(after).toBeGreaterThanOrEqual(before - TOLERANCE_USD)
      }),
    )
  })

  it('never makes cache reads cost more than the same tokens as uncached input', () => {
    // Every bundled cacheRead rate is below its input rate (or absent, which bills the input rate).
    fc.assert(
      fc.property(entryArbitrary, countsArbitrary, fc.boolean(), (entry, rawCounts, exclusive) => {
        const withoutWrites = { ...rawCounts, cacheWrite: 0 }
        const counts = exclusive ? withoutWrites : inclusiveCounts(withoutWrites)
        const cached = totalOf(priceEvent(properties(entry, counts, exclusive)))
        const allUncached = exclusive
          ? { ...counts, input: counts.input + counts.cacheRead, cacheRead: 0 }
          : { ...counts, cacheRead: 0 }
        const uncached = totalOf(priceEvent(properties(entry, allUncached, exclusive)))
        expect(cached).toBeLessThanOrEqual(uncached + TOLERANCE_USD)
      }),
    )
  })

  it('never bills reasoning tokens on top of output tokens', () => {
    fc.assert(
      fc.property(entryArbitrary, countsArbitrary, fc.boolean(), (entry, counts, exclusive) => {
        const withReasoning = priceEvent(properties(entry, counts, exclusive))
        const withoutReasoning = priceEvent(properties(entry, { ...counts, reasoning: 0 }, exclusive))
        expect(withReasoning.reasoningCostUsd).toBe(0)
        expect(withReasoning.totalCostUsd).toBe(withoutReasoning.totalCostUsd)
      }),
    )
  })

  it('never throws, and gives a null total exactly when it cannot price', () => {
    const value = fc.oneof(
      fc.anything(),
      fc.double(),
      fc.integer(),
      fc.constantFrom('gpt-4o-mini', 'claude-sonnet-4-5', '12', '-3', 'NaN', '__proto__', ''),
    )
    const key = fc.constantFrom(
      '$ai_model',
      '$ai_provider',
      '$ai_input_tokens',
      '$ai_output_tokens',
      '$ai_cache_read_input_tokens',
      '$ai_cache_creation_input_tokens',
      '$ai_cache_creation_1h_input_tokens',
      '$ai_reasoning_tokens',
      '$ai_cache_reporting_exclusive',
      '$ai_total_cost_usd',
      '$ai_input_cost_usd',
      '$ai_output_cost_usd',
      '$ai_input_token_price',
      '$ai_output_token_price',
      '$ai_request_price',
      '$ai_request_count',
      '__proto__',
      'constructor',
    )
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(key, value)), (input) => {
        const cost = priceEvent(input as Record<string, unknown>)
        if (cost.source === 'unknown') {
          expect(cost.totalCostUsd).toBeNull()
        } else {
          expect(Number.isFinite(cost.totalCostUsd)).toBe(true)
          expect(cost.totalCostUsd).toBeGreaterThanOrEqual(0)
        }
      }),
    )
  })
})
