import type { AiMessage } from '../schema/events'
import { rememberGeneration } from './callOptions'
import { deliver, identity } from './capture'
import type { CallOptions, GenerationInfo, ObserveOptions } from './instrument.types'
import {
  AISCOPE_LIB,
  AISCOPE_LIB_VERSION,
  asRecord,
  asString,
  describeError,
  httpStatusOf,
  instrumentProblem,
  monotonicMs,
  newId,
  reportProblem,
  secondsBetween,
  toJsonSafe,
  type JsonRecord,
} from './instrument.utils'

/** Name of the event a wrapped endpoint produces. */
export type GenerationEventName = '$ai_generation' | '$ai_embedding'

/** Token counts as read from a provider's usage object. */
export interface TokenUsage {
  inputTokens?: number
  outputTokens?: number
  cacheReadInputTokens?: number
  cacheCreationInputTokens?: number
  reasoningTokens?: number
  /** The provider's usage object as it came (`$ai_usage`). */
  raw?: unknown
}

/** What an endpoint adapter reads from one result, or from one stream once it ended. */
export interface ResultSummary {
  /** `$ai_output_choices` in PostHog's format; `null` for embeddings. */
  output: AiMessage[] | null
  usage?: TokenUsage
  stopReason?: string
  completionId?: string
  /** The model that served the call, used when the request named none. */
  model?: string
  serviceTier?: string
  systemFingerprint?: string
  /** An error the provider reported inside an otherwise successful response (an SSE `error` event). */
  error?: unknown
}

/** Reads a stream's chunks one by one and sums them up when it ends. */
export interface StreamAccumulator {
  /** Takes one chunk as the caller received it; `atMs` is {@link monotonicMs} at its arrival. */
  consume(chunk: unknown, atMs: number): void
  /** {@link monotonicMs} of the first content or tool-call delta, for `$ai_time_to_first_token`. */
  readonly firstTokenAtMs: number | undefined
  summary(): ResultSummary
}

/** How one provider endpoint's params and results map onto a generation event. */
export interface EndpointAdapter {
  event: GenerationEventName
  /** `$ai_provider` unless the options name another. */
  provider: string
  /** `$ai_cache_reporting_exclusive`: `true` when cache tokens are not in the input count (Anthropic). */
  cacheReportingExclusive: boolean
  /** Response header holding the provider's request id. */
  requestIdHeader: string
  /** `$ai_input` from the request params (before the JSON-safe copy). */
  input(params: JsonRecord): unknown
  /** `$ai_tools`: the tool definitions sent, if any. */
  tools(params: JsonRecord): unknown
  /** Reads a non-streamed result. */
  summarize(result: unknown): ResultSummary
  /** A fresh accumulator for a streamed result. */
  accumulate(): StreamAccumulator
  /** `true` for a result that is not the end of the generation (a queued background response): nothing is captured. */
  isPending?(params: JsonRecord, result: unknown): boolean
}

/** The parts of an HTTP response a recording reads: status and the request id header. */
export interface ResponseLike {
  readonly status?: number
  readonly headers?: { get(name: string): string | null }
}

/** How a stream stopped: read to its end, given up by the caller, or failed. */
export type StreamEnding = 'done' | 'cancelled' | 'error'

/**
 * One call in flight. Every method is safe to call in any order and never throws; the event
 * is captured once, by whichever of `succeed`, `finishStream` or `fail` comes first.
 */
export interface GenerationRecording {
  readonly generationId: string
  readonly traceId: string
  /** The call returned a non-streamed result. */
  succeed(result: unknown, response?: ResponseLike): void
  /** The call returned a stream (not yet read). */
  beginStream(stream: unknown, response?: ResponseLike): void
  /** One chunk the caller received from the stream. */
  chunk(chunk: unknown): void
  /** The stream ended. */
  finishStream(ending: StreamEnding, error?: unknown): void
  /** The call failed; `error` is what the caller receives. */
  fail(error: unknown): void
  /** Makes `generationIdOf(value)` answer this generation's id (for a value the caller receives). */
  remember(value: unknown): void
}

/** Model parameters copied into `$ai_model_parameters` when the request has them. */
const MODEL_PARAMETER_KEYS = [
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'max_output_tokens',
  'top_p',
  'top_k',
  'frequency_penalty',
  'presence_penalty',
  'n',
  'stop',
  'stop_sequences',
  'stream',
  'streaming',
  'language',
  'response_format',
  'timestamp_granularities',
  'reasoning_effort',
  'reasoning',
  'thinking',
  'seed',
  'dimensions',
] as const

