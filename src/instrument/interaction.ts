import type { CaptureTarget } from '../ingest/captureTarget'
import { INTERACTION_EVENT, INTERACTION_KINDS, type InteractionKind } from '../schema/events'
import { deliver, identity } from './capture'
import { AISCOPE_LIB, AISCOPE_LIB_VERSION, instrumentProblem, reportProblem, type JsonRecord } from './instrument.utils'

/** What {@link trackInteraction} records about one interaction. */
export interface InteractionDetails {
  /** `$ai_generation_id` of the output acted on (from `generationIdOf(result)` or `onGeneration`). */
  generationId?: string
  /** `$ai_trace_id` of the output acted on. At least one of the two ids is required. */
  traceId?: string
  /** `$ai_edit_distance`: how many characters the user changed (for `edited`); a non-negative integer. */
  editDistance?: number
  /** `$ai_session_id`. */
  sessionId?: string
  /** `distinct_id` of the user. @default the trace id, else the generation id (an anonymous event) */
  distinctId?: string
  /** Extra properties of the event. */
  properties?: Record<string, unknown>
  /** Receives the reason an interaction was not captured, or a throwing target. @default console.warn */
  onError?: (problem: Error) => void
}

/** Whether the interaction was captured, and why not. */
export type InteractionResult = { captured: true } | { captured: false; reason: string }

function isInteractionKind(kind: unknown): kind is InteractionKind {
  return (INTERACTION_KINDS as readonly unknown[]).includes(kind)
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

/**
 * Captures `$ai_interaction`: what the user did with a piece of AI output (`accepted`,
 * `rejected`, `regenerated`, `copied`, `edited`), linked to its generation and/or trace.
 * Never throws: an unknown kind or a missing id is reported through `onError`, nothing is
 * captured, and the result says why (an unknown kind would be a value no panel groups by).
 *
 * ```ts
 * trackInteraction(aiscope, 'edited', { generationId: generationIdOf(completion), editDistance: 12 })
 * ```
 */
export function trackInteraction(target: CaptureTarget, kind: InteractionKind, details: InteractionDetails): InteractionResult {
  const onError = details?.onError
  const skip = (reason: string): InteractionResult => {
    reportProblem(onError, instrumentProblem(`${INTERACTION_EVENT} not captured: ${reason}`))
    return { captured: false, reason }
  }
  try {
    if (typeof target?.capture !== 'function') {
      return skip('the target has no capture(event) method')
    }
    if (!isInteractionKind(kind)) {
      return skip(`unknown interaction kind ${JSON.stringify(String(kind))}; expected one of ${INTERACTION_KINDS.join(', ')}`)
    }
    const generationId = isId(details?.generationId) ? details.generationId : undefined
    const traceId = isId(details?.traceId) ? details.traceId : undefined
    if (generationId === undefined && traceId === undefined) {
      return skip('it needs a generationId or a traceId to link the interaction to its output')
    }
    const editDistance = details.editDistance
    const validEditDistance = editDistance === undefined || (Number.isInteger(editDistance) && editDistance >= 0)
    if (!validEditDistance) {
      reportProblem(onError, instrumentProblem(`editDistance must be a non-negative integer, got ${String(editDistance)}; it was left out`))
    }
    const { distinctId, anonymous } = identity(details.distinctId, traceId ?? generationId ?? '')
    const properties: JsonRecord = {
      $ai_lib: AISCOPE_LIB,
      $ai_lib_version: AISCOPE_LIB_VERSION,
      $ai_interaction: kind,
      ...(generationId !== undefined ? { $ai_generation_id: generationId } : {}),
      ...(traceId !== undefined ? { $ai_trace_id: traceId } : {}),
      ...(editDistance !== undefined && validEditDistance ? { $ai_edit_distance: editDistance } : {}),
      ...(details.sessionId !== undefined ? { $ai_session_id: details.sessionId } : {}),
      ...details.properties,
      ...anonymous,
    }
    return deliver({ target, onError }, { event: INTERACTION_EVENT, distinct_id: distinctId, properties })
      ? { captured: true }
      : { captured: false, reason: 'the capture target threw' }
  } catch (error) {
    reportProblem(onError, instrumentProblem(`${INTERACTION_EVENT} not captured`, error))
    return { captured: false, reason: 'unexpected error' }
  }
}
