/**
 * What-if repricing, pure: the token sums of a model's calls priced at another model's list
 * prices (the pricing module's `resolveModelPrices` + `priceTokens`).
 */
import { PRICE_TABLE, priceTokens, resolveModelPrices } from '../../pricing'
import type { AggregateRow } from '../../query'

/** Token sums of one model's calls, from an aggregate grouped by model and provider. */
export interface ModelTokenUsage {
  model: string | null
  provider: string | null
  calls: number
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
  /** The known cost of those calls, USD; `null` when none was priced. */
  costUsd: number | null
  /** Calls whose cost is unknown. */
  unpricedCount: number
}

/** The repriced figure of one model's usage. */
export interface RepricedUsage extends ModelTokenUsage {
  /** What the tokens would cost on the target model; `null` when the target has no known price. */
  whatIfCostUsd: number | null
  /** `whatIfCostUsd − costUsd`; `null` when either is unknown, or some calls were unpriced (the two would not cover the same calls). */
  differenceUsd: number | null
}

/** The chat models of the price table, as choices for a target model. */
export function repricingTargets(): string[] {
  return PRICE_TABLE.filter((entry) => entry.kind === 'chat').map((entry) => entry.modelId)
}

/** Whether a provider / model reports input tokens excluding cache tokens (Anthropic), as the cost engine decides. */
export function reportsCacheExclusively(model: string | null, provider: string | null): boolean {
  const lowered = (model ?? '').toLowerCase()
  return (provider ?? '').trim().toLowerCase() === 'anthropic' || lowered.includes('claude') || lowered.includes('anthropic')
}

/** Token sums per model from an aggregate's rows grouped by `['model', 'provider']`. */
export function usageFromRows(rows: readonly AggregateRow[]): ModelTokenUsage[] {
  return rows.map((row) => ({
    model: row.key[0] ?? null,
    provider: row.key[1] ?? null,
    calls: row.values.count ?? 0,
    inputTokens: row.values.inputTokens ?? 0,
    outputTokens: row.values.outputTokens ?? 0,
    cacheReadTokens: row.values.cacheReadTokens ?? 0,
    cacheWriteTokens: row.values.cacheWriteTokens ?? 0,
    reasoningTokens: row.values.reasoningTokens ?? 0,
    costUsd: row.values.costUsd ?? null,
    unpricedCount: row.values.unpricedCount ?? 0,
  }))
}

/**
 * Each usage priced at `targetModel`'s list prices (no long-context tier: sums hide each
 * call's prompt size). Cache tokens keep their meaning: a usage reported Anthropic-style
 * (input excluding cache) is priced as such.
 */
export function repriceUsage(usage: readonly ModelTokenUsage[], targetModel: string): RepricedUsage[] {
  const target = resolveModelPrices(targetModel, null)
  return usage.map((entry) => {
    const whatIfCostUsd = target
      ? priceTokens(
          {
            inputTokens: entry.inputTokens,
            outputTokens: entry.outputTokens,
            cacheReadTokens: entry.cacheReadTokens,
            cacheWriteTokens: entry.cacheWriteTokens,
            reasoningTokens: entry.reasoningTokens,
            cacheReportingExclusive: reportsCacheExclusively(entry.model, entry.provider),
          },
          target.usdPerMillionTokens,
          target.reasoningBilling,
        ).totalCostUsd
      : null
    const differenceUsd = whatIfCostUsd !== null && entry.costUsd !== null && entry.unpricedCount === 0 ? whatIfCostUsd - entry.costUsd : null
    return { ...entry, whatIfCostUsd, differenceUsd }
  })
}
