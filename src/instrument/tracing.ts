import type { CaptureTarget } from '../ingest/captureTarget'
import { assertCaptureTarget, deliver, identity, type DeliverySettings } from './capture'
import type { CallOptions } from './instrument.types'
import {
  AISCOPE_LIB,
  AISCOPE_LIB_VERSION,
  describeError,
  instrumentProblem,
  monotonicMs,
  newId,
  reportProblem,
  secondsBetween,
  type JsonRecord,
} from './instrument.utils'

/** Options of {@link startTrace}. */
export interface TraceOptions {
  /** `$ai_span_name` of the `$ai_trace` event: what the trace list shows. */
  name: string
  /** `$ai_trace_id`. @default a new UUID */
  traceId?: string
  /** `$ai_session_id`, passed on to spans and to generations made with the trace's `context`. */
  sessionId?: string
  /** `distinct_id`, passed on like `sessionId`. @default the trace id (an anonymous trace) */
  distinctId?: string
  /** `$groups`, passed on like `sessionId`. */
  groups?: Record<string, string>
  /** `$ai_input_state` of the trace. */
  input?: unknown
  /** Extra properties of the `$ai_trace` event. */
  properties?: Record<string, unknown>
  /** No input or output state is stored, and generations made with `context` store no content. @default false */
  privacyMode?: boolean
  /** Rewrites each `$ai_trace` / `$ai_span` event's properties before capture. */
  redact?: (properties: Record<string, unknown>) => Record<string, unknown>
  /** Receives problems (a throwing target, `end()` called twice). @default console.warn */
  onError?: (problem: Error) => void
}

/** Options of `span()`. */
export interface SpanOptions {
  /** `$ai_span_type`: `tool`, `retrieval`, `agent`, `guardrail`, ... */
  type?: string
  /** `$ai_span_id`. @default a new UUID */
  spanId?: string
  /** `$ai_input_state` of the span. */
  input?: unknown
  /** Extra properties of the `$ai_span` event. */
  properties?: Record<string, unknown>
}

/** What `end()` records. */
export interface EndOptions {
  /** `$ai_output_state`. */
  output?: unknown
  /** Marks the trace or span failed: `$ai_is_error: true` and `$ai_error`. */
  error?: unknown
  /** Extra properties, merged over those given at the start. */
  properties?: Record<string, unknown>
}

/**
 * The ids that tie a call to its place in the trace tree. Pass it per call
 * (`withAiscope(params, span.context)`) or to a wrapper (`observeOpenAI(client, { target, ...span.context })`)
 * and the generation becomes a child of this span (or of the trace).
 */
export interface TraceContext extends CallOptions {
  traceId: string
}

/** A span or trace in progress: start children, link calls, end it. */
export interface SpanParent {
  /** `$ai_trace_id` of the whole trace. */
  readonly traceId: string
  /** Per-call options that put a generation under this span (or trace). */
  readonly context: TraceContext
  /** Starts a child span. */
  span(name: string, options?: SpanOptions): SpanHandle
  /** Captures the event with the time since the start as `$ai_latency`. Only the first call counts. */
  end(options?: EndOptions): void
}

/** A trace started by {@link startTrace}; `end()` captures `$ai_trace`. */
export type TraceHandle = SpanParent

/** A span; `end()` captures `$ai_span`. */
export interface SpanHandle extends SpanParent {
  /** `$ai_span_id` of this span. */
  readonly spanId: string
  /** `$ai_parent_id`: the enclosing span's id, or the trace id. */
  readonly parentId: string
}

interface TraceScope {
  settings: DeliverySettings
  traceId: string
  sessionId?: string
  distinctId?: string
  groups?: Record<string, string>
  privacyMode: boolean
}

