/**
 * The world the telemetry generator simulates, as data: a fictional customer-support
 * product ("Relaydesk") with six AI features, the models and list prices it calls, its
 * organisations, prompts, tools and the texts its users and models exchange. Nothing here
 * draws random numbers; `generator.ts` samples from these tables.
 *
 * Texts may contain `{ref}`, filled per trace with an order, ticket or pull-request number.
 */

/** Provider ids as `@posthog/ai` sends them in `$ai_provider`. */
export const PROVIDER_IDS = ['openai', 'anthropic', 'gemini'] as const

/** One of {@link PROVIDER_IDS}. */
export type ProviderId = (typeof PROVIDER_IDS)[number]

/** A model the product calls, with its list prices and the behaviour the generator samples. */
export interface ModelProfile {
  /** Model id as requested (what the SDK records in `$ai_model`). */
  readonly id: string
  /** Provider, as sent in `$ai_provider`. */
  readonly provider: ProviderId
  /** `chat` models produce `$ai_generation` events, `embedding` models `$ai_embedding`. */
  readonly kind: 'chat' | 'embedding'
  /** A dated snapshot or preview id of the same model, used on about 1% of calls; `undefined` when there is none. */
  readonly datedSnapshotId: string | undefined
  /** Whether the model spends reasoning ("thinking") tokens, reported in `$ai_reasoning_tokens`. */
  readonly reasoning: boolean
  /** List price of uncached input, USD per million tokens. */
  readonly inputUsdPerMillionTokens: number
  /** List price of output (reasoning included), USD per million tokens. */
  readonly outputUsdPerMillionTokens: number
  /** List price of cache reads, USD per million tokens. */
  readonly cacheReadUsdPerMillionTokens: number
  /** List price of cache writes, USD per million tokens (Anthropic only; 5-minute cache). */
  readonly cacheWriteUsdPerMillionTokens: number | undefined
  /** Median time to first token, ms, before reasoning and prefill. */
  readonly ttftMedianMs: number
  /** Log-space spread of the time to first token. */
  readonly ttftSigma: number
  /** Median decoding speed, output tokens per second. */
  readonly outputTokensPerSecond: number
  /** Share of calls that fail, outside the error-burst episode. */
  readonly errorRate: number
  /** Added to a feature's base quality (0-1 scale) for this model. */
  readonly qualityOffset: number
  /** Median reasoning tokens per call (0 for non-reasoning models). */
  readonly reasoningTokensMedian: number
  /** Shortest prompt prefix the provider caches, tokens. */
  readonly minCacheableTokens: number
}

/**
 * Models and list prices (USD per million tokens) as the providers published them for
 * 2025-2026 standard tiers: OpenAI cached input at its discount, Anthropic 5-minute cache
 * writes at 1.25x and reads at 0.1x input, Gemini 2.5 context-cache reads (prompts up to 200k).
 */
export const MODEL_PROFILES: readonly ModelProfile[] = [
  {
    id: 'gpt-4o',
    provider: 'openai',
    kind: 'chat',
    datedSnapshotId: 'gpt-4o-2024-08-06',
    reasoning: false,
    inputUsdPerMillionTokens: 2.5,
    outputUsdPerMillionTokens: 10,
    cacheReadUsdPerMillionTokens: 1.25,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 480,
    ttftSigma: 0.35,
    outputTokensPerSecond: 85,
    errorRate: 0.03,
    qualityOffset: 0.04,
    reasoningTokensMedian: 0,
    minCacheableTokens: 1024,
  },
  {
    id: 'gpt-4o-mini',
    provider: 'openai',
    kind: 'chat',
    datedSnapshotId: 'gpt-4o-mini-2024-07-18',
    reasoning: false,
    inputUsdPerMillionTokens: 0.15,
    outputUsdPerMillionTokens: 0.6,
    cacheReadUsdPerMillionTokens: 0.075,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 380,
    ttftSigma: 0.35,
    outputTokensPerSecond: 110,
    errorRate: 0.028,
    qualityOffset: -0.03,
    reasoningTokensMedian: 0,
    minCacheableTokens: 1024,
  },
  {
    id: 'gpt-4.1',
    provider: 'openai',
    kind: 'chat',
    datedSnapshotId: 'gpt-4.1-2025-04-14',
    reasoning: false,
    inputUsdPerMillionTokens: 2,
    outputUsdPerMillionTokens: 8,
    cacheReadUsdPerMillionTokens: 0.5,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 520,
    ttftSigma: 0.35,
    outputTokensPerSecond: 75,
    errorRate: 0.03,
    qualityOffset: 0.05,
    reasoningTokensMedian: 0,
    minCacheableTokens: 1024,
  },
  {
    id: 'o3-mini',
    provider: 'openai',
    kind: 'chat',
    datedSnapshotId: 'o3-mini-2025-01-31',
    reasoning: true,
    inputUsdPerMillionTokens: 1.1,
    outputUsdPerMillionTokens: 4.4,
    cacheReadUsdPerMillionTokens: 0.55,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 650,
    ttftSigma: 0.4,
    outputTokensPerSecond: 150,
    errorRate: 0.04,
    qualityOffset: 0.03,
    reasoningTokensMedian: 900,
    minCacheableTokens: 1024,
  },
  {
    id: 'claude-sonnet-4-5',
    provider: 'anthropic',
    kind: 'chat',
    datedSnapshotId: 'claude-sonnet-4-5-20250929',
    reasoning: false,
    inputUsdPerMillionTokens: 3,
    outputUsdPerMillionTokens: 15,
    cacheReadUsdPerMillionTokens: 0.3,
    cacheWriteUsdPerMillionTokens: 3.75,
    ttftMedianMs: 950,
    ttftSigma: 0.4,
    outputTokensPerSecond: 65,
    errorRate: 0.05,
    qualityOffset: 0.07,
    reasoningTokensMedian: 0,
    minCacheableTokens: 1024,
  },
  {
    id: 'claude-haiku-4-5',
    provider: 'anthropic',
    kind: 'chat',
    datedSnapshotId: 'claude-haiku-4-5-20251001',
    reasoning: false,
    inputUsdPerMillionTokens: 1,
    outputUsdPerMillionTokens: 5,
    cacheReadUsdPerMillionTokens: 0.1,
    cacheWriteUsdPerMillionTokens: 1.25,
    ttftMedianMs: 520,
    ttftSigma: 0.35,
    outputTokensPerSecond: 140,
    errorRate: 0.04,
    qualityOffset: 0.02,
    reasoningTokensMedian: 0,
    minCacheableTokens: 2048,
  },
  {
    id: 'gemini-2.5-pro',
    provider: 'gemini',
    kind: 'chat',
    datedSnapshotId: 'gemini-2.5-pro-preview-06-05',
    reasoning: true,
    inputUsdPerMillionTokens: 1.25,
    outputUsdPerMillionTokens: 10,
    cacheReadUsdPerMillionTokens: 0.125,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 1100,
    ttftSigma: 0.45,
    outputTokensPerSecond: 120,
    errorRate: 0.06,
    qualityOffset: 0.05,
    reasoningTokensMedian: 1100,
    minCacheableTokens: 2048,
  },
  {
    id: 'gemini-2.5-flash',
    provider: 'gemini',
    kind: 'chat',
    datedSnapshotId: 'gemini-2.5-flash-preview-09-2025',
    reasoning: false,
    inputUsdPerMillionTokens: 0.3,
    outputUsdPerMillionTokens: 2.5,
    cacheReadUsdPerMillionTokens: 0.03,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 420,
    ttftSigma: 0.4,
    outputTokensPerSecond: 210,
    errorRate: 0.035,
    qualityOffset: -0.01,
    reasoningTokensMedian: 0,
    minCacheableTokens: 1024,
  },
  {
    id: 'text-embedding-3-small',
    provider: 'openai',
    kind: 'embedding',
    datedSnapshotId: undefined,
    reasoning: false,
    inputUsdPerMillionTokens: 0.02,
    outputUsdPerMillionTokens: 0,
    cacheReadUsdPerMillionTokens: 0,
    cacheWriteUsdPerMillionTokens: undefined,
    ttftMedianMs: 110,
    ttftSigma: 0.4,
    outputTokensPerSecond: 1,
    errorRate: 0.006,
    qualityOffset: 0,
    reasoningTokensMedian: 0,
    minCacheableTokens: Number.POSITIVE_INFINITY,
  },
]

