import { matchModel, normalizeModelId, type ModelMatch } from './matchModel'
import { PRICE_TABLE, PRICE_TABLE_VERSION } from './priceTable'
import type {
  EventCost,
  LongContextTier,
  PriceEventOptions,
  PriceOverride,
  PricedCostSource,
  PricedEventCost,
  PriceTableEntry,
  ReasoningBilling,
  TokenCost,
  TokenUsage,
  UnpricedEventCost,
  UnpricedReason,
  UsdPerMillionTokens,
} from './pricing.types'

/**
 * The cost engine: prices one `$ai_generation` / `$ai_embedding` event from its
 * properties, without side effects and without throwing.
 *
 * Precedence (the first that applies prices the event, and `source` says which):
 * 1. `client-cost`: the client sent a cost. `$ai_total_cost_usd` wins as sent; otherwise
 *    `$ai_input_cost_usd` and `$ai_output_cost_usd` together give a total of input +
 *    output (+ `$ai_request_cost_usd` + `$ai_web_search_cost_usd` when present).
 * 2. `client-token-price`: the client sent per-TOKEN prices, `$ai_input_token_price` and
 *    `$ai_output_token_price` together (optional cache read/write, request and web-search
 *    prices).
 * 3. `override`: a host override matches the model (and provider).
 * 4. `table`: the model matches the price table.
 * Otherwise the result is `source: 'unknown'` with every cost `null`, never 0.
 *
 * Input is read defensively. Token counts and costs must be finite, non-negative numbers
 * or decimal strings (`"1200"`); anything else (NaN, negative, `"abc"`, booleans) counts
 * as absent, and absent token counts count as 0. An event with no valid token count at all
 * is unpriced (`missing-usage`) unless a client cost or request fee prices it. Only own
 * properties are read, so keys inherited through `__proto__` are ignored.
 */

/** Values of a properties object, read as own properties only. */
type Properties = Readonly<Record<string, unknown>>

const TOKENS_PER_MILLION = 1_000_000

/** A decimal number, optionally with an exponent: what `numberFrom` accepts in a string. */
const DECIMAL = /^\+?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

/** `properties[key]` if it is the object's own property. */
function own(properties: Properties, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined
}

/** A finite, non-negative number from a number or decimal string, else `undefined`. */
function numberFrom(value: unknown): number | undefined {
  let parsed: number
  if (typeof value === 'number') {
    parsed = value
  } else if (typeof value === 'string' && DECIMAL.test(value.trim())) {
    parsed = Number(value.trim())
  } else {
    return undefined
  }
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined
}

/** A non-negative count, or 0 when it is absent or invalid. */
function tokensOrZero(value: number | undefined): number {
  return value === undefined || !Number.isFinite(value) || value < 0 ? 0 : value
}

/**
 * Whether `$ai_input_tokens` excludes cache tokens, resolved as PostHog does:
 * 1. An explicit `$ai_cache_reporting_exclusive` (boolean, or `'true'` / `'false'`) wins.
 * 2. Anthropic-like events (provider `anthropic`, or a model containing `claude` or
 *    `anthropic`) are exclusive.
 * 3. Events whose cache reads plus writes exceed their input tokens can only be exclusive
 *    (an inclusive count cannot be smaller than its own parts), as PostHog infers for
 *    the Vercel gateway.
 * 4. Everything else is inclusive (OpenAI, Gemini, DeepSeek, xAI, Mistral).
 */
export function resolveCacheReportingExclusive(properties: Properties | null | undefined): boolean {
  if (properties === null || typeof properties !== 'object') {
    return false
  }
  const explicit = own(properties, '$ai_cache_reporting_exclusive')
  if (explicit === true || explicit === 'true') {
    return true
  }
  if (explicit === false || explicit === 'false') {
    return false
  }
  const provider = own(properties, '$ai_provider')
  if (typeof provider === 'string' && provider.trim().toLowerCase() === 'anthropic') {
    return true
  }
  const model = own(properties, '$ai_model')
  if (typeof model === 'string') {
    const lowered = model.toLowerCase()
    if (lowered.includes('claude') || lowered.includes('anthropic')) {
      return true
    }
  }
  return cacheTokensExceedInput(
    numberFrom(own(properties, '$ai_input_tokens')),
    numberFrom(own(properties, '$ai_cache_read_input_tokens')),
    numberFrom(own(properties, '$ai_cache_creation_input_tokens')),
  )
}

