/**
 * Reading event timestamps: ISO 8601 strings (any offset, or none, read as UTC, as PostHog
 * does) and epoch numbers in seconds, milliseconds, microseconds or nanoseconds, told apart
 * by magnitude. The result is always an ISO string in UTC with milliseconds.
 */

/** Largest time accepted: 9999-12-31T23:59:59.999Z. */
const MAX_TIME_MS = 253_402_300_799_999

/** Epoch numbers below this are read as seconds (1e11 ms is 1973; 1e11 s is the year 5138). */
export const EPOCH_SECONDS_BELOW = 1e11
/** Epoch numbers from 1e11 up to this are read as milliseconds. */
export const EPOCH_MILLISECONDS_BELOW = 1e14
/** Epoch numbers from 1e14 up to this are read as microseconds; larger ones as nanoseconds. */
export const EPOCH_MICROSECONDS_BELOW = 1e17

/** `2026-11-27`, `2026-11-27T08:49:37.450Z`, `2026-11-27 08:49:37.450000`, `…+01:00`, `…+0100`. */
const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/

/** A plain decimal number in a string: `1732697377450`, `1732697377.45`. */
const NUMERIC_PATTERN = /^\s*\d+(?:\.\d+)?\s*$/

/** What {@link readTimestamp} made of a value. */
export type TimestampReading =
  | { ok: true; iso: string; timeMs: number; note?: string }
  | { ok: false; expected: string }

const EXPECTED = 'an ISO 8601 string or ms since epoch'

function fromEpochNumber(value: number): TimestampReading {
  if (!Number.isFinite(value) || value <= 0) {
    return { ok: false, expected: `${EXPECTED} (a positive finite number)` }
  }
  let timeMs = value
  let note: string | undefined
  if (value < EPOCH_SECONDS_BELOW) {
    timeMs = value * 1000
    note = 'read as seconds since epoch (numbers below 1e11 are seconds; send ms or an ISO string)'
  } else if (value >= EPOCH_MICROSECONDS_BELOW) {
    timeMs = value / 1e6
    note = 'read as nanoseconds since epoch (numbers from 1e17 up are nanoseconds)'
  } else if (value >= EPOCH_MILLISECONDS_BELOW) {
    timeMs = value / 1000
    note = 'read as microseconds since epoch (numbers from 1e14 up to 1e17 are microseconds)'
  }
  timeMs = Math.round(timeMs)
  if (timeMs > MAX_TIME_MS) {
    return { ok: false, expected: `${EXPECTED} before the year 10000` }
  }
  const iso = new Date(timeMs).toISOString()
  return note === undefined ? { ok: true, iso, timeMs } : { ok: true, iso, timeMs, note }
}

/** Length of `2026-11-27T08:49:37.450Z`. */
const CANONICAL_ISO_LENGTH = 24

const CANONICAL_ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** Two decimal digits of `text` at `index`, as a number. */
function twoDigits(text: string, index: number): number {
  return (text.charCodeAt(index) - 48) * 10 + (text.charCodeAt(index + 1) - 48)
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** The time of a canonical UTC string (`2026-11-27T08:49:37.450Z`) that names a real instant; `undefined` otherwise. */
function canonicalTimeMs(text: string): number | undefined {
  if (text.length !== CANONICAL_ISO_LENGTH || !CANONICAL_ISO_PATTERN.test(text)) {
    return undefined
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2)
  const month = twoDigits(text, 5)
  const day = twoDigits(text, 8)
  const hour = twoDigits(text, 11)
  const minute = twoDigits(text, 14)
  const second = twoDigits(text, 17)
  // A real instant from 1970 on (four digits cannot pass 9999, the last year accepted).
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined
  }
  const milliseconds = twoDigits(text, 20) * 10 + (text.charCodeAt(22) - 48)
  // Arithmetic on the digits read above: several times faster than Date.parse or Date.UTC.
  return daysSinceEpoch(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milliseconds
}

/** `Date.parse(text)`, read by arithmetic when `text` is a canonical UTC string, as validated events' timestamps are. */
export function timestampMs(text: string): number {
  return canonicalTimeMs(text) ?? Date.parse(text)
}

/**
 * Days from 1970-01-01 to a date (years from 1970; month 1–12), in the proleptic Gregorian
 * calendar: Howard Hinnant's `days_from_civil`, with years starting in March so that the
 * leap day comes last.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const marchYear = month <= 2 ? year - 1 : year
  const era = Math.floor(marchYear / 400)
  const yearOfEra = marchYear - era * 400
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

function fromIsoText(text: string): TimestampReading | undefined {
  const match = ISO_PATTERN.exec(text)
  if (!match) {
    return undefined
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zulu, sign, offsetHours, offsetMinutes = '0'] = match
  const parts = [Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second)] as const
  const [y, mo, d, h, mi, s] = parts
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || Number(offsetHours ?? 0) > 23 || Number(offsetMinutes) > 59) {
    return { ok: false, expected: `${EXPECTED} (a real date and time)` }
  }
  const milliseconds = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0
  let timeMs = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), milliseconds)
  // Date.UTC maps two-digit years to 19xx; set the year explicitly.
  const date = new Date(timeMs)
  date.setUTCFullYear(y)
  timeMs = date.getTime()
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return { ok: false, expected: `${EXPECTED} (a real date: ${year}-${month}-${day} does not exist)` }
  }
  if (!zulu && sign) {
    const offsetMs = (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000
    timeMs += sign === '+' ? -offsetMs : offsetMs
  }
  if (timeMs < 0 || timeMs > MAX_TIME_MS) {
    return { ok: false, expected: `${EXPECTED} between 1970 and 9999` }
  }
  return { ok: true, iso: new Date(timeMs).toISOString(), timeMs }
}

/**
 * Reads a timestamp. ISO strings with an offset are converted to UTC; without one they are
 * UTC. Numbers (and numeric strings, and BigInts) are epoch times whose unit is told by
 * magnitude: below 1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, else
 * nanoseconds; every unit but milliseconds comes with a `note`. Dates are accepted.
 */
export function readTimestamp(value: unknown): TimestampReading {
  if (typeof value === 'number') {
    return fromEpochNumber(value)
  }
  if (typeof value === 'bigint') {
    return fromEpochNumber(Number(value))
  }
  if (typeof value === 'string') {
    const text = value.trim()
    if (text.length > 64) {
      return { ok: false, expected: EXPECTED }
    }
    const canonical = canonicalTimeMs(text)
    if (canonical !== undefined) {
      // Already normalised: the form every SDK sends and the form stored.
      return { ok: true, iso: text, timeMs: canonical }
    }
    if (NUMERIC_PATTERN.test(text)) {
      return fromEpochNumber(Number(text))
    }
    return fromIsoText(text) ?? { ok: false, expected: EXPECTED }
  }
  if (value instanceof Date) {
    const timeMs = value.getTime()
    return Number.isFinite(timeMs) && timeMs >= 0 && timeMs <= MAX_TIME_MS
      ? { ok: true, iso: value.toISOString(), timeMs }
      : { ok: false, expected: `${EXPECTED} (a valid Date between 1970 and 9999)` }
  }
  return { ok: false, expected: EXPECTED }
}