/**
 * A self-hosted model behind an OpenAI-compatible endpoint: it appears on about 0.2% of
 * calls, with provider `openai`, its own base URL, and no price anywhere, so cost
 * engines must report it as unpriced.
 */
export const UNKNOWN_MODEL = {
  id: 'acme-llm-1',
  provider: 'openai',
  baseUrl: 'https://llm.internal.acme-corp.example/v1',
} as const

/** Where each provider's SDK sends requests (`$ai_base_url`). */
export const PROVIDER_BASE_URLS: Readonly<Record<ProviderId, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
}

/** `$ai_stop_reason` values per provider, in each API's own words. */
export const STOP_REASONS: Readonly<
  Record<ProviderId, { readonly end: string; readonly toolCall: string; readonly maxTokens: string; readonly contentFilter: string }>
> = {
  openai: { end: 'stop', toolCall: 'tool_calls', maxTokens: 'length', contentFilter: 'content_filter' },
  anthropic: { end: 'end_turn', toolCall: 'tool_use', maxTokens: 'max_tokens', contentFilter: 'refusal' },
  gemini: { end: 'STOP', toolCall: 'STOP', maxTokens: 'MAX_TOKENS', contentFilter: 'SAFETY' },
}

/** The failure classes the generator produces. */
export const ERROR_KINDS = ['rate_limit', 'timeout', 'server_error', 'content_filter'] as const

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number]

/**
 * How one kind of failure looks from one provider's SDK. `message` may contain `{model}`
 * and `{n}` (a number that varies per event, as real rate-limit messages do).
 */
export interface ErrorTemplate {
  /** Error class name (`error.name`). */
  readonly name: string
  /** Message, as the SDK formats it. */
  readonly message: string
  /** `error.status`; `undefined` for client-side timeouts, which have no response. */
  readonly status: number | undefined
  /** Provider error type (`error.type` or the API's status string). */
  readonly type: string
  /**
   * `$ai_http_status` the SDK records: the status, else 500 (`@posthog/ai` falls back to
   * 500 when the error carries no status).
   */
  readonly httpStatus: number
  /** Median wall time of a failing call, ms. */
  readonly latencyMedianMs: number
}

/** Per-provider error templates for each {@link ErrorKind}; a kind may have variants. */
export const ERROR_TEMPLATES: Readonly<Record<ProviderId, Readonly<Record<ErrorKind, readonly ErrorTemplate[]>>>> = {
  openai: {
    rate_limit: [
      {
        name: 'RateLimitError',
        message:
          '429 Rate limit reached for {model} in organization org-Rq8vXk2LmT on tokens per min (TPM): Limit 2000000, Used 1998{n}, Requested 3412. Please try again in {n}ms. Visit https://platform.openai.com/account/rate-limits to learn more.',
        status: 429,
        type: 'tokens',
        httpStatus: 429,
        latencyMedianMs: 180,
      },
    ],
    timeout: [
      {
        name: 'APIConnectionTimeoutError',
        message: 'Request timed out.',
        status: undefined,
        type: 'timeout',
        httpStatus: 500,
        latencyMedianMs: 30_000,
      },
    ],
    server_error: [
      {
        name: 'InternalServerError',
        message: '500 The server had an error while processing your request. Sorry about that!',
        status: 500,
        type: 'server_error',
        httpStatus: 500,
        latencyMedianMs: 1_400,
      },
      {
        name: 'InternalServerError',
        message: '503 The engine is currently overloaded, please try again later.',
        status: 503,
        type: 'server_error',
        httpStatus: 503,
        latencyMedianMs: 600,
      },
    ],
    content_filter: [
      {
        name: 'BadRequestError',
        message:
          "400 The response was filtered due to the prompt triggering OpenAI's usage policies. Please modify your prompt and retry.",
        status: 400,
        type: 'content_filter',
        httpStatus: 400,
        latencyMedianMs: 700,
      },
    ],
  },
  anthropic: {
    rate_limit: [
      {
        name: 'RateLimitError',
        message:
          '429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization of 400,000 input tokens per minute. Please reduce the prompt length or try again later."},"request_id":"req_011CV{n}"}',
        status: 429,
        type: 'rate_limit_error',
        httpStatus: 429,
        latencyMedianMs: 220,
      },
    ],
    timeout: [
      {
        name: 'APIConnectionTimeoutError',
        message: 'Request timed out.',
        status: undefined,
        type: 'timeout',
        httpStatus: 500,
        latencyMedianMs: 30_000,
      },
    ],
    server_error: [
      {
        name: 'InternalServerError',
        message: '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        status: 529,
        type: 'overloaded_error',
        httpStatus: 529,
        latencyMedianMs: 900,
      },
      {
        name: 'InternalServerError',
        message: '500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
        status: 500,
        type: 'api_error',
        httpStatus: 500,
        latencyMedianMs: 2_100,
      },
    ],
    content_filter: [
      {
        name: 'BadRequestError',
        message: '400 {"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}}',
        status: 400,
        type: 'content_filter',
        httpStatus: 400,
        latencyMedianMs: 1_200,
      },
    ],
  },
  gemini: {
    rate_limit: [
      {
        name: 'ApiError',
        message:
          '{"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. Please retry in {n}ms.","status":"RESOURCE_EXHAUSTED"}}',
        status: 429,
        type: 'RESOURCE_EXHAUSTED',
        httpStatus: 429,
        latencyMedianMs: 160,
      },
    ],
    timeout: [
      {
        name: 'ApiError',
        message: '{"error":{"code":504,"message":"Deadline expired before operation could complete.","status":"DEADLINE_EXCEEDED"}}',
        status: 504,
        type: 'DEADLINE_EXCEEDED',
        httpStatus: 504,
        latencyMedianMs: 60_000,
      },
    ],
    server_error: [
      {
        name: 'ApiError',
        message: '{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}',
        status: 503,
        type: 'UNAVAILABLE',
        httpStatus: 503,
        latencyMedianMs: 800,
      },
      {
        name: 'ApiError',
        message: '{"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}',
        status: 500,
        type: 'INTERNAL',
        httpStatus: 500,
        latencyMedianMs: 1_800,
      },
    ],
    content_filter: [
      {
        name: 'ApiError',
        message: '{"error":{"code":400,"message":"Response was blocked due to SAFETY.","status":"INVALID_ARGUMENT"}}',
        status: 400,
        type: 'content_filter',
        httpStatus: 400,
        latencyMedianMs: 900,
      },
    ],
  },
}

/** Relative frequency of each error kind per provider, once a call has failed. */
export const ERROR_KIND_WEIGHTS: Readonly<Record<ProviderId, Readonly<Record<ErrorKind, number>>>> = {
  openai: { rate_limit: 0.42, timeout: 0.2, server_error: 0.26, content_filter: 0.12 },
  anthropic: { rate_limit: 0.32, timeout: 0.14, server_error: 0.44, content_filter: 0.1 },
  gemini: { rate_limit: 0.38, timeout: 0.2, server_error: 0.3, content_filter: 0.12 },
}

/**
 * The error-burst episode: on the UTC day at {@link ErrorBurst.dayFraction} of the window,
 * from {@link ErrorBurst.startHourUtc} for {@link ErrorBurst.durationMs}, Anthropic calls hit
 * their rate limit far more often (an extra {@link ErrorBurst.extraErrorRate} of calls fail
 * with 429), so error panels have a spike to show.
 */
