import { resolveCacheReportingExclusive, resolveModelPrices, type PriceOverride, type ReasoningBilling } from '../pricing'
import { priceWithRates, ratesFromList, type Rates } from '../pricing/costEngine'
import type { Dictionaries, EventColumns } from '../store'

/** Pricing inputs the host controls. */
export interface ColumnPricingOptions {
  /** The host's own prices, ahead of the table (see `aiscope/pricing`). @default [] */
  overrides?: readonly PriceOverride[]
}

/** Events that carry a cost. */
const PRICED_EVENTS = ['$ai_generation', '$ai_embedding']

/**
 * The cost of every event in USD, computed when columns are read, so a price fix or an
 * override re-prices all history: the client's own cost when it sent one, else the
 * override or table price of its model applied to its tokens, else NaN (unknown, never 0).
 * Gives what `priceEvent` gives per event, with each model's prices resolved once.
 */
export function computeColumnCosts(
  columns: EventColumns,
  dictionaries: Dictionaries,
  { overrides = [] }: ColumnPricingOptions = {},
): Float64Array {
  const costUsd = new Float64Array(columns.length).fill(Number.NaN)
  const isPricedByEventCode = new Uint8Array(dictionaries.event.size)
  for (const name of PRICED_EVENTS) {
    const code = dictionaries.event.find(name)
    if (code > 0) {
      isPricedByEventCode[code] = 1
    }
  }
  const pricingByPair = new Map<number, PairPricing | null>()
  const { event, model, provider } = columns.dimensions
  const { clientCostUsd, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens } = columns.numbers
  // Calls come in runs of one model: the last pair's pricing is kept at hand.
  let lastKey = -1
  let pricing: PairPricing | null = null

  for (let row = 0; row < columns.length; row += 1) {
    if (isPricedByEventCode[event[row] as number] !== 1) {
      continue
    }
    const clientCost = clientCostUsd[row] as number
    if (!Number.isNaN(clientCost)) {
      costUsd[row] = clientCost
      continue
    }
    const modelCode = model[row] as number
    const providerCode = provider[row] as number
    const key = modelCode * 65_536 + providerCode
    if (key !== lastKey) {
      let found = pricingByPair.get(key)
      if (found === undefined) {
        found = pairPricing(dictionaries.model.decode(modelCode), dictionaries.provider.decode(providerCode), overrides)
        pricingByPair.set(key, found)
      }
      pricing = found
      lastKey = key
    }
    const input = inputTokens[row] as number
    const output = outputTokens[row] as number
    const cacheRead = cacheReadTokens[row] as number
    const cacheWrite = cacheWriteTokens[row] as number
    if (pricing === null || (Number.isNaN(input) && Number.isNaN(output) && Number.isNaN(cacheRead) && Number.isNaN(cacheWrite))) {
      continue
    }
    // 2 and 1: the event said; 3: its tokens say (see `EventColumns.cacheExclusive`); else
    // by provider and model.
    const flag = columns.cacheExclusive[row]
    const exclusive = flag === 0 ? pricing.exclusive : flag === 2 || flag === 3
    const usage = {
      inputTokens: input || 0,
      outputTokens: output || 0,
      cacheReadTokens: cacheRead || 0,
      cacheWriteTokens: cacheWrite || 0,
      cacheWrite1hTokens: cacheWrite1hTokens[row] || 0,
      reasoningTokens: reasoningTokens[row] || 0,
      cacheReportingExclusive: exclusive,
    }
    const promptTokens = exclusive ? usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens : usage.inputTokens
    const rates = pricing.longContext !== undefined && promptTokens > pricing.longContext.aboveInputTokens ? pricing.longContext.rates : pricing.rates
    costUsd[row] = priceWithRates(usage, rates, pricing.reasoningBilling).totalCostUsd
  }
  return costUsd
}

/** One (model, provider) pair's prices as rates, resolved once per pricing pass. */
interface PairPricing {
  rates: Rates
  /** Rates above the long-context tier's threshold. */
  longContext: { aboveInputTokens: number; rates: Rates } | undefined
  reasoningBilling: ReasoningBilling
  /** Whether the pair reports input tokens without cache tokens when an event does not say. */
  exclusive: boolean
}

function pairPricing(modelName: string | null, providerName: string | null, overrides: readonly PriceOverride[]): PairPricing | null {
  const prices = resolveModelPrices(modelName, providerName, { overrides })
  if (prices === null) {
    return null
  }
  const tier = prices.longContext
  return {
    rates: ratesFromList(prices.usdPerMillionTokens),
    longContext: tier === undefined ? undefined : { aboveInputTokens: tier.aboveInputTokens, rates: ratesFromList(tier.usdPerMillionTokens) },
    reasoningBilling: prices.reasoningBilling,
    exclusive: resolveCacheReportingExclusive({ $ai_provider: providerName ?? undefined, $ai_model: modelName ?? undefined }),
  }
}
