import type { CaptureInput, CaptureTarget } from '../../src/ingest/captureTarget'

/** A capture target that keeps every event, plus an `onError` that keeps every problem. */
export function collector() {
  const events: CaptureInput[] = []
  const problems: Error[] = []
  const target: CaptureTarget = {
    capture(event) {
      events.push(event)
    },
  }
  return { events, problems, target, onError: (problem: Error) => problems.push(problem) }
}

/** The properties of the only event captured, failing the test if there is not exactly one. */
export function onlyEvent(events: readonly CaptureInput[]): CaptureInput & { properties: Record<string, unknown> } {
  if (events.length !== 1) {
    throw new Error(`expected exactly one captured event, got ${events.length}: ${events.map((e) => e.event).join(', ')}`)
  }
  const [event] = events
  if (!event?.properties) {
    throw new Error('the captured event has no properties')
  }
  return event as CaptureInput & { properties: Record<string, unknown> }
}

/** `$ai_error` parsed back from its JSON string. */
export function parsedError(properties: Record<string, unknown>): Record<string, unknown> {
  const text = properties.$ai_error
  if (typeof text !== 'string') {
    throw new Error(`$ai_error is not a string: ${String(text)}`)
  }
  return JSON.parse(text) as Record<string, unknown>
}