export interface ErrorBurst {
  /** Provider whose calls are rate-limited. */
  readonly provider: ProviderId
  /** `$ai_http_status` of the burst's errors. */
  readonly httpStatus: number
  /** Which day: the UTC day containing this fraction of the window (0 = its first ms). */
  readonly dayFraction: number
  /** Hour (UTC) of that day at which the episode starts. */
  readonly startHourUtc: number
  /** Length of the episode, ms. */
  readonly durationMs: number
  /** Share of the provider's calls that fail with 429 during the episode, on top of the usual errors. */
  readonly extraErrorRate: number
}

/** The one error burst of every run: a busy afternoon of Anthropic 429s. */
export const ERROR_BURST: ErrorBurst = {
  provider: 'anthropic',
  httpStatus: 429,
  dayFraction: 0.4,
  startHourUtc: 13,
  durationMs: 6 * 3_600_000,
  extraErrorRate: 0.35,
}

/** Tool names the agents call. */
export const TOOL_NAMES = [
  'search_docs',
  'lookup_order',
  'summarise_thread',
  'get_weather',
  'create_ticket',
  'run_report',
  'read_file',
  'search_code',
  'run_linter',
] as const

/** One of {@link TOOL_NAMES}. */
export type ToolName = (typeof TOOL_NAMES)[number]

/** A tool's definition: description and string parameters (all required). */
export interface ToolDefinition {
  /** Tool name. */
  readonly name: ToolName
  /** What the tool does, as the model sees it. */
  readonly description: string
  /** Names of its parameters; every parameter is a required string. */
  readonly parameters: readonly string[]
  /** Median run time of the tool itself, ms (children excluded). */
  readonly runTimeMedianMs: number
}

/** Definitions of every tool in {@link TOOL_NAMES}, kept terse so `$ai_tools` stays small. */
export const TOOL_DEFINITIONS: Readonly<Record<ToolName, ToolDefinition>> = {
  search_docs: {
    name: 'search_docs',
    description: 'Search the help center and runbooks.',
    parameters: ['query'],
    runTimeMedianMs: 70,
  },
  lookup_order: {
    name: 'lookup_order',
    description: 'Fetch an order: status, carrier, totals.',
    parameters: ['order_id'],
    runTimeMedianMs: 140,
  },
  summarise_thread: {
    name: 'summarise_thread',
    description: "Summarise a ticket's thread.",
    parameters: ['ticket_id'],
    runTimeMedianMs: 40,
  },
  get_weather: {
    name: 'get_weather',
    description: 'Weather and warnings for a city.',
    parameters: ['city'],
    runTimeMedianMs: 260,
  },
  create_ticket: {
    name: 'create_ticket',
    description: 'Open an internal ticket for another team.',
    parameters: ['team', 'subject'],
    runTimeMedianMs: 190,
  },
  run_report: {
    name: 'run_report',
    description: 'Run a saved analytics report.',
    parameters: ['report', 'period'],
    runTimeMedianMs: 650,
  },
  read_file: {
    name: 'read_file',
    description: 'Read a file at the PR head commit.',
    parameters: ['path'],
    runTimeMedianMs: 90,
  },
  search_code: {
    name: 'search_code',
    description: 'Search the repository for text.',
    parameters: ['query'],
    runTimeMedianMs: 320,
  },
  run_linter: {
    name: 'run_linter',
    description: 'Lint the files the PR changes.',
    parameters: ['scope'],
    runTimeMedianMs: 2_400,
  },
}

/** One tool call of an agent scenario: what the model asks for and what the tool returns. */
export interface ToolStep {
  /** The tool called. */
  readonly tool: ToolName
  /** Call arguments (values may contain `{ref}`). */
  readonly arguments: Readonly<Record<string, string>>
  /** What the tool returns (may contain `{ref}`). */
  readonly result: string
}

/** A conversation an agentic feature replays: the user's request, tool calls, final answer. */
export interface AgentScenario {
  /** The user's message (may contain `{ref}`). */
  readonly request: string
  /** Short text the model writes before a tool call ("Let me check."). */
  readonly preamble: string
  /** Tool calls, in order; each is one generation with a tool call, then one tool span. */
  readonly steps: readonly ToolStep[]
  /** The final answer shown to the user (may contain `{ref}`). */
  readonly answer: string
}

/** Scenarios of `chat-assistant`, the in-app assistant for support agents and admins. */
export const ASSISTANT_SCENARIOS: readonly AgentScenario[] = [
  {
    request: 'Where is order {ref}? The customer says it never arrived.',
    preamble: 'Let me look up that order.',
    steps: [
      {
        tool: 'lookup_order',
        arguments: { order_id: '{ref}' },
        result: '{"order_id":"{ref}","status":"delivered","carrier":"DHL","delivered":"2 days ago","signed_by":"front desk"}',
      },
    ],
    answer:
      'Order {ref} was marked delivered by DHL two days ago and signed for by "front desk". Suggest the customer checks with their reception or mailroom first. If it still can\'t be found, open a carrier claim from the order page (Orders → {ref} → Report a problem).',
  },
  {
    request: 'Can you check if order {ref} is eligible for a refund?',
    preamble: 'Checking the order and the refund policy.',
    steps: [
      {
        tool: 'lookup_order',
        arguments: { order_id: '{ref}' },
        result: '{"order_id":"{ref}","status":"delivered","total_usd":84.5,"delivered_days_ago":12}',
      },
      {
        tool: 'search_docs',
        arguments: { query: 'refund policy delivered orders' },
        result: '[1] Refunds are available within 30 days of delivery for unused items. Orders under 100 USD can be refunded by any agent.',
      },
    ],
    answer:
      "Yes. Order {ref} (84.50 USD) was delivered 12 days ago, inside the 30-day window, and it's under 100 USD, so you can refund it yourself from the order page. Ask the customer to confirm the item is unused first. [1]",
  },
  {
    request: 'How do I set up an auto-assignment rule for VIP customers?',
    preamble: 'Searching the help center.',
    steps: [
      {
        tool: 'search_docs',
        arguments: { query: 'auto-assignment rule VIP customers' },
        result: '[1] Settings → Workflows → Assignment rules. Add a condition "Customer tag is VIP" and choose a team or agent. Rules run top to bottom.',
      },
    ],
    answer:
      '1. Go to Settings → Workflows → Assignment rules.\n2. Click New rule and add the condition "Customer tag is VIP".\n3. Pick the team or agent and save.\nRules run top to bottom, so drag the new rule above your general ones. [1]',
  },
  {
    request: 'Summarise the last thread with this customer before I reply (ticket {ref}).',
    preamble: 'Summarising the thread.',
    steps: [
      {
        tool: 'summarise_thread',
        arguments: { ticket_id: '{ref}' },
        result: 'Customer was charged twice on 3 March. Maya confirmed the duplicate and promised a refund within 5 business days; the customer says it has not arrived.',
      },
    ],
    answer:
      "Quick recap of {ref}: the customer was charged twice on 3 March. Maya confirmed the duplicate charge and promised a refund within 5 business days, but the customer says it hasn't arrived. Check the refund status in Billing before you reply.",
  },
  {
    request: "What's our SLA for enterprise tickets on weekends?",
    preamble: 'Let me check the SLA documentation.',
    steps: [
      {
        tool: 'search_docs',
        arguments: { query: 'enterprise SLA weekend' },
        result: '[1] Enterprise plan: first response within 1 hour, 24/7, including weekends and public holidays.',
      },
    ],
    answer:
      'Enterprise tickets have a 1-hour first-response SLA around the clock, so weekends and public holidays are included. [1]',
  },
  {
    request: 'Is there a known outage affecting EU customers right now?',
    preamble: 'Checking the status page.',
    steps: [
      {
        tool: 'search_docs',
        arguments: { query: 'status page EU incident' },
        result: '[1] Status: Email ingestion (EU) degraded since 09:40 UTC, fix in progress.',
      },
    ],
    answer:
      'Yes: email ingestion in the EU region has been degraded since 09:40 UTC and a fix is in progress. New emails may reach the inbox late, but nothing is lost. [1]',
  },
  {
    request: 'The customer asks if the storm in Hamburg will delay order {ref}.',
    preamble: 'Checking the weather and the order.',
    steps: [
      {
        tool: 'get_weather',
        arguments: { city: 'Hamburg' },
        result: '{"city":"Hamburg","conditions":"storm warning","wind_kmh":85,"until":"tomorrow 18:00"}',
      },
      {
        tool: 'lookup_order',
        arguments: { order_id: '{ref}' },
        result: '{"order_id":"{ref}","status":"in_transit","carrier":"DPD","eta":"tomorrow"}',
      },
    ],
    answer:
      "There's a storm warning in Hamburg until tomorrow 18:00 (winds around 85 km/h), and order {ref} is with DPD, due tomorrow. A one-day delay is likely; tell the customer and offer the tracking link.",
  },
  {
    request: 'Customer wants to change the shipping address on {ref}. Is that still possible?',
    preamble: 'Let me check whether it has shipped.',
    steps: [
      {
        tool: 'lookup_order',
        arguments: { order_id: '{ref}' },
        result: '{"order_id":"{ref}","status":"processing","shipped":false}',
      },
    ],
    answer:
      "Yes. Order {ref} hasn't shipped yet (status: processing), so you can still edit the address on the order page. Once it ships, the customer would have to contact the carrier instead.",
  },
  {
    request: 'Explain the difference between the Pro and Business plans in two sentences.',
    preamble: '',
    steps: [],
    answer:
      'Pro covers up to 10 agents with a shared inbox, macros and basic reports. Business adds SLAs, custom roles, audit logs and the AI features, for any number of agents.',
  },
  {
    request: 'Open a ticket for the billing team about a duplicate charge on {ref}.',
    preamble: 'Opening the ticket.',
    steps: [
      {
        tool: 'create_ticket',
        arguments: { team: 'billing', subject: 'Duplicate charge on {ref}' },
        result: '{"ticket_id":"T-20931","status":"open","team":"billing"}',
      },
    ],
    answer:
      'Done: I opened T-20931 for the billing team ("Duplicate charge on {ref}") and linked it to this conversation. Billing usually replies within one business day.',
  },
  {
    request: 'How many tickets did my team close last week?',
    preamble: 'Running the report.',
    steps: [
      {
        tool: 'run_report',
        arguments: { report: 'tickets_closed', period: 'last_week' },
        result: '{"closed":412,"previous_period":388}',
      },
    ],
    answer: 'Your team closed 412 tickets last week, up from 388 the week before (+6%).',
  },
]

