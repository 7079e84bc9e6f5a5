/**
 * A seeded, deterministic generator of realistic AI product telemetry in PostHog's
 * `$ai_*` schema: sessions of a fictional support product ("Relaydesk") with page views,
 * traces of nested spans and generations, evaluations, user interactions, errors,
 * experiments and conversions. See `catalog.ts` for the world it simulates.
 *
 * Conventions of the generated events (the contract tests and panels can rely on):
 * - Every timestamp is the **start** of what the event describes; `$ai_latency` (seconds)
 *   runs forward from it. A child's `[start, start + latency]` lies inside its parent's.
 * - `$ai_parent_id` is the id of the enclosing `$ai_span` (`$ai_span_id`), or the trace id
 *   for top-level children.
 * - User-facing generations that succeed carry `$ai_generation_id`, equal to their own
 *   event `uuid`; `$ai_interaction` events point at it through `$ai_generation_id`.
 * - Content objects (messages, tool definitions, `$groups`) may be shared between events
 *   of a run; treat events as read-only, or copy before changing them.
 * - Content is abbreviated (a few hundred bytes per message); token counts are those of the
 *   full-size prompts, so tokens are not `text.length / 4`.
 */

import { INTERACTION_EVENT, type AiMessage, type AiscopeEvent, type InteractionKind } from '../schema/events'
import {
  APP_AREAS,
  APP_ORIGIN,
  ASSISTANT_SCENARIOS,
  CLIENT_PLATFORMS,
  CODE_REVIEW_SCENARIOS,
  CONVERSION_EVENTS,
  CUSTOMER_MESSAGE_SCENARIOS,
  ERROR_BURST,
  ERROR_KIND_WEIGHTS,
  ERROR_KINDS,
  ERROR_TEMPLATES,
  EVALUATION_REASONING,
  EVALUATORS,
  EXPERIMENT_VARIANTS,
  FEATURE_NAMES,
  FEATURE_PROFILES,
  FEEDBACK_TEXTS,
  FRONTEND_EXCEPTIONS,
  HELP_QUESTION_SCENARIOS,
  LIBRARY_VERSIONS,
  MODEL_PROFILES,
  ORGANISATIONS,
  PROMPT_PROFILES,
  PROVIDER_BASE_URLS,
  PROVIDER_IDS,
  REPLY_MODEL_EXPERIMENT,
  STOP_REASONS,
  SUPPORT_REPLY_V4_TEMPLATE,
  THREAD_SUMMARY_SYSTEM_PROMPT,
  TICKET_THREAD_SCENARIOS,
  TONE_CATEGORIES,
  TOOL_DEFINITIONS,
  TOOL_NAMES,
  UNKNOWN_MODEL,
  USER_COUNT,
  type AgentScenario,
  type AppArea,
  type ErrorKind,
  type ExperimentVariant,
  type FeatureName,
  type FeatureProfile,
  type ModelProfile,
  type PromptProfile,
  type ProviderId,
  type ToolName,
} from './catalog'
import { SeededRandom, stringFromCharCodes, weightedTable, type WeightedTable } from './random'

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

/** Options of {@link generateEventBatches} and {@link generateEvents}. */
export interface GeneratorOptions {
  /** PRNG seed; the same seed and options give byte-identical events. @default 1 */
  seed?: number
  /** Exact number of events to emit, an integer from 10 to 1_000_000. */
  size: number
  /** Events per emitted batch (the last batch may be shorter). Does not change the events. @default 5000 */
  batchSize?: number
  /** Time of the last possible event, ms since epoch. @default Date.UTC(2026, 10, 27) */
  endMs?: number
  /** Days of history the events span, ending at `endMs`; at least 1. @default 30 */
  days?: number
}

/** Smallest `size` accepted. */
const MIN_SIZE = 10
/** Largest `size` accepted by {@link generateEventBatches}. */
const MAX_SIZE = 1_000_000
/** Largest `size` accepted by {@link generateEvents}, which holds every event at once. */
const MAX_SIZE_IN_MEMORY = 100_000
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/**
 * Streams the events in batches of `batchSize`. Never holds more than about one batch
 * (plus one in-progress session) in memory, so a million events stream in bounded memory.
 * The concatenation of the batches does not depend on `batchSize`.
 *
 * @throws RangeError, at call time, when an option is out of range (`size` outside
 *   10..1_000_000 or not an integer, `batchSize` < 1, `days` < 1, non-finite numbers).
 */
export function generateEventBatches(options: GeneratorOptions): Generator<AiscopeEvent[], void, undefined> {
  const resolved = resolveOptions(options, MAX_SIZE)
  return streamBatches(resolved)
}

/**
 * All events of a run in one array; for small sizes (tests, stories).
 *
 * @throws RangeError when `size` is above 100_000 (use {@link generateEventBatches}) or an
 *   option is out of range.
 */
export function generateEvents(options: GeneratorOptions): AiscopeEvent[] {
  const resolved = resolveOptions({ ...options, batchSize: options.size }, MAX_SIZE_IN_MEMORY)
  const events: AiscopeEvent[] = []
  for (const batch of streamBatches(resolved)) {
    for (const event of batch) {
      events.push(event)
    }
  }
  return events
}

const qualityDropPrompt = PROMPT_PROFILES.find((prompt) => prompt.name === 'support-reply') as PromptProfile

/**
 * Summary facts of the simulated world, for tests and stories: what to expect in the
 * events without generating them.
 */
export const telemetryCatalog = Object.freeze({
  /** `$ai_provider` values of the catalogued models. */
  providerIds: PROVIDER_IDS,
  /** Chat model ids (`$ai_generation`), as requested. */
  chatModelIds: MODEL_PROFILES.filter((model) => model.kind === 'chat').map((model) => model.id),
  /** Embedding model ids (`$ai_embedding`). */
  embeddingModelIds: MODEL_PROFILES.filter((model) => model.kind === 'embedding').map((model) => model.id),
  /** Every catalogued model id: chat and embedding. */
  modelIds: MODEL_PROFILES.map((model) => model.id),
  /** Dated snapshot or preview ids that replace the plain id on about 1% of traces. */
  datedModelIds: MODEL_PROFILES.flatMap((model) => (model.datedSnapshotId === undefined ? [] : [model.datedSnapshotId])),
  /** Model ids with no price anywhere (about 0.2% of traces; never carry costs). */
  unknownModelIds: [UNKNOWN_MODEL.id],
  /** Per-model list prices, USD per million tokens, and provider. */
  models: MODEL_PROFILES.map((model) => ({
    id: model.id,
    provider: model.provider,
    kind: model.kind,
    reasoning: model.reasoning,
    datedSnapshotId: model.datedSnapshotId,
    inputUsdPerMillionTokens: model.inputUsdPerMillionTokens,
    outputUsdPerMillionTokens: model.outputUsdPerMillionTokens,
    cacheReadUsdPerMillionTokens: model.cacheReadUsdPerMillionTokens,
    cacheWriteUsdPerMillionTokens: model.cacheWriteUsdPerMillionTokens,
  })),
  /** `feature` property values. */
  featureNames: FEATURE_NAMES,
  /** Managed prompts with the versions that appear (`$ai_prompt_name` / `$ai_prompt_version`). */
  prompts: PROMPT_PROFILES.map((prompt) => ({
    name: prompt.name,
    feature: prompt.feature,
    versions: prompt.versions,
    changeFraction: prompt.changeFraction,
  })),
  /**
   * The prompt whose new version degrades answers: from `changeFraction` of the window on,
   * `toVersion` is used, with lower helpfulness scores and more rejected/regenerated answers.
   */
  qualityDrop: {
    promptName: qualityDropPrompt.name,
    feature: qualityDropPrompt.feature,
    fromVersion: qualityDropPrompt.versions[0] as number,
    toVersion: qualityDropPrompt.versions[1] as number,
    changeFraction: qualityDropPrompt.changeFraction as number,
  },
  /** The error-burst episode (429s from one provider for a few hours). */
  errorBurst: ERROR_BURST,
  /** Failure classes that appear, told apart by `$ai_error`'s name/status/type. */
  errorKinds: ERROR_KINDS,
  /** Tool names (`$ai_span_name` of `tool` spans, function names in tool calls). */
  toolNames: TOOL_NAMES,
  /** Online evaluators: `$ai_evaluation_id`, `$ai_evaluation_name`, result type, sampling share. */
  evaluators: EVALUATORS,
  /**
   * The experiment. `$feature_flag_called` once per session of an enrolled user and
   * `$feature/<flagKey>` on all of that session's events.
   */
  experiment: {
    flagKey: REPLY_MODEL_EXPERIMENT.flagKey,
    feature: REPLY_MODEL_EXPERIMENT.feature,
    variants: EXPERIMENT_VARIANTS,
    modelByVariant: REPLY_MODEL_EXPERIMENT.modelByVariant,
  },
  /** Customer organisations: `$groups.company` keys and display names. */
  organisations: ORGANISATIONS,
  /** Number of identified users, `user_0001` … (plus anonymous events keyed by trace id). */
  userCount: USER_COUNT,
  /** Host events marking a conversion. */
  conversionEvents: CONVERSION_EVENTS,
})

// ---------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------

interface ResolvedOptions {
  readonly seed: number
  readonly size: number
  readonly batchSize: number
  readonly endMs: number
  readonly days: number
}

