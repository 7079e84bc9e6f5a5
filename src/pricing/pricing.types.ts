/**
 * Types of the cost engine: the shape of the price table and of a priced event. Prices are
 * USD per million tokens, as providers publish them; costs are USD.
 */

/** Providers the bundled price table covers. */
export const PRICE_TABLE_PROVIDERS = ['openai', 'anthropic', 'google', 'mistral', 'deepseek', 'xai'] as const

/** One of {@link PRICE_TABLE_PROVIDERS}: who publishes the price, not who served the call. */
export type PriceTableProvider = (typeof PRICE_TABLE_PROVIDERS)[number]

/** List prices of one model, USD per million tokens. */
export interface UsdPerMillionTokens {
  /** Uncached input (prompt) tokens. */
  readonly input: number
  /** Output (completion) tokens; for every bundled model this already covers reasoning tokens. */
  readonly output: number
  /**
   * Input tokens read from the prompt cache. Absent when the provider publishes no
   * discount: cache reads are then billed at the `input` rate (no discount is assumed).
   * @default input
   */
  readonly cacheRead?: number
  /**
   * Input tokens written to the prompt cache; for Anthropic the 5-minute rate. Absent when
   * the provider does not charge writes apart: they are then billed at the `input` rate.
   * @default input
   */
  readonly cacheWrite?: number
  /**
   * Anthropic's 1-hour cache writes (`$ai_cache_creation_1h_input_tokens`).
   * @default cacheWrite
   */
  readonly cacheWrite1h?: number
  /**
   * Reasoning tokens, read only when the entry's `reasoningBilling` is `'separate'`.
   * @default output
   */
  readonly reasoning?: number
}

/**
 * How a model bills reasoning ("thinking") tokens. `'in-output'`: they are part of the
 * output tokens and billed once, at the output rate (OpenAI o-series and GPT-5, xAI,
 * DeepSeek, Gemini, Claude). `'separate'`: they are reported and billed apart from the
 * output tokens, at `usdPerMillionTokens.reasoning`; no bundled model does this.
 */
export type ReasoningBilling = 'in-output' | 'separate'

/**
 * Prices that replace the base prices for a whole request once its prompt (input plus
 * cache reads plus cache writes) exceeds `aboveInputTokens`, as Gemini 2.5 Pro and Claude
 * Sonnet 4/4.5 (1M-context beta) bill.
 */
export interface LongContextTier {
  /** The tier applies when the prompt has strictly more tokens than this. */
  readonly aboveInputTokens: number
  /** The prices of the whole request above the threshold. */
  readonly usdPerMillionTokens: UsdPerMillionTokens
}

/** One model of the price table, with where its price comes from. */
export interface PriceTableEntry {
  /** Canonical model id, lowercase (`gpt-4o-mini`, `claude-sonnet-4-5`). */
  readonly modelId: string
  /** Who publishes the price. */
  readonly provider: PriceTableProvider
  /** `chat` models are priced for `$ai_generation`, `embedding` models for `$ai_embedding`. */
  readonly kind: 'chat' | 'embedding'
  /**
   * Other exact ids of the same model at the same price, lowercase: pinned snapshots whose
   * suffix the snapshot rule does not cover (`grok-4-0709`, `mistral-large-2512`) and
   * names a provider documents as equal (`claude-opus-4-0`).
   * @default []
   */
  readonly aliases: readonly string[]
  /** Standard (not batch, not priority) list prices. */
  readonly usdPerMillionTokens: UsdPerMillionTokens
  /**
   * Long-context prices, when the provider charges more above a prompt size.
   * @default undefined
   */
  readonly longContext?: LongContextTier
  /** How reasoning tokens are billed; see {@link ReasoningBilling}. */
  readonly reasoningBilling: ReasoningBilling
  /** The page the price was read from (or should be re-checked against). */
  readonly sourceUrl: string
  /** ISO date (`YYYY-MM-DD`) the price was last checked. */
  readonly checkedOn: string
  /**
   * `true` only when the price was read on the provider's own published page (a stored
   * copy of it); `false` when it comes from secondary sources or could not be confirmed.
   */
  readonly verified: boolean
  /** What the check found: which page showed which numbers, or why it is unverified. */
  readonly evidence: string
}

/** Which rule of the engine produced a cost. */
export type PricedCostSource = 'client-cost' | 'client-token-price' | 'override' | 'table'

/** {@link PricedCostSource}, or `'unknown'` when the event could not be priced. */
export type CostSource = PricedCostSource | 'unknown'

/**
 * Why an event could not be priced. `missing-model`: no `$ai_model` string (and no
 * client cost or client prices). `unknown-model`: the model matches no override and no
 * table entry. `missing-usage`: the model is known but the event has no valid token count.
 */
export type UnpricedReason = 'missing-model' | 'unknown-model' | 'missing-usage'

