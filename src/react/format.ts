/**
 * How panels write numbers, costs, durations and times: one place, so every panel agrees.
 * All formatters take `null`/`undefined`/NaN as "unknown" and write {@link UNKNOWN_TEXT},
 * never 0. English (US) digits and separators, as the rest of the panels' text.
 */

/** What a formatter writes for an unknown value. */
export const UNKNOWN_TEXT = '–'

const LOCALE = 'en-US'

const integerFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 })
const decimalFormat = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 })
const usdFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 })
const smallUsdFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 })
const tinyUsdFormat = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 })
const dateTimeFormat = new Intl.DateTimeFormat(LOCALE, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

function isKnown(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** A whole count with separators: `12,345`. */
export function formatCount(value: number | null | undefined): string {
  return isKnown(value) ? integerFormat.format(value) : UNKNOWN_TEXT
}

/** A number with at most two decimals: `0.82`, `1,234.5`. */
export function formatNumber(value: number | null | undefined): string {
  return isKnown(value) ? decimalFormat.format(value) : UNKNOWN_TEXT
}

/**
 * A cost in USD, with as many decimals as a per-call cost needs: `$1,234.56`, `$0.0123`,
 * `$0.00042`; exactly zero is `$0.00`.
 */
export function formatUsd(value: number | null | undefined): string {
  if (!isKnown(value)) {
    return UNKNOWN_TEXT
  }
  const size = Math.abs(value)
  if (size === 0 || size >= 1) {
    return usdFormat.format(value)
  }
  return size >= 0.01 ? smallUsdFormat.format(value) : tinyUsdFormat.format(value)
}

/** A duration given in seconds: `840 ms`, `1.24 s`, `12.5 s`, `2 min 5 s`. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (!isKnown(seconds)) {
    return UNKNOWN_TEXT
  }
  const ms = Math.round(seconds * 1000)
  if (Math.abs(ms) < 1000) {
    return `${ms} ms`
  }
  const size = Math.abs(seconds)
  if (size < 10) {
    return `${seconds.toFixed(2)} s`
  }
  if (size < 60) {
    return `${seconds.toFixed(1)} s`
  }
  const wholeSeconds = Math.round(size)
  const minutes = Math.floor(wholeSeconds / 60)
  return `${seconds < 0 ? '-' : ''}${integerFormat.format(minutes)} min ${wholeSeconds % 60} s`
}

/** A duration given in ms, as {@link formatSeconds} writes it. */
export function formatMs(ms: number | null | undefined): string {
  return isKnown(ms) ? formatSeconds(ms / 1000) : UNKNOWN_TEXT
}

/** A point in time (ms since epoch) in the viewer's time zone: `Nov 27, 14:03:09`. */
export function formatDateTime(ms: number | null | undefined): string {
  return isKnown(ms) ? dateTimeFormat.format(ms) : UNKNOWN_TEXT
}

/** A share as a percentage: `12.5%`. */
export function formatPercent(share: number | null | undefined): string {
  return isKnown(share) ? `${decimalFormat.format(share * 100)}%` : UNKNOWN_TEXT
}