function resolveOptions(options: GeneratorOptions, maxSize: number): ResolvedOptions {
  const { size } = options
  if (typeof size !== 'number' || !Number.isInteger(size) || size < MIN_SIZE || size > maxSize) {
    throw new RangeError(
      `size must be an integer from ${MIN_SIZE} to ${maxSize.toLocaleString('en-US')}, got ${String(size)}` +
        (maxSize === MAX_SIZE_IN_MEMORY && typeof size === 'number' && size > maxSize
          ? ' (use generateEventBatches for larger runs)'
          : ''),
    )
  }
  const seed = options.seed ?? 1
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`seed must be a finite number, got ${String(seed)}`)
  }
  const batchSize = options.batchSize ?? 5000
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${String(batchSize)}`)
  }
  const endMs = options.endMs ?? Date.UTC(2026, 10, 27)
  if (typeof endMs !== 'number' || !Number.isFinite(endMs)) {
    throw new RangeError(`endMs must be a finite number of ms since epoch, got ${String(endMs)}`)
  }
  const days = options.days ?? 30
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 1) {
    throw new RangeError(`days must be a finite number >= 1, got ${String(days)}`)
  }
  return { seed, size, batchSize, endMs: Math.floor(endMs), days }
}

function* streamBatches(options: ResolvedOptions): Generator<AiscopeEvent[], void, undefined> {
  const world = new TelemetryWorld(options)
  let emitted = 0
  let batch: AiscopeEvent[] = []
  let previousStartMs = Number.NEGATIVE_INFINITY
  while (emitted < options.size) {
    const startMs = Math.max(world.nextSessionStartMs(emitted / options.size), previousStartMs + 1)
    previousStartMs = startMs
    const sessionEvents = world.buildSession(startMs)
    for (const event of sessionEvents) {
      batch.push(event)
      emitted++
      if (batch.length === options.batchSize) {
        yield batch
        batch = []
      }
      if (emitted === options.size) {
        break
      }
    }
  }
  if (batch.length > 0) {
    yield batch
  }
}

// ---------------------------------------------------------------------------------------
// Pre-compiled catalogue (pure, built once at import)
// ---------------------------------------------------------------------------------------

type Properties = Record<string, unknown>

/** A text split at its `{ref}` placeholders, so filling it is a few concatenations. */
type TextTemplate = readonly string[]

function compileTemplate(text: string): TextTemplate {
  return text.split('{ref}')
}

function fillTemplate(template: TextTemplate, ref: string): string {
  let text = template[0] as string
  for (let index = 1; index < template.length; index++) {
    text += ref + (template[index] as string)
  }
  return text
}

function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4)
}

interface CompiledToolStep {
  readonly tool: ToolName
  readonly argumentEntries: readonly (readonly [string, TextTemplate])[]
  readonly result: TextTemplate
}

interface CompiledAgentScenario {
  readonly request: TextTemplate
  readonly preamble: string
  readonly steps: readonly CompiledToolStep[]
  readonly answer: TextTemplate
}

function compileAgentScenario(scenario: AgentScenario): CompiledAgentScenario {
  return {
    request: compileTemplate(scenario.request),
    preamble: scenario.preamble,
    steps: scenario.steps.map((step) => ({
      tool: step.tool,
      argumentEntries: Object.entries(step.arguments).map(([key, value]) => [key, compileTemplate(value)] as const),
      result: compileTemplate(step.result),
    })),
    answer: compileTemplate(scenario.answer),
  }
}

const assistantScenarios = ASSISTANT_SCENARIOS.map(compileAgentScenario)
const codeReviewScenarios = CODE_REVIEW_SCENARIOS.map(compileAgentScenario)
const customerMessageScenarios = CUSTOMER_MESSAGE_SCENARIOS.map((scenario) => ({
  message: compileTemplate(scenario.message),
  intent: scenario.intent,
  hasOrder: scenario.hasOrder,
  reply: compileTemplate(scenario.reply),
  shortReply: SUPPORT_REPLY_V4_TEMPLATE.replace('{ack}', scenario.shortAcknowledgement),
}))
const ticketThreadScenarios = TICKET_THREAD_SCENARIOS.map((scenario) => ({
  thread: compileTemplate(scenario.thread),
  summary: compileTemplate(scenario.summary),
}))
const orderDataTemplate = compileTemplate(
  '{"order_id":"{ref}","status":"in_transit","carrier":"DHL","total_usd":42.9,"last_scan":"Leipzig hub"}',
)

const modelById = new Map<string, ModelProfile>(MODEL_PROFILES.map((model) => [model.id, model]))

function requireModel(id: string): ModelProfile {
  const model = modelById.get(id)
  if (model === undefined) {
    throw new Error(`catalogue error: unknown model ${id}`)
  }
  return model
}

const embeddingModel = requireModel('text-embedding-3-small')
/** The unknown model behaves like a small chat model but has no price. */
const unknownModelBehaviour = requireModel('gpt-4o-mini')
const judgeModel = requireModel('gpt-4o-mini')

const modelTableByFeature = new Map<FeatureName, WeightedTable<ModelProfile>>(
  FEATURE_NAMES.map((name) => [
    name,
    weightedTable(FEATURE_PROFILES[name].modelWeights.map(([id, weight]) => [requireModel(id), weight] as const)),
  ]),
)

interface CompiledPrompt {
  readonly profile: PromptProfile
  readonly systemMessages: readonly AiMessage[]
}

const promptByName = new Map<string, CompiledPrompt>(
  PROMPT_PROFILES.map((profile) => [
    profile.name,
    {
      profile,
      systemMessages: profile.systemPromptByVersion.map((content) => Object.freeze({ role: 'system', content })),
    },
  ]),
)

function requirePrompt(name: string): CompiledPrompt {
  const prompt = promptByName.get(name)
  if (prompt === undefined) {
    throw new Error(`catalogue error: unknown prompt ${name}`)
  }
  return prompt
}

const threadSummarySystemMessage: AiMessage = Object.freeze({ role: 'system', content: THREAD_SUMMARY_SYSTEM_PROMPT })

/** Tool definitions in each provider's own request format, as `$ai_tools` records them. */
function toolDefinitionsFor(provider: ProviderId, tools: readonly ToolName[]): readonly unknown[] {
  return Object.freeze(
    tools.map((name) => {
      const definition = TOOL_DEFINITIONS[name]
      const schema = {
        type: 'object',
        properties: Object.fromEntries(definition.parameters.map((parameter) => [parameter, { type: 'string' }])),
        required: definition.parameters,
      }
      if (provider === 'anthropic') {
        return { name, description: definition.description, input_schema: schema }
      }
      if (provider === 'gemini') {
        return { functionDeclarations: [{ name, description: definition.description, parameters: schema }] }
      }
      return { type: 'function', function: { name, description: definition.description, parameters: schema } }
    }),
  )
}

const assistantToolNames: readonly ToolName[] = [
  'search_docs',
  'lookup_order',
  'summarise_thread',
  'get_weather',
  'create_ticket',
  'run_report',
]
const codeReviewToolNames: readonly ToolName[] = ['read_file', 'search_code', 'run_linter']

interface FeatureTools {
  readonly byProvider: Readonly<Record<ProviderId, readonly unknown[]>>
  /** Tokens the definitions add to every prompt. */
  readonly tokens: number
}

function compileFeatureTools(tools: readonly ToolName[]): FeatureTools {
  const byProvider = {
    openai: toolDefinitionsFor('openai', tools),
    anthropic: toolDefinitionsFor('anthropic', tools),
    gemini: toolDefinitionsFor('gemini', tools),
  }
  return { byProvider, tokens: estimateTokens(JSON.stringify(byProvider.openai).length) }
}

const assistantTools = compileFeatureTools(assistantToolNames)
const codeReviewTools = compileFeatureTools(codeReviewToolNames)

const errorKindTableByProvider = new Map<ProviderId, WeightedTable<ErrorKind>>(
  PROVIDER_IDS.map((provider) => [
    provider,
    weightedTable(ERROR_KINDS.map((kind) => [kind, ERROR_KIND_WEIGHTS[provider][kind]] as const)),
  ]),
)

const areaTable = weightedTable(APP_AREAS.map((area) => [area, area.weight] as const))
const featureTableByArea = new Map<AppArea, WeightedTable<FeatureName>>(
  APP_AREAS.map((area) => [area, weightedTable(area.featureWeights)]),
)
const compiledPathsByArea = new Map<AppArea, readonly TextTemplate[]>(
  APP_AREAS.map((area) => [area, area.paths.map(compileTemplate)]),
)
const platformTable = weightedTable(
  CLIENT_PLATFORMS.map(([browser, os, deviceType, weight]) => [{ browser, os, deviceType }, weight] as const),
)
/** Traces per session: 1-6, mostly few. */
const traceCountTable = weightedTable([
  [1, 30],
  [2, 25],
  [3, 18],
  [4, 12],
  [5, 9],
  [6, 6],
] as const)

const FLAG_PROPERTY = `$feature/${REPLY_MODEL_EXPERIMENT.flagKey}`
const APP_HOST = new URL(APP_ORIGIN).host
/** Average events per session, measured; spaces session starts so any size spans the window. */
const EXPECTED_EVENTS_PER_SESSION = 15
/** Sessions start at least this long before `endMs`; events past `endMs` are dropped. */
const SESSION_START_MARGIN_MS = 20 * 60_000
/** Share of generations that carry cost properties; the rest are left for a cost engine. */
const COST_PRESENT_SHARE = 0.8
/** Share of traces sent without a distinct id; about 3% of all events end up anonymous. */
const ANONYMOUS_TRACE_SHARE = 0.045
const DATED_MODEL_SHARE = 0.01
const UNKNOWN_MODEL_SHARE = 0.002
const MAX_GENERATION_LATENCY_MS = 170_000

// ---------------------------------------------------------------------------------------
// Run state
// ---------------------------------------------------------------------------------------

interface UserProfile {
  readonly distinctId: string
  readonly groups: Readonly<Record<string, string>>
  readonly variant: ExperimentVariant | undefined
  readonly browser: string
  readonly os: string
  readonly deviceType: string
}

interface SessionState {
  readonly user: UserProfile
  readonly sessionId: string
  readonly aiSessionId: string
  readonly area: AppArea
  readonly currentUrl: string
}

interface TraceState {
  readonly session: SessionState
  readonly traceId: string
  readonly feature: FeatureProfile
  /** Behaviour and prices; for the unknown model, a stand-in's behaviour. */
  readonly model: ModelProfile
  /** `$ai_model` as recorded. */
  readonly modelId: string
  readonly provider: ProviderId
  readonly baseUrl: string
  readonly priced: boolean
  readonly distinctId: string
  readonly anonymous: boolean
  readonly promptName: string
  readonly promptVersion: number
  readonly systemMessage: AiMessage
  /** Model, prompt-version and experiment offsets to answer quality. */
  readonly qualityOffset: number
  /** The order, ticket or pull-request number this trace is about. */
  readonly ref: string
  readonly startMs: number
  /** Whether the provider's cache already holds this feature's prompt prefix. */
  cacheWarm: boolean
  /** Successful generations, for evaluation sampling. */
  readonly generations: GenerationResult[]
}

interface GenerationResult {
  readonly uuid: string
  readonly startMs: number
  readonly endMs: number
  readonly failed: boolean
  readonly quality: number
  readonly distinctId: string
  readonly managedPrompt: boolean
}

interface GenerationSpec {
  readonly parentId: string
  readonly startMs: number
  readonly input: readonly AiMessage[]
  /** Characters of the non-system messages of `input`. */
  readonly conversationChars: number
  /** Tokens of the system prompt (full size). */
  readonly systemPromptTokens: number
  /** Median tokens of hidden per-call context. */
  readonly contextTokensMedian: number
  readonly output: 'answer' | 'tool_call' | 'inner' | 'classification'
  /** Answer text, or the short text before a tool call. */
  readonly text: string
  readonly toolCall: { readonly id: string; readonly name: string; readonly argumentsJson: string } | undefined
  readonly tools: FeatureTools | undefined
  /** Whether users see the output: then a success gets `$ai_generation_id`. */
  readonly userFacing: boolean
  /** Whether the call uses the trace's managed prompt (then prompt name/version are sent). */
  readonly managedPrompt: boolean
}

interface SpanHandle {
  readonly spanId: string
  readonly startMs: number
  readonly properties: Properties
}

interface TraceOutcome {
  readonly endMs: number
  /** The user-facing answer, when it succeeded. */
  readonly answer: GenerationResult | undefined
}

/**
 * Formats ms-since-epoch as ISO 8601 exactly like `Date#toISOString`
 * (`2026-11-02T09:47:18.358Z`), about four times faster on runs of nearby times: the date
 * part is cached per UTC day and the string is built from char codes in one go.
 */
