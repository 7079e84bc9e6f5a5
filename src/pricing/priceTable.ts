import type { PriceTableEntry } from './pricing.types'

/**
 * The bundled price table, as data: standard (not batch, not priority, not regional)
 * list prices in USD per million tokens, each with the page it comes from, the date it
 * was checked and whether the provider's own page confirmed it (`verified`).
 *
 * Rules the data follows:
 * - `cacheRead` / `cacheWrite` are left out when a provider publishes no separate rate;
 *   such tokens are then billed at the input rate. No discount is ever assumed.
 * - Anthropic `cacheWrite` is the 5-minute rate (1.25× input) and `cacheWrite1h` the
 *   1-hour rate (2× input); cache reads are 0.1× input.
 * - Reasoning tokens are part of the output tokens for every model here
 *   (`reasoningBilling: 'in-output'`), so they are never priced a second time.
 * - Storage fees (Gemini context-cache storage per hour), batch discounts, priority and
 *   regional surcharges, audio/image modality rates and tool fees are not modelled.
 *
 * Prices change: bump {@link PRICE_TABLE_VERSION} with every edit, so stored costs can say
 * which table produced them.
 */
export const PRICE_TABLE_VERSION = '2026-11-27'

const CHECKED_ON = '2026-11-27'

const OPENAI_PRICING = 'https://platform.openai.com/docs/pricing'
const ANTHROPIC_PRICING = 'https://docs.anthropic.com/en/docs/about-claude/pricing'
const GEMINI_PRICING = 'https://ai.google.dev/gemini-api/docs/pricing'
const MISTRAL_PRICING = 'https://mistral.ai/pricing#api-pricing'
const DEEPSEEK_PRICING = 'https://api-docs.deepseek.com/quick_start/pricing'
const XAI_PRICING = 'https://docs.x.ai/docs/models'

/** Anthropic's pricing page (stored copies of docs.anthropic.com and platform.claude.com). */
const ANTHROPIC_TABLE_ROW =
  "Row of Anthropic's model pricing table (base input / 5m cache writes / 1h cache writes / cache hits / output)."

