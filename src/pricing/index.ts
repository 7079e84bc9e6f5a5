/**
 * The cost engine: a dated price table kept as data, strict model matching, and
 * `priceEvent`, which prices a `$ai_generation` / `$ai_embedding` event by PostHog's
 * precedence (client cost, client per-token prices, host overrides, the table).
 */
export { PRICE_TABLE, PRICE_TABLE_VERSION } from './priceTable'
export { matchModel, normalizeModelId, type ModelMatch, type ModelMatchRule } from './matchModel'
export {
  priceEvent,
  priceTokens,
  resolveCacheReportingExclusive,
  resolveModelPrices,
  type ResolvedModelPrices,
} from './costEngine'
export {
  PRICE_TABLE_PROVIDERS,
  type CostSource,
  type EventCost,
  type LongContextTier,
  type PricedCostSource,
  type PricedEventCost,
  type PriceEventOptions,
  type PriceOverride,
  type PriceTableEntry,
  type PriceTableProvider,
  type ReasoningBilling,
  type TokenCost,
  type TokenUsage,
  type UnpricedEventCost,
  type UnpricedReason,
  type UsdPerMillionTokens,
} from './pricing.types'