export class IsoTimestampFormatter {
  private cachedDayStartMs = Number.NaN
  private readonly codes: number[] = Array.from({ length: 24 }, () => 0)

  /** The ISO string of `timeMs` (fractions of a ms are truncated, as `toISOString` does). */
  format(timeMs: number): string {
    const wholeMs = Math.floor(timeMs)
    const dayStartMs = Math.floor(wholeMs / DAY_MS) * DAY_MS
    const codes = this.codes
    if (dayStartMs !== this.cachedDayStartMs) {
      const dayText = new Date(dayStartMs).toISOString()
      if (dayText.length !== 24) {
        // Years outside 0000-9999 use the expanded +YYYYYY form; not worth a fast path.
        return new Date(wholeMs).toISOString()
      }
      for (let index = 0; index < 11; index++) {
        codes[index] = dayText.charCodeAt(index)
      }
      codes[13] = 58 // ':'
      codes[16] = 58
      codes[19] = 46 // '.'
      codes[23] = 90 // 'Z'
      this.cachedDayStartMs = dayStartMs
    }
    let remainder = wholeMs - dayStartMs
    const hours = Math.floor(remainder / HOUR_MS)
    remainder -= hours * HOUR_MS
    const minutes = Math.floor(remainder / 60_000)
    remainder -= minutes * 60_000
    const seconds = Math.floor(remainder / 1000)
    const millis = remainder - seconds * 1000
    codes[11] = 48 + Math.floor(hours / 10)
    codes[12] = 48 + (hours % 10)
    codes[14] = 48 + Math.floor(minutes / 10)
    codes[15] = 48 + (minutes % 10)
    codes[17] = 48 + Math.floor(seconds / 10)
    codes[18] = 48 + (seconds % 10)
    codes[20] = 48 + Math.floor(millis / 100)
    codes[21] = 48 + (Math.floor(millis / 10) % 10)
    codes[22] = 48 + (millis % 10)
    return stringFromCharCodes(codes)
  }
}

/**
 * Start of the error-burst episode of a window, ms since epoch: {@link ERROR_BURST}'s hour
 * on the UTC day containing its fraction of the window. May fall outside short windows.
 */
export function burstStartMs(windowStartMs: number, windowEndMs: number): number {
  const burstDayMs = windowStartMs + ERROR_BURST.dayFraction * (windowEndMs - windowStartMs)
  return Math.floor(burstDayMs / DAY_MS) * DAY_MS + ERROR_BURST.startHourUtc * HOUR_MS
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value
}

/**
 * One run: the world (users, time warp) built from the seed, and the session builder.
 * All randomness flows from one {@link SeededRandom}, consumed in a fixed order.
 */
class TelemetryWorld {
  private readonly rng: SeededRandom
  private readonly isoFormatter = new IsoTimestampFormatter()
  /** Events in the run, so session jitter scales with the share of events one session represents. */
  private readonly size: number
  private readonly windowStartMs: number
  private readonly windowEndMs: number
  private readonly lastSessionStartMs: number
  private readonly burstStartMs: number
  private readonly burstEndMs: number
  private readonly promptChangeMsByName: Map<string, number>
  private readonly userTable: WeightedTable<UserProfile>
  /** Cumulative session density per hour of the window (diurnal, weekly, growth). */
  private readonly cumulativeDensity: Float64Array

  /** Events of the session being built, with their times. */
  private sessionEvents: AiscopeEvent[] = []
  private sessionEventTimesMs: number[] = []

  constructor(options: ResolvedOptions) {
    this.rng = new SeededRandom(options.seed)
    this.size = options.size
    this.windowEndMs = options.endMs
    this.windowStartMs = options.endMs - Math.round(options.days * DAY_MS)
    this.lastSessionStartMs = this.windowEndMs - SESSION_START_MARGIN_MS
    const windowSpanMs = this.windowEndMs - this.windowStartMs
    this.burstStartMs = burstStartMs(this.windowStartMs, this.windowEndMs)
    this.burstEndMs = this.burstStartMs + ERROR_BURST.durationMs
    this.promptChangeMsByName = new Map(
      PROMPT_PROFILES.map((prompt) => [
        prompt.name,
        prompt.changeFraction === undefined
          ? Number.POSITIVE_INFINITY
          : this.windowStartMs + Math.round(prompt.changeFraction * windowSpanMs),
      ]),
    )
    this.userTable = this.buildUsers()
    this.cumulativeDensity = this.buildDensity()
  }

  private buildUsers(): WeightedTable<UserProfile> {
    const rng = this.rng
    const organisationTable = weightedTable(
      ORGANISATIONS.map((organisation, rank) => [organisation, 1 / (rank + 1)] as const),
    )
    const users: UserProfile[] = []
    for (let index = 1; index <= USER_COUNT; index++) {
      const organisation = rng.weighted(organisationTable)
      const platform = rng.weighted(platformTable)
      const enrolled = rng.chance(REPLY_MODEL_EXPERIMENT.enrolledShare)
      const variant: ExperimentVariant | undefined = enrolled ? (rng.chance(0.5) ? 'test' : 'control') : undefined
      users.push({
        distinctId: `user_${String(index).padStart(4, '0')}`,
        groups: Object.freeze({ company: organisation.id }),
        variant,
        browser: platform.browser,
        os: platform.os,
        deviceType: platform.deviceType,
      })
    }
    // Power-law activity: a random order of users gets Zipf-like weights, so a few are heavy users.
    const ranks = users.map((_, index) => index)
    for (let index = ranks.length - 1; index > 0; index--) {
      const other = rng.int(0, index)
      const swapped = ranks[index] as number
      ranks[index] = ranks[other] as number
      ranks[other] = swapped
    }
    return weightedTable(users.map((user, index) => [user, 1 / Math.pow((ranks[index] as number) + 1, 0.75)] as const))
  }

