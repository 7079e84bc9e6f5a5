import type { CaptureInput, CaptureTarget } from '../ingest/captureTarget'
import { instrumentProblem, reportProblem, toJsonSafe, type JsonRecord } from './instrument.utils'

/** Where and how an event is delivered: the parts of the options every capture path shares. */
export interface DeliverySettings {
  target: CaptureTarget
  redact?: (properties: Record<string, unknown>) => Record<string, unknown>
  onError?: (problem: Error) => void
}

/**
 * Hands one event to the target, never throwing: the properties are copied JSON-safe (no
 * cycles, no prototype tricks, nothing the host can still mutate), then redacted, then
 * captured. A redact function that throws or returns something other than an object drops
 * the event (content it should have removed must not leak); a target that throws is
 * reported. Returns whether the target accepted the event without throwing.
 */
export function deliver(settings: DeliverySettings, event: CaptureInput): boolean {
  let properties = toJsonSafe(event.properties ?? {}) as JsonRecord
  if (settings.redact) {
    let redacted: unknown
    try {
      redacted = settings.redact(properties)
    } catch (error) {
      reportProblem(settings.onError, instrumentProblem(`redact threw; ${event.event} was not captured`, error))
      return false
    }
    if (typeof redacted !== 'object' || redacted === null || Array.isArray(redacted)) {
      reportProblem(settings.onError, instrumentProblem(`redact must return the properties object; ${event.event} was not captured`))
      return false
    }
    properties = toJsonSafe(redacted) as JsonRecord
  }
  try {
    settings.target.capture({ ...event, properties })
    return true
  } catch (error) {
    reportProblem(settings.onError, instrumentProblem(`the capture target threw while capturing ${event.event}`, error))
    return false
  }
}

/** Checks, when a wrapper is set up, that it was given somewhere to capture into. */
export function assertCaptureTarget(target: unknown, caller: string): asserts target is CaptureTarget {
  if (typeof (target as Partial<CaptureTarget> | undefined)?.capture !== 'function') {
    throw new TypeError(`aiscope: ${caller} needs a capture target: an object with a capture(event) method, such as the aiscope client`)
  }
}

/** `distinct_id` and the PostHog marker of an anonymous event when the host named no user. */
export function identity(distinctId: string | undefined, fallbackId: string): { distinctId: string; anonymous: JsonRecord } {
  return distinctId
    ? { distinctId, anonymous: {} }
    : { distinctId: fallbackId, anonymous: { $process_person_profile: false } }
}
