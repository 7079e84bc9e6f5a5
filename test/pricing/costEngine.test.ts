import { describe, expect, it } from 'vitest'
import {
  PRICE_TABLE_VERSION,
  priceEvent,
  priceTokens,
  resolveCacheReportingExclusive,
  type EventCost,
  type PriceOverride,
  type PriceTableEntry,
} from '../../src/pricing'

const M = 1_000_000

/** gpt-4o-mini, 1000 in / 500 out: $0.15 and $0.60 per million (OpenAI pricing page). */
const GPT_4O_MINI_TABLE_USD = (1000 * 0.15 + 500 * 0.6) / M

function gpt4oMini(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { $ai_model: 'gpt-4o-mini', $ai_provider: 'openai', $ai_input_tokens: 1000, $ai_output_tokens: 500, ...extra }
}

function total(cost: EventCost): number | null {
  return cost.totalCostUsd
}

describe('precedence', () => {
  const override: PriceOverride = { match: 'gpt-4o-mini', usdPerMillionTokens: { input: 1, output: 2 } }

  it('prices from the table when nothing else applies, and records the table version', () => {
    const cost = priceEvent(gpt4oMini())
    expect(cost.source).toBe('table')
    expect(cost.modelId).toBe('gpt-4o-mini')
    expect(cost.priceTableVersion).toBe(PRICE_TABLE_VERSION)
    expect(total(cost)).toBeCloseTo(GPT_4O_MINI_TABLE_USD, 10)
  })

  it('lets a client total cost beat client prices, overrides and the table', () => {
    const cost = priceEvent(
      gpt4oMini({ $ai_total_cost_usd: 0.5, $ai_input_token_price: 1e-6, $ai_output_token_price: 2e-6 }),
      { overrides: [override] },
    )
    expect(cost.source).toBe('client-cost')
    expect(cost.totalCostUsd).toBe(0.5)
    expect(cost.unitemizedCostUsd).toBe(0.5)
    expect(cost.modelId).toBe('gpt-4o-mini')
  })

  it('fills a missing total from client input + output (+ request + web search) costs, numeric strings included', () => {
    const cost = priceEvent(
      gpt4oMini({
        $ai_input_cost_usd: '0.25',
        $ai_output_cost_usd: 0.5,
        $ai_request_cost_usd: 0.01,
        $ai_web_search_cost_usd: '0.02',
      }),
    )
    expect(cost.source).toBe('client-cost')
    expect(cost.inputCostUsd).toBe(0.25)
    expect(cost.outputCostUsd).toBe(0.5)
    expect(cost.requestCostUsd).toBe(0.01)
    expect(cost.webSearchCostUsd).toBe(0.02)
    expect(cost.totalCostUsd).toBeCloseTo(0.78, 10)
    expect(cost.unitemizedCostUsd).toBe(0)
  })

  it('accepts client costs of 0 (a free call is a known cost)', () => {
    const cost = priceEvent({ $ai_model: 'text-embedding-3-small', $ai_input_cost_usd: 0.0001, $ai_output_cost_usd: 0 })
    expect(cost.source).toBe('client-cost')
    expect(cost.totalCostUsd).toBeCloseTo(0.0001, 12)
  })

  it('keeps a client total that disagrees with its components, and shows the difference', () => {
    const cost = priceEvent(gpt4oMini({ $ai_total_cost_usd: 1, $ai_input_cost_usd: 0.2, $ai_output_cost_usd: 0.3 }))
    expect(cost.totalCostUsd).toBe(1)
    expect(cost.unitemizedCostUsd).toBeCloseTo(0.5, 12)
  })

  it('prices a client cost even for an unknown or missing model', () => {
    expect(priceEvent({ $ai_model: 'acme-llm-1', $ai_total_cost_usd: 0.003 })).toMatchObject({
      source: 'client-cost',
      totalCostUsd: 0.003,
      modelId: null,
    })
    expect(priceEvent({ $ai_total_cost_usd: 0.003 }).source).toBe('client-cost')
  })

  it('ignores a lone input or output cost (PostHog needs both) and falls through', () => {
    const cost = priceEvent(gpt4oMini({ $ai_input_cost_usd: 9 }))
    expect(cost.source).toBe('table')
    expect(total(cost)).toBeCloseTo(GPT_4O_MINI_TABLE_USD, 10)
  })

  it('lets client per-token prices beat overrides and the table', () => {
    const cost = priceEvent(gpt4oMini({ $ai_input_token_price: 0.000_003, $ai_output_token_price: '0.000006' }), {
      overrides: [override],
    })
    expect(cost.source).toBe('client-token-price')
    expect(total(cost)).toBeCloseTo(1000 * 0.000_003 + 500 * 0.000_006, 12)
  })

  it('needs both client per-token prices; one alone falls through', () => {
    expect(priceEvent(gpt4oMini({ $ai_input_token_price: 0.000_003 })).source).toBe('table')
    expect(priceEvent(gpt4oMini({ $ai_output_token_price: 0.000_003 })).source).toBe('table')
  })

  it('prices client cache, request and web-search prices, with cache prices defaulting to the input price', () => {
    const withCachePrices = priceEvent(
      gpt4oMini({
        $ai_cache_read_input_tokens: 400,
        $ai_input_token_price: 0.000_002,
        $ai_output_token_price: 0.000_008,
        $ai_cache_read_token_price: 0.000_000_5,
        $ai_request_price: 0.001,
        $ai_web_search_price: 0.01,
        $ai_web_search_count: 3,
      }),
    )
    expect(withCachePrices).toMatchObject({ source: 'client-token-price', requestCostUsd: 0.001 })
    expect(withCachePrices.inputCostUsd).toBeCloseTo(600 * 0.000_002, 12)
    expect(withCachePrices.cacheReadCostUsd).toBeCloseTo(400 * 0.000_000_5, 12)
    expect(withCachePrices.webSearchCostUsd).toBeCloseTo(0.03, 12)
    expect(total(withCachePrices)).toBeCloseTo(
      600 * 0.000_002 + 400 * 0.000_000_5 + 500 * 0.000_008 + 0.001 + 0.03,
      12,
    )

    const withoutCachePrice = priceEvent(
      gpt4oMini({ $ai_cache_read_input_tokens: 400, $ai_input_token_price: 0.000_002, $ai_output_token_price: 0.000_008 }),
    )
    expect(total(withoutCachePrice)).toBeCloseTo(1000 * 0.000_002 + 500 * 0.000_008, 12)
  })

  it('lets an override beat the table, matched by raw id, canonical id or RegExp', () => {
    const byCanonicalId = priceEvent(gpt4oMini({ $ai_model: 'openai/gpt-4o-mini-2024-07-18' }), { overrides: [override] })
    expect(byCanonicalId).toMatchObject({ source: 'override', modelId: 'gpt-4o-mini' })
    expect(total(byCanonicalId)).toBeCloseTo((1000 * 1 + 500 * 2) / M, 12)

    const regexOverride: PriceOverride = { match: /^acme-/g, usdPerMillionTokens: { input: 0.5, output: 1 } }
    for (let call = 0; call < 2; call += 1) {
      // The same global RegExp matches on every call.
      const unknownModel = priceEvent(gpt4oMini({ $ai_model: 'acme-llm-1' }), { overrides: [regexOverride] })
      expect(unknownModel).toMatchObject({ source: 'override', modelId: null })
      expect(total(unknownModel)).toBeCloseTo((1000 * 0.5 + 500 * 1) / M, 12)
    }
  })

  it('applies an override with a provider only to that provider, and the first matching override wins', () => {
    const overrides: PriceOverride[] = [
      { match: 'gpt-4o-mini', provider: 'Azure', usdPerMillionTokens: { input: 10, output: 10 } },
      { match: 'gpt-4o-mini', usdPerMillionTokens: { input: 1, output: 1 } },
      { match: 'gpt-4o-mini', usdPerMillionTokens: { input: 99, output: 99 } },
    ]
    expect(total(priceEvent(gpt4oMini({ $ai_provider: 'azure' }), { overrides }))).toBeCloseTo(1500 * 10 / M, 12)
    expect(total(priceEvent(gpt4oMini(), { overrides }))).toBeCloseTo(1500 / M, 12)
    expect(total(priceEvent(gpt4oMini({ $ai_provider: undefined }), { overrides }))).toBeCloseTo(1500 / M, 12)
  })

  it('ignores malformed overrides instead of throwing', () => {
    const overrides = [
      null,
      { match: 'gpt-4o-mini', usdPerMillionTokens: { input: -1, output: 2 } },
      { match: 'gpt-4o-mini', usdPerMillionTokens: { input: 'cheap', output: 2 } },
      { match: 'gpt-4o-mini', usdPerMillionTokens: { input: 1, output: 2, cacheRead: Number.NaN } },
      { match: '', usdPerMillionTokens: { input: 1, output: 2 } },
      { match: 42, usdPerMillionTokens: { input: 1, output: 2 } },
    ] as unknown as PriceOverride[]
    const cost = priceEvent(gpt4oMini(), { overrides })
    expect(cost.source).toBe('table')
    expect(priceEvent(gpt4oMini(), { overrides: 'none' as unknown as PriceOverride[] }).source).toBe('table')
  })

  it('returns unknown with a null total, never 0, for a model nothing prices', () => {
    const cost = priceEvent(gpt4oMini({ $ai_model: 'acme-llm-1' }))
    expect(cost).toMatchObject({ source: 'unknown', reason: 'unknown-model', totalCostUsd: null, modelId: null })
    expect(cost.inputCostUsd).toBeNull()
    expect(cost.outputCostUsd).toBeNull()
  })

  it('prices from a host table and records its version', () => {
    const hostTable: PriceTableEntry[] = [
      {
        modelId: 'acme-llm-1',
        provider: 'openai',
        kind: 'chat',
        aliases: [],
        usdPerMillionTokens: { input: 1, output: 3 },
        reasoningBilling: 'in-output',
        sourceUrl: 'https://llm.internal.acme-corp.example/pricing',
        checkedOn: '2026-11-27',
        verified: false,
        evidence: 'host',
      },
    ]
    const cost = priceEvent(gpt4oMini({ $ai_model: 'acme-llm-1' }), { priceTable: hostTable, priceTableVersion: 'acme-7' })
    expect(cost).toMatchObject({ source: 'table', modelId: 'acme-llm-1', priceTableVersion: 'acme-7' })
    expect(total(cost)).toBeCloseTo((1000 * 1 + 500 * 3) / M, 12)
  })
})

