/**
 * Sizes of values as JSON text, counted without writing the text: the UTF-8 bytes of
 * `JSON.stringify(value)`. Validation counts every string of every event's content this
 * way, so the common cases (short keys, plain ASCII text) take the fastest path there is.
 */

/**
 * Extra bytes, beyond one, that an ASCII character takes in a JSON string: `"` and `\\`
 * and the controls with a short escape (`\b \t \n \f \r`) take two bytes, other controls
 * six (`\u0001`), everything else one.
 */
const ASCII_EXTRA_BYTES = asciiExtraBytes()

function asciiExtraBytes(): Uint8Array {
  const extra = new Uint8Array(0x80)
  for (let code = 0; code < 0x20; code++) {
    extra[code] = 5
  }
  for (const code of [0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c]) {
    extra[code] = 1
  }
  return extra
}

/** Characters that take other than one byte in JSON text: controls, `"`, `\\`, and everything past ASCII. */
const NOT_ONE_BYTE_IN_JSON = /[^\x20\x21\x23-\x5b\x5d-\x7e]/

/** Characters other than printable ASCII and the two-byte escapes `\t \n \r " \\`. */
const NOT_ASCII_TEXT = /[^\t\n\r\x20-\x7e]/

/** The characters that take two bytes in ASCII text, for counting. */
const TWO_BYTE_ASCII = /[\t\n\r"\\]/g

/**
 * Exact UTF-8 byte length of `text` written as a JSON string, quotes and escapes included.
 *
 * Native regex scans do the common cases. A loop over `charCodeAt` is kept for text
 * beyond ASCII only: where strings of many kinds pass (flat, concatenated, internalized,
 * two-byte), V8 cannot inline `charCodeAt`, and each character costs a method lookup and
 * a call (measured: a regex test beats the loop even on 4-char keys).
 */
export function jsonStringBytes(text: string): number {
  if (!NOT_ONE_BYTE_IN_JSON.test(text)) {
    return text.length + 2
  }
  if (!NOT_ASCII_TEXT.test(text)) {
    // ASCII with line breaks, tabs, quotes or backslashes: one extra byte for each.
    return text.length + 2 + (text.match(TWO_BYTE_ASCII)?.length ?? 0)
  }
  return text.length + 2 + extraBytes(text)
}

/**
 * Most UTF-8 bytes one UTF-16 unit takes in a JSON string (`\u0001`, a lone surrogate),
 * so `6 * text.length + 2` bounds {@link jsonStringBytes} without reading the text.
 */
export const JSON_BYTES_PER_CHAR_AT_MOST = 6

/** Extra bytes of `text` in JSON, beyond one per UTF-16 unit, where it may hold any character. */
function extraBytes(text: string): number {
  let extra = 0
  const length = text.length
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) {
      extra += ASCII_EXTRA_BYTES[code] ?? 0
    } else if (code < 0x800) {
      extra += 1
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: two units, four bytes.
        extra += 2
        index++
      } else {
        // A lone surrogate is written as a \ud83d escape.
        extra += 5
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      extra += 5
    } else {
      extra += 2
    }
  }
  return extra
}

/** Length of `String(value)` for a finite number, without making the string for small integers. */
export function numberJsonLength(value: number): number {
  if (Number.isSafeInteger(value)) {
    let digits = value < 0 ? 2 : 1
    for (let rest = Math.abs(value); rest >= 10; rest = Math.floor(rest / 10)) {
      digits++
    }
    return digits
  }
  return String(value).length
}

/** Exact UTF-8 size of the JSON text of a sanitized value (no cycles, bounded depth). */
export function measureJsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return jsonStringBytes(value)
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4
    case 'boolean':
      return value ? 4 : 5
    case 'object': {
      if (value === null) {
        return 4
      }
      if (Array.isArray(value)) {
        let bytes = 2 + Math.max(0, value.length - 1)
        for (const item of value) {
          bytes += measureJsonBytes(item)
        }
        return bytes
      }
      let bytes = 2
      let count = 0
      for (const key in value) {
        bytes += jsonStringBytes(key) + 1 + measureJsonBytes((value as Record<string, unknown>)[key])
        count++
      }
      return bytes + Math.max(0, count - 1)
    }
    default:
      return 0
  }
}
