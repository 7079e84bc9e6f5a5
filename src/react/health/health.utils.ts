/**
 * Pure figures of the model-health panels.
 *
 * Cache hit rate: the share of prompt tokens read from the provider's prompt cache,
 * `cacheRead / prompt tokens`, where prompt tokens are the input tokens including cache
 * reads and writes. Providers report `$ai_input_tokens` two ways (see the pricing module):
 * inclusive (OpenAI, Gemini, ...: input already contains the cached tokens, so the prompt is
 * `input`) or exclusive (Anthropic: the prompt is `input + cacheRead + cacheWrite`).
 * `null` when there are no prompt tokens.
 */
import type { AggregateRow, Measure } from '../../query'
import { OTHER_GROUP } from '../../query/spec'
import { isOtherGroup, keyId } from '../costs/costs.utils'
import { reportsCacheExclusively } from '../costs/whatIf'

/** The error kinds the engine classifies failures into (`errorKind` dimension). */
export const HEALTH_ERROR_KINDS = [
  { kind: 'rate_limit', label: 'Rate limit' },
  { kind: 'timeout', label: 'Timeout' },
  { kind: 'server', label: 'Server' },
  { kind: 'client', label: 'Client' },
  { kind: 'content_filter', label: 'Content filter' },
  { kind: 'other', label: 'Other' },
] as const

/** The cache hit rate of some calls' token sums (see the module comment). */
export function cacheHitRate(
  tokens: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number },
  cacheReportingExclusive: boolean,
): number | null {
  const promptTokens = cacheReportingExclusive ? tokens.inputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens : tokens.inputTokens
  return promptTokens > 0 ? Math.min(1, tokens.cacheReadTokens / promptTokens) : null
}

/** {@link cacheHitRate} of a row grouped by `['model', 'provider']`. */
export function rowCacheHitRate(row: AggregateRow): number | null {
  return cacheHitRate(
    {
      inputTokens: row.values.inputTokens ?? 0,
      cacheReadTokens: row.values.cacheReadTokens ?? 0,
      cacheWriteTokens: row.values.cacheWriteTokens ?? 0,
    },
    reportsCacheExclusively(row.key[0] ?? null, row.key[1] ?? null),
  )
}

/**
 * Cost per 1,000 calls: 1,000 × the average cost of a priced call (`costPerCallUsd`), so
 * calls with an unknown price do not pull it down as if they were free.
 */
export function costPerThousandCalls(costPerCallUsd: number | null | undefined): number | null {
  return typeof costPerCallUsd === 'number' && Number.isFinite(costPerCallUsd) ? costPerCallUsd * 1000 : null
}

/** A (model, provider) pair as one string: the key of {@link errorKindCounts} and of table rows. */
export function modelProviderId(model: string | null | undefined, provider: string | null | undefined): string {
  return `${keyId(model ?? null)}|${keyId(provider ?? null)}`
}

/**
 * Failed calls of each kind per row of a table grouped by `['model', 'provider']`, from
 * `kindRows` grouped by `['model', 'provider', 'errorKind']` (failed calls only), as a map
 * `modelProviderId → kind → count`. Pairs the table does not list (folded into its
 * `(other)` row) are counted under the `(other)` row's id.
 */
export function errorKindCounts(
  kindRows: readonly AggregateRow[],
  tableRows: readonly AggregateRow[],
): Map<string, Map<string | null, number>> {
  const otherId = modelProviderId(OTHER_GROUP, OTHER_GROUP)
  const listed = new Set(tableRows.filter((row) => !isOtherGroup(row)).map((row) => modelProviderId(row.key[0], row.key[1])))
  const counts = new Map<string, Map<string | null, number>>()
  for (const row of kindRows) {
    const pairId = modelProviderId(row.key[0], row.key[1])
    const rowId = listed.has(pairId) ? pairId : otherId
    let kinds = counts.get(rowId)
    if (!kinds) {
      kinds = new Map()
      counts.set(rowId, kinds)
    }
    const kind = row.key[2] ?? null
    kinds.set(kind, (kinds.get(kind) ?? 0) + (row.values.count ?? 0))
  }
  return counts
}

/** Timing statistics a latency chart can show. */
export const LATENCY_STATISTICS: readonly { measure: Measure; label: string }[] = [
  { measure: 'latency.p50', label: 'Latency p50' },
  { measure: 'latency.p95', label: 'Latency p95' },
  { measure: 'latency.p99', label: 'Latency p99' },
  { measure: 'ttft.p50', label: 'Time to first token p50' },
  { measure: 'ttft.p95', label: 'Time to first token p95' },
]