describe('cache accounting', () => {
  it('resolves cache reporting: explicit flag, then Anthropic-like, then data, else inclusive', () => {
    expect(resolveCacheReportingExclusive({ $ai_model: 'gpt-4o', $ai_cache_reporting_exclusive: true })).toBe(true)
    expect(resolveCacheReportingExclusive({ $ai_model: 'claude-sonnet-4-5', $ai_cache_reporting_exclusive: false })).toBe(false)
    expect(resolveCacheReportingExclusive({ $ai_model: 'gpt-4o', $ai_cache_reporting_exclusive: 'true' })).toBe(true)
    expect(resolveCacheReportingExclusive({ $ai_model: 'x', $ai_provider: 'Anthropic' })).toBe(true)
    expect(resolveCacheReportingExclusive({ $ai_model: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', $ai_provider: 'bedrock' })).toBe(true)
    expect(resolveCacheReportingExclusive({ $ai_model: 'anthropic/claude-opus-4-5', $ai_provider: 'openrouter' })).toBe(true)
    expect(resolveCacheReportingExclusive({ $ai_model: 'gpt-4o', $ai_provider: 'openai' })).toBe(false)
    expect(resolveCacheReportingExclusive({ $ai_model: 'gemini-2.5-pro', $ai_provider: 'gemini' })).toBe(false)
    // An inclusive count cannot be smaller than its cache parts.
    expect(resolveCacheReportingExclusive({ $ai_model: 'gpt-4o', $ai_input_tokens: 10, $ai_cache_read_input_tokens: 500 })).toBe(
      true,
    )
    expect(resolveCacheReportingExclusive(null)).toBe(false)
    expect(resolveCacheReportingExclusive({ $ai_cache_reporting_exclusive: 'yes' })).toBe(false)
  })

  it('never counts an OpenAI cached token twice (inclusive)', () => {
    // gpt-4o: $2.50 input, $1.25 cached (OpenAI pricing page).
    const cost = priceEvent({ $ai_model: 'gpt-4o', $ai_input_tokens: 1000, $ai_cache_read_input_tokens: 1000, $ai_output_tokens: 0 })
    expect(cost.inputCostUsd).toBe(0)
    expect(total(cost)).toBeCloseTo((1000 * 1.25) / M, 12)
  })

  it('never subtracts Anthropic cache tokens from input (exclusive)', () => {
    // claude-haiku-4-5: $1 input, $0.10 cache hit (Anthropic pricing page).
    const cost = priceEvent({ $ai_model: 'claude-haiku-4-5', $ai_input_tokens: 100, $ai_cache_read_input_tokens: 1000 })
    expect(cost.inputCostUsd).toBeCloseTo(100 / M, 12)
    expect(total(cost)).toBeCloseTo((100 * 1 + 1000 * 0.1) / M, 12)
  })

  it('prices a LangChain 5m/1h cache-write split sent without a total', () => {
    // claude-haiku-4-5: $1.25 5m writes, $2 1h writes (Anthropic pricing page).
    const cost = priceEvent({
      $ai_model: 'claude-haiku-4-5',
      $ai_cache_creation_5m_input_tokens: 3000,
      $ai_cache_creation_1h_input_tokens: 1000,
    })
    expect(cost.cacheWriteCostUsd).toBeCloseTo((3000 * 1.25 + 1000 * 2) / M, 12)
    expect(total(cost)).toBeCloseTo((3000 * 1.25 + 1000 * 2) / M, 12)
  })

  it('prices tokens with the pure helper, cache rates defaulting to the input rate', () => {
    const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 300, cacheReportingExclusive: false }
    expect(priceTokens(usage, { input: 2, output: 8, cacheRead: 0.5 })).toEqual({
      inputCostUsd: (700 * 2) / M,
      outputCostUsd: (100 * 8) / M,
      cacheReadCostUsd: (300 * 0.5) / M,
      cacheWriteCostUsd: 0,
      reasoningCostUsd: 0,
      totalCostUsd: (700 * 2) / M + (100 * 8) / M + (300 * 0.5) / M,
    })
    expect(priceTokens(usage, { input: 2, output: 8 }).totalCostUsd).toBeCloseTo((1000 * 2 + 100 * 8) / M, 12)
  })

  it('bills reasoning apart only when the prices say reasoning is separate', () => {
    const usage = { inputTokens: 0, outputTokens: 100, reasoningTokens: 400, cacheReportingExclusive: false }
    expect(priceTokens(usage, { input: 1, output: 10 }).reasoningCostUsd).toBe(0)
    const separate = priceTokens(usage, { input: 1, output: 10, reasoning: 5 }, 'separate')
    expect(separate.reasoningCostUsd).toBeCloseTo((400 * 5) / M, 12)
    expect(separate.totalCostUsd).toBeCloseTo((100 * 10 + 400 * 5) / M, 12)
  })
})

describe('bad input never throws', () => {
  it('returns missing-model for non-objects, a missing model, or a non-string model', () => {
    for (const properties of [null, undefined, 'gpt-4o', 42, [] as unknown]) {
      expect(priceEvent(properties as Record<string, unknown>)).toMatchObject({
        source: 'unknown',
        reason: 'missing-model',
        totalCostUsd: null,
      })
    }
    expect(priceEvent({ $ai_input_tokens: 10 })).toMatchObject({ reason: 'missing-model', totalCostUsd: null })
    expect(priceEvent({ $ai_model: 7, $ai_input_tokens: 10 })).toMatchObject({ reason: 'missing-model' })
    expect(priceEvent({ $ai_model: '   ', $ai_input_tokens: 10 })).toMatchObject({ reason: 'missing-model' })
  })

  it('returns missing-usage (not 0) for a known model without any valid token count', () => {
    expect(priceEvent({ $ai_model: 'gpt-4o' })).toMatchObject({ source: 'unknown', reason: 'missing-usage', modelId: 'gpt-4o' })
    expect(
      priceEvent({ $ai_model: 'gpt-4o', $ai_input_tokens: Number.NaN, $ai_output_tokens: -5, $ai_cache_read_input_tokens: 'lots' }),
    ).toMatchObject({ reason: 'missing-usage', totalCostUsd: null })
  })

  it('prices the valid parts and treats NaN, Infinity, negative and non-numeric counts as absent', () => {
    // gpt-4o-mini: $0.15 input, $0.60 output (OpenAI pricing page).
    expect(total(priceEvent({ $ai_model: 'gpt-4o-mini', $ai_input_tokens: 1000, $ai_output_tokens: Number.NaN }))).toBeCloseTo(
      (1000 * 0.15) / M,
      12,
    )
    expect(total(priceEvent({ $ai_model: 'gpt-4o-mini', $ai_input_tokens: -1000, $ai_output_tokens: 500 }))).toBeCloseTo(
      (500 * 0.6) / M,
      12,
    )
    expect(
      total(priceEvent({ $ai_model: 'gpt-4o-mini', $ai_input_tokens: Number.POSITIVE_INFINITY, $ai_output_tokens: 500 })),
    ).toBeCloseTo((500 * 0.6) / M, 12)
    expect(total(priceEvent({ $ai_model: 'gpt-4o-mini', $ai_input_tokens: true, $ai_output_tokens: '500' }))).toBeCloseTo(
      (500 * 0.6) / M,
      12,
    )
    expect(total(priceEvent({ $ai_model: 'gpt-4o-mini', $ai_input_tokens: '0x10', $ai_output_tokens: ' 1e3 ' }))).toBeCloseTo(
      (1000 * 0.6) / M,
      12,
    )
  })

  it('ignores invalid client costs and prices from the table instead', () => {
    for (const bad of [Number.NaN, -1, 'free', '', null, Number.POSITIVE_INFINITY]) {
      const cost = priceEvent(gpt4oMini({ $ai_total_cost_usd: bad }))
      expect(cost.source).toBe('table')
    }
  })

  it('reads own properties only, so __proto__ keys cannot inject a model or cost', () => {
    const parsed = JSON.parse('{"__proto__": {"$ai_model": "gpt-4o", "$ai_total_cost_usd": 5}, "$ai_input_tokens": 10}') as Record<
      string,
      unknown
    >
    expect(priceEvent(parsed)).toMatchObject({ source: 'unknown', reason: 'missing-model' })

    const inherited = Object.create({ $ai_model: 'gpt-4o', $ai_total_cost_usd: 5 }) as Record<string, unknown>
    inherited.$ai_input_tokens = 10
    expect(priceEvent(inherited)).toMatchObject({ source: 'unknown', reason: 'missing-model' })

    const withProtoKey = JSON.parse('{"$ai_model": "gpt-4o-mini", "$ai_input_tokens": 1000, "__proto__": {"x": 1}}') as Record<
      string,
      unknown
    >
    expect(total(priceEvent(withProtoKey))).toBeCloseTo((1000 * 0.15) / M, 12)
    expect(priceEvent({ $ai_model: '__proto__', $ai_input_tokens: 1 }).source).toBe('unknown')
  })

  it('does not mutate the properties it reads', () => {
    const properties = Object.freeze(gpt4oMini({ $ai_cache_read_input_tokens: 10 }))
    expect(() => priceEvent(properties)).not.toThrow()
    expect(properties).not.toHaveProperty('$ai_cache_reporting_exclusive')
  })
})