/**
 * Rule 3 of {@link resolveCacheReportingExclusive}: whether cache reads plus writes exceed
 * the input tokens, so they can only have been counted apart. Absent counts are `undefined`.
 */
export function cacheTokensExceedInput(
  inputTokens: number | undefined,
  cacheReadTokens: number | undefined,
  cacheCreationTokens: number | undefined,
): boolean {
  return inputTokens !== undefined && tokensOrZero(cacheReadTokens) + tokensOrZero(cacheCreationTokens) > inputTokens
}

/** Rates in USD per `tokensPerUnit` tokens: 1e6 for list prices, 1 for client per-token prices. */
export interface Rates {
  readonly input: number
  readonly output: number
  readonly cacheRead: number
  readonly cacheWrite: number
  readonly cacheWrite1h: number
  readonly reasoning: number
  readonly tokensPerUnit: number
}

/** List prices as {@link Rates}, with the documented fallbacks for absent cache rates. */
export function ratesFromList(prices: UsdPerMillionTokens): Rates {
  const cacheWrite = prices.cacheWrite ?? prices.input
  return {
    input: prices.input,
    output: prices.output,
    cacheRead: prices.cacheRead ?? prices.input,
    cacheWrite,
    cacheWrite1h: prices.cacheWrite1h ?? cacheWrite,
    reasoning: prices.reasoning ?? prices.output,
    tokensPerUnit: TOKENS_PER_MILLION,
  }
}

/** `tokens × rate`, with the division last so list prices like 2.5 stay exact as long as possible. */
function costOf(tokens: number, rate: number, tokensPerUnit: number): number {
  if (tokens === 0 || rate === 0) {
    return 0
  }
  return tokensPerUnit === 1 ? tokens * rate : (tokens * rate) / tokensPerUnit
}

/** {@link priceTokens} with the rates resolved already: for callers that price many calls at one model's rates. */
export function priceWithRates(usage: TokenUsage, rates: Rates, reasoningBilling: ReasoningBilling): TokenCost {
  const inputTokens = tokensOrZero(usage.inputTokens)
  const outputTokens = tokensOrZero(usage.outputTokens)
  const cacheReadTokens = tokensOrZero(usage.cacheReadTokens)
  const cacheWriteTokens = tokensOrZero(usage.cacheWriteTokens)
  const cacheWrite1hTokens = Math.min(tokensOrZero(usage.cacheWrite1hTokens), cacheWriteTokens)
  // Inclusive counts already contain the cache tokens: bill them once, at their own rates.
  const uncachedInputTokens = usage.cacheReportingExclusive
    ? inputTokens
    : Math.max(0, inputTokens - cacheReadTokens - cacheWriteTokens)

  let reasoningCostUsd: number
  switch (reasoningBilling) {
    case 'in-output':
      // Reasoning tokens are inside the output tokens already; adding them would bill them twice.
      reasoningCostUsd = 0
      break
    case 'separate':
      reasoningCostUsd = costOf(tokensOrZero(usage.reasoningTokens), rates.reasoning, rates.tokensPerUnit)
      break
    default:
      reasoningBilling satisfies never
      reasoningCostUsd = 0
  }

  const inputCostUsd = costOf(uncachedInputTokens, rates.input, rates.tokensPerUnit)
  const outputCostUsd = costOf(outputTokens, rates.output, rates.tokensPerUnit)
  const cacheReadCostUsd = costOf(cacheReadTokens, rates.cacheRead, rates.tokensPerUnit)
  const cacheWriteCostUsd =
    costOf(cacheWriteTokens - cacheWrite1hTokens, rates.cacheWrite, rates.tokensPerUnit) +
    costOf(cacheWrite1hTokens, rates.cacheWrite1h, rates.tokensPerUnit)
  return {
    inputCostUsd,
    outputCostUsd,
    cacheReadCostUsd,
    cacheWriteCostUsd,
    reasoningCostUsd,
    totalCostUsd: inputCostUsd + outputCostUsd + cacheReadCostUsd + cacheWriteCostUsd + reasoningCostUsd,
  }
}

