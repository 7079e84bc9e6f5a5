import type { CaptureInput } from '../captureTarget'
import type { ImportSink, TextParser } from './importers.types'
import { DEFAULT_MAX_RECORD_CHARS, LineSplitter } from './lines'
import { describeJsonType, isJsonObject, normalizeTimestamp, parseJson } from './json'

/** The result of reading one PostHog event object. */
export type EventReadResult = { ok: true; event: CaptureInput } | { ok: false; message: string }

const EXPECTED_EVENT = 'expected an object with an "event" string'

/**
 * Reads one event in PostHog's envelope, as exports and capture bodies carry it:
 * `{event, properties, uuid?, distinct_id?, timestamp?}`.
 *
 * - `properties` may be an object or a JSON string of one (PostHog's batch exports and
 *   HogQL results store it as a string); absent or null gives `{}`.
 * - `uuid` falls back to `id` (the events API's name for it).
 * - `distinct_id` may be a number (made a string) and falls back to
 *   `properties.distinct_id`, where `posthog-js` puts it.
 * - `timestamp` in ClickHouse's `YYYY-MM-DD hh:mm:ss.ffffff` form becomes ISO 8601.
 * - Everything else at the top level (`$set`, `$set_once`, `set`, `api_key`, `team_id`,
 *   `elements_chain`, `created_at`, `person_id`, `sent_at`, `offset`, ...) is ignored.
 */
export function readPosthogEvent(value: unknown): EventReadResult {
  if (!isJsonObject(value)) {
    return { ok: false, message: `${EXPECTED_EVENT}, got ${describeJsonType(value)}` }
  }
  const name = value.event
  if (typeof name !== 'string' || name.length === 0) {
    const got = name === undefined ? 'no "event" field' : `"event" as ${describeJsonType(name)}`
    return { ok: false, message: `${EXPECTED_EVENT}, got ${got}` }
  }

  let properties: Record<string, unknown>
  const rawProperties = value.properties
  if (rawProperties === undefined || rawProperties === null) {
    properties = {}
  } else if (typeof rawProperties === 'string') {
    const parsed = parseJson(rawProperties)
    if (!parsed.ok) {
      return { ok: false, message: `"properties" is a string but not valid JSON (${parsed.message})` }
    }
    if (!isJsonObject(parsed.value)) {
      return { ok: false, message: `"properties" must be an object, got a JSON string of ${describeJsonType(parsed.value)}` }
    }
    properties = parsed.value
  } else if (isJsonObject(rawProperties)) {
    properties = rawProperties
  } else {
    return { ok: false, message: `"properties" must be an object, got ${describeJsonType(rawProperties)}` }
  }

  const event: CaptureInput = { event: name, properties }
  const uuid = typeof value.uuid === 'string' ? value.uuid : typeof value.id === 'string' ? value.id : undefined
  if (uuid !== undefined && uuid.length > 0) {
    event.uuid = uuid
  }
  const distinctId = value.distinct_id ?? properties.distinct_id
  if (typeof distinctId === 'string' && distinctId.length > 0) {
    event.distinct_id = distinctId
  } else if (typeof distinctId === 'number' && Number.isFinite(distinctId)) {
    event.distinct_id = String(distinctId)
  }
  const timestamp = value.timestamp
  if (typeof timestamp === 'string' || typeof timestamp === 'number') {
    event.timestamp = normalizeTimestamp(timestamp)
  }
  return { ok: true, event }
}

/** Reports a line skipped for its length. */
export function reportOverlongLine(sink: ImportSink, lineNumber: number, lengthChars: number, maxChars: number): void {
  sink.problem(
    `line ${lineNumber}`,
    `line of ${lengthChars.toLocaleString('en-US')} characters skipped: longer than the ${maxChars.toLocaleString('en-US')} an import keeps`,
  )
}

/**
 * The `posthog-jsonl` parser: one event per line. Blank lines are skipped; a line that is
 * not JSON, or not an event, is reported with its 1-based number and the rest imported.
 */
export function createPosthogJsonlParser(sink: ImportSink, maxLineChars: number = DEFAULT_MAX_RECORD_CHARS): TextParser {
  return new LineSplitter(
    (line, lineNumber) => {
      if (line.trim().length === 0) {
        return
      }
      const parsed = parseJson(line)
      if (!parsed.ok) {
        sink.problem(`line ${lineNumber}`, `not valid JSON (${parsed.message})`)
        return
      }
      const result = readPosthogEvent(parsed.value)
      if (result.ok) {
        sink.event(result.event, `line ${lineNumber}`)
      } else {
        sink.problem(`line ${lineNumber}`, result.message)
      }
    },
    (lineNumber, lengthChars) => reportOverlongLine(sink, lineNumber, lengthChars, maxLineChars),
    maxLineChars,
  )
}

/**
 * Reads the events of one PostHog capture body: a `/batch/` body (`{batch: [...]}`, with
 * `api_key`, `sent_at`, `historical_migration` ignored), a single `/capture/` event, or a
 * bare array of events (what `posthog-js` posts to `/e/`). `sent_at` is not used to correct
 * clock skew: timestamps are imported as written.
 */
export function readCaptureBody(body: unknown, locationPrefix: string, sink: ImportSink): void {
  const at = (path: string): string => (locationPrefix ? `${locationPrefix}, ${path}` : path)
  const readItems = (items: unknown[], path: string): void => {
    items.forEach((item, index) => {
      const result = readPosthogEvent(item)
      if (result.ok) {
        sink.event(result.event, at(`${path}[${index}]`))
      } else {
        sink.problem(at(`${path}[${index}]`), result.message)
      }
    })
  }
  if (Array.isArray(body)) {
    readItems(body, '')
    return
  }
  if (isJsonObject(body)) {
    if (Array.isArray(body.batch)) {
      readItems(body.batch, 'batch')
      return
    }
    if (typeof body.event === 'string') {
      const result = readPosthogEvent(body)
      if (result.ok) {
        sink.event(result.event, locationPrefix || 'document')
      } else {
        sink.problem(locationPrefix || 'document', result.message)
      }
      return
    }
    if (typeof body.data === 'string') {
      sink.problem(
        locationPrefix || 'document',
        'an encoded "data" body (base64 or compressed, as older posthog-js sends) is not supported: decode it to JSON first',
      )
      return
    }
  }
  sink.problem(
    locationPrefix || 'document',
    `expected a /batch/ body ({"batch": [...]}), a /capture/ event ({"event": ...}) or an array of events, got ${describeJsonType(body)}${
      isJsonObject(body) ? ` with keys ${Object.keys(body).slice(0, 5).join(', ') || '(none)'}` : ''
    }`,
  )
}