  private buildDensity(): Float64Array {
    const spanMs = this.lastSessionStartMs - this.windowStartMs
    const hourCount = Math.ceil(spanMs / HOUR_MS)
    const cumulative = new Float64Array(hourCount + 1)
    for (let hour = 0; hour < hourCount; hour++) {
      const hourStartMs = this.windowStartMs + hour * HOUR_MS
      const date = new Date(hourStartMs + HOUR_MS / 2)
      const hourOfDay = date.getUTCHours() + 0.5
      const weekday = date.getUTCDay()
      // Users in Europe and the Americas: busy from 07:00 to 23:00 UTC, peaking mid-afternoon.
      const diurnal = 0.12 + Math.exp(-((hourOfDay - 15) ** 2) / (2 * 4.5 ** 2))
      const weekly = weekday === 0 || weekday === 6 ? 0.4 : 1
      const growth = 1 + (0.35 * hour) / hourCount
      const coveredShare = Math.min(1, (spanMs - hour * HOUR_MS) / HOUR_MS)
      cumulative[hour + 1] = (cumulative[hour] as number) + diurnal * weekly * growth * coveredShare
    }
    return cumulative
  }

  /**
   * Start of the next session, for a run that has emitted `emittedFraction` of its events:
   * maps that fraction (plus jitter of about one session) through the time density, so
   * sessions cover the whole window whatever the size, busier on weekday afternoons.
   */
  nextSessionStartMs(emittedFraction: number): number {
    const jitter = (this.rng.next() * EXPECTED_EVENTS_PER_SESSION) / this.size
    const fraction = Math.min(1, emittedFraction + jitter)
    const cumulative = this.cumulativeDensity
    const hourCount = cumulative.length - 1
    const target = fraction * (cumulative[hourCount] as number)
    let low = 0
    let high = hourCount - 1
    while (low < high) {
      const middle = (low + high + 1) >>> 1
      if ((cumulative[middle] as number) <= target) {
        low = middle
      } else {
        high = middle - 1
      }
    }
    const bucketStart = cumulative[low] as number
    const bucketWeight = (cumulative[low + 1] as number) - bucketStart
    const withinHour = bucketWeight > 0 ? (target - bucketStart) / bucketWeight : 0
    const startMs = Math.floor(this.windowStartMs + (low + Math.min(1, withinHour)) * HOUR_MS)
    return Math.min(startMs, this.lastSessionStartMs)
  }

  // -------------------------------------------------------------------------------------
  // Sessions
  // -------------------------------------------------------------------------------------

  /** Builds one session starting at `startMs`: its events in time order, none after `endMs`. */
  buildSession(startMs: number): AiscopeEvent[] {
    const rng = this.rng
    this.sessionEvents = []
    this.sessionEventTimesMs = []
    const user = rng.weighted(this.userTable)
    const area = rng.weighted(areaTable)
    const paths = compiledPathsByArea.get(area) as readonly TextTemplate[]
    const pageRef = area.name === 'engineering' ? String(rng.int(1_000, 4_999)) : String(rng.int(10_000, 99_999))
    const firstPath = fillTemplate(rng.pick(paths), pageRef)
    const session: SessionState = {
      user,
      sessionId: rng.uuid(),
      aiSessionId: rng.uuid(),
      area,
      currentUrl: APP_ORIGIN + firstPath,
    }

    let cursorMs = startMs
    this.recordPageview(session, firstPath, cursorMs)
    if (user.variant !== undefined) {
      this.recordFlagCalled(session, cursorMs + rng.int(30, 400))
    }
    if (rng.chance(0.45)) {
      cursorMs += Math.min(90_000, Math.round(rng.lognormal(15_000, 0.8)))
      this.recordPageview(session, fillTemplate(rng.pick(paths), pageRef), cursorMs)
    }
    cursorMs += Math.min(60_000, Math.round(rng.lognormal(6_000, 0.7)))

    const featureTable = featureTableByArea.get(area) as WeightedTable<FeatureName>
    let plannedTraces = rng.weighted(traceCountTable)
    let forcedFeature: FeatureName | undefined
    let acceptedDraft = false
    for (let traceIndex = 0; traceIndex < plannedTraces; traceIndex++) {
      const featureName = forcedFeature ?? rng.weighted(featureTable)
      forcedFeature = undefined
      const trace = this.startTrace(session, featureName, cursorMs)
      const outcome = this.buildTrace(trace)
      const gapMs = Math.min(180_000, Math.round(rng.lognormal(25_000, 0.9)))
      let nextStartMs = outcome.endMs + gapMs
      this.recordEvaluations(trace)
      const answer = outcome.answer
      if (answer !== undefined && trace.feature.userFacing) {
        if (rng.chance(trace.feature.interactionShare)) {
          const interactionMs = outcome.endMs + 500 + Math.round(rng.next() * (gapMs - 1_000))
          const kind = this.recordInteraction(trace, answer, interactionMs)
          if (kind === 'regenerated') {
            forcedFeature = featureName
            nextStartMs = interactionMs + rng.int(200, 1_500)
            if (traceIndex === plannedTraces - 1 && plannedTraces < 7) {
              plannedTraces++
            }
          } else if (featureName === 'draft-reply' && kind !== 'rejected') {
            acceptedDraft = true
          }
        }
        if (rng.chance(0.02)) {
          this.recordMetric(trace, answer, outcome.endMs + rng.int(1_000, 20_000))
        }
        if (rng.chance(0.01)) {
          this.recordFeedback(trace, answer, outcome.endMs + rng.int(2_000, 30_000))
        }
      }
      cursorMs = nextStartMs
    }

    if (rng.chance(0.015)) {
      this.recordFrontendException(session, startMs + rng.int(1_000, 60_000))
    }
    if (area.name === 'tickets' && rng.chance(acceptedDraft ? 0.15 : 0.01)) {
      this.recordTicketResolved(session, cursorMs, acceptedDraft)
    }
    if (rng.chance(0.002)) {
      this.recordSubscriptionUpgraded(session, cursorMs + rng.int(1_000, 30_000))
    }
    return this.finishSession()
  }

  /** Sorts the session's events by time (stable), drops those after the window, stamps ISO times. */
  private finishSession(): AiscopeEvent[] {
    const events = this.sessionEvents
    const times = this.sessionEventTimesMs
    const order = events.map((_, index) => index)
    order.sort((left, right) => (times[left] as number) - (times[right] as number) || left - right)
    const sorted: AiscopeEvent[] = []
    for (const index of order) {
      const timeMs = times[index] as number
      if (timeMs > this.windowEndMs) {
        break
      }
      const event = events[index] as AiscopeEvent
      event.timestamp = this.isoFormatter.format(timeMs)
      sorted.push(event)
    }
    this.sessionEvents = []
    this.sessionEventTimesMs = []
    return sorted
  }

  private record(event: AiscopeEvent, timeMs: number): void {
    this.sessionEvents.push(event)
    this.sessionEventTimesMs.push(timeMs)
  }

  private event(name: string, distinctId: string, properties: Properties, timeMs: number): AiscopeEvent {
    const event: AiscopeEvent = {
      event: name,
      uuid: this.rng.uuid(),
      distinct_id: distinctId,
      timestamp: '',
      properties,
    }
    this.record(event, timeMs)
    return event
  }

  /** Adds the properties every browser event of the session carries. */
  private addBrowserProperties(properties: Properties, session: SessionState): Properties {
    properties.$session_id = session.sessionId
    properties.$groups = session.user.groups
    if (session.user.variant !== undefined) {
      properties[FLAG_PROPERTY] = session.user.variant
    }
    properties.$lib = 'posthog-js'
    properties.$lib_version = LIBRARY_VERSIONS.posthogJs
    return properties
  }

  private recordPageview(session: SessionState, path: string, timeMs: number): void {
    const queryStart = path.indexOf('?')
    const user = session.user
    const properties: Properties = {
      $current_url: APP_ORIGIN + path,
      $host: APP_HOST,
      $pathname: queryStart === -1 ? path : path.slice(0, queryStart),
      $browser: user.browser,
      $os: user.os,
      $device_type: user.deviceType,
    }
    this.event('$pageview', user.distinctId, this.addBrowserProperties(properties, session), timeMs)
  }

  private recordFlagCalled(session: SessionState, timeMs: number): void {
    const properties: Properties = {
      $feature_flag: REPLY_MODEL_EXPERIMENT.flagKey,
      $feature_flag_response: session.user.variant,
    }
    this.event('$feature_flag_called', session.user.distinctId, this.addBrowserProperties(properties, session), timeMs)
  }

  private recordFrontendException(session: SessionState, timeMs: number): void {
    const exception = this.rng.pick(FRONTEND_EXCEPTIONS)
    const properties: Properties = {
      $exception_list: [{ type: exception.type, value: exception.value, mechanism: { handled: false, type: 'onerror' } }],
      $exception_level: 'error',
      $current_url: session.currentUrl,
    }
    this.event('$exception', session.user.distinctId, this.addBrowserProperties(properties, session), timeMs)
  }

  private recordTicketResolved(session: SessionState, timeMs: number, usedAiDraft: boolean): void {
    const properties: Properties = {
      ticket_id: `T-${this.rng.int(10_000, 99_999)}`,
      used_ai_draft: usedAiDraft,
      resolution_minutes: Math.max(1, Math.round(this.rng.lognormal(45, 1))),
    }
    this.event('ticket_resolved', session.user.distinctId, this.addBrowserProperties(properties, session), timeMs)
  }