/**
 * Prices token counts at list prices (USD per million tokens), pure and without tiers:
 * the caller picks the prices (a long-context tier's, for example).
 *
 * Cache accounting: with exclusive reporting every input token is uncached; with
 * inclusive reporting the uncached input is `max(0, input − cacheRead − cacheWrite)`.
 * Cache reads are billed at `cacheRead`, cache writes at `cacheWrite` (their 1-hour part at
 * `cacheWrite1h`), so no cache token is billed twice. Absent cache rates fall back to the
 * input rate. Reasoning tokens are billed only when `reasoningBilling` is `'separate'`.
 * Invalid counts (negative, NaN) count as 0.
 *
 * @param reasoningBilling How the model bills reasoning tokens.
 * @default reasoningBilling 'in-output'
 */
export function priceTokens(
  usage: TokenUsage,
  prices: UsdPerMillionTokens,
  reasoningBilling: ReasoningBilling = 'in-output',
): TokenCost {
  return priceWithRates(usage, ratesFromList(prices), reasoningBilling)
}

/** Token counts read from an event, and whether any was valid. */
interface EventUsage {
  readonly usage: TokenUsage
  readonly hasTokenCounts: boolean
  /** Input plus cache tokens: the prompt size that long-context tiers compare. */
  readonly promptTokens: number
}

/**
 * All cache-write tokens: the total sent, else the 5-minute and 1-hour split's sum (LangChain
 * may send only the split); `undefined` when none was sent.
 */
export function cacheWriteTokensOf(
  total: number | undefined,
  fiveMinute: number | undefined,
  oneHour: number | undefined,
): number | undefined {
  if (total !== undefined) {
    return total
  }
  return fiveMinute !== undefined || oneHour !== undefined ? (fiveMinute ?? 0) + (oneHour ?? 0) : undefined
}

function usageFrom(properties: Properties, cacheReportingExclusive: boolean): EventUsage {
  const inputTokens = numberFrom(own(properties, '$ai_input_tokens'))
  const outputTokens = numberFrom(own(properties, '$ai_output_tokens'))
  const cacheReadTokens = numberFrom(own(properties, '$ai_cache_read_input_tokens'))
  const cacheWriteTotal = numberFrom(own(properties, '$ai_cache_creation_input_tokens'))
  const cacheWrite5m = numberFrom(own(properties, '$ai_cache_creation_5m_input_tokens'))
  const cacheWrite1h = numberFrom(own(properties, '$ai_cache_creation_1h_input_tokens'))
  const reasoningTokens = numberFrom(own(properties, '$ai_reasoning_tokens'))
  const cacheWriteTokens = cacheWriteTokensOf(cacheWriteTotal, cacheWrite5m, cacheWrite1h)
  const usage: TokenUsage = {
    inputTokens: inputTokens ?? 0,
    outputTokens: outputTokens ?? 0,
    cacheReadTokens: cacheReadTokens ?? 0,
    cacheWriteTokens: cacheWriteTokens ?? 0,
    cacheWrite1hTokens: cacheWrite1h ?? 0,
    reasoningTokens: reasoningTokens ?? 0,
    cacheReportingExclusive,
  }
  const promptTokens = cacheReportingExclusive
    ? usage.inputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0)
    : usage.inputTokens
  return {
    usage,
    hasTokenCounts:
      inputTokens !== undefined ||
      outputTokens !== undefined ||
      cacheReadTokens !== undefined ||
      cacheWriteTokens !== undefined,
    promptTokens,
  }
}

interface CostParts {
  readonly inputCostUsd: number
  readonly outputCostUsd: number
  readonly cacheReadCostUsd: number
  readonly cacheWriteCostUsd: number
  readonly reasoningCostUsd: number
  readonly requestCostUsd: number
  readonly webSearchCostUsd: number
}

interface Context {
  readonly modelId: string | null
  readonly priceTableVersion: string
  readonly cacheReportingExclusive: boolean
}

/** The parts of a token cost plus fees. */
function partsOf(tokenCost: TokenCost, requestCostUsd: number, webSearchCostUsd: number): CostParts {
  return {
    inputCostUsd: tokenCost.inputCostUsd,
    outputCostUsd: tokenCost.outputCostUsd,
    cacheReadCostUsd: tokenCost.cacheReadCostUsd,
    cacheWriteCostUsd: tokenCost.cacheWriteCostUsd,
    reasoningCostUsd: tokenCost.reasoningCostUsd,
    requestCostUsd,
    webSearchCostUsd,
  }
}