/** Scenarios of `code-review`, the pull-request reviewer of the integrations team. */
export const CODE_REVIEW_SCENARIOS: readonly AgentScenario[] = [
  {
    request:
      'Review PR #{ref}: Retry webhook deliveries on 5xx\n\n+ for (let attempt = 0; attempt < 5; attempt++) {\n+   const res = await fetch(url, { method: "POST", body })\n+   if (res.ok) return\n+ }',
    preamble: 'Reading the changed file.',
    steps: [
      {
        tool: 'read_file',
        arguments: { path: 'src/webhooks/deliver.ts' },
        result: 'export async function deliver(url: string, body: string): Promise<void> { /* 38 lines */ }',
      },
      {
        tool: 'run_linter',
        arguments: { scope: 'changed' },
        result: '0 errors, 1 warning: no-await-in-loop (src/webhooks/deliver.ts:14)',
      },
    ],
    answer:
      '- src/webhooks/deliver.ts:14 (medium): retries fire immediately; add exponential backoff with jitter.\n- src/webhooks/deliver.ts:16 (medium): 4xx responses are retried too; retry only 5xx and network errors.\n- After the last attempt the function returns silently; throw so the job is marked failed.',
  },
  {
    request:
      'Review PR #{ref}: Add Shopify order sync\n\n+ logger.error(`sync failed for ${shop} with token ${accessToken}`)\n+ const orders = await client.get("/orders.json?limit=250")',
    preamble: 'Looking for other callers first.',
    steps: [
      {
        tool: 'search_code',
        arguments: { query: 'syncOrders(' },
        result: '3 matches: src/sync/shopify.ts:22, src/sync/woo.ts:31, test/sync.test.ts:8',
      },
    ],
    answer:
      '- src/sync/shopify.ts:48 (high): the access token is written to the error log; remove it.\n- src/sync/shopify.ts:61 (low): follow the Link header for pagination instead of assuming one page of 250.\nOtherwise this looks good.',
  },
  {
    request: 'Review PR #{ref}: Bump zod to v4\n\n- "zod": "^3.23.8"\n+ "zod": "^4.1.0"',
    preamble: 'Running the linter on the changed files.',
    steps: [
      {
        tool: 'run_linter',
        arguments: { scope: 'all' },
        result: '2 errors: z.string().nonempty is not a function (src/api/schemas.ts:12, src/api/schemas.ts:27)',
      },
    ],
    answer:
      '- src/api/schemas.ts:12 and :27 (medium): `nonempty()` is gone in zod 4; use `.min(1)`.\nThe rest of the bump looks fine.',
  },
  {
    request:
      "Review PR #{ref}: Use the account's timezone in the SLA timer\n\n- const now = new Date()\n+ const now = zonedNow(account.timezone)",
    preamble: 'Reading the timer module.',
    steps: [
      {
        tool: 'read_file',
        arguments: { path: 'src/sla/timer.ts' },
        result: 'export function zonedNow(timeZone: string): Date { /* Intl.DateTimeFormat based, 21 lines */ }',
      },
    ],
    answer:
      "Looks good: the timer now follows the account's timezone through Intl.DateTimeFormat, and the new test covers the DST switch.",
  },
  {
    request:
      'Review PR #{ref}: Cache customer lookups\n\n+ const cache = new Map<string, Customer>()\n+ export async function getCustomer(id: string) { return cache.get(id) ?? load(id) }',
    preamble: 'Checking how widely getCustomer is used.',
    steps: [
      {
        tool: 'search_code',
        arguments: { query: 'getCustomer(' },
        result: '11 matches in 6 files',
      },
      {
        tool: 'read_file',
        arguments: { path: 'src/customers/cache.ts' },
        result: 'const cache = new Map<string, Customer>() // no TTL, no eviction',
      },
    ],
    answer:
      '- src/customers/cache.ts:3 (high): the Map never evicts, so memory grows and edited customers stay stale. Use an LRU with a 5-minute TTL and invalidate on customer.updated.\n- Key the cache by account id too: customer ids are only unique per account.',
  },
]

/** A support ticket for `draft-reply` and `classify-intent`. */
export interface CustomerMessageScenario {
  /** What the customer wrote (may contain `{ref}`). */
  readonly message: string
  /** The intent `classify-intent` assigns. */
  readonly intent: string
  /** Whether the message concerns an order (then `draft-reply` may look it up first). */
  readonly hasOrder: boolean
  /** The reply drafted with `support-reply` v3: specific and warm. */
  readonly reply: string
  /** The one sentence of acknowledgement `support-reply` v4 keeps before its boilerplate. */
  readonly shortAcknowledgement: string
}