  private recordSubscriptionUpgraded(session: SessionState, timeMs: number): void {
    const toBusiness = this.rng.chance(0.7)
    const properties: Properties = {
      plan_from: toBusiness ? 'pro' : 'starter',
      plan_to: toBusiness ? 'business' : 'pro',
      seats: this.rng.int(3, 40),
    }
    this.event('subscription_upgraded', session.user.distinctId, this.addBrowserProperties(properties, session), timeMs)
  }

  // -------------------------------------------------------------------------------------
  // Traces
  // -------------------------------------------------------------------------------------

  private startTrace(session: SessionState, featureName: FeatureName, startMs: number): TraceState {
    const rng = this.rng
    const feature = FEATURE_PROFILES[featureName]
    const variant = session.user.variant
    const inExperiment = variant !== undefined && featureName === REPLY_MODEL_EXPERIMENT.feature
    const chosenModel = inExperiment
      ? requireModel(REPLY_MODEL_EXPERIMENT.modelByVariant[variant])
      : rng.weighted(modelTableByFeature.get(featureName) as WeightedTable<ModelProfile>)
    const modelDraw = rng.next()
    const unknown = modelDraw < UNKNOWN_MODEL_SHARE
    const dated = !unknown && modelDraw < UNKNOWN_MODEL_SHARE + DATED_MODEL_SHARE
    const model = unknown ? unknownModelBehaviour : chosenModel
    const modelId = unknown ? UNKNOWN_MODEL.id : dated ? (chosenModel.datedSnapshotId ?? chosenModel.id) : chosenModel.id

    const prompt = requirePrompt(feature.promptName)
    const changeMs = this.promptChangeMsByName.get(prompt.profile.name) as number
    const versionIndex = startMs >= changeMs ? 1 : 0
    const traceId = rng.uuid()
    const anonymous = rng.chance(ANONYMOUS_TRACE_SHARE)
    const ref =
      featureName === 'code-review'
        ? String(rng.int(1_000, 4_999))
        : featureName === 'summarise-ticket'
          ? `T-${rng.int(10_000, 99_999)}`
          : `#${rng.int(100_000, 999_999)}`
    return {
      session,
      traceId,
      feature,
      model,
      modelId,
      provider: model.provider,
      baseUrl: unknown ? UNKNOWN_MODEL.baseUrl : PROVIDER_BASE_URLS[model.provider],
      priced: !unknown,
      distinctId: anonymous ? traceId : session.user.distinctId,
      anonymous,
      promptName: prompt.profile.name,
      promptVersion: prompt.profile.versions[versionIndex] as number,
      systemMessage: prompt.systemMessages[versionIndex] as AiMessage,
      qualityOffset:
        model.qualityOffset +
        (prompt.profile.qualityOffsetByVersion[versionIndex] as number) +
        (inExperiment && variant === 'test' ? REPLY_MODEL_EXPERIMENT.testQualityOffset : 0),
      ref,
      startMs,
      cacheWarm: false,
      generations: [],
    }
  }

  private buildTrace(trace: TraceState): TraceOutcome {
    switch (trace.feature.name) {
      case 'chat-assistant':
        return this.buildAgentTrace(trace, this.rng.pick(assistantScenarios), assistantTools)
      case 'code-review':
        return this.buildAgentTrace(trace, this.rng.pick(codeReviewScenarios), codeReviewTools)
      case 'draft-reply':
        return this.buildDraftReplyTrace(trace)
      case 'summarise-ticket':
        return this.buildSummaryTrace(trace)
      case 'search-answers':
        return this.buildSearchTrace(trace)
      case 'classify-intent':
        return this.buildClassificationTrace(trace)
      default:
        return trace.feature.name satisfies never
    }
  }

  /** Properties every AI event of a trace carries, appended after its own. */
  private addTraceProperties(properties: Properties, trace: TraceState): Properties {
    const session = trace.session
    properties.$ai_trace_id = trace.traceId
    properties.$ai_session_id = session.aiSessionId
    properties.$session_id = session.sessionId
    properties.feature = trace.feature.name
    properties.$groups = session.user.groups
    if (session.user.variant !== undefined) {
      properties[FLAG_PROPERTY] = session.user.variant
    }
    if (trace.anonymous) {
      properties.$process_person_profile = false
    }
    properties.$lib = 'posthog-node'
    properties.$lib_version = LIBRARY_VERSIONS.posthogNode
    return properties
  }

  private openTrace(trace: TraceState, inputState: unknown): SpanHandle {
    const properties: Properties = {
      $ai_lib: 'posthog-ai',
      $ai_lib_version: LIBRARY_VERSIONS.posthogAi,
      $ai_span_name: trace.feature.traceName,
      $ai_latency: 0,
      $ai_input_state: inputState,
      $ai_output_state: null,
    }
    this.event('$ai_trace', trace.distinctId, this.addTraceProperties(properties, trace), trace.startMs)
    return { spanId: trace.traceId, startMs: trace.startMs, properties }
  }

  private openSpan(
    trace: TraceState,
    parentId: string,
    name: string,
    spanType: string,
    startMs: number,
    inputState: unknown,
  ): SpanHandle {
    const spanId = this.rng.uuid()
    const properties: Properties = {
      $ai_lib: 'posthog-ai',
      $ai_lib_version: LIBRARY_VERSIONS.posthogAi,
      $ai_span_id: spanId,
      $ai_parent_id: parentId,
      $ai_span_name: name,
      $ai_span_type: spanType,
      $ai_latency: 0,
      $ai_input_state: inputState,
      $ai_output_state: null,
    }
    this.event('$ai_span', trace.distinctId, this.addTraceProperties(properties, trace), startMs)
    return { spanId, startMs, properties }
  }

  /** Sets a span's (or trace's) latency to cover `[start, endMs]` and its output. */
  private closeSpan(span: SpanHandle, endMs: number, outputState: unknown): void {
    span.properties.$ai_latency = (endMs - span.startMs) / 1000
    span.properties.$ai_output_state = outputState
  }

  private buildAgentTrace(trace: TraceState, scenario: CompiledAgentScenario, tools: FeatureTools): TraceOutcome {
    const rng = this.rng
    const feature = trace.feature
    const request = fillTemplate(scenario.request, trace.ref)
    const traceSpan = this.openTrace(trace, { message: request })
    let cursorMs = trace.startMs + rng.int(1, 8)
    const agent = this.openSpan(trace, trace.traceId, feature.agentName ?? feature.traceName, 'agent', cursorMs, {
      message: request,
    })
    cursorMs += rng.int(2, 12)
    const history: AiMessage[] = [trace.systemMessage, { role: 'user', content: request }]
    let conversationChars = request.length
    const toolDefinitions = tools
    let failure: string | undefined

    for (const step of scenario.steps) {
      const argumentsObject: Record<string, string> = {}
      for (const [key, template] of step.argumentEntries) {
        argumentsObject[key] = fillTemplate(template, trace.ref)
      }
      const argumentsJson = JSON.stringify(argumentsObject)
      const callId = trace.provider === 'anthropic' ? `toolu_01${rng.token(22)}` : `call_${rng.token(24)}`
      const call = this.runGeneration(trace, {
        parentId: agent.spanId,
        startMs: cursorMs,
        input: history.slice(),
        conversationChars,
        systemPromptTokens: feature.systemPromptTokens,
        contextTokensMedian: feature.contextTokensMedian,
        output: 'tool_call',
        text: scenario.preamble,
        toolCall: { id: callId, name: step.tool, argumentsJson },
        tools: toolDefinitions,
        userFacing: false,
        managedPrompt: true,
      })
      cursorMs = call.endMs
      if (call.failed) {
        failure = 'generation_failed'
        break
      }
      cursorMs += rng.int(2, 15)
      const toolSpan = this.openSpan(trace, agent.spanId, step.tool, 'tool', cursorMs, argumentsObject)
      let toolCursorMs = cursorMs + rng.int(1, 5)
      let result = fillTemplate(step.result, trace.ref)
      if (step.tool === 'search_docs') {
        toolCursorMs = this.recordEmbedding(trace, toolSpan.spanId, toolCursorMs, argumentsObject.query ?? request) + 1
      } else if (step.tool === 'summarise_thread') {
        const thread = `Ticket ${trace.ref}: ${result}`
        const inner = this.runGeneration(trace, {
          parentId: toolSpan.spanId,
          startMs: toolCursorMs,
          input: [threadSummarySystemMessage, { role: 'user', content: thread }],
          conversationChars: thread.length,
          systemPromptTokens: estimateTokens(THREAD_SUMMARY_SYSTEM_PROMPT.length),
          contextTokensMedian: 700,
          output: 'inner',
          text: result,
          toolCall: undefined,
          tools: undefined,
          userFacing: false,
          managedPrompt: false,
        })
        toolCursorMs = inner.endMs + 1
        if (inner.failed) {
          result = 'Error: the thread summary is unavailable right now.'
        }
      }
      toolCursorMs += Math.round(rng.lognormal(TOOL_DEFINITIONS[step.tool].runTimeMedianMs, 0.5))
      this.closeSpan(toolSpan, toolCursorMs, result)
      history.push(
        { role: 'assistant', content: [{ type: 'function', id: callId, function: { name: step.tool, arguments: argumentsJson } }] },
        { role: 'tool', tool_call_id: callId, content: result },
      )
      conversationChars += argumentsJson.length + result.length + 40
      cursorMs = toolCursorMs + rng.int(2, 10)
    }

    let answer: GenerationResult | undefined
    let answerText: string | undefined
    if (failure === undefined) {
      answerText = fillTemplate(scenario.answer, trace.ref)
      const result = this.runGeneration(trace, {
        parentId: agent.spanId,
        startMs: cursorMs,
        input: history,
        conversationChars,
        systemPromptTokens: feature.systemPromptTokens,
        contextTokensMedian: feature.contextTokensMedian,
        output: 'answer',
        text: answerText,
        toolCall: undefined,
        tools: toolDefinitions,
        userFacing: true,
        managedPrompt: true,
      })
      cursorMs = result.endMs
      if (result.failed) {
        failure = 'generation_failed'
      } else {
        answer = result
      }
    }
    cursorMs += rng.int(2, 15)
    const outputState = failure === undefined ? { answer: answerText } : { error: failure }
    this.closeSpan(agent, cursorMs, outputState)
    cursorMs += rng.int(1, 6)
    this.closeSpan(traceSpan, cursorMs, outputState)
    return { endMs: cursorMs, answer }
  }