/** The models the cost engine prices itself. See {@link PRICE_TABLE_VERSION} for the rules. */
export const PRICE_TABLE: readonly PriceTableEntry[] = [
  // ---------------------------------------------------------------------------------------
  // OpenAI. Input tokens include cached tokens (inclusive reporting); reasoning tokens are
  // part of completion tokens. OpenAI charges nothing extra for cache writes.
  // ---------------------------------------------------------------------------------------
  {
    modelId: 'gpt-5',
    provider: 'openai',
    kind: 'chat',
    aliases: ['gpt-5-chat-latest'],
    usdPerMillionTokens: { input: 1.25, output: 10, cacheRead: 0.125 },
    reasoningBilling: 'in-output',
    sourceUrl: 'https://developers.openai.com/api/docs/models/gpt-5',
    checkedOn: CHECKED_ON,
    verified: true,
    evidence:
      "OpenAI's model pages list GPT-5 at $1.25 input (quick comparison on the GPT-5-Codex page, which has the same $1.25 / $0.125 / $10 card); cached input and output also match Langfuse's default price table.",
  },
  {
    modelId: 'gpt-5-mini',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.25, output: 2, cacheRead: 0.025 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Not seen on an OpenAI page; Langfuse's default price table and GitHub's Copilot models-and-pricing table both list $0.25 / $0.025 / $2.",
  },
  {
    modelId: 'gpt-5-nano',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.05, output: 0.4, cacheRead: 0.005 },
    reasoningBilling: 'in-output',
    sourceUrl: 'https://developers.openai.com/api/docs/models/gpt-5-nano',
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: "OpenAI's GPT-5 nano model page: input $0.05, cached input $0.005, output $0.40 per 1M tokens.",
  },
  {
    modelId: 'gpt-5.1',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 1.25, output: 10, cacheRead: 0.125 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Not seen on an OpenAI page; Langfuse's default price table lists $1.25 / $0.125 / $10.",
  },
  {
    modelId: 'gpt-5.2',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 1.75, output: 14, cacheRead: 0.175 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Not seen on an OpenAI page; Langfuse's default price table and GitHub's Copilot models-and-pricing table list $1.75 / $0.175 / $14.",
  },
  {
    modelId: 'gpt-4.1',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 2, output: 8, cacheRead: 0.5 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Not seen on an OpenAI page (its pricing page no longer lists GPT-4.x); Langfuse, GitHub's Copilot table and Vercel's gateway (OpenAI route) list $2 / $0.50 / $8.",
  },
  {
    modelId: 'gpt-4.1-mini',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.4, output: 1.6, cacheRead: 0.1 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Not seen on an OpenAI page; Langfuse's default price table lists $0.40 / $0.10 / $1.60.",
  },
  {
    modelId: 'gpt-4.1-nano',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.1, output: 0.4, cacheRead: 0.025 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Not seen on an OpenAI page; Langfuse's default price table lists $0.10 / $0.025 / $0.40.",
  },
  {
    modelId: 'gpt-4o',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 2.5, output: 10, cacheRead: 1.25 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Not seen on an OpenAI page; Langfuse (gpt-4o, -2024-08-06, -2024-11-20) and several gateways list $2.50 / $1.25 / $10. gpt-4o-2024-05-13 is priced apart (next entry).",
  },
  {
    modelId: 'gpt-4o-2024-05-13',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 5, output: 15 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "The first GPT-4o snapshot kept its launch price; Langfuse lists $5 / $15 without a cached rate. Listed so the snapshot rule cannot price it as gpt-4o.",
  },
  {
    modelId: 'gpt-4o-mini',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.15, output: 0.6, cacheRead: 0.075 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Not seen on an OpenAI page; Langfuse and several gateways list $0.15 / $0.075 / $0.60.",
  },
  {
    modelId: 'o3',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 2, output: 8, cacheRead: 0.5 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Not seen on an OpenAI page; Langfuse and modelpedia list $2 / $0.50 / $8 (the June 2025 price; o3 launched at $10 / $40).",
  },
  {
    modelId: 'o3-mini',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 1.1, output: 4.4, cacheRead: 0.55 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Not seen on an OpenAI page; Langfuse and modelpedia list $1.10 / $0.55 / $4.40.",
  },
  {
    modelId: 'o4-mini',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 1.1, output: 4.4, cacheRead: 0.275 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Not seen on an OpenAI page; Langfuse and several rate cards list $1.10 / $0.275 / $4.40.",
  },
  {
    modelId: 'o1',
    provider: 'openai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 15, output: 60, cacheRead: 7.5 },
    reasoningBilling: 'in-output',
    sourceUrl: OPENAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      'Not seen on an OpenAI page; Langfuse and a community.openai.com answer quoting the pricing page list $15 / $7.50 / $60.',
  },
  {
    modelId: 'text-embedding-3-small',
    provider: 'openai',
    kind: 'embedding',
    aliases: [],
    usdPerMillionTokens: { input: 0.02, output: 0 },
    reasoningBilling: 'in-output',
    sourceUrl: 'https://developers.openai.com/api/docs/models/text-embedding-3-large',
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: "OpenAI's text-embedding-3-large model page, quick comparison: text-embedding-3-small $0.02 per 1M tokens.",
  },
  {
    modelId: 'text-embedding-3-large',
    provider: 'openai',
    kind: 'embedding',
    aliases: [],
    usdPerMillionTokens: { input: 0.13, output: 0 },
    reasoningBilling: 'in-output',
    sourceUrl: 'https://developers.openai.com/api/docs/models/text-embedding-3-large',
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: "OpenAI's text-embedding-3-large model page: $0.13 per 1M tokens.",
  },

  // ---------------------------------------------------------------------------------------
  // Anthropic. Input tokens exclude cache reads and writes (exclusive reporting); thinking
  // tokens are billed as output tokens.
  // ---------------------------------------------------------------------------------------
  {
    modelId: 'claude-opus-4-8',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Opus 4.8: $5 / $6.25 / $10 / $0.50 / $25.`,
  },
  {
    modelId: 'claude-opus-4-7',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Opus 4.7: $5 / $6.25 / $10 / $0.50 / $25.`,
  },
  {
    modelId: 'claude-opus-4-6',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Opus 4.6: $5 / $6.25 / $10 / $0.50 / $25. Its 1M context has been billed at standard rates since 2026-03-13 (before that, beta requests above 200k were billed at a premium that this table does not model).`,
  },
  {
    modelId: 'claude-opus-4-5',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25, cacheWrite1h: 10 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Opus 4.5: $5 / $6.25 / $10 / $0.50 / $25.`,
  },
  {
    modelId: 'claude-opus-4-1',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, cacheWrite1h: 30 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Opus 4.1: $15 / $18.75 / $30 / $1.50 / $75 (retired on the Claude API, still on Bedrock and Google Cloud).`,
  },
  {
    modelId: 'claude-opus-4',
    provider: 'anthropic',
    kind: 'chat',
    aliases: ['claude-opus-4-0'],
    usdPerMillionTokens: { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75, cacheWrite1h: 30 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Opus 4: $15 / $18.75 / $30 / $1.50 / $75.`,
  },
  {
    modelId: 'claude-sonnet-4-6',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Row not seen on Anthropic's page; Langfuse and several guides list $3 / $15 with the standard cache multipliers. Secondary sources disagree on a >200k premium: most say Anthropic dropped it for Sonnet 4.6 on 2026-03-13, so no long-context tier is modelled.",
  },
  {
    modelId: 'claude-sonnet-4-5',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 },
    longContext: {
      aboveInputTokens: 200_000,
      usdPerMillionTokens: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 },
    },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence:
      "Anthropic's Claude Sonnet 4.5 model page: $3 input / $15 output; cache rates are Anthropic's documented multipliers (1.25× / 2× / 0.1×). Long context (1M beta, prompt > 200k): $6 / $22.50 from Anthropic's long-context table, cache rates scaled the same way (Langfuse lists the same tier).",
  },
  {
    modelId: 'claude-sonnet-4',
    provider: 'anthropic',
    kind: 'chat',
    aliases: ['claude-sonnet-4-0'],
    usdPerMillionTokens: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 },
    longContext: {
      aboveInputTokens: 200_000,
      usdPerMillionTokens: { input: 6, output: 22.5, cacheRead: 0.6, cacheWrite: 7.5, cacheWrite1h: 12 },
    },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Sonnet 4: $3 / $3.75 / $6 / $0.30 / $15; long-context table: > 200K input tokens $6 input / $22.50 output.`,
  },
  {
    modelId: 'claude-3-7-sonnet',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Sonnet 3.7: $3 / $3.75 / $6 / $0.30 / $15.`,
  },
  {
    modelId: 'claude-haiku-4-5',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25, cacheWrite1h: 2 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence:
      "Anthropic's model comparison table: Claude Haiku 4.5 $1 / $5; cache rates are Anthropic's documented multipliers (Langfuse lists $1.25 / $2 / $0.10).",
  },
  {
    modelId: 'claude-3-5-haiku',
    provider: 'anthropic',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1, cacheWrite1h: 1.6 },
    reasoningBilling: 'in-output',
    sourceUrl: ANTHROPIC_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: `${ANTHROPIC_TABLE_ROW} Claude Haiku 3.5: $0.80 / $1 / $1.6 / $0.08 / $4.`,
  },

  // ---------------------------------------------------------------------------------------
  // Google Gemini (Gemini Developer API, paid tier, text/image/video input). Prompt token
  // counts include cached content (inclusive); thinking tokens are billed at the output
  // rate, which the output price includes.
  // ---------------------------------------------------------------------------------------
  {
    modelId: 'gemini-2.5-pro',
    provider: 'google',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 1.25, output: 10, cacheRead: 0.125 },
    longContext: { aboveInputTokens: 200_000, usdPerMillionTokens: { input: 2.5, output: 15, cacheRead: 0.25 } },
    reasoningBilling: 'in-output',
    sourceUrl: GEMINI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "ai.google.dev not reachable in the stored copies; Langfuse and guides citing Google's page agree: $1.25 / $10 (prompts ≤ 200k), $2.50 / $15 above, context-cache reads $0.125 / $0.25. Cache storage ($/hour) not modelled.",
  },
  {
    modelId: 'gemini-2.5-flash',
    provider: 'google',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.3, output: 2.5, cacheRead: 0.03 },
    reasoningBilling: 'in-output',
    sourceUrl: GEMINI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Langfuse and guides citing Google's page: $0.30 (text/image/video; audio $1.00, not modelled) / $2.50, cache reads $0.03. The 04-17 and 05-20 previews had other prices and are not matched.",
  },
  {
    modelId: 'gemini-2.5-flash-lite',
    provider: 'google',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.1, output: 0.4, cacheRead: 0.01 },
    reasoningBilling: 'in-output',
    sourceUrl: GEMINI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Langfuse and guides citing Google's page: $0.10 (audio $0.30, not modelled) / $0.40, cache reads $0.01.",
  },
  {
    modelId: 'gemini-2.0-flash',
    provider: 'google',
    kind: 'chat',
    aliases: ['gemini-2.0-flash-001'],
    usdPerMillionTokens: { input: 0.1, output: 0.4, cacheRead: 0.025 },
    reasoningBilling: 'in-output',
    sourceUrl: GEMINI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Langfuse and modelpedia: $0.10 / $0.40, cached input $0.025 (cache rate from modelpedia only). Deprecated; guides report a 2026-06-01 shutdown. Kept to price stored history.",
  },
  {
    modelId: 'gemini-3-pro-preview',
    provider: 'google',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 2, output: 12, cacheRead: 0.2 },
    longContext: { aboveInputTokens: 200_000, usdPerMillionTokens: { input: 4, output: 18, cacheRead: 0.4 } },
    reasoningBilling: 'in-output',
    sourceUrl: GEMINI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Langfuse and guides: $2 / $12 (prompts ≤ 200k), $4 / $18 above, cache reads $0.20 / $0.40. Grounding fees not modelled.",
  },
  {
    modelId: 'gemini-3-flash-preview',
    provider: 'google',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.5, output: 3, cacheRead: 0.05 },
    reasoningBilling: 'in-output',
    sourceUrl: GEMINI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Langfuse and guides: $0.50 / $3, cache reads $0.05.",
  },

  // ---------------------------------------------------------------------------------------
  // Mistral. No cache discount is published; `-latest` names follow Mistral's current
  // pointer, which has moved over time (see each entry).
  // ---------------------------------------------------------------------------------------
  {
    modelId: 'mistral-large-2512',
    provider: 'mistral',
    kind: 'chat',
    aliases: ['mistral-large', 'mistral-large-3'],
    usdPerMillionTokens: { input: 0.5, output: 1.5 },
    reasoningBilling: 'in-output',
    sourceUrl: MISTRAL_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Mistral's page not confirmed. Mistral Large 3: most recent sources (puter.com June 2026, margindash) list $0.50 / $1.50, others still quote Large 2's $2 / $6. mistral-large(-latest) is assumed to point to Large 3; events from before December 2025 that used the alias were billed at Large 2 prices.",
  },
  {
    modelId: 'mistral-large-2411',
    provider: 'mistral',
    kind: 'chat',
    aliases: ['mistral-large-2407'],
    usdPerMillionTokens: { input: 2, output: 6 },
    reasoningBilling: 'in-output',
    sourceUrl: MISTRAL_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Mistral's page not confirmed. Mistral Large 2 / 24.11: $2 / $6 in several sources (LobeHub's Mistral card, margindash).",
  },
  {
    modelId: 'mistral-medium-2508',
    provider: 'mistral',
    kind: 'chat',
    aliases: ['mistral-medium-2505', 'mistral-medium', 'mistral-medium-3', 'mistral-medium-3.1'],
    usdPerMillionTokens: { input: 0.4, output: 2 },
    reasoningBilling: 'in-output',
    sourceUrl: MISTRAL_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "Mistral's page not confirmed. Mistral Medium 3 / 3.1: $0.40 / $2 in most sources. One June 2026 source lists a Medium 3.5 at $1.50 / $7.50; if mistral-medium-latest now points to it, this entry under-prices the alias.",
  },
  {
    modelId: 'mistral-small-2506',
    provider: 'mistral',
    kind: 'chat',
    aliases: ['mistral-small-2503', 'mistral-small-2501', 'mistral-small', 'mistral-small-3.2'],
    usdPerMillionTokens: { input: 0.1, output: 0.3 },
    reasoningBilling: 'in-output',
    sourceUrl: MISTRAL_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Mistral's page not confirmed. Mistral Small 3.x (and Small 4): $0.10 / $0.30 in most sources.",
  },
  {
    modelId: 'codestral-2508',
    provider: 'mistral',
    kind: 'chat',
    aliases: ['codestral-2501', 'codestral'],
    usdPerMillionTokens: { input: 0.3, output: 0.9 },
    reasoningBilling: 'in-output',
    sourceUrl: MISTRAL_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence: "Mistral's page not confirmed. Codestral: $0.30 / $0.90 in every source seen (Mastra's models.dev list, margindash, puter.com).",
  },

  // ---------------------------------------------------------------------------------------
  // DeepSeek. Cache-hit plus cache-miss tokens make up the prompt (inclusive); the
  // reasoner's chain of thought is billed as output tokens.
  // ---------------------------------------------------------------------------------------
  {
    modelId: 'deepseek-chat',
    provider: 'deepseek',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.28, output: 0.42, cacheRead: 0.028 },
    reasoningBilling: 'in-output',
    sourceUrl: DEEPSEEK_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "The stored copy of DeepSeek's page shows the older V3.1 price ($0.07 hit / $0.56 miss / $1.68). DeepSeek-V3.2 (from 2025-09-29): $0.028 / $0.28 / $0.42 per benchlm.ai citing the page and Roo Code. DeepSeek remapped the alias to V4-Flash on 2026-04-24 and retired it on 2026-07-24; those prices are not modelled.",
  },
  {
    modelId: 'deepseek-reasoner',
    provider: 'deepseek',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.28, output: 0.42, cacheRead: 0.028 },
    reasoningBilling: 'in-output',
    sourceUrl: DEEPSEEK_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      'Same card as deepseek-chat under DeepSeek-V3.2 (thinking mode); same caveats (alias remapped 2026-04-24, retired 2026-07-24).',
  },

  // ---------------------------------------------------------------------------------------
  // xAI. Cached prompt tokens are part of the prompt (inclusive); reasoning tokens are
  // billed at the completion rate as part of the output.
  // ---------------------------------------------------------------------------------------
  {
    modelId: 'grok-4',
    provider: 'xai',
    kind: 'chat',
    aliases: ['grok-4-0709'],
    usdPerMillionTokens: { input: 3, output: 15, cacheRead: 0.75 },
    longContext: { aboveInputTokens: 128_000, usdPerMillionTokens: { input: 6, output: 30, cacheRead: 1.5 } },
    reasoningBilling: 'in-output',
    sourceUrl: XAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: false,
    evidence:
      "xAI's page renders prices client-side; the stored copy lists grok-4-0709 without numbers. $3 / $15, cached $0.75 and $6 / $30 above 128k come from gateways (wavespeed.ai); the long-context cached rate ($1.50) is assumed to double like the others.",
  },
  {
    modelId: 'grok-3',
    provider: 'xai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 3, output: 15, cacheRead: 0.75 },
    reasoningBilling: 'in-output',
    sourceUrl: XAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence: "xAI's Models and Pricing page (archived 2025): grok-3 / grok-3-latest $3.00 input, $0.75 cached input, $15.00 output.",
  },
  {
    modelId: 'grok-3-mini',
    provider: 'xai',
    kind: 'chat',
    aliases: [],
    usdPerMillionTokens: { input: 0.3, output: 0.5, cacheRead: 0.075 },
    reasoningBilling: 'in-output',
    sourceUrl: XAI_PRICING,
    checkedOn: CHECKED_ON,
    verified: true,
    evidence:
      "xAI's Models and Pricing page (archived 2025): grok-3-mini / grok-3-mini-latest $0.30 input, $0.075 cached input, $0.50 output.",
  },
]