/** A priced event: costs in USD by kind of token, and how they were obtained. */
export interface PricedEventCost {
  /** Uncached input tokens. */
  readonly inputCostUsd: number
  /** Output tokens (reasoning included unless billed apart). */
  readonly outputCostUsd: number
  /** Cache reads. */
  readonly cacheReadCostUsd: number
  /** Cache writes (5-minute and 1-hour). */
  readonly cacheWriteCostUsd: number
  /** Reasoning tokens billed apart from output; 0 for every bundled model. */
  readonly reasoningCostUsd: number
  /** Per-request fees (`$ai_request_price` × `$ai_request_count`, or the client's `$ai_request_cost_usd`). */
  readonly requestCostUsd: number
  /** Web-search fees (`$ai_web_search_price` × `$ai_web_search_count`, or the client's `$ai_web_search_cost_usd`). */
  readonly webSearchCostUsd: number
  /**
   * The part of a client-sent `$ai_total_cost_usd` that its components do not explain
   * (`total − sum of the parts above`); 0 for every other source. It can be negative when
   * a client's total is less than its own components: the client's total still wins.
   */
  readonly unitemizedCostUsd: number
  /** The event's cost: the sum of all the parts above. */
  readonly totalCostUsd: number
  /** Which rule priced it. */
  readonly source: PricedCostSource
  /** Canonical id of the table entry the model matched, or `null` when it matched none. */
  readonly modelId: string | null
  /** {@link PRICE_TABLE_VERSION} of the table in use (also recorded for client costs). */
  readonly priceTableVersion: string
  /** The resolved `$ai_cache_reporting_exclusive`: whether input tokens exclude cache tokens. */
  readonly cacheReportingExclusive: boolean
  /** Whether a long-context tier's prices applied. */
  readonly longContextTier: boolean
}

/** An event the engine could not price: every cost is `null`, never 0. */
export interface UnpricedEventCost {
  /** Unknown. */
  readonly inputCostUsd: null
  /** Unknown. */
  readonly outputCostUsd: null
  /** Unknown. */
  readonly cacheReadCostUsd: null
  /** Unknown. */
  readonly cacheWriteCostUsd: null
  /** Unknown. */
  readonly reasoningCostUsd: null
  /** Unknown. */
  readonly requestCostUsd: null
  /** Unknown. */
  readonly webSearchCostUsd: null
  /** Unknown. */
  readonly unitemizedCostUsd: null
  /** Unknown: `null`, never 0. */
  readonly totalCostUsd: null
  /** Always `'unknown'`. */
  readonly source: 'unknown'
  /** Why it could not be priced. */
  readonly reason: UnpricedReason
  /** Canonical id when the model matched a table entry (`missing-usage`), else `null`. */
  readonly modelId: string | null
  /** {@link PRICE_TABLE_VERSION} of the table in use. */
  readonly priceTableVersion: string
  /** The resolved `$ai_cache_reporting_exclusive`. */
  readonly cacheReportingExclusive: boolean
  /** Always `false`. */
  readonly longContextTier: false
}

/** The result of pricing one event. Narrow on `source` (or `totalCostUsd === null`). */
export type EventCost = PricedEventCost | UnpricedEventCost

/**
 * A host's own price for models it names, checked before the price table. Overrides are
 * tried in array order; the first that matches wins. An override whose prices are not
 * finite non-negative numbers is ignored.
 */
export interface PriceOverride {
  /**
   * A string matches the model case-insensitively: the raw `$ai_model`, the model with
   * its provider prefix stripped, or the canonical id it matches in the table (so
   * `'gpt-4o'` also covers `gpt-4o-2024-08-06`). A RegExp is tested against the raw
   * `$ai_model`.
   */
  readonly match: string | RegExp
  /**
   * When set, the override applies only to events whose `$ai_provider` equals it
   * (case-insensitive).
   * @default undefined (any provider)
   */
  readonly provider?: string
  /** The host's prices; `cacheRead` and `cacheWrite` default to `input`. */
  readonly usdPerMillionTokens: {
    readonly input: number
    readonly output: number
    readonly cacheRead?: number
    readonly cacheWrite?: number
  }
}

/** Options of {@link priceEvent}. */
export interface PriceEventOptions {
  /**
   * Host prices, tried before the price table.
   * @default []
   */
  readonly overrides?: readonly PriceOverride[]
  /**
   * The table to price from, for a host that loads a newer or merged one.
   * @default PRICE_TABLE
   */
  readonly priceTable?: readonly PriceTableEntry[]
  /**
   * Version recorded in results; set it together with `priceTable`.
   * @default PRICE_TABLE_VERSION
   */
  readonly priceTableVersion?: string
}

/** Token counts of one call, by kind, as {@link priceTokens} reads them. */
export interface TokenUsage {
  /** `$ai_input_tokens` as reported: inclusive or exclusive of cache tokens (see below). */
  readonly inputTokens: number
  /** `$ai_output_tokens`. */
  readonly outputTokens: number
  /**
   * `$ai_cache_read_input_tokens`.
   * @default 0
   */
  readonly cacheReadTokens?: number
  /**
   * `$ai_cache_creation_input_tokens`: all cache writes, 1-hour ones included.
   * @default 0
   */
  readonly cacheWriteTokens?: number
  /**
   * The part of `cacheWriteTokens` written with a 1-hour TTL (Anthropic).
   * @default 0
   */
  readonly cacheWrite1hTokens?: number
  /**
   * `$ai_reasoning_tokens`; priced only when reasoning is billed separately.
   * @default 0
   */
  readonly reasoningTokens?: number
  /** `true`: `inputTokens` excludes cache reads and writes (Anthropic style). */
  readonly cacheReportingExclusive: boolean
}

/** What {@link priceTokens} returns: USD by kind of token. */
export interface TokenCost {
  /** Uncached input tokens. */
  readonly inputCostUsd: number
  /** Output tokens. */
  readonly outputCostUsd: number
  /** Cache reads. */
  readonly cacheReadCostUsd: number
  /** Cache writes. */
  readonly cacheWriteCostUsd: number
  /** Reasoning billed apart (0 when reasoning is part of output). */
  readonly reasoningCostUsd: number
  /** The sum of the five parts. */
  readonly totalCostUsd: number
}