  private buildDraftReplyTrace(trace: TraceState): TraceOutcome {
    const rng = this.rng
    const feature = trace.feature
    const scenario = rng.pick(customerMessageScenarios)
    const message = fillTemplate(scenario.message, trace.ref)
    const traceSpan = this.openTrace(trace, { ticket_message: message })
    let cursorMs = trace.startMs + rng.int(1, 6)
    let userContent = `Customer message:\n${message}`
    if (scenario.hasOrder && rng.chance(0.7)) {
      const orderData = fillTemplate(orderDataTemplate, trace.ref)
      const lookup = this.openSpan(trace, trace.traceId, 'lookup_order', 'tool', cursorMs, { order_id: trace.ref })
      cursorMs += Math.round(rng.lognormal(TOOL_DEFINITIONS.lookup_order.runTimeMedianMs, 0.5)) + 1
      this.closeSpan(lookup, cursorMs, orderData)
      cursorMs += rng.int(1, 5)
      userContent += `\n\nOrder data: ${orderData}`
    }
    const replyText = trace.promptVersion === 4 ? scenario.shortReply : fillTemplate(scenario.reply, trace.ref)
    const result = this.runGeneration(trace, {
      parentId: trace.traceId,
      startMs: cursorMs,
      input: [trace.systemMessage, { role: 'user', content: userContent }],
      conversationChars: userContent.length,
      systemPromptTokens: feature.systemPromptTokens,
      contextTokensMedian: feature.contextTokensMedian,
      output: 'answer',
      text: replyText,
      toolCall: undefined,
      tools: undefined,
      userFacing: true,
      managedPrompt: true,
    })
    const endMs = result.endMs + rng.int(1, 8)
    this.closeSpan(traceSpan, endMs, result.failed ? { error: 'generation_failed' } : { reply: replyText })
    return { endMs, answer: result.failed ? undefined : result }
  }

  private buildSummaryTrace(trace: TraceState): TraceOutcome {
    const rng = this.rng
    const feature = trace.feature
    const scenario = rng.pick(ticketThreadScenarios)
    const thread = fillTemplate(scenario.thread, `#${rng.int(100_000, 999_999)}`)
    const traceSpan = this.openTrace(trace, { ticket_id: trace.ref })
    const userContent = `Ticket ${trace.ref}\n${thread}`
    const summary = fillTemplate(scenario.summary, trace.ref)
    const result = this.runGeneration(trace, {
      parentId: trace.traceId,
      startMs: trace.startMs + rng.int(1, 6),
      input: [trace.systemMessage, { role: 'user', content: userContent }],
      conversationChars: userContent.length,
      systemPromptTokens: feature.systemPromptTokens,
      contextTokensMedian: feature.contextTokensMedian,
      output: 'answer',
      text: summary,
      toolCall: undefined,
      tools: undefined,
      userFacing: true,
      managedPrompt: true,
    })
    const endMs = result.endMs + rng.int(1, 8)
    this.closeSpan(traceSpan, endMs, result.failed ? { error: 'generation_failed' } : { summary })
    return { endMs, answer: result.failed ? undefined : result }
  }

  private buildSearchTrace(trace: TraceState): TraceOutcome {
    const rng = this.rng
    const feature = trace.feature
    const scenario = rng.pick(HELP_QUESTION_SCENARIOS)
    const traceSpan = this.openTrace(trace, { query: scenario.query })
    let cursorMs = this.recordEmbedding(trace, trace.traceId, trace.startMs + rng.int(1, 6), scenario.query) + 1
    const retrieval = this.openSpan(trace, trace.traceId, 'search_docs', 'retrieval', cursorMs, { query: scenario.query, top_k: 2 })
    cursorMs += Math.round(rng.lognormal(TOOL_DEFINITIONS.search_docs.runTimeMedianMs, 0.5)) + 1
    this.closeSpan(retrieval, cursorMs, scenario.passages)
    const userContent = `Question: ${scenario.query}\n\nPassages:\n${scenario.passages}`
    const result = this.runGeneration(trace, {
      parentId: trace.traceId,
      startMs: cursorMs + rng.int(1, 5),
      input: [trace.systemMessage, { role: 'user', content: userContent }],
      conversationChars: userContent.length,
      systemPromptTokens: feature.systemPromptTokens,
      contextTokensMedian: feature.contextTokensMedian,
      output: 'answer',
      text: scenario.answer,
      toolCall: undefined,
      tools: undefined,
      userFacing: true,
      managedPrompt: true,
    })
    const endMs = result.endMs + rng.int(1, 8)
    this.closeSpan(traceSpan, endMs, result.failed ? { error: 'generation_failed' } : { answer: scenario.answer })
    return { endMs, answer: result.failed ? undefined : result }
  }

  private buildClassificationTrace(trace: TraceState): TraceOutcome {
    const rng = this.rng
    const feature = trace.feature
    const scenario = rng.pick(customerMessageScenarios)
    const message = fillTemplate(scenario.message, trace.ref)
    const traceSpan = this.openTrace(trace, { ticket_message: message })
    const confidence = (0.6 + 0.39 * rng.next()).toFixed(2)
    const classification = `{"intent":"${scenario.intent}","confidence":${confidence}}`
    const result = this.runGeneration(trace, {
      parentId: trace.traceId,
      startMs: trace.startMs + rng.int(1, 6),
      input: [trace.systemMessage, { role: 'user', content: message }],
      conversationChars: message.length,
      systemPromptTokens: feature.systemPromptTokens,
      contextTokensMedian: feature.contextTokensMedian,
      output: 'classification',
      text: classification,
      toolCall: undefined,
      tools: undefined,
      userFacing: false,
      managedPrompt: true,
    })
    const endMs = result.endMs + rng.int(1, 8)
    this.closeSpan(
      traceSpan,
      endMs,
      result.failed ? { error: 'generation_failed' } : { intent: scenario.intent, confidence: Number(confidence) },
    )
    return { endMs, answer: result.failed ? undefined : result }
  }

  // -------------------------------------------------------------------------------------
  // Generations and embeddings
  // -------------------------------------------------------------------------------------

  /**
   * One logical LLM call: an attempt, and after a retryable failure maybe one app-level
   * retry after a backoff. A final failure may produce an `$exception` event.
   */
  private runGeneration(trace: TraceState, spec: GenerationSpec): GenerationResult {
    const rng = this.rng
    let attempt = this.recordGenerationAttempt(trace, spec, spec.startMs)
    if (attempt.errorKind !== undefined && attempt.errorKind !== 'content_filter' && rng.chance(0.5)) {
      const backoffMs = Math.round(rng.lognormal(attempt.errorKind === 'rate_limit' ? 2_000 : 800, 0.6))
      attempt = this.recordGenerationAttempt(trace, spec, attempt.result.endMs + backoffMs)
    }
    const result = attempt.result
    if (!result.failed) {
      trace.generations.push(result)
    } else if (rng.chance(0.6)) {
      const exceptionMs = result.endMs + rng.int(1, 20)
      const exception = this.event(
        '$exception',
        trace.distinctId,
        this.addTraceProperties(
          {
            $exception_list: [
              {
                type: attempt.errorName,
                value: attempt.errorMessage,
                mechanism: { handled: true, type: 'generic' },
              },
            ],
            $exception_level: 'error',
          },
          trace,
        ),
        exceptionMs,
      )
      attempt.properties.$exception_event_id = exception.uuid
    }
    return result
  }