function priced(
  parts: CostParts,
  source: PricedCostSource,
  context: Context,
  longContextTier: boolean,
  clientTotalUsd?: number,
): PricedEventCost {
  const itemizedUsd =
    parts.inputCostUsd +
    parts.outputCostUsd +
    parts.cacheReadCostUsd +
    parts.cacheWriteCostUsd +
    parts.reasoningCostUsd +
    parts.requestCostUsd +
    parts.webSearchCostUsd
  const totalCostUsd = clientTotalUsd ?? itemizedUsd
  return {
    ...parts,
    unitemizedCostUsd: clientTotalUsd === undefined ? 0 : clientTotalUsd - itemizedUsd,
    totalCostUsd,
    source,
    modelId: context.modelId,
    priceTableVersion: context.priceTableVersion,
    cacheReportingExclusive: context.cacheReportingExclusive,
    longContextTier,
  }
}

function unpriced(reason: UnpricedReason, context: Context): UnpricedEventCost {
  return {
    inputCostUsd: null,
    outputCostUsd: null,
    cacheReadCostUsd: null,
    cacheWriteCostUsd: null,
    reasoningCostUsd: null,
    requestCostUsd: null,
    webSearchCostUsd: null,
    unitemizedCostUsd: null,
    totalCostUsd: null,
    source: 'unknown',
    reason,
    modelId: context.modelId,
    priceTableVersion: context.priceTableVersion,
    cacheReportingExclusive: context.cacheReportingExclusive,
    longContextTier: false,
  }
}

/** Precedence 1: costs the client computed. */
function clientCost(properties: Properties, context: Context): PricedEventCost | undefined {
  const totalUsd = numberFrom(own(properties, '$ai_total_cost_usd'))
  const inputUsd = numberFrom(own(properties, '$ai_input_cost_usd'))
  const outputUsd = numberFrom(own(properties, '$ai_output_cost_usd'))
  if (totalUsd === undefined && (inputUsd === undefined || outputUsd === undefined)) {
    return undefined
  }
  const parts: CostParts = {
    inputCostUsd: inputUsd ?? 0,
    outputCostUsd: outputUsd ?? 0,
    cacheReadCostUsd: 0,
    cacheWriteCostUsd: 0,
    reasoningCostUsd: 0,
    requestCostUsd: numberFrom(own(properties, '$ai_request_cost_usd')) ?? 0,
    webSearchCostUsd: numberFrom(own(properties, '$ai_web_search_cost_usd')) ?? 0,
  }
  return priced(parts, 'client-cost', context, false, totalUsd)
}

/** Request and web-search fees from per-request client prices. */
function clientFees(properties: Properties): { requestCostUsd: number; webSearchCostUsd: number; hasRequestPrice: boolean } {
  const requestPrice = numberFrom(own(properties, '$ai_request_price'))
  // PostHog: the request count defaults to 1 once a request price is set; searches have no default.
  const requestCount = numberFrom(own(properties, '$ai_request_count')) ?? 1
  const webSearchPrice = numberFrom(own(properties, '$ai_web_search_price'))
  const webSearchCount = numberFrom(own(properties, '$ai_web_search_count')) ?? 0
  return {
    requestCostUsd: requestPrice === undefined ? 0 : requestPrice * requestCount,
    webSearchCostUsd: webSearchPrice === undefined ? 0 : webSearchPrice * webSearchCount,
    hasRequestPrice: requestPrice !== undefined,
  }
}