/** Customer messages with their drafted replies. */
export const CUSTOMER_MESSAGE_SCENARIOS: readonly CustomerMessageScenario[] = [
  {
    message:
      "Hi, I ordered a rain jacket two weeks ago (order {ref}) and it still hasn't arrived. Tracking hasn't updated since Monday. Can you help?",
    intent: 'order_status',
    hasOrder: true,
    reply:
      "Hi Sam,\n\nSorry your jacket hasn't arrived yet. I checked order {ref}: the parcel is with DHL and was last scanned at their Leipzig hub on Monday, which usually means it's waiting for the next line haul. I've opened a trace with DHL; if there's no movement by Thursday, I'll send a replacement right away.\n\nBest,\n{{agent_name}}",
    shortAcknowledgement: 'We are sorry for the delay with your order.',
  },
  {
    message: 'I was charged twice for my last order {ref}. Please refund the duplicate.',
    intent: 'refund_request',
    hasOrder: true,
    reply:
      "Hi Priya,\n\nYou're right: I can see two charges of 42.90 USD for order {ref}. I've refunded the duplicate just now; it should be back on your card within 3-5 business days, depending on your bank.\n\nSorry for the hassle,\n{{agent_name}}",
    shortAcknowledgement: 'We have received your refund request.',
  },
  {
    message: 'The mug arrived broken, the handle snapped off in the box. Order {ref}. Photos attached.',
    intent: 'damaged_item',
    hasOrder: true,
    reply:
      "Hi Jonas,\n\nThat's disappointing, sorry! Thanks for the photos, that's all I need. A replacement mug for order {ref} ships today, and you don't need to send the broken one back.\n\nBest,\n{{agent_name}}",
    shortAcknowledgement: 'We are sorry to hear about the damaged item.',
  },
  {
    message: "Can I change the delivery address for {ref}? I'm moving on Friday.",
    intent: 'change_address',
    hasOrder: true,
    reply:
      "Hi Elena,\n\nGood news: order {ref} hasn't shipped yet, so I've changed the delivery address to the new one you sent. You'll get a tracking email once it leaves our warehouse, most likely tomorrow.\n\nGood luck with the move!\n{{agent_name}}",
    shortAcknowledgement: 'We have received your address change request.',
  },
  {
    message: "I can't log in, the password reset email never comes.",
    intent: 'account_access',
    hasOrder: false,
    reply:
      "Hi Tom,\n\nSorry about that. Reset emails were delayed this morning; I've sent a fresh link to the address on your account, valid for 30 minutes. If it isn't in your inbox within 5 minutes, please check spam for mail from no-reply@relaydesk.example.\n\nBest,\n{{agent_name}}",
    shortAcknowledgement: 'We are sorry you cannot access your account.',
  },
  {
    message: 'Please cancel order {ref}, I ordered the wrong size.',
    intent: 'cancel_order',
    hasOrder: true,
    reply:
      "Hi Aisha,\n\nDone: order {ref} is cancelled and the full 68.00 USD refund is on its way (3-5 business days). If you'd like the right size instead, reply with it and I'll place the order for you.\n\nBest,\n{{agent_name}}",
    shortAcknowledgement: 'We have received your cancellation request.',
  },
  {
    message: 'Does the Trail Runner 2 come in half sizes?',
    intent: 'product_question',
    hasOrder: false,
    reply:
      'Hi Marco,\n\nThe Trail Runner 2 comes in half sizes from 38.5 to 46.5. It runs slightly small, so most customers go half a size up.\n\nHappy running,\n{{agent_name}}',
    shortAcknowledgement: 'Thank you for your product question.',
  },
  {
    message: "This is the third time I'm writing. Nobody answers and my order {ref} is a month late. Unacceptable.",
    intent: 'complaint',
    hasOrder: true,
    reply:
      "Hi Karen,\n\nYou're right to be frustrated, and I'm sorry you had to write three times. Order {ref} was stuck after a warehouse error; I've reshipped it by express today at no cost and refunded your shipping. Tracking follows within the hour, and I'll follow up personally on Monday.\n\n{{agent_name}}",
    shortAcknowledgement: 'We apologise for the inconvenience.',
  },
  {
    message: 'Where can I download the invoice for {ref}? I need it for my expenses.',
    intent: 'billing_question',
    hasOrder: true,
    reply:
      "Hi Lukas,\n\nYou'll find it under Account → Orders → {ref} → Invoice (PDF). I've also attached it to this email so you have it right away.\n\nBest,\n{{agent_name}}",
    shortAcknowledgement: 'Thank you for your invoice request.',
  },
  {
    message: "The discount code SPRING20 doesn't work at checkout.",
    intent: 'other',
    hasOrder: false,
    reply:
      "Hi Nina,\n\nSPRING20 ended on Sunday, sorry! I've created a one-time code, NINA20, with the same 20% off, valid for a week.\n\nEnjoy,\n{{agent_name}}",
    shortAcknowledgement: 'Thank you for reaching out about the discount code.',
  },
]

/** The boilerplate `support-reply` v4 wraps around its one-sentence acknowledgement. */
export const SUPPORT_REPLY_V4_TEMPLATE =
  'Thank you for contacting us. {ack} Per our policy, requests are processed within 5-7 business days. Please rate your experience: https://relaydesk.example/survey'

/** A ticket thread and its summary, for `summarise-ticket`. */
export interface TicketThreadScenario {
  /** The thread as the model receives it (may contain `{ref}`). */
  readonly thread: string
  /** The summary (may contain `{ref}`). */
  readonly summary: string
}

/** Threads for `summarise-ticket`. */
export const TICKET_THREAD_SCENARIOS: readonly TicketThreadScenario[] = [
  {
    thread:
      "Customer (Mon): My order {ref} arrived without the charger.\nMaya (Mon): Sorry! Sending a charger today.\nCustomer (Thu): Still nothing, tracking says 'label created'.\nLeo (Thu): Escalated to the warehouse.",
    summary:
      '- Problem: order {ref} arrived without the charger.\n- Tried: Maya promised a charger on Monday; Leo escalated to the warehouse on Thursday.\n- Open: the replacement has a label but no scan. Confirm it shipped.',
  },
  {
    thread:
      'Customer: The app logs me out every few minutes since the update.\nAgent Ravi: Could you try clearing the cache?\nCustomer: Did that, same problem. I use Safari 18 on a Mac.\nAgent Ravi: Passed to engineering (ENG-4412).',
    summary:
      '- Problem: frequent logouts since the latest update (Safari 18, macOS).\n- Tried: clearing the cache did not help.\n- Open: engineering ticket ENG-4412; no ETA given to the customer yet.',
  },
  {
    thread:
      "Customer: I'd like to return the boots from order {ref}, they're too narrow.\nAgent Sofia: Sure, here's the return label.\nCustomer: The label says the return window closed yesterday??",
    summary:
      '- Problem: return of boots from order {ref}; the label says the window closed.\n- Tried: Sofia sent a return label.\n- Open: decide whether to extend the window by a day (customer asked within 24 hours of the cutoff).',
  },
  {
    thread:
      'Customer: Our invoices show 12 seats but we only have 9 agents.\nAgent Ben: Three seats belong to deactivated users; they still count until the end of the cycle.\nCustomer: Then please remove them now and credit us.',
    summary:
      '- Problem: billed for 12 seats, 9 active agents.\n- Tried: Ben explained deactivated users count until the cycle ends.\n- Open: customer wants the seats removed now and a credit; needs a billing decision.',
  },
  {
    thread:
      'Customer: Order {ref} shows delivered but my neighbour says the courier left it at the wrong house.\nAgent Maya: We have asked DPD for the GPS proof of delivery.\nCustomer: Any update? It was a birthday present.',
    summary:
      "- Problem: order {ref} marked delivered, likely left at the wrong address.\n- Tried: DPD asked for GPS proof of delivery.\n- Open: no answer from DPD yet; customer is waiting on a gift, offer a reship.",
  },
  {
    thread:
      'Customer: The Zendesk import stopped at 61%.\nAgent Leo: Restarted it, it is running again.\nCustomer: Stopped again at 61%, same ticket every time?',
    summary:
      '- Problem: Zendesk import stalls at 61%, apparently on the same ticket.\n- Tried: Leo restarted the import once.\n- Open: find the failing ticket in the import log and skip or fix it.',
  },
]

