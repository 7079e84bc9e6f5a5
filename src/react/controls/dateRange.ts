/**
 * Date ranges of the shared range picker: presets resolved against "now", custom calendar
 * days in the host's time zone, and the previous period of the same length. Pure.
 */
import type { TimeRange } from '../../query'

/** The picker's choices. */
export const DATE_RANGE_PRESETS = [
  { preset: '24h', label: 'Last 24 hours', durationMs: 24 * 3_600_000 },
  { preset: '7d', label: 'Last 7 days', durationMs: 7 * 86_400_000 },
  { preset: '30d', label: 'Last 30 days', durationMs: 30 * 86_400_000 },
] as const

/** A preset, or `'custom'` (calendar days from / to). */
export type DateRangePreset = (typeof DATE_RANGE_PRESETS)[number]['preset'] | 'custom'

/** What a range picker holds: the choice and the range it resolved to. */
export interface DateRangeValue {
  preset: DateRangePreset
  /** Inclusive start, ms since epoch. */
  fromMs: number
  /** Exclusive end, ms since epoch. */
  toMs: number
  /** Whether panels compare with the previous period of the same length. */
  compare: boolean
}

/**
 * A rolling preset's range ending at `nowMs` rounded up to the next whole minute (so a
 * re-render within the minute asks the same query).
 */
export function resolvePreset(preset: Exclude<DateRangePreset, 'custom'>, nowMs: number): TimeRange {
  const toMs = Math.ceil(nowMs / 60_000) * 60_000
  const durationMs = DATE_RANGE_PRESETS.find((entry) => entry.preset === preset)?.durationMs ?? DATE_RANGE_PRESETS[1].durationMs
  return { fromMs: toMs - durationMs, toMs }
}

/** The period of the same length just before `range`: `[from − length, from)`. */
export function previousPeriod(range: TimeRange): TimeRange {
  return { fromMs: range.fromMs - (range.toMs - range.fromMs), toMs: range.fromMs }
}

/** A value of a preset, resolved at `nowMs`. */
export function dateRangeOf(preset: Exclude<DateRangePreset, 'custom'>, nowMs: number, compare = true): DateRangeValue {
  return { preset, ...resolvePreset(preset, nowMs), compare }
}

const partFormats = new Map<string, Intl.DateTimeFormat>()

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partFormats.set(timeZone, format)
  }
  return format
}

function zonedParts(ms: number, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {}
  for (const part of partsFormat(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') {
      parts[part.type] = Number(part.value)
    }
  }
  return parts
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`. */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = zonedParts(ms, timeZone)
  const wallAsUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  return wallAsUtc - Math.floor(ms / 1000) * 1000
}

/** Midnight starting calendar day `date` (`YYYY-MM-DD`) in `timeZone`, ms since epoch; `null` if `date` is not a date. */
export function zonedDayStartMs(date: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) {
    return null
  }
  const wallMs = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  if (!Number.isFinite(wallMs)) {
    return null
  }
  // Two passes settle a day on which the offset changes (daylight saving).
  let ms = wallMs - zoneOffsetMs(wallMs, timeZone)
  ms = wallMs - zoneOffsetMs(ms, timeZone)
  return ms
}

/** The calendar day (`YYYY-MM-DD`) that `ms` falls on in `timeZone`. */
export function zonedDate(ms: number, timeZone: string): string {
  const parts = zonedParts(ms, timeZone)
  const pad = (value: number | undefined, length = 2) => String(value ?? 0).padStart(length, '0')
  return `${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`
}

/**
 * The range of calendar days `fromDate` to `toDate`, both included, in `timeZone`: from the
 * first day's midnight to the midnight after the last day. `null` when a date is invalid or
 * the end is before the start.
 */
export function customRange(fromDate: string, toDate: string, timeZone: string): TimeRange | null {
  const fromMs = zonedDayStartMs(fromDate, timeZone)
  const lastDayMs = zonedDayStartMs(toDate, timeZone)
  if (fromMs === null || lastDayMs === null) {
    return null
  }
  const [year, month, day] = toDate.split('-').map(Number) as [number, number, number]
  const nextDay = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10)
  const toMs = zonedDayStartMs(nextDay, timeZone)
  return toMs === null || toMs <= fromMs ? null : { fromMs, toMs }
}
