import { isJsonObject } from './json'

/** Decoded span or resource attributes, by key, in the order they came. */
export type AttributeMap = Map<string, unknown>

const DECIMAL_INTEGER = /^-?\d+$/

/**
 * A 64-bit OTLP integer (`intValue`), which OTLP/JSON writes as a decimal string and decoders
 * must also accept as a number: a number when it is a safe integer, else the decimal string
 * (never a rounded number).
 */
function decodeInt(raw: unknown): number | string | undefined {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? raw : undefined
  }
  if (typeof raw === 'string' && DECIMAL_INTEGER.test(raw)) {
    const value = Number(raw)
    return Number.isSafeInteger(value) ? value : raw
  }
  return undefined
}

/**
 * Decodes an OTLP `AnyValue` (`{stringValue}`, `{intValue}`, `{doubleValue}`, `{boolValue}`,
 * `{arrayValue: {values}}`, `{kvlistValue: {values}}`, `{bytesValue}`) to plain JSON.
 * `bytesValue` stays a base64 string; an empty AnyValue is `null`. A plain JSON value where
 * an AnyValue was expected is taken as it is.
 */
export function decodeAnyValue(value: unknown): unknown {
  if (!isJsonObject(value)) {
    return value
  }
  if ('stringValue' in value) {
    const text = value.stringValue
    return typeof text === 'string' ? text : text == null ? '' : String(text)
  }
  if ('intValue' in value) {
    return decodeInt(value.intValue) ?? null
  }
  if ('doubleValue' in value) {
    const raw = value.doubleValue
    // proto3 JSON writes NaN and the infinities as strings.
    const number = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : Number.NaN
    return Number.isNaN(number) && raw !== 'NaN' ? null : number
  }
  if ('boolValue' in value) {
    const raw = value.boolValue
    return raw === true || raw === 'true'
  }
  if ('arrayValue' in value) {
    const values = isJsonObject(value.arrayValue) ? value.arrayValue.values : undefined
    return Array.isArray(values) ? values.map(decodeAnyValue) : []
  }
  if ('kvlistValue' in value) {
    const values = isJsonObject(value.kvlistValue) ? value.kvlistValue.values : undefined
    return Object.fromEntries(decodeAttributes(values))
  }
  if ('bytesValue' in value) {
    return typeof value.bytesValue === 'string' ? value.bytesValue : null
  }
  return null
}

/**
 * Decodes an OTLP attribute list (`[{key, value: AnyValue}]`). Entries without a string key
 * are skipped; a repeated key keeps its last value.
 */
export function decodeAttributes(list: unknown): AttributeMap {
  const attributes: AttributeMap = new Map()
  if (!Array.isArray(list)) {
    return attributes
  }
  for (const entry of list) {
    if (isJsonObject(entry) && typeof entry.key === 'string') {
      attributes.set(entry.key, decodeAnyValue(entry.value))
    }
  }
  return attributes
}

const HEX_DIGITS = '0123456789abcdef'

function bytesToHex(bytes: ArrayLike<number>): string {
  let hex = ''
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number
    hex += (HEX_DIGITS[byte >> 4] as string) + (HEX_DIGITS[byte & 15] as string)
  }
  return hex
}

function decodeBase64(text: string): number[] | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    return undefined
  }
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
  const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4)
  try {
    const binary = atob(padded)
    return Array.from(binary, (character) => character.charCodeAt(0))
  } catch {
    return undefined
  }
}

/**
 * An OTLP trace id (16 bytes) or span id (8 bytes) as lowercase hex. OTLP/JSON writes them in
 * hex; the standard protobuf JSON mapping (which some exporters use) writes base64, which is
 * accepted and converted. Returns `undefined` for an absent, malformed or all-zero id (the
 * spec's invalid id).
 */
export function normalizeOtlpId(raw: unknown, byteCount: 16 | 8): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0) {
    return undefined
  }
  let hex: string | undefined
  if (raw.length === byteCount * 2 && /^[0-9a-fA-F]+$/.test(raw)) {
    hex = raw.toLowerCase()
  } else {
    const bytes = decodeBase64(raw)
    if (bytes?.length === byteCount) {
      hex = bytesToHex(bytes)
    }
  }
  if (hex === undefined || /^0+$/.test(hex)) {
    return undefined
  }
  return hex
}

/**
 * An OTLP `*UnixNano` time as a BigInt: a decimal string (OTLP/JSON's form for 64-bit
 * integers) or a number. `undefined` for absent, zero (unset), negative or malformed values.
 */
export function parseUnixNanos(raw: unknown): bigint | undefined {
  let nanos: bigint | undefined
  if (typeof raw === 'string' && /^\d+$/.test(raw)) {
    nanos = BigInt(raw)
  } else if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0) {
    nanos = BigInt(Math.trunc(raw))
  }
  return nanos === undefined || nanos === 0n ? undefined : nanos
}

const NANOS_PER_MS = 1_000_000n
const NANOS_PER_SECOND = 1_000_000_000n

/** ISO 8601 (millisecond precision) of a Unix time in nanoseconds, or `undefined` if out of range. */
export function nanosToIso(nanos: bigint): string | undefined {
  const ms = Number(nanos / NANOS_PER_MS)
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

/**
 * Seconds between two nanosecond times, computed on BigInts so that whole seconds and
 * milliseconds come out exact (1_250_000_000 ns is exactly 1.25).
 */
export function nanosToSeconds(durationNanos: bigint): number {
  const whole = durationNanos / NANOS_PER_SECOND
  const fraction = durationNanos % NANOS_PER_SECOND
  return Number(whole) + Number(fraction) / 1e9
}

/** MurmurHash3's 32-bit finaliser: spreads every input bit over the whole word. */
function mix32(value: number): number {
  let mixed = value ^ (value >>> 16)
  mixed = Math.imul(mixed, 0x85ebca6b)
  mixed ^= mixed >>> 13
  mixed = Math.imul(mixed, 0xc2b2ae35)
  return (mixed ^ (mixed >>> 16)) >>> 0
}

/**
 * A UUID (version 8, RFC 9562's custom layout) derived from `key` by a 128-bit
 * non-cryptographic hash: the same span always gets the same event uuid, so importing a file
 * twice stores its events once.
 */
export function deterministicUuid(key: string): string {
  // Four FNV-1a lanes with distinct offsets, cross-mixed at the end.
  let lane0 = 0x811c9dc5
  let lane1 = 0x050c5d1f
  let lane2 = 0x1b873593
  let lane3 = 0xcc9e2d51
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index)
    lane0 = Math.imul(lane0 ^ code, 0x01000193)
    lane1 = Math.imul(lane1 ^ code, 0x01000193) ^ (lane0 >>> 7)
    lane2 = Math.imul(lane2 ^ code, 0x01000193) ^ (lane1 >>> 11)
    lane3 = Math.imul(lane3 ^ code, 0x01000193) ^ (lane2 >>> 13)
  }
  const words = [
    mix32(lane0 ^ mix32(lane3)),
    mix32(lane1 ^ mix32(lane0)),
    mix32(lane2 ^ mix32(lane1)),
    mix32(lane3 ^ mix32(lane2 ^ key.length)),
  ]
  const hex = words.map((word) => word.toString(16).padStart(8, '0')).join('')
  const variant = HEX_DIGITS[8 + (parseInt(hex[16] as string, 16) & 3)] as string
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}