/** Precedence 2: per-token prices the client sent. */
function clientTokenPrice(
  properties: Properties,
  eventUsage: EventUsage,
  context: Context,
): PricedEventCost | UnpricedEventCost | undefined {
  const inputPrice = numberFrom(own(properties, '$ai_input_token_price'))
  const outputPrice = numberFrom(own(properties, '$ai_output_token_price'))
  if (inputPrice === undefined || outputPrice === undefined) {
    return undefined
  }
  const fees = clientFees(properties)
  if (!eventUsage.hasTokenCounts && !fees.hasRequestPrice) {
    return unpriced('missing-usage', context)
  }
  const cacheWrite = numberFrom(own(properties, '$ai_cache_write_token_price')) ?? inputPrice
  const rates: Rates = {
    input: inputPrice,
    output: outputPrice,
    cacheRead: numberFrom(own(properties, '$ai_cache_read_token_price')) ?? inputPrice,
    cacheWrite,
    cacheWrite1h: cacheWrite,
    reasoning: outputPrice,
    tokensPerUnit: 1,
  }
  const tokenCost = priceWithRates(eventUsage.usage, rates, 'in-output')
  return priced(
    partsOf(tokenCost, fees.requestCostUsd, fees.webSearchCostUsd),
    'client-token-price',
    context,
    false,
  )
}

/** Valid override prices as list prices, or `undefined` when the override is malformed. */
function overridePrices(override: PriceOverride): UsdPerMillionTokens | undefined {
  const prices: unknown = (override as { usdPerMillionTokens?: unknown }).usdPerMillionTokens
  if (prices === null || typeof prices !== 'object') {
    return undefined
  }
  const record = prices as Properties
  const input = numberFrom(own(record, 'input'))
  const output = numberFrom(own(record, 'output'))
  if (input === undefined || output === undefined) {
    return undefined
  }
  const cacheRead = own(record, 'cacheRead') === undefined ? input : numberFrom(own(record, 'cacheRead'))
  const cacheWrite = own(record, 'cacheWrite') === undefined ? input : numberFrom(own(record, 'cacheWrite'))
  if (cacheRead === undefined || cacheWrite === undefined) {
    return undefined
  }
  return { input, output, cacheRead, cacheWrite }
}

function overrideMatches(
  override: PriceOverride,
  model: string,
  provider: string | undefined,
  tableMatch: ModelMatch | null,
): boolean {
  if (override.provider !== undefined) {
    if (typeof override.provider !== 'string' || provider === undefined) {
      return false
    }
    if (override.provider.trim().toLowerCase() !== provider.trim().toLowerCase()) {
      return false
    }
  }
  const { match } = override
  if (match instanceof RegExp) {
    // A global or sticky RegExp keeps state between calls; start every test from 0.
    match.lastIndex = 0
    return match.test(model)
  }
  if (typeof match !== 'string' || match.trim().length === 0) {
    return false
  }
  const wanted = match.trim().toLowerCase()
  return (
    wanted === model.trim().toLowerCase() ||
    wanted === normalizeModelId(model) ||
    (tableMatch !== null && wanted === tableMatch.modelId.toLowerCase())
  )
}

/** Precedence 3: the host's overrides. */
function overrideCost(
  overrides: readonly PriceOverride[],
  model: string,
  provider: string | undefined,
  tableMatch: ModelMatch | null,
  eventUsage: EventUsage,
  context: Context,
): PricedEventCost | UnpricedEventCost | undefined {
  for (const override of overrides) {
    if (override === null || typeof override !== 'object') {
      continue
    }
    const prices = overridePrices(override)
    if (prices === undefined || !overrideMatches(override, model, provider, tableMatch)) {
      continue
    }
    if (!eventUsage.hasTokenCounts) {
      return unpriced('missing-usage', context)
    }
    const tokenCost = priceTokens(eventUsage.usage, prices)
    return priced(partsOf(tokenCost, 0, 0), 'override', context, false)
  }
  return undefined
}

/** The prices of `entry` for a prompt of `promptTokens`, and whether its long-context tier applies. */
function pricesFor(entry: PriceTableEntry, promptTokens: number): { prices: UsdPerMillionTokens; longContextTier: boolean } {
  const tier = entry.longContext
  if (tier !== undefined && promptTokens > tier.aboveInputTokens) {
    return { prices: tier.usdPerMillionTokens, longContextTier: true }
  }
  return { prices: entry.usdPerMillionTokens, longContextTier: false }
}

/**
 * Prices the properties of one `$ai_generation` or `$ai_embedding` event; see the module
 * documentation for the precedence and the handling of bad input. Never throws; an event
 * that cannot be priced gets `source: 'unknown'` and `totalCostUsd: null`.
 *
 * @param properties The event's properties (`AiGenerationProperties` or any record).
 * @param options Overrides and the table to use.
 * @default options {}
 */