  private recordGenerationAttempt(
    trace: TraceState,
    spec: GenerationSpec,
    startMs: number,
  ): {
    result: GenerationResult
    properties: Properties
    errorKind: ErrorKind | undefined
    errorName: string
    errorMessage: string
  } {
    const rng = this.rng
    const model = trace.model
    const provider = trace.provider
    const feature = trace.feature
    const quality = clamp01(feature.baseQuality + trace.qualityOffset + 0.08 * rng.normal())

    const inBurst = provider === ERROR_BURST.provider && startMs >= this.burstStartMs && startMs < this.burstEndMs
    let errorKind: ErrorKind | undefined
    const errorDraw = rng.next()
    if (inBurst && errorDraw < ERROR_BURST.extraErrorRate) {
      errorKind = 'rate_limit'
    } else if (rng.chance(model.errorRate)) {
      errorKind = rng.weighted(errorKindTableByProvider.get(provider) as WeightedTable<ErrorKind>)
    }

    const uuid = rng.uuid()
    const properties: Properties = {
      $ai_lib: 'posthog-ai',
      $ai_lib_version: LIBRARY_VERSIONS.posthogAi,
      $ai_provider: provider,
      $ai_model: trace.modelId,
    }

    if (errorKind !== undefined) {
      const template = rng.pick(ERROR_TEMPLATES[provider][errorKind])
      const message = template.message
        .replace('{model}', trace.modelId)
        .replace('{n}', String(rng.int(100, 999)))
        .replace('{n}', String(rng.int(20, 2_000)))
      const latencyMs = Math.max(
        5,
        Math.round(
          errorKind === 'timeout'
            ? template.latencyMedianMs + rng.int(0, 60)
            : rng.lognormal(template.latencyMedianMs, 0.5),
        ),
      )
      properties.$ai_model_parameters = {}
      properties.$ai_input = spec.input
      properties.$ai_output_choices = []
      properties.$ai_http_status = template.httpStatus
      properties.$ai_latency = latencyMs / 1000
      properties.$ai_base_url = trace.baseUrl
      if (errorKind === 'content_filter') {
        properties.$ai_stop_reason = STOP_REASONS[provider].contentFilter
      }
      if (spec.tools !== undefined) {
        properties.$ai_tools = spec.tools.byProvider[provider]
      }
      properties.$ai_is_error = true
      properties.$ai_error = JSON.stringify({
        name: template.name,
        message,
        status: template.status,
        type: template.type,
      })
      properties.$ai_parent_id = spec.parentId
      if (spec.managedPrompt) {
        properties.$ai_prompt_name = trace.promptName
        properties.$ai_prompt_version = trace.promptVersion
      }
      this.recordWithUuid('$ai_generation', uuid, trace.distinctId, this.addTraceProperties(properties, trace), startMs)
      return {
        result: {
          uuid,
          startMs,
          endMs: startMs + latencyMs,
          failed: true,
          quality,
          distinctId: trace.distinctId,
          managedPrompt: spec.managedPrompt,
        },
        properties,
        errorKind,
        errorName: template.name,
        errorMessage: message,
      }
    }

    // Tokens. Cacheable prefix = the full system prompt plus tool definitions.
    const toolTokens = spec.tools === undefined ? 0 : spec.tools.tokens
    const contextTokens = Math.round(rng.lognormal(spec.contextTokensMedian, 0.5))
    const promptTokens = spec.systemPromptTokens + toolTokens + estimateTokens(spec.conversationChars) + contextTokens
    const prefixTokens = spec.systemPromptTokens + toolTokens
    let cacheReadTokens = 0
    let cacheWriteTokens = 0
    if (prefixTokens >= model.minCacheableTokens && spec.managedPrompt) {
      const cacheDraw = rng.next()
      if (provider === 'anthropic') {
        if (trace.cacheWarm) {
          cacheReadTokens = cacheDraw < 0.9 ? prefixTokens : 0
        } else if (cacheDraw < 0.3) {
          cacheWriteTokens = prefixTokens
        } else if (cacheDraw < 0.3 + 0.6 * feature.cacheShare) {
          cacheReadTokens = prefixTokens
        }
      } else if (cacheDraw < (trace.cacheWarm ? 0.85 : feature.cacheShare)) {
        // OpenAI caches in 128-token steps from 1024; Gemini's implicit cache reports the prefix.
        cacheReadTokens = provider === 'openai' ? Math.floor(prefixTokens / 128) * 128 : prefixTokens
      }
      trace.cacheWarm = true
    }
    const exclusiveCache = provider === 'anthropic'
    const inputTokens = exclusiveCache ? promptTokens - cacheReadTokens - cacheWriteTokens : promptTokens

    let visibleOutputTokens: number
    let stopReason: string
    const stopReasons = STOP_REASONS[provider]
    if (spec.output === 'tool_call') {
      const call = spec.toolCall as NonNullable<GenerationSpec['toolCall']>
      visibleOutputTokens = estimateTokens(spec.text.length + call.argumentsJson.length) + 10
      stopReason = stopReasons.toolCall
    } else if (spec.output === 'classification') {
      visibleOutputTokens = estimateTokens(spec.text.length) + rng.int(0, 3)
      stopReason = stopReasons.end
    } else {
      const medianTokens = spec.output === 'inner' ? 70 : feature.outputTokensMedian
      visibleOutputTokens = Math.max(estimateTokens(spec.text.length), Math.round(rng.lognormal(medianTokens, 0.45)))
      stopReason = stopReasons.end
      if (visibleOutputTokens >= feature.maxTokens || rng.chance(0.012)) {
        visibleOutputTokens = feature.maxTokens
        stopReason = stopReasons.maxTokens
      }
    }
    const reasoningTokens =
      model.reasoning && !rng.chance(0.04) ? Math.round(rng.lognormal(model.reasoningTokensMedian, 0.7)) : 0
    const outputTokens = visibleOutputTokens + reasoningTokens

    // Timing: queueing + prefill + thinking before the first token, then decoding.
    const streamed = rng.chance(feature.streamShare)
    const speedFactor = rng.lognormal(1, 0.2)
    const ttftMs =
      rng.lognormal(model.ttftMedianMs, model.ttftSigma) +
      promptTokens * 0.04 +
      (reasoningTokens * 1000) / (model.outputTokensPerSecond * speedFactor)
    const decodeMs = (visibleOutputTokens * 1000) / (model.outputTokensPerSecond * speedFactor)
    const latencyMs = Math.min(MAX_GENERATION_LATENCY_MS, Math.max(1, Math.round(ttftMs + decodeMs)))

    const parameters: Properties =
      model.reasoning && provider === 'openai'
        ? { reasoning_effort: 'medium', max_completion_tokens: feature.maxTokens + 4_096 }
        : { temperature: feature.temperature, max_tokens: feature.maxTokens }
    if (streamed) {
      parameters.stream = true
    }
    if (provider === 'openai') {
      parameters.service_tier = 'default'
    }
    properties.$ai_model_parameters = parameters
    if (provider === 'openai') {
      properties.$ai_service_tier = 'default'
    }
    properties.$ai_input = spec.input

    const content: Record<string, unknown>[] = []
    if (spec.text.length > 0) {
      content.push({ type: 'text', text: spec.text })
    }
    if (spec.toolCall !== undefined) {
      content.push({
        type: 'function',
        id: spec.toolCall.id,
        function: { name: spec.toolCall.name, arguments: spec.toolCall.argumentsJson },
      })
    }
    properties.$ai_output_choices = [{ role: 'assistant', content }]
    properties.$ai_http_status = 200
    properties.$ai_input_tokens = inputTokens
    properties.$ai_output_tokens = outputTokens
    if (cacheReadTokens > 0) {
      properties.$ai_cache_read_input_tokens = cacheReadTokens
    }
    if (cacheWriteTokens > 0) {
      properties.$ai_cache_creation_input_tokens = cacheWriteTokens
    }
    if (reasoningTokens > 0) {
      properties.$ai_reasoning_tokens = reasoningTokens
    }
    properties.$ai_latency = latencyMs / 1000
    if (streamed) {
      properties.$ai_time_to_first_token = Math.min(latencyMs, Math.max(1, Math.round(ttftMs))) / 1000
    }
    properties.$ai_base_url = trace.baseUrl
    properties.$ai_cache_reporting_exclusive = exclusiveCache
    properties.$ai_tokens_source = 'sdk'
    properties.$ai_stop_reason = stopReason
    if (spec.tools !== undefined) {
      properties.$ai_tools = spec.tools.byProvider[provider]
    }
    properties.$ai_completion_id =
      provider === 'openai' ? `chatcmpl-${rng.token(29)}` : provider === 'anthropic' ? `msg_01${rng.token(22)}` : rng.token(23)

    if (trace.priced && rng.chance(COST_PRESENT_SHARE)) {
      const inputPrice = model.inputUsdPerMillionTokens / 1e6
      const cacheReadPrice = model.cacheReadUsdPerMillionTokens / 1e6
      const cacheWritePrice = (model.cacheWriteUsdPerMillionTokens ?? model.inputUsdPerMillionTokens) / 1e6
      // Inclusive providers count cache reads inside the input tokens; Anthropic does not.
      const inputCostUsd = exclusiveCache
        ? inputTokens * inputPrice + cacheReadTokens * cacheReadPrice + cacheWriteTokens * cacheWritePrice
        : (inputTokens - cacheReadTokens) * inputPrice + cacheReadTokens * cacheReadPrice
      const outputCostUsd = (outputTokens * model.outputUsdPerMillionTokens) / 1e6
      properties.$ai_input_cost_usd = inputCostUsd
      properties.$ai_output_cost_usd = outputCostUsd
      properties.$ai_total_cost_usd = inputCostUsd + outputCostUsd
    }
    properties.$ai_parent_id = spec.parentId
    if (spec.userFacing) {
      properties.$ai_generation_id = uuid
    }
    if (spec.managedPrompt) {
      properties.$ai_prompt_name = trace.promptName
      properties.$ai_prompt_version = trace.promptVersion
    }
    this.recordWithUuid('$ai_generation', uuid, trace.distinctId, this.addTraceProperties(properties, trace), startMs)
    return {
      result: {
        uuid,
        startMs,
        endMs: startMs + latencyMs,
        failed: false,
        quality,
        distinctId: trace.distinctId,
        managedPrompt: spec.managedPrompt,
      },
      properties,
      errorKind: undefined,
      errorName: '',
      errorMessage: '',
    }
  }