/** `$ai_model_parameters` of a request: the sampling and length settings it set. */
export function modelParametersOf(params: JsonRecord): JsonRecord {
  const parameters: JsonRecord = {}
  for (const key of MODEL_PARAMETER_KEYS) {
    if (params[key] !== undefined) {
      parameters[key] = params[key]
    }
  }
  return parameters
}

interface Outcome {
  summary?: ResultSummary
  error?: unknown
  httpStatus: number
  endMs: number
  cancelled?: boolean
}

/**
 * Starts recording one call: resolves ids and options and snapshots the input now, before the
 * host can mutate its messages array (for example by pushing the answer onto it).
 */
export function startGeneration(
  options: ObserveOptions,
  call: CallOptions | undefined,
  adapter: EndpointAdapter,
  rawParams: unknown,
  baseURL: string | undefined,
): GenerationRecording {
  const startMs = monotonicMs()
  const params = asRecord(rawParams) ?? {}
  const generationId = call?.generationId ?? newId()
  const traceId = call?.traceId ?? options.traceId ?? newId()
  const parentId = call?.parentId ?? options.parentId
  const privacyMode = call?.privacyMode ?? options.privacyMode ?? false
  const input = privacyMode ? null : toJsonSafe(adapter.input(params))
  const tools = toJsonSafe(adapter.tools(params))
  const modelParameters = toJsonSafe(modelParametersOf(params)) as JsonRecord
  const model = asString(params.model)

  let response: ResponseLike | undefined
  let accumulator: StreamAccumulator | undefined
  let captured = false
  const remembered: unknown[] = []

  const guard = (what: string, action: () => void) => {
    try {
      action()
    } catch (error) {
      reportProblem(options.onError, instrumentProblem(`failed to record ${what} of ${adapter.event}`, error))
    }
  }

  const emit = (outcome: Outcome, result: unknown) => {
    if (captured) {
      return
    }
    captured = true
    const summary = outcome.summary
    const failure = outcome.error ?? summary?.error
    const isError = failure !== undefined
    const info: GenerationInfo = {
      generationId,
      traceId,
      ...(parentId !== undefined ? { parentId } : {}),
      event: adapter.event,
      isError,
      ...(summary?.completionId !== undefined ? { completionId: summary.completionId } : {}),
    }
    rememberGeneration(result, info)
    for (const value of remembered) {
      rememberGeneration(value, info)
    }

    const usage = summary?.usage
    const hostProperties = { ...options.properties, ...call?.properties }
    const passthroughTokens = '$ai_input_tokens' in hostProperties || '$ai_output_tokens' in hostProperties
    const groups = { ...options.groups, ...call?.groups }
    const { distinctId, anonymous } = identity(call?.distinctId ?? options.distinctId, traceId)
    const sessionId = call?.sessionId ?? options.sessionId
    const spanName = call?.spanName ?? options.spanName
    const requestId = response?.headers?.get(adapter.requestIdHeader) ?? undefined
    const providerMetadata = {
      ...(summary?.systemFingerprint ? { system_fingerprint: summary.systemFingerprint } : {}),
      ...(requestId ? { request_id: requestId } : {}),
    }
    const output = isError && !summary ? [] : (summary?.output ?? null)
    const servedModel = model ?? summary?.model

    const properties: JsonRecord = {
      $ai_lib: AISCOPE_LIB,
      $ai_lib_version: AISCOPE_LIB_VERSION,
      $ai_provider: options.provider ?? adapter.provider,
      ...(servedModel !== undefined ? { $ai_model: servedModel } : {}),
      $ai_model_parameters: summary?.serviceTier ? { ...modelParameters, service_tier: summary.serviceTier } : modelParameters,
      ...(summary?.serviceTier ? { $ai_service_tier: summary.serviceTier } : {}),
      $ai_input: input,
      $ai_output_choices: privacyMode ? null : output,
      $ai_http_status: outcome.httpStatus,
      ...(usage?.inputTokens !== undefined ? { $ai_input_tokens: usage.inputTokens } : {}),
      ...(usage?.outputTokens !== undefined ? { $ai_output_tokens: usage.outputTokens } : {}),
      // Zero-valued extras are left out, as `@posthog/ai` does.
      ...(usage?.cacheReadInputTokens ? { $ai_cache_read_input_tokens: usage.cacheReadInputTokens } : {}),
      ...(usage?.cacheCreationInputTokens ? { $ai_cache_creation_input_tokens: usage.cacheCreationInputTokens } : {}),
      ...(usage?.reasoningTokens ? { $ai_reasoning_tokens: usage.reasoningTokens } : {}),
      ...(usage?.raw !== undefined ? { $ai_usage: usage.raw } : {}),
      $ai_latency: secondsBetween(startMs, outcome.endMs),
      ...(accumulator?.firstTokenAtMs !== undefined
        ? { $ai_time_to_first_token: secondsBetween(startMs, accumulator.firstTokenAtMs) }
        : {}),
      $ai_trace_id: traceId,
      ...(parentId !== undefined ? { $ai_parent_id: parentId } : {}),
      $ai_span_id: generationId,
      $ai_generation_id: generationId,
      ...(sessionId !== undefined ? { $ai_session_id: sessionId } : {}),
      ...(spanName !== undefined ? { $ai_span_name: spanName } : {}),
      ...(baseURL !== undefined ? { $ai_base_url: baseURL } : {}),
      ...(adapter.event === '$ai_generation' ? { $ai_cache_reporting_exclusive: adapter.cacheReportingExclusive } : {}),
      ...hostProperties,
      $ai_tokens_source: passthroughTokens ? 'passthrough' : 'sdk',
      ...anonymous,
      ...(summary?.stopReason !== undefined ? { $ai_stop_reason: summary.stopReason } : {}),
      ...(outcome.cancelled ? { $ai_stream_cancelled: true } : {}),
      ...(tools !== undefined && tools !== null ? { $ai_tools: tools } : {}),
      ...(summary?.completionId !== undefined ? { $ai_completion_id: summary.completionId } : {}),
      ...(Object.keys(providerMetadata).length > 0 ? { $ai_provider_metadata: providerMetadata } : {}),
      ...(isError ? { $ai_is_error: true, $ai_error: JSON.stringify(describeError(failure)) } : {}),
      ...(Object.keys(groups).length > 0 ? { $groups: groups } : {}),
    }

    const delivered = deliver(options, { event: adapter.event, distinct_id: distinctId, properties })
    if (!delivered) {
      return
    }
    for (const onGeneration of [call?.onGeneration, options.onGeneration]) {
      if (onGeneration) {
        try {
          onGeneration(info)
        } catch (error) {
          reportProblem(options.onError, instrumentProblem('onGeneration threw', error))
        }
      }
    }
  }

  const remember = (value: unknown) => {
    remembered.push(value)
    rememberGeneration(value, { generationId, traceId, ...(parentId !== undefined ? { parentId } : {}), event: adapter.event, isError: false })
  }

  return {
    generationId,
    traceId,
    succeed(result, resultResponse) {
      guard('the result', () => {
        response = resultResponse
        if (adapter.isPending?.(params, result)) {
          return
        }
        emit({ summary: adapter.summarize(result), httpStatus: resultResponse?.status ?? 200, endMs: monotonicMs() }, result)
      })
    },
    beginStream(stream, streamResponse) {
      guard('the stream', () => {
        response = streamResponse
        accumulator = adapter.accumulate()
        remember(stream)
      })
    },
    chunk(chunk) {
      if (!captured && accumulator) {
        const atMs = monotonicMs()
        guard('a stream chunk', () => accumulator?.consume(chunk, atMs))
      }
    },
    finishStream(ending, error) {
      guard('the end of the stream', () => {
        const endMs = monotonicMs()
        const summary = accumulator?.summary()
        if (ending === 'error') {
          emit({ summary, error, httpStatus: httpStatusOf(error), endMs }, error)
        } else {
          const status = summary?.error !== undefined ? httpStatusOf(summary.error) : (response?.status ?? 200)
          emit({ summary, httpStatus: status, endMs, cancelled: ending === 'cancelled' }, undefined)
        }
      })
    },
    fail(error) {
      guard('the error', () => emit({ error, httpStatus: httpStatusOf(error), endMs: monotonicMs() }, error))
    },
    remember,
  }
}