/**
 * Starts a trace: a handle whose `span()` starts nested spans and whose `end()` captures
 * `$ai_trace` (name, latency in seconds, input and output state). Linking is explicit, with
 * no async-context magic (there is none in browsers): a call made with a span's `context`
 * gets that span as its `$ai_parent_id`.
 *
 * ```ts
 * const trace = startTrace(aiscope, { name: 'answer question', input: { question } })
 * const search = trace.span('search docs', { type: 'retrieval', input: { question } })
 * search.end({ output: { hits } })
 * const reply = trace.span('draft reply', { type: 'agent' })
 * await openai.chat.completions.create(withAiscope({ model, messages }, reply.context))
 * reply.end()
 * trace.end({ output: { answer } })
 * ```
 */
export function startTrace(target: CaptureTarget, options: TraceOptions): TraceHandle {
  assertCaptureTarget(target, 'startTrace')
  const scope: TraceScope = {
    settings: { target, redact: options.redact, onError: options.onError },
    traceId: options.traceId ?? newId(),
    sessionId: options.sessionId,
    distinctId: options.distinctId,
    groups: options.groups,
    privacyMode: options.privacyMode ?? false,
  }
  return startNode(scope, {
    event: '$ai_trace',
    name: options.name,
    input: options.input,
    properties: options.properties,
  })
}

interface NodeStart {
  event: '$ai_trace' | '$ai_span'
  name: string
  spanId?: string
  parentId?: string
  type?: string
  input?: unknown
  properties?: Record<string, unknown>
}

function startNode(scope: TraceScope, start: NodeStart): SpanHandle {
  const startMs = monotonicMs()
  const isTrace = start.event === '$ai_trace'
  const spanId = isTrace ? scope.traceId : (start.spanId ?? newId())
  const parentId = start.parentId ?? scope.traceId
  let ended = false
  const context: TraceContext = {
    traceId: scope.traceId,
    ...(isTrace ? {} : { parentId: spanId }),
    ...(scope.sessionId !== undefined ? { sessionId: scope.sessionId } : {}),
    ...(scope.distinctId !== undefined ? { distinctId: scope.distinctId } : {}),
    ...(scope.groups !== undefined ? { groups: scope.groups } : {}),
    ...(scope.privacyMode ? { privacyMode: true } : {}),
  }

  return {
    traceId: scope.traceId,
    spanId,
    parentId,
    context,
    span(name, options = {}) {
      return startNode(scope, { event: '$ai_span', name, parentId: spanId, ...options })
    },
    end(options = {}) {
      if (ended) {
        reportProblem(scope.settings.onError, instrumentProblem(`end() was called twice on ${start.event} "${start.name}"; only the first counts`))
        return
      }
      ended = true
      try {
        const { distinctId, anonymous } = identity(scope.distinctId, scope.traceId)
        const failed = options.error !== undefined
        const properties: JsonRecord = {
          $ai_lib: AISCOPE_LIB,
          $ai_lib_version: AISCOPE_LIB_VERSION,
          $ai_trace_id: scope.traceId,
          ...(isTrace ? {} : { $ai_span_id: spanId, $ai_parent_id: parentId }),
          $ai_span_name: start.name,
          ...(start.type !== undefined ? { $ai_span_type: start.type } : {}),
          ...(scope.sessionId !== undefined ? { $ai_session_id: scope.sessionId } : {}),
          $ai_latency: secondsBetween(startMs, monotonicMs()),
          ...(start.input !== undefined ? { $ai_input_state: scope.privacyMode ? null : start.input } : {}),
          ...(options.output !== undefined ? { $ai_output_state: scope.privacyMode ? null : options.output } : {}),
          ...start.properties,
          ...options.properties,
          ...anonymous,
          ...(failed ? { $ai_is_error: true, $ai_error: JSON.stringify(describeError(options.error)) } : {}),
          ...(scope.groups && Object.keys(scope.groups).length > 0 ? { $groups: scope.groups } : {}),
        }
        deliver(scope.settings, { event: start.event, distinct_id: distinctId, properties })
      } catch (error) {
        reportProblem(scope.settings.onError, instrumentProblem(`failed to capture ${start.event}`, error))
      }
    },
  }
}