  private recordWithUuid(name: string, uuid: string, distinctId: string, properties: Properties, timeMs: number): void {
    this.record({ event: name, uuid, distinct_id: distinctId, timestamp: '', properties }, timeMs)
  }

  /** Records an `$ai_embedding` of `text` under `parentId`; returns its end time. */
  private recordEmbedding(trace: TraceState, parentId: string, startMs: number, text: string): number {
    const rng = this.rng
    const model = embeddingModel
    const properties: Properties = {
      $ai_lib: 'posthog-ai',
      $ai_lib_version: LIBRARY_VERSIONS.posthogAi,
      $ai_provider: model.provider,
      $ai_model: model.id,
      $ai_model_parameters: {},
      $ai_input: text,
    }
    const failed = rng.chance(model.errorRate)
    let latencyMs: number
    if (failed) {
      const template = rng.pick(ERROR_TEMPLATES.openai[rng.chance(0.6) ? 'rate_limit' : 'server_error'])
      latencyMs = Math.max(5, Math.round(rng.lognormal(template.latencyMedianMs, 0.5)))
      properties.$ai_http_status = template.httpStatus
      properties.$ai_latency = latencyMs / 1000
      properties.$ai_base_url = PROVIDER_BASE_URLS.openai
      properties.$ai_is_error = true
      properties.$ai_error = JSON.stringify({
        name: template.name,
        message: template.message.replace('{model}', model.id).replace('{n}', '512').replace('{n}', '120'),
        status: template.status,
        type: template.type,
      })
    } else {
      const inputTokens = estimateTokens(text.length) + rng.int(0, 2)
      latencyMs = Math.max(5, Math.round(rng.lognormal(model.ttftMedianMs, model.ttftSigma)))
      properties.$ai_http_status = 200
      properties.$ai_input_tokens = inputTokens
      properties.$ai_latency = latencyMs / 1000
      properties.$ai_base_url = PROVIDER_BASE_URLS.openai
      properties.$ai_tokens_source = 'sdk'
      if (rng.chance(COST_PRESENT_SHARE)) {
        const inputCostUsd = (inputTokens * model.inputUsdPerMillionTokens) / 1e6
        properties.$ai_input_cost_usd = inputCostUsd
        properties.$ai_output_cost_usd = 0
        properties.$ai_total_cost_usd = inputCostUsd
      }
    }
    properties.$ai_parent_id = parentId
    this.event('$ai_embedding', trace.distinctId, this.addTraceProperties(properties, trace), startMs)
    return startMs + latencyMs
  }

  // -------------------------------------------------------------------------------------
  // Evaluations, interactions, legacy metric/feedback
  // -------------------------------------------------------------------------------------

  /** Samples the trace's successful generations for each online evaluator. */
  private recordEvaluations(trace: TraceState): void {
    const rng = this.rng
    for (const generation of trace.generations) {
      for (const evaluator of EVALUATORS) {
        if (!rng.chance(evaluator.sampleShare)) {
          continue
        }
        const evaluationMs = generation.endMs + Math.round(rng.lognormal(9_000, 0.6))
        const quality = generation.quality
        const properties: Properties = {
          $ai_evaluation_id: evaluator.id,
          $ai_evaluation_name: evaluator.name,
          $ai_evaluation_type: 'online',
          $ai_evaluation_runtime: 'llm_judge',
          $ai_evaluation_result_type: evaluator.resultType,
          $ai_evaluation_trigger: 'live',
          $ai_evaluation_start_time: this.isoFormatter.format(evaluationMs),
        }
        if (evaluator.resultType === 'numeric') {
          const score = Math.round(clamp01(quality + 0.06 * rng.normal()) * 100) / 100
          properties.$ai_evaluation_numeric_result = score
          properties.$ai_evaluation_numeric_result_min = 0
          properties.$ai_evaluation_numeric_result_max = 1
          properties.$ai_evaluation_reasoning = rng.pick(
            score >= 0.75
              ? EVALUATION_REASONING.helpfulnessHigh
              : score >= 0.5
                ? EVALUATION_REASONING.helpfulnessMedium
                : EVALUATION_REASONING.helpfulnessLow,
          )
        } else if (evaluator.resultType === 'boolean') {
          const hallucinationFound = rng.chance(0.03 + 0.5 * (1 - quality) ** 2)
          properties.$ai_evaluation_result = hallucinationFound
          properties.$ai_evaluation_applicable = true
          properties.$ai_evaluation_reasoning = rng.pick(
            hallucinationFound ? EVALUATION_REASONING.hallucinationFound : EVALUATION_REASONING.hallucinationNone,
          )
        } else {
          const tone = this.pickTone(quality)
          properties.$ai_evaluation_categorical_result = [tone]
          properties.$ai_evaluation_applicable = true
          properties.$ai_evaluation_reasoning = EVALUATION_REASONING.tone[tone]
        }
        properties.$ai_target_event_id = generation.uuid
        properties.$ai_target_event_type = '$ai_generation'
        properties.$ai_target_id = generation.uuid
        properties.$ai_target_type = 'generation_uuid'
        properties.$ai_trace_id = trace.traceId
        properties.$session_id = trace.session.sessionId
        if (generation.managedPrompt) {
          properties.$ai_prompt_name = trace.promptName
          properties.$ai_prompt_version = trace.promptVersion
        }
        // The judge's own call, so its cost can be attributed.
        properties.$ai_model = judgeModel.id
        properties.$ai_provider = judgeModel.provider
        properties.$ai_input_tokens = rng.int(600, 2_400)
        properties.$ai_output_tokens = rng.int(40, 160)
        properties.$ai_evaluation_model = judgeModel.id
        properties.$ai_evaluation_provider = judgeModel.provider
        properties.$ai_evaluation_key_type = 'posthog'
        properties.$groups = trace.session.user.groups
        if (trace.anonymous) {
          properties.$process_person_profile = false
        }
        properties.$lib = 'posthog-python'
        properties.$lib_version = LIBRARY_VERSIONS.posthogPython
        this.event('$ai_evaluation', generation.distinctId, properties, evaluationMs)
      }
    }
  }

  private pickTone(quality: number): (typeof TONE_CATEGORIES)[number] {
    const weights = [0.1 + 0.7 * quality, 0.3, 0.05 + 0.3 * (1 - quality), 0.05 + 0.6 * (1 - quality)] as const
    let draw = this.rng.next() * (weights[0] + weights[1] + weights[2] + weights[3])
    for (let index = 0; index < TONE_CATEGORIES.length; index++) {
      draw -= weights[index] as number
      if (draw < 0) {
        return TONE_CATEGORIES[index] as (typeof TONE_CATEGORIES)[number]
      }
    }
    return 'robotic'
  }

  /** Records what the user did with an answer; the kind depends on its quality. */
  private recordInteraction(trace: TraceState, answer: GenerationResult, timeMs: number): InteractionKind {
    const rng = this.rng
    const quality = answer.quality
    const accepted = 0.1 + 0.5 * quality
    const copied = 0.12
    const edited = 0.1 + 0.12 * (1 - quality)
    const rejected = 0.02 + 0.33 * (1 - quality)
    const regenerated = 0.03 + 0.33 * (1 - quality)
    let draw = rng.next() * (accepted + copied + edited + rejected + regenerated)
    let kind: InteractionKind
    if ((draw -= accepted) < 0) {
      kind = 'accepted'
    } else if ((draw -= copied) < 0) {
      kind = 'copied'
    } else if ((draw -= edited) < 0) {
      kind = 'edited'
    } else if ((draw -= rejected) < 0) {
      kind = 'rejected'
    } else {
      kind = 'regenerated'
    }
    const session = trace.session
    const properties: Properties = {
      $ai_interaction: kind,
      $ai_generation_id: answer.uuid,
      $ai_trace_id: trace.traceId,
      feature: trace.feature.name,
    }
    if (kind === 'edited') {
      properties.$ai_edit_distance = Math.max(1, Math.round(rng.lognormal(30 + 90 * (1 - quality), 0.6)))
    }
    properties.$ai_session_id = session.aiSessionId
    this.event(INTERACTION_EVENT, session.user.distinctId, this.addBrowserProperties(properties, session), timeMs)
    return kind
  }

  private recordMetric(trace: TraceState, answer: GenerationResult, timeMs: number): void {
    const rating = Math.max(1, Math.min(5, Math.round(1 + 4 * answer.quality + 0.7 * this.rng.normal())))
    const properties: Properties = {
      $ai_lib: 'posthog-ai',
      $ai_lib_version: LIBRARY_VERSIONS.posthogAi,
      $ai_metric_name: 'user_rating',
      $ai_metric_value: rating,
    }
    this.event('$ai_metric', trace.distinctId, this.addTraceProperties(properties, trace), timeMs)
  }

  private recordFeedback(trace: TraceState, answer: GenerationResult, timeMs: number): void {
    const positive = this.rng.chance(answer.quality)
    const properties: Properties = {
      $ai_lib: 'posthog-ai',
      $ai_lib_version: LIBRARY_VERSIONS.posthogAi,
      $ai_feedback_text: this.rng.pick(positive ? FEEDBACK_TEXTS.positive : FEEDBACK_TEXTS.negative),
    }
    this.event('$ai_feedback', trace.distinctId, this.addTraceProperties(properties, trace), timeMs)
  }
}
