/**
 * Pure helpers shared by the wrappers: ids, a JSON-safe copy, readers for untyped JSON,
 * error description. Nothing here touches a browser global at import time.
 */

/** `$ai_lib` of every event the wrappers capture. */
export const AISCOPE_LIB = 'aiscope'

/** `$ai_lib_version`: the aiscope package version (a test keeps it equal to package.json). */
export const AISCOPE_LIB_VERSION = '0.1.0'

/** A JSON object as the wrappers read it from SDK params and responses. */
export type JsonRecord = Record<string, unknown>

/** A new UUID v4, also where `crypto.randomUUID` is missing (pages served over plain http). */
export function newId(): string {
  const webCrypto = globalThis.crypto
  if (typeof webCrypto.randomUUID === 'function') {
    return webCrypto.randomUUID()
  }
  const bytes = webCrypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Milliseconds on a monotonic clock, for latencies (the wall clock can jump). */
export function monotonicMs(): number {
  return performance.now()
}

/** Seconds between two {@link monotonicMs} readings, at millisecond resolution like `@posthog/ai`. */
export function secondsBetween(startMs: number, endMs: number): number {
  return Math.max(0, Math.round(endMs - startMs)) / 1000
}

/** Nesting deeper than this is cut: real message arrays are a few levels deep. */
const MAX_JSON_DEPTH = 64

/**
 * A copy of `value` that `JSON.stringify` and `structuredClone` accept and that keeps its
 * meaning: cycles become `"[Circular]"`, `toJSON` is honoured, bigints become strings,
 * functions and symbols are dropped, binary data is summarised, and a `__proto__` key stays
 * an own key instead of replacing the copy's prototype. Never throws.
 */
export function toJsonSafe(value: unknown): unknown {
  return copyJsonSafe(value, new Set(), 0)
}

function copyJsonSafe(value: unknown, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'bigint':
      return value.toString()
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined
  }
  if (value === null) {
    return null
  }
  const object = value as object
  if (ancestors.has(object)) {
    return '[Circular]'
  }
  if (depth >= MAX_JSON_DEPTH) {
    return '[Too deep]'
  }
  ancestors.add(object)
  try {
    const toJSON = (object as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      return copyJsonSafe(toJSON.call(object), ancestors, depth + 1)
    }
    if (Array.isArray(object)) {
      return object.map((item) => copyJsonSafe(item, ancestors, depth + 1) ?? null)
    }
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) {
      return `[binary ${object.byteLength} bytes]`
    }
    const copy: JsonRecord = {}
    for (const key of Object.keys(object)) {
      let item: unknown
      try {
        item = copyJsonSafe((object as JsonRecord)[key], ancestors, depth + 1)
      } catch {
        item = '[Unserializable]'
      }
      if (item !== undefined) {
        Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true })
      }
    }
    return copy
  } catch {
    return '[Unserializable]'
  } finally {
    // Only ancestors count as cycles: the same object reached twice by two paths is copied twice.
    ancestors.delete(object)
  }
}

/** `value` as a plain object, or `undefined`. */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined
}

/** `value` as an array, or `undefined`. */
export function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined
}

/** `value` when it is a non-empty string. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** `value` when it is a finite number. */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** Reads a nested property without throwing (a getter may throw). */
export function readPath(value: unknown, ...path: readonly string[]): unknown {
  let current = value
  for (const key of path) {
    const record = asRecord(current)
    if (!record) {
      return undefined
    }
    try {
      current = record[key]
    } catch {
      return undefined
    }
  }
  return current
}

/** `$ai_http_status` of a failed call: `error.status`, else `error.statusCode`, else 500, as `@posthog/ai` does. */
export function httpStatusOf(error: unknown): number {
  return asNumber(readPath(error, 'status')) ?? asNumber(readPath(error, 'statusCode')) ?? 500
}

/** The fields of `$ai_error`: what failed, in a form a dashboard can group by. */
export interface ErrorDescription {
  name: string
  message: string
  status?: number
  type?: string
  code?: string
}

/**
 * Describes an error as `{name, message, status, type, code}`. The SDKs' error classes do not
 * set `name`, so the class name is used (`RateLimitError`, `APIConnectionTimeoutError`).
 */
export function describeError(error: unknown): ErrorDescription {
  const ownName = asString(readPath(error, 'name'))
  const className = error instanceof Error ? asString(error.constructor.name) : undefined
  const name = ownName && ownName !== 'Error' ? ownName : (className ?? ownName ?? 'Error')
  const message = asString(readPath(error, 'message')) ?? safeString(error)
  const status = asNumber(readPath(error, 'status')) ?? asNumber(readPath(error, 'statusCode'))
  const type = asString(readPath(error, 'type')) ?? asString(readPath(error, 'error', 'type'))
  const code =
    scalarString(readPath(error, 'code')) ??
    scalarString(readPath(error, 'errorCode')) ??
    scalarString(readPath(error, 'error', 'code'))
  return {
    name,
    message,
    ...(status !== undefined ? { status } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(code !== undefined ? { code } : {}),
  }
}

function scalarString(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : asString(value)
}

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return 'Unknown error'
  }
}

/** Turns anything thrown by host code (a target, a callback) into an Error for `onError`. */
export function instrumentProblem(message: string, cause?: unknown): Error {
  return new Error(`aiscope: ${message}`, cause === undefined ? undefined : { cause })
}

/** Reports a problem of the instrumentation; a throwing `onError` is ignored, never rethrown. */
export function reportProblem(onError: ((problem: Error) => void) | undefined, problem: Error): void {
  try {
    if (onError) {
      onError(problem)
    } else {
      console.warn(problem)
    }
  } catch {
    // The host's error handler failed too; there is nowhere left to report it.
  }
}
