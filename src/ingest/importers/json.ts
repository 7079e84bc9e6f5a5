/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>

/** Whether `value` is a JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Names the JSON type of a value for messages: `an array`, `a string`, `null`. */
export function describeJsonType(value: unknown): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    return 'an array'
  }
  switch (typeof value) {
    case 'string':
      return 'a string'
    case 'number':
      return 'a number'
    case 'boolean':
      return 'a boolean'
    case 'object':
      return 'an object'
    default:
      return typeof value
  }
}

/** The result of {@link parseJson}: the value, or the parser's message. */
export type JsonParseResult = { ok: true; value: unknown } | { ok: false; message: string }

/** `JSON.parse` that returns the error message instead of throwing. */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * ClickHouse's DateTime64 text form, which PostHog's batch exports and HogQL results use:
 * `2026-11-27 08:49:37.450000`, in UTC, with no zone.
 */
const CLICKHOUSE_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/

/**
 * A timestamp as an event envelope carries it: ISO strings and epoch milliseconds pass
 * unchanged; ClickHouse's `YYYY-MM-DD hh:mm:ss[.ffffff]` (UTC) becomes ISO 8601 so that
 * `Date.parse` reads it the same everywhere. Anything else is returned as is, for
 * validation to judge.
 */
export function normalizeTimestamp(value: string | number): string | number {
  if (typeof value === 'number') {
    return value
  }
  const match = CLICKHOUSE_TIME.exec(value)
  if (!match) {
    return value
  }
  return `${match[1]}T${match[2]}${match[3] ?? 'Z'}`
}