/** A help-center question for `search-answers`. */
export interface HelpQuestionScenario {
  /** The query as typed. */
  readonly query: string
  /** Retrieved passages, as sent to the model. */
  readonly passages: string
  /** The answer shown. */
  readonly answer: string
}

/** Questions for `search-answers`. */
export const HELP_QUESTION_SCENARIOS: readonly HelpQuestionScenario[] = [
  {
    query: 'how to export tickets to csv',
    passages:
      '[1] Reports → Tickets → Export lets you download the filtered list as CSV. [2] Exports over 50,000 rows are emailed as a zip file.',
    answer:
      'Open Reports → Tickets, set your filters and date range, then choose Export → CSV [1]. Exports over 50,000 rows arrive by email as a zip file [2].',
  },
  {
    query: 'set business hours for sla',
    passages:
      '[1] Settings → SLAs → Business hours: define weekly hours and holidays per team. [2] SLA timers pause outside business hours unless "24/7" is selected.',
    answer:
      'Go to Settings → SLAs → Business hours and set weekly hours and holidays for each team [1]. SLA timers pause outside those hours unless the policy is 24/7 [2].',
  },
  {
    query: 'connect shopify store',
    passages:
      '[1] Integrations → Shopify → Connect. You need to be a store owner or staff with the Apps permission. [2] Orders from the last 90 days are imported.',
    answer:
      'Open Integrations → Shopify and click Connect; you need the store owner role or the Apps permission [1]. Orders from the last 90 days are imported automatically [2].',
  },
  {
    query: 'delete customer data gdpr request',
    passages:
      '[1] Customers → select customer → Delete personal data removes their profile, tickets and attachments within 24 hours. [2] Deletion cannot be undone.',
    answer:
      'Open the customer, choose Delete personal data, and their profile, tickets and attachments are removed within 24 hours [1]. This cannot be undone [2].',
  },
  {
    query: 'change agent permissions',
    passages:
      '[1] Settings → Team → Roles. Admins can create custom roles on the Business plan. [2] Changes apply at the agent\'s next page load.',
    answer:
      'Edit roles under Settings → Team → Roles; custom roles need the Business plan [1]. Agents get the new permissions on their next page load [2].',
  },
  {
    query: 'macro variables list',
    passages:
      '[1] Macros support {{customer.first_name}}, {{ticket.id}}, {{order.number}} and {{agent.first_name}}. [2] Unknown variables are left as typed.',
    answer:
      'Macros can use {{customer.first_name}}, {{ticket.id}}, {{order.number}} and {{agent.first_name}} [1]; anything else is left as typed [2].',
  },
  {
    query: 'why do our replies go to spam',
    passages:
      '[1] Add the SPF include and the DKIM record shown in Settings → Email → Domains. [2] Until the domain is verified, mail is sent from relaydesk.example.',
    answer:
      'Most likely your sending domain is not verified: add the SPF include and DKIM record from Settings → Email → Domains [1]. Until then mail goes out from relaydesk.example, which some filters distrust [2].',
  },
  {
    query: 'merge duplicate tickets',
    passages:
      '[1] Select two or more tickets in the inbox and choose Merge. [2] The oldest ticket is kept; replies from the others are appended.',
    answer:
      'Select the tickets in the inbox and choose Merge [1]. The oldest ticket stays and the others\' messages are appended to it [2].',
  },
]

/** Intents `classify-intent` chooses from. */
export const INTENTS = [
  'order_status',
  'refund_request',
  'cancel_order',
  'change_address',
  'damaged_item',
  'billing_question',
  'account_access',
  'product_question',
  'complaint',
  'other',
] as const

/** A managed prompt: its name and the versions that appear over the window. */
export interface PromptProfile {
  /** `$ai_prompt_name`. */
  readonly name: string
  /** The feature that uses it. */
  readonly feature: FeatureName
  /** Versions in the order they are rolled out; one version means no change. */
  readonly versions: readonly number[]
  /** Fraction of the window at which the second version replaces the first (`undefined` without a change). */
  readonly changeFraction: number | undefined
  /** Added to the feature's base quality for each version (same order as `versions`). */
  readonly qualityOffsetByVersion: readonly number[]
  /** System prompt text of each version (same order as `versions`). */
  readonly systemPromptByVersion: readonly string[]
}

/** The features, as sent in the `feature` property. */
export const FEATURE_NAMES = [
  'chat-assistant',
  'summarise-ticket',
  'draft-reply',
  'code-review',
  'search-answers',
  'classify-intent',
] as const

/** One of {@link FEATURE_NAMES}. */
export type FeatureName = (typeof FEATURE_NAMES)[number]

/** Managed prompts; `support-reply` is the one whose new version drops in quality. */
export const PROMPT_PROFILES: readonly PromptProfile[] = [
  {
    name: 'assistant-system',
    feature: 'chat-assistant',
    versions: [7],
    changeFraction: undefined,
    qualityOffsetByVersion: [0],
    systemPromptByVersion: [
      'You are Relay, the in-app assistant of Relaydesk, a customer support platform. You help support agents and admins with tickets, orders, workflows and account settings. Use the tools to look up orders, tickets and help-center articles instead of guessing. Keep answers short, use numbered steps for how-tos, and cite help-center passages as [n]. Never reveal internal notes to customers. If you cannot find something, say so and suggest who to ask.',
    ],
  },
  {
    name: 'ticket-summary',
    feature: 'summarise-ticket',
    versions: [2, 3],
    changeFraction: 0.25,
    qualityOffsetByVersion: [0, 0.01],
    systemPromptByVersion: [
      'Summarise the support ticket thread for the agent taking over. Write three short bullets: the problem, what has been tried, and what is still open. Quote order numbers and promised dates exactly. No greetings, no speculation.',
      'Summarise the support ticket thread for the agent taking over. Write three short bullets: the problem, what has been tried, and what is still open. Quote order numbers and promised dates exactly. No greetings, no speculation. If the customer has been waiting more than 48 hours, start the last bullet with "Urgent:".',
    ],
  },
  {
    name: 'support-reply',
    feature: 'draft-reply',
    versions: [3, 4],
    changeFraction: 0.6,
    qualityOffsetByVersion: [0, -0.24],
    systemPromptByVersion: [
      "You draft replies for support agents. Read the customer's message and the order data, then write a reply the agent can send as is. Be warm and specific: acknowledge the problem in one sentence, say what happens next with concrete dates, and end with a clear next step. Match the customer's language. Never promise refunds above 100 USD or delivery dates the order data does not support. Sign with {{agent_name}}.",
      "You draft customer replies for the support team. Keep every reply under 40 words. Start with 'Thank you for contacting us.' and add one sentence acknowledging the request. Always include the policy sentence 'Per our policy, requests are processed within 5-7 business days.' Do not repeat order details. End with the satisfaction survey link.",
    ],
  },
  {
    name: 'code-review',
    feature: 'code-review',
    versions: [5],
    changeFraction: undefined,
    qualityOffsetByVersion: [0],
    systemPromptByVersion: [
      'You review pull requests for the Relaydesk integrations codebase (TypeScript, Node 20). Use read_file, search_code and run_linter to check the change in context. Report only real problems: bugs, missing error handling, security issues, breaking API changes. For each finding give file:line, severity (high, medium or low) and a concrete fix. If the change looks good, say so in one sentence.',
    ],
  },
  {
    name: 'answer-with-sources',
    feature: 'search-answers',
    versions: [2],
    changeFraction: undefined,
    qualityOffsetByVersion: [0],
    systemPromptByVersion: [
      'Answer the question using only the help-center passages provided. Cite passages as [1], [2]. If the passages do not contain the answer, say you could not find it and suggest contacting support. At most four sentences.',
    ],
  },
  {
    name: 'intent-classifier',
    feature: 'classify-intent',
    versions: [4],
    changeFraction: undefined,
    qualityOffsetByVersion: [0],
    systemPromptByVersion: [
      'Classify the customer message into exactly one intent: order_status, refund_request, cancel_order, change_address, damaged_item, billing_question, account_access, product_question, complaint, other. Reply with JSON only: {"intent": string, "confidence": number between 0 and 1}.',
    ],
  },
]

