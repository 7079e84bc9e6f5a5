import { describe, expect, it } from 'vitest'
import {
  PRICE_TABLE,
  PRICE_TABLE_PROVIDERS,
  PRICE_TABLE_VERSION,
  type UsdPerMillionTokens,
} from '../../src/pricing'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const PRICE_KEYS = ['input', 'output', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'reasoning'] as const

function pricesOf(prices: UsdPerMillionTokens): number[] {
  return PRICE_KEYS.flatMap((key) => (prices[key] === undefined ? [] : [prices[key]]))
}

describe('price table data', () => {
  it('is versioned by date, and no entry was checked after that date', () => {
    expect(PRICE_TABLE_VERSION).toMatch(ISO_DATE)
    for (const entry of PRICE_TABLE) {
      expect(entry.checkedOn, entry.modelId).toMatch(ISO_DATE)
      expect(entry.checkedOn <= PRICE_TABLE_VERSION, entry.modelId).toBe(true)
    }
  })

  it('covers the six providers and the models the engine promises', () => {
    expect(new Set(PRICE_TABLE.map((entry) => entry.provider))).toEqual(new Set(PRICE_TABLE_PROVIDERS))
    const ids = new Set(PRICE_TABLE.map((entry) => entry.modelId))
    for (const required of [
      'gpt-5',
      'gpt-5-mini',
      'gpt-5-nano',
      'gpt-4.1',
      'gpt-4.1-mini',
      'gpt-4.1-nano',
      'gpt-4o',
      'gpt-4o-mini',
      'o3',
      'o3-mini',
      'o4-mini',
      'o1',
      'text-embedding-3-small',
      'text-embedding-3-large',
      'claude-opus-4-5',
      'claude-opus-4-1',
      'claude-sonnet-4-5',
      'claude-sonnet-4',
      'claude-haiku-4-5',
      'claude-3-5-haiku',
      'claude-3-7-sonnet',
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'gemini-2.5-flash-lite',
      'gemini-2.0-flash',
      'deepseek-chat',
      'deepseek-reasoner',
      'grok-4',
      'grok-3',
      'grok-3-mini',
      'codestral-2508',
    ]) {
      expect(ids.has(required), required).toBe(true)
    }
  })

  it('has unique lowercase ids and aliases, none of which is another entry id', () => {
    const seen = new Set<string>()
    for (const entry of PRICE_TABLE) {
      for (const id of [entry.modelId, ...entry.aliases]) {
        expect(id, id).toBe(id.toLowerCase())
        expect(id.trim(), id).toBe(id)
        expect(seen.has(id), `${id} listed twice`).toBe(false)
        seen.add(id)
      }
    }
  })

  it('names an https source and evidence for every price, and marks what it could not confirm', () => {
    for (const entry of PRICE_TABLE) {
      expect(entry.sourceUrl, entry.modelId).toMatch(/^https:\/\//)
      expect(entry.evidence.length, entry.modelId).toBeGreaterThan(20)
      expect(typeof entry.verified).toBe('boolean')
    }
    expect(PRICE_TABLE.some((entry) => !entry.verified)).toBe(true)
  })

  it('holds finite non-negative prices, cache reads below input, and tiers that only raise prices', () => {
    for (const entry of PRICE_TABLE) {
      const base = entry.usdPerMillionTokens
      for (const price of pricesOf(base)) {
        expect(Number.isFinite(price) && price >= 0, entry.modelId).toBe(true)
      }
      if (base.cacheRead !== undefined) {
        expect(base.cacheRead, entry.modelId).toBeLessThan(base.input)
      }
      if (entry.kind === 'embedding') {
        expect(base.output).toBe(0)
      }
      const tier = entry.longContext
      if (tier !== undefined) {
        expect(tier.aboveInputTokens, entry.modelId).toBeGreaterThan(0)
        for (const key of PRICE_KEYS) {
          const basePrice = base[key]
          const tierPrice = tier.usdPerMillionTokens[key]
          expect(tierPrice === undefined, `${entry.modelId} ${key}`).toBe(basePrice === undefined)
          if (basePrice !== undefined && tierPrice !== undefined) {
            expect(tierPrice, `${entry.modelId} ${key}`).toBeGreaterThanOrEqual(basePrice)
          }
        }
      }
    }
  })

  it('bills reasoning inside output for every bundled model, and says so in data', () => {
    for (const entry of PRICE_TABLE) {
      expect(entry.reasoningBilling, entry.modelId).toBe('in-output')
      expect(entry.usdPerMillionTokens.reasoning, entry.modelId).toBeUndefined()
    }
  })

  it('gives Anthropic entries the documented 1.25× / 2× / 0.1× cache multipliers', () => {
    for (const entry of PRICE_TABLE.filter((candidate) => candidate.provider === 'anthropic')) {
      for (const prices of [entry.usdPerMillionTokens, entry.longContext?.usdPerMillionTokens]) {
        if (prices === undefined) {
          continue
        }
        expect(prices.cacheWrite, entry.modelId).toBeCloseTo(prices.input * 1.25, 10)
        expect(prices.cacheWrite1h, entry.modelId).toBeCloseTo(prices.input * 2, 10)
        expect(prices.cacheRead, entry.modelId).toBeCloseTo(prices.input * 0.1, 10)
      }
    }
  })
})
