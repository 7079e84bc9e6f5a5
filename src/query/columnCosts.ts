import {
  priceTokens,
  resolveCacheReportingExclusive,
  resolveModelPrices,
  type PriceOverride,
  type ResolvedModelPrices,
} from '../pricing'
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
  const pricedEventCodes = new Set(PRICED_EVENTS.map((name) => dictionaries.event.find(name)))
  const pricesByModel = new Map<number, ResolvedModelPrices | null>()
  const exclusiveByModel = new Map<number, boolean>()
  const { event, model, provider } = columns.dimensions
  const { clientCostUsd, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens } = columns.numbers

  for (let row = 0; row < columns.length; row += 1) {
    if (!pricedEventCodes.has(event[row] as number)) {
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
    let prices = pricesByModel.get(key)
    if (prices === undefined) {
      prices = resolveModelPrices(dictionaries.model.decode(modelCode), dictionaries.provider.decode(providerCode), {
        overrides,
      })
      pricesByModel.set(key, prices)
    }
    const input = inputTokens[row] as number
    const output = outputTokens[row] as number
    const cacheRead = cacheReadTokens[row] as number
    const cacheWrite = cacheWriteTokens[row] as number
    if (prices === null || (Number.isNaN(input) && Number.isNaN(output) && Number.isNaN(cacheRead) && Number.isNaN(cacheWrite))) {
      continue
    }
    // 2 and 1: the event said; 3: its tokens say (see `EventColumns.cacheExclusive`); else
    // by provider and model, resolved once per pair.
    const flag = columns.cacheExclusive[row]
    let exclusive = flag === 2 || flag === 3
    if (flag === 0) {
      let resolved = exclusiveByModel.get(key)
      if (resolved === undefined) {
        resolved = resolveCacheReportingExclusive({
          $ai_provider: dictionaries.provider.decode(providerCode) ?? undefined,
          $ai_model: dictionaries.model.decode(modelCode) ?? undefined,
        })
        exclusiveByModel.set(key, resolved)
      }
      exclusive = resolved
    }
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
    const tier = prices.longContext
    const listPrices = tier !== undefined && promptTokens > tier.aboveInputTokens ? tier.usdPerMillionTokens : prices.usdPerMillionTokens
    costUsd[row] = priceTokens(usage, listPrices, prices.reasoningBilling).totalCostUsd
  }
  return costUsd
}