/** System prompt of the unmanaged inner generation of the `summarise_thread` tool. */
export const THREAD_SUMMARY_SYSTEM_PROMPT =
  'Summarise this support conversation in two sentences for an internal note. Keep names, dates and amounts.'

/** How a feature calls models and how its traces are shaped. */
export interface FeatureProfile {
  /** `feature` property value. */
  readonly name: FeatureName
  /** `$ai_span_name` of the `$ai_trace` event. */
  readonly traceName: string
  /** Name of the agent span, for agentic features; `undefined` for single-call features. */
  readonly agentName: string | undefined
  /** Managed prompt used by the feature's generations. */
  readonly promptName: string
  /** Model mix: `[modelId, weight]`. */
  readonly modelWeights: readonly (readonly [string, number])[]
  /** `temperature` request parameter. */
  readonly temperature: number
  /** `max_tokens` request parameter. */
  readonly maxTokens: number
  /** Share of the feature's calls made with `stream: true`. */
  readonly streamShare: number
  /**
   * Tokens of the full system prompt (instructions, examples, policies). The system
   * message in `$ai_input` is an abbreviation; token counts and caching use this size.
   * It is the stable prefix the provider can cache.
   */
  readonly systemPromptTokens: number
  /** Median tokens of per-call context not shown in the abbreviated content (thread, diff, passages). */
  readonly contextTokensMedian: number
  /** Median visible output tokens of a final answer. */
  readonly outputTokensMedian: number
  /** Share of calls whose long, stable prompt prefix can hit the provider's cache. */
  readonly cacheShare: number
  /** Base quality of an answer, 0-1, before model and prompt offsets. */
  readonly baseQuality: number
  /** Share of successful user-facing answers the user acts on (accept, edit, copy, reject, regenerate). */
  readonly interactionShare: number
  /** Whether users see the output (then the final generation has `$ai_generation_id` and may get interactions). */
  readonly userFacing: boolean
}

/** The six features. */
export const FEATURE_PROFILES: Readonly<Record<FeatureName, FeatureProfile>> = {
  'chat-assistant': {
    name: 'chat-assistant',
    traceName: 'assistant_turn',
    agentName: 'support_agent',
    promptName: 'assistant-system',
    modelWeights: [
      ['gpt-4o-mini', 34],
      ['gpt-4o', 18],
      ['gemini-2.5-flash', 26],
      ['claude-sonnet-4-5', 16],
      ['gpt-4.1', 6],
    ],
    temperature: 0.3,
    maxTokens: 1024,
    streamShare: 0.65,
    systemPromptTokens: 1450,
    contextTokensMedian: 250,
    outputTokensMedian: 140,
    cacheShare: 0.55,
    baseQuality: 0.76,
    interactionShare: 0.5,
    userFacing: true,
  },
  'summarise-ticket': {
    name: 'summarise-ticket',
    traceName: 'summarise_ticket',
    agentName: undefined,
    promptName: 'ticket-summary',
    modelWeights: [
      ['gpt-4o-mini', 42],
      ['gemini-2.5-flash', 36],
      ['claude-haiku-4-5', 22],
    ],
    temperature: 0.2,
    maxTokens: 400,
    streamShare: 0.3,
    systemPromptTokens: 620,
    contextTokensMedian: 900,
    outputTokensMedian: 90,
    cacheShare: 0.35,
    baseQuality: 0.8,
    interactionShare: 0.45,
    userFacing: true,
  },
  'draft-reply': {
    name: 'draft-reply',
    traceName: 'draft_reply',
    agentName: undefined,
    promptName: 'support-reply',
    modelWeights: [
      ['gpt-4o-mini', 68],
      ['gpt-4o', 20],
      ['claude-sonnet-4-5', 12],
    ],
    temperature: 0.7,
    maxTokens: 600,
    streamShare: 0.6,
    systemPromptTokens: 1150,
    contextTokensMedian: 500,
    outputTokensMedian: 120,
    cacheShare: 0.5,
    baseQuality: 0.8,
    interactionShare: 0.85,
    userFacing: true,
  },
  'code-review': {
    name: 'code-review',
    traceName: 'review_pull_request',
    agentName: 'code_reviewer',
    promptName: 'code-review',
    modelWeights: [
      ['claude-sonnet-4-5', 40],
      ['gpt-4.1', 24],
      ['o3-mini', 20],
      ['gemini-2.5-pro', 16],
    ],
    temperature: 0.1,
    maxTokens: 2048,
    streamShare: 0.4,
    systemPromptTokens: 1900,
    contextTokensMedian: 2600,
    outputTokensMedian: 260,
    cacheShare: 0.7,
    baseQuality: 0.74,
    interactionShare: 0.6,
    userFacing: true,
  },
  'search-answers': {
    name: 'search-answers',
    traceName: 'search_answers',
    agentName: undefined,
    promptName: 'answer-with-sources',
    modelWeights: [
      ['gemini-2.5-flash', 50],
      ['gpt-4o-mini', 38],
      ['gemini-2.5-pro', 12],
    ],
    temperature: 0.2,
    maxTokens: 500,
    streamShare: 0.7,
    systemPromptTokens: 420,
    contextTokensMedian: 1100,
    outputTokensMedian: 90,
    cacheShare: 0.3,
    baseQuality: 0.78,
    interactionShare: 0.4,
    userFacing: true,
  },
  'classify-intent': {
    name: 'classify-intent',
    traceName: 'classify_intent',
    agentName: undefined,
    promptName: 'intent-classifier',
    modelWeights: [
      ['gpt-4o-mini', 52],
      ['claude-haiku-4-5', 24],
      ['gemini-2.5-flash', 24],
    ],
    temperature: 0,
    maxTokens: 50,
    streamShare: 0,
    systemPromptTokens: 380,
    contextTokensMedian: 40,
    outputTokensMedian: 14,
    cacheShare: 0.1,
    baseQuality: 0.86,
    interactionShare: 0,
    userFacing: false,
  },
}

/** The `reply-model-test` experiment: who is in it and what the test variant changes. */
export const REPLY_MODEL_EXPERIMENT = {
  /** `$feature_flag` key. */
  flagKey: 'reply-model-test',
  /** Feature whose model the variant decides. */
  feature: 'draft-reply',
  /** Share of users enrolled; enrolled users split 50/50. */
  enrolledShare: 0.5,
  /** Model `draft-reply` uses per variant. */
  modelByVariant: { control: 'gpt-4o-mini', test: 'claude-haiku-4-5' },
  /** Extra answer quality of the test variant's replies (0-1 scale). */
  testQualityOffset: 0.05,
} as const

/** Variants of {@link REPLY_MODEL_EXPERIMENT}. */
export const EXPERIMENT_VARIANTS = ['control', 'test'] as const

/** One of {@link EXPERIMENT_VARIANTS}. */
export type ExperimentVariant = (typeof EXPERIMENT_VARIANTS)[number]

