import type { CaptureInput } from './captureTarget'

/** What posthog-js-like calls (`identify`, `group`, `register`) attach to later events. */
export interface CaptureContext {
  /** Set by `identify()`: the user later events belong to. */
  distinctId: string | undefined
  /** Set by `group()`: merged into each event's `$groups`; the event's own keys win. */
  groups: Record<string, string>
  /** Set by `register()`: merged into each event's properties; the event's own keys win. */
  superProperties: Record<string, unknown>
}

/** Stamps that make an event complete when the host left them out. */
export interface CaptureStamps {
  /** Capture time, ms since epoch: the event's timestamp when it has none. */
  nowMs: number
  /** Makes the uuid of an event that has none. */
  makeUuid: () => string
  /** The distinct id of an unidentified user's product events. */
  anonymousId: string
}

/** A fresh, empty context. */
export function createCaptureContext(): CaptureContext {
  return { distinctId: undefined, groups: {}, superProperties: {} }
}

/**
 * Returns the event as it will be sent for storage: the context's user, groups and super
 * properties attached, a uuid and a timestamp filled in when absent. Input that is not an
 * event-shaped object is returned as it is, for validation to report. May throw when the
 * input throws on being read (a getter, a Proxy): the caller reports that.
 *
 * An AI event with a trace id and no user keeps no `distinct_id`, so that validation
 * applies PostHog's rule for anonymous AI events (the trace id stands in for the user).
 */
export function applyCaptureContext(input: unknown, context: CaptureContext, stamps: CaptureStamps): unknown {
  if (!isObject(input) || (input.properties !== undefined && !isObject(input.properties))) {
    return input
  }
  const event = input as CaptureInput & Record<string, unknown>
  const ownProperties = (event.properties ?? {}) as Record<string, unknown>
  const ownGroups = isObject(ownProperties.$groups) ? ownProperties.$groups : undefined
  const hasContextGroups = Object.keys(context.groups).length > 0
  const properties: Record<string, unknown> = { ...context.superProperties, ...ownProperties }
  if (hasContextGroups) {
    properties.$groups = { ...context.groups, ...ownGroups }
  }
  const isAnonymousAiEvent =
    typeof event.event === 'string' && event.event.startsWith('$ai_') && ownProperties.$ai_trace_id !== undefined
  return {
    ...event,
    uuid: event.uuid ?? stamps.makeUuid(),
    timestamp: event.timestamp ?? new Date(stamps.nowMs).toISOString(),
    distinct_id: event.distinct_id ?? context.distinctId ?? (isAnonymousAiEvent ? undefined : stamps.anonymousId),
    properties,
  }
}

/**
 * A version 4 uuid: `crypto.randomUUID` where the page is a secure context, else built
 * from `crypto.getRandomValues` (which plain-http pages still have).
 */
export function makeRandomUuid(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID()
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