export function priceEvent(
  properties: Properties | null | undefined,
  options: PriceEventOptions = {},
): EventCost {
  const table = Array.isArray(options.priceTable) ? options.priceTable : PRICE_TABLE
  const priceTableVersion =
    typeof options.priceTableVersion === 'string' ? options.priceTableVersion : PRICE_TABLE_VERSION
  if (properties === null || typeof properties !== 'object') {
    return unpriced('missing-model', { modelId: null, priceTableVersion, cacheReportingExclusive: false })
  }
  const rawModel = own(properties, '$ai_model')
  const model = typeof rawModel === 'string' && rawModel.trim().length > 0 ? rawModel : undefined
  const rawProvider = own(properties, '$ai_provider')
  const provider = typeof rawProvider === 'string' ? rawProvider : undefined
  const tableMatch = model === undefined ? null : matchModel(model, table)
  const cacheReportingExclusive = resolveCacheReportingExclusive(properties)
  const context: Context = { modelId: tableMatch?.modelId ?? null, priceTableVersion, cacheReportingExclusive }

  const fromClientCost = clientCost(properties, context)
  if (fromClientCost !== undefined) {
    return fromClientCost
  }
  const eventUsage = usageFrom(properties, cacheReportingExclusive)
  const fromClientPrice = clientTokenPrice(properties, eventUsage, context)
  if (fromClientPrice !== undefined) {
    return fromClientPrice
  }
  if (model === undefined) {
    return unpriced('missing-model', context)
  }
  const overrides = Array.isArray(options.overrides) ? options.overrides : []
  const fromOverride = overrideCost(overrides, model, provider, tableMatch, eventUsage, context)
  if (fromOverride !== undefined) {
    return fromOverride
  }
  if (tableMatch === null) {
    return unpriced('unknown-model', context)
  }
  if (!eventUsage.hasTokenCounts) {
    return unpriced('missing-usage', context)
  }
  const { prices, longContextTier } = pricesFor(tableMatch.entry, eventUsage.promptTokens)
  const tokenCost = priceTokens(eventUsage.usage, prices, tableMatch.entry.reasoningBilling)
  return priced(partsOf(tokenCost, 0, 0), 'table', context, longContextTier)
}

/** The prices that apply to every call of one model from one provider (see {@link resolveModelPrices}). */
export interface ResolvedModelPrices {
  /** Which source priced it: the host's override or the table. */
  readonly source: 'override' | 'table'
  /** The table's canonical id of the model, when it is in the table. */
  readonly modelId: string | null
  readonly usdPerMillionTokens: UsdPerMillionTokens
  /** Prices above a prompt size, when the model has such a tier (overrides have none). */
  readonly longContext?: LongContextTier
  readonly reasoningBilling: ReasoningBilling
}

/**
 * The override or table prices of a model, resolved once for all its calls, for pricing
 * many stored events quickly: `priceTokens(usage, prices, reasoningBilling)` per call then
 * gives what `priceEvent` gives for a call without client-sent costs or prices. `null`
 * when the model cannot be priced (unknown, or no model).
 * @default options {}
 */
export function resolveModelPrices(
  model: string | null | undefined,
  provider: string | null | undefined,
  options: PriceEventOptions = {},
): ResolvedModelPrices | null {
  if (typeof model !== 'string' || model.trim().length === 0) {
    return null
  }
  const table = Array.isArray(options.priceTable) ? options.priceTable : PRICE_TABLE
  const tableMatch = matchModel(model, table)
  const overrides = Array.isArray(options.overrides) ? options.overrides : []
  for (const override of overrides) {
    if (override === null || typeof override !== 'object') {
      continue
    }
    const prices = overridePrices(override)
    if (prices !== undefined && overrideMatches(override, model, provider ?? undefined, tableMatch)) {
      return { source: 'override', modelId: tableMatch?.modelId ?? null, usdPerMillionTokens: prices, reasoningBilling: 'in-output' }
    }
  }
  if (tableMatch === null) {
    return null
  }
  return {
    source: 'table',
    modelId: tableMatch.modelId,
    usdPerMillionTokens: tableMatch.entry.usdPerMillionTokens,
    longContext: tableMatch.entry.longContext,
    reasoningBilling: tableMatch.entry.reasoningBilling,
  }
}