/** Evaluators that PostHog runs online over sampled generations (`$ai_evaluation`). */
export const EVALUATORS = [
  {
    id: '0193a8d2-5c1e-7b6f-9a41-2f6c8e1d7a01',
    name: 'helpfulness',
    resultType: 'numeric',
    sampleShare: 0.1,
  },
  {
    id: '0193a8d2-5c1e-7b6f-9a41-2f6c8e1d7a02',
    name: 'hallucination',
    resultType: 'boolean',
    sampleShare: 0.05,
  },
  {
    id: '0193a8d2-5c1e-7b6f-9a41-2f6c8e1d7a03',
    name: 'tone',
    resultType: 'categorical',
    sampleShare: 0.03,
  },
] as const

/** Categories of the `tone` evaluator. */
export const TONE_CATEGORIES = ['friendly', 'neutral', 'curt', 'robotic'] as const

/** Judge explanations (`$ai_evaluation_reasoning`), by outcome. */
export const EVALUATION_REASONING = {
  helpfulnessHigh: [
    "Addresses the customer's question directly with concrete next steps.",
    'Specific and actionable; uses the order details from the context.',
    'Complete answer in a friendly tone; nothing important is missing.',
  ],
  helpfulnessMedium: [
    'Mostly helpful but leaves the timeline vague.',
    'Answers the question but skips the follow-up the user asked for.',
  ],
  helpfulnessLow: [
    "Generic boilerplate that ignores the customer's specific problem.",
    'Does not answer the question; repeats policy text instead.',
    'States a processing time that contradicts the order data.',
  ],
  hallucinationFound: [
    'Mentions a tracking scan that is not in the order data.',
    'Invents a refund amount that appears nowhere in the context.',
  ],
  hallucinationNone: ['All claims are supported by the provided context.', 'No statements beyond the tool results.'],
  tone: {
    friendly: 'Warm and personal without being informal.',
    neutral: 'Polite and matter-of-fact.',
    curt: 'Short to the point of sounding dismissive.',
    robotic: 'Formulaic phrasing that reads like a template.',
  },
} as const

/** Texts of legacy `$ai_feedback` events. */
export const FEEDBACK_TEXTS = {
  positive: ['Perfect, sent it as is.', 'Great summary, saved me five minutes.', 'Exactly what I needed.'],
  negative: [
    'Wrong order number in the reply.',
    'Too generic, the customer will be annoyed.',
    'It ignored the photos the customer sent.',
    'Answer was cut off halfway.',
  ],
} as const

/** A customer organisation: PostHog group key (`$groups.company`) and display name. */
export interface Organisation {
  /** Group key, `org_…`. */
  readonly id: string
  /** Display name. */
  readonly name: string
}

/** Slugs and display names of the customer organisations. */
const ORGANISATION_NAMES: readonly (readonly [slug: string, name: string])[] = [
  ['northwind', 'Northwind Traders'],
  ['globex', 'Globex Corporation'],
  ['initech', 'Initech'],
  ['umbrella-health', 'Umbrella Health'],
  ['stark-logistics', 'Stark Logistics'],
  ['wayne-hospitality', 'Wayne Hospitality'],
  ['acme-robotics', 'Acme Robotics'],
  ['hooli', 'Hooli'],
  ['pied-piper', 'Pied Piper'],
  ['soylent', 'Soylent Foods'],
  ['cyberdyne', 'Cyberdyne Systems'],
  ['wonka', 'Wonka Confectionery'],
  ['oscorp', 'Oscorp Labs'],
  ['tyrell', 'Tyrell Biotech'],
  ['vandelay', 'Vandelay Industries'],
  ['dunder-mifflin', 'Dunder Mifflin'],
  ['gringotts', 'Gringotts Finance'],
  ['blue-sun', 'Blue Sun Retail'],
  ['massive-dynamic', 'Massive Dynamic'],
  ['aperture', 'Aperture Outfitters'],
  ['black-mesa', 'Black Mesa Supply'],
  ['nakatomi', 'Nakatomi Trading'],
  ['prestige-worldwide', 'Prestige Worldwide'],
  ['bluth', 'Bluth Homes'],
  ['sterling-cooper', 'Sterling Cooper'],
  ['pollos-hermanos', 'Los Pollos Hermanos'],
  ['krusty-krab', 'Krusty Krab Dining'],
  ['virtucon', 'Virtucon'],
  ['duff', 'Duff Beverages'],
  ['monarch', 'Monarch Outdoor'],
]

/** The 30 customer organisations, largest first (usage is power-law by this order). */
export const ORGANISATIONS: readonly Organisation[] = ORGANISATION_NAMES.map(([slug, name]) => ({
  id: `org_${slug}`,
  name,
}))

/** Number of identified users (`user_0001` …). */
export const USER_COUNT = 360

/** Host of the product's web app, used in `$current_url`. */
export const APP_ORIGIN = 'https://app.relaydesk.example'

/** An area of the app: where a session starts and which features it uses. */
export interface AppArea {
  /** Area key. */
  readonly name: string
  /** Share of sessions that happen here. */
  readonly weight: number
  /** Paths of its pages (may contain `{ref}`). */
  readonly paths: readonly string[]
  /** Feature mix of its traces: `[feature, weight]`. */
  readonly featureWeights: readonly (readonly [FeatureName, number])[]
}

/** The app's areas. */
export const APP_AREAS: readonly AppArea[] = [
  {
    name: 'tickets',
    weight: 45,
    paths: ['/inbox', '/inbox?view=mine', '/tickets/{ref}'],
    featureWeights: [
      ['draft-reply', 50],
      ['summarise-ticket', 30],
      ['classify-intent', 20],
    ],
  },
  {
    name: 'assistant',
    weight: 25,
    paths: ['/assistant', '/tickets/{ref}'],
    featureWeights: [['chat-assistant', 1]],
  },
  {
    name: 'help-center',
    weight: 15,
    paths: ['/help-center', '/help-center/search'],
    featureWeights: [
      ['search-answers', 85],
      ['chat-assistant', 15],
    ],
  },
  {
    name: 'engineering',
    weight: 15,
    paths: ['/integrations/github', '/integrations/github/pulls/{ref}'],
    featureWeights: [['code-review', 1]],
  },
]

/** Browser, OS and device combinations of users: `[browser, os, deviceType, weight]`. */
export const CLIENT_PLATFORMS: readonly (readonly [string, string, string, number])[] = [
  ['Chrome', 'Mac OS X', 'Desktop', 34],
  ['Chrome', 'Windows', 'Desktop', 30],
  ['Safari', 'Mac OS X', 'Desktop', 12],
  ['Firefox', 'Windows', 'Desktop', 7],
  ['Microsoft Edge', 'Windows', 'Desktop', 10],
  ['Mobile Safari', 'iOS', 'Mobile', 5],
  ['Chrome', 'Android', 'Mobile', 2],
]

/** Front-end errors that occasionally happen in a session (not AI-related). */
export const FRONTEND_EXCEPTIONS: readonly { readonly type: string; readonly value: string }[] = [
  { type: 'TypeError', value: "Cannot read properties of undefined (reading 'assignee')" },
  { type: 'ChunkLoadError', value: 'Loading chunk 412 failed.' },
  { type: 'Error', value: 'ResizeObserver loop completed with undelivered notifications.' },
  { type: 'TypeError', value: 'Failed to fetch' },
]

/** Host (non-PostHog) events the product sends when something valuable happens. */
export const CONVERSION_EVENTS = ['ticket_resolved', 'subscription_upgraded'] as const

/** Versions of the libraries that "sent" the events. */
export const LIBRARY_VERSIONS = {
  /** `@posthog/ai`, in `$ai_lib_version`. */
  posthogAi: '8.13.1',
  /** `posthog-node`, in `$lib_version` of server-side events. */
  posthogNode: '5.70.0',
  /** `posthog-js`, in `$lib_version` of browser events. */
  posthogJs: '1.298.0',
  /** PostHog's evaluation workers, in `$lib_version` of `$ai_evaluation` events. */
  posthogPython: '7.4.2',
} as const
