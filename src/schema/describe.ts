/**
 * Compact, safe descriptions of arbitrary values for problem and warning messages:
 * `"12ms"`, `-5`, `NaN`, `an object {model, input, …}`. Never throws, never reads more
 * than a few keys, and never prints more than about 80 characters of a value.
 */

/** Longest quoted string shown in a message before it is cut with `…`. */
const SHOWN_STRING_CHARS = 48

/** Most object keys listed when describing an object. */
const SHOWN_KEYS = 4

/** Short text of a thrown value: `TypeError: boom`. Never throws. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) {
      return clip(`${error.name}: ${error.message}`, 120)
    }
    return clip(String(error), 120)
  } catch {
    return 'an unprintable error'
  }
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text
}

/** A string as it appears in messages: quoted, escaped, cut to 48 chars with its length when longer. */
export function quoteString(text: string): string {
  if (text.length <= SHOWN_STRING_CHARS) {
    return JSON.stringify(text)
  }
  let shown = text.slice(0, SHOWN_STRING_CHARS)
  // Do not leave half of a surrogate pair at the cut.
  const last = shown.charCodeAt(shown.length - 1)
  if (last >= 0xd800 && last <= 0xdbff) {
    shown = shown.slice(0, -1)
  }
  return `${JSON.stringify(`${shown}…`)} (${text.length.toLocaleString('en-US')} chars)`
}

/** Key name as shown in messages: bare when identifier-like, quoted otherwise. */
function showKey(key: string): string {
  return /^[$A-Za-z_][$\w]*$/.test(key) && key.length <= 32 ? key : quoteString(key)
}

/**
 * Describes what came, for the `got …` half of a message: strings quoted and cut,
 * numbers as written (`NaN`, `-Infinity`), `12n` for BigInt, `an array of 3 items`,
 * `an object {a, b, …}`, `nothing` for `undefined`. Never throws (Proxies, throwing getters).
 */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'undefined':
        return 'nothing'
      case 'string':
        return quoteString(value)
      case 'number':
        return Object.is(value, -0) ? '0' : String(value)
      case 'bigint':
        return `${value.toString()}n`
      case 'boolean':
        return String(value)
      case 'symbol':
        return 'a symbol'
      case 'function':
        return 'a function'
      case 'object':
        return describeObject(value)
      default:
        return 'an unknown value'
    }
  } catch (error) {
    return `an unreadable value (reading it threw ${describeError(error)})`
  }
}

function describeObject(value: object | null): string {
  if (value === null) {
    return 'null'
  }
  if (Array.isArray(value)) {
    const length = value.length
    return length === 1 ? 'an array of 1 item' : `an array of ${length.toLocaleString('en-US')} items`
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'an invalid Date' : `a Date (${value.toISOString()})`
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return `binary data (${value.constructor.name})`
  }
  const keys = Object.keys(value)
  if (keys.length === 0) {
    return 'an empty object {}'
  }
  const shown = keys.slice(0, SHOWN_KEYS).map(showKey)
  if (keys.length > SHOWN_KEYS) {
    shown.push('…')
  }
  return `an object {${shown.join(', ')}}`
}

/** One step of a path below a property: an object key or an array index. */
export type PathSegment = string | number

/** A property name as a problem's `field`: as it is, except the empty name, written `[""]` so that no field is empty. */
export function fieldName(name: string): string {
  return name.length > 0 ? name : '[""]'
}

/**
 * Dotted path of a nested field, as problems name it: `$ai_input[2].content[0].source.data`,
 * `$groups["my key"]`.
 */
export function formatPath(field: string, segments: readonly PathSegment[]): string {
  let path = fieldName(field)
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`
    } else if (/^[$A-Za-z_][$\w]*$/.test(segment)) {
      path += `.${segment}`
    } else {
      path += `[${JSON.stringify(segment.length > 64 ? `${segment.slice(0, 63)}…` : segment)}]`
    }
  }
  return path
}
