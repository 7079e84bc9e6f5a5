/**
 * Known AI calls for the cost and model-health tests: three priced models (client-sent
 * costs, so expected figures are plain sums of this file's numbers), one model with no
 * known price, a rate-limited and a timed-out call, over three days, for three users of two
 * organisations.
 */
import type { AiscopeEvent } from '../../../src/schema'

export const DAY_MS = 86_400_000
/** Midnight UTC starting the first day of the calls. */
export const DAY0_MS = Date.UTC(2026, 10, 20)
/** A range holding every call (the three days). */
export const ALL_DAYS = { fromMs: DAY0_MS, toMs: DAY0_MS + 3 * DAY_MS }

export interface KnownCall {
  id: string
  model: string
  provider: string
  user: string
  organisation: string
  feature: string
  day: number
  /** Client-sent cost; `undefined`: none (the model has no known price, so the call is unpriced). */
  costUsd?: number
  inputTokens: number
  outputTokens: number
  cacheReadTokens?: number
  latencyS: number
  httpStatus?: number
  errorType?: string
}

export const KNOWN_CALLS: readonly KnownCall[] = [
  { id: 'c1', model: 'gpt-4o-mini', provider: 'openai', user: 'ana@example.com', organisation: 'acme', feature: 'support-reply', day: 0, costUsd: 0.5, inputTokens: 1000, outputTokens: 100, cacheReadTokens: 400, latencyS: 1 },
  { id: 'c2', model: 'gpt-4o-mini', provider: 'openai', user: 'bo@example.com', organisation: 'acme', feature: 'summarise', day: 1, costUsd: 0.25, inputTokens: 1000, outputTokens: 50, latencyS: 2 },
  { id: 'c3', model: 'claude-sonnet-4-5', provider: 'anthropic', user: 'ana@example.com', organisation: 'acme', feature: 'support-reply', day: 1, costUsd: 2, inputTokens: 500, outputTokens: 200, cacheReadTokens: 1500, latencyS: 3 },
  { id: 'c4', model: 'claude-sonnet-4-5', provider: 'anthropic', user: 'cy@example.com', organisation: 'globex', feature: 'search', day: 2, costUsd: 1.25, inputTokens: 400, outputTokens: 100, latencyS: 4 },
  { id: 'c5', model: 'acme-llm-1', provider: 'acme', user: 'cy@example.com', organisation: 'globex', feature: 'search', day: 2, inputTokens: 300, outputTokens: 30, latencyS: 0.5 },
  { id: 'c6', model: 'acme-llm-1', provider: 'acme', user: 'bo@example.com', organisation: 'acme', feature: 'summarise', day: 0, inputTokens: 200, outputTokens: 20, latencyS: 0.7 },
  { id: 'c7', model: 'gpt-4o', provider: 'openai', user: 'ana@example.com', organisation: 'acme', feature: 'support-reply', day: 2, costUsd: 0, inputTokens: 0, outputTokens: 0, latencyS: 0.2, httpStatus: 429, errorType: 'rate_limit_error' },
  { id: 'c8', model: 'gpt-4o', provider: 'openai', user: 'bo@example.com', organisation: 'acme', feature: 'summarise', day: 1, costUsd: 0.75, inputTokens: 800, outputTokens: 80, latencyS: 30, httpStatus: 504, errorType: 'timeout' },
]

/** The calls as PostHog `$ai_generation` events (noon UTC of their day). */
export function knownEvents(calls: readonly KnownCall[] = KNOWN_CALLS): AiscopeEvent[] {
  return calls.map((call, index) => ({
    event: '$ai_generation',
    uuid: `gen-${call.id}`,
    distinct_id: call.user,
    timestamp: new Date(DAY0_MS + call.day * DAY_MS + 12 * 3_600_000 + index * 1000).toISOString(),
    properties: {
      $ai_trace_id: `trace-${call.id}`,
      $ai_generation_id: `gen-${call.id}`,
      $ai_model: call.model,
      $ai_provider: call.provider,
      $groups: { company: call.organisation },
      feature: call.feature,
      $ai_input: 'hello',
      $ai_input_tokens: call.inputTokens,
      $ai_output_tokens: call.outputTokens,
      ...(call.cacheReadTokens === undefined ? {} : { $ai_cache_read_input_tokens: call.cacheReadTokens }),
      ...(call.costUsd === undefined ? {} : { $ai_total_cost_usd: call.costUsd }),
      $ai_latency: call.latencyS,
      ...(call.httpStatus === undefined
        ? {}
        : { $ai_is_error: true, $ai_http_status: call.httpStatus, $ai_error: { message: `failed: ${call.errorType}`, type: call.errorType } }),
    },
  }))
}

/** The sum of the known costs of the calls that pass `keep`. */
export function knownCost(keep: (call: KnownCall) => boolean = () => true): number {
  return KNOWN_CALLS.filter(keep).reduce((sum, call) => sum + (call.costUsd ?? 0), 0)
}

/** How many of the calls that pass `keep` have no cost. */
export function unpricedCalls(keep: (call: KnownCall) => boolean = () => true): number {
  return KNOWN_CALLS.filter(keep).filter((call) => call.costUsd === undefined).length
}

/** `$1,234.50`, written independently of the package's formatter. */
export function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}
