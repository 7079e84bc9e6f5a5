import type { CaptureTarget } from '../ingest/captureTarget'

/**
 * Options for one call (or, spread into {@link ObserveOptions}, for every call of a wrapped
 * client). A span's `context` has this shape, so a generation made inside a span links to it.
 * Per call they are attached with `withAiscope(params, options)` (typed) or an `aiscope` key
 * in the params (plain JavaScript); both are removed before the SDK sees the params.
 */
export interface CallOptions {
  /** `$ai_trace_id`. @default a new UUID per call, as `@posthog/ai` does */
  traceId?: string
  /** `$ai_parent_id`: the span (or trace) this generation belongs to. @default none: a child of the trace */
  parentId?: string
  /** `$ai_session_id`: groups traces, for example one conversation. */
  sessionId?: string
  /** `distinct_id` of the user. @default the trace id, with `$process_person_profile: false` (PostHog's anonymous events) */
  distinctId?: string
  /**
   * `$ai_generation_id` and `$ai_span_id` of this call's event. Give one to know the id before
   * the call (for a pending message in your UI); otherwise it is generated and can be read
   * with `generationIdOf(result)` or `onGeneration`. Ignored in {@link ObserveOptions}.
   * @default a new UUID per call
   */
  generationId?: string
  /** `$ai_span_name`: a name for this generation in the trace tree. */
  spanName?: string
  /** `$groups`: group type → group key, for example `{ company: 'acme' }`. */
  groups?: Record<string, string>
  /** Extra event properties, merged over the computed ones (per call over per client). */
  properties?: Record<string, unknown>
  /** When `true`, `$ai_input` and `$ai_output_choices` are `null`: no prompt or answer is stored. @default false */
  privacyMode?: boolean
  /** Called once per captured generation, after the event was handed to the target. */
  onGeneration?: (generation: GenerationInfo) => void
}

/** Options of `observeOpenAI`, `observeAnthropic` and `observeFetch`. */
export interface ObserveOptions extends CallOptions {
  /** Where the events go: the aiscope client, or any {@link CaptureTarget}. */
  target: CaptureTarget
  /** `$ai_provider` for Azure or an OpenAI-compatible server (`'azure'`, `'groq'`, ...). @default 'openai' or 'anthropic' */
  provider?: string
  /**
   * Rewrites the properties of every event just before it is captured (after privacy mode).
   * Return the properties to capture. If it throws, the event is dropped and reported, so
   * content it should have removed never leaks.
   */
  redact?: (properties: Record<string, unknown>) => Record<string, unknown>
  /**
   * Receives problems of the instrumentation itself (a target or callback that threw, an
   * unknown interaction kind). They never reach the host's call.
   * @default console.warn
   */
  onError?: (problem: Error) => void
}

/** What `onGeneration` receives: the ids that link later events (interactions, scores) to the call. */
export interface GenerationInfo {
  /** `$ai_generation_id` (also `$ai_span_id`) of the captured event. */
  generationId: string
  /** `$ai_trace_id` of the captured event. */
  traceId: string
  /** `$ai_parent_id`, when the call was made inside a span. */
  parentId?: string
  /** The event name. */
  event: '$ai_generation' | '$ai_embedding'
  /** Whether the call failed (`$ai_is_error`). */
  isError: boolean
  /** The provider's response id (`chatcmpl-…`, `resp_…`, `msg_…`), when there was one. */
  completionId?: string
}
