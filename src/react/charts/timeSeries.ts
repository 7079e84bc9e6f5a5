/**
 * Pure helpers of the chart parts: turning an aggregate's time-series rows into one series
 * per group, and writing bucket starts in the host's time zone. No DOM, no React.
 */
import type { AggregateResult, Interval, Measure } from '../../query'

/** One line or one stack layer of a chart: a group's value per bucket. */
export interface ChartSeries {
  /** The group's key value (`null`: the dimension is absent on those calls). */
  key: string | null
  /** What the legend, the table view and the tooltips call it. */
  label: string
  /** One value per bucket, aligned with the chart's `bucketStartsMs`; `null` where unknown or empty. */
  values: (number | null)[]
}

/** What a group without a value of the dimension is called. */
export const ABSENT_GROUP_LABEL = '(none)'

/**
 * Series colours: custom properties a theme may set (`--aiscope-chart-1` ... `-8`), each with
 * a fallback, so charts are coloured with no stylesheet. Chosen to stay apart for the common
 * colour-vision deficiencies (Okabe–Ito order).
 */
export const CHART_COLORS: readonly string[] = [
  'var(--aiscope-chart-1, #0072b2)',
  'var(--aiscope-chart-2, #e69f00)',
  'var(--aiscope-chart-3, #009e73)',
  'var(--aiscope-chart-4, #cc79a7)',
  'var(--aiscope-chart-5, #56b4e9)',
  'var(--aiscope-chart-6, #d55e00)',
  'var(--aiscope-chart-7, #8a7a00)',
  'var(--aiscope-chart-8, #7a7a7a)',
]

/** The colour of the series at `index` (the palette repeats). */
export function seriesColor(index: number): string {
  return CHART_COLORS[index % CHART_COLORS.length] as string
}

/** A group key as text: `(none)` for an absent value. */
export function groupLabel(key: string | null | undefined): string {
  return key === null || key === undefined || key === '' ? ABSENT_GROUP_LABEL : key
}

/**
 * One series per group of a time-series aggregate (a spec with an `interval`), in the
 * result's group order (largest first, `(other)` last), for one measure and the key value at
 * `keyIndex`. Buckets without a row are `null`.
 */
export function seriesFromAggregate(result: AggregateResult, measure: Measure, keyIndex = 0): ChartSeries[] {
  const buckets = result.bucketStartsMs ?? []
  const bucketIndex = new Map(buckets.map((startMs, index) => [startMs, index]))
  const byKey = new Map<string, ChartSeries>()
  for (const row of result.rows) {
    const key = row.key[keyIndex] ?? null
    const mapKey = key === null ? '\u0000null' : `v${key}`
    let series = byKey.get(mapKey)
    if (!series) {
      series = { key, label: groupLabel(key), values: buckets.map(() => null) }
      byKey.set(mapKey, series)
    }
    const index = row.bucketStartMs === undefined ? undefined : bucketIndex.get(row.bucketStartMs)
    const value = row.values[measure]
    if (index !== undefined && typeof value === 'number' && Number.isFinite(value)) {
      series.values[index] = value
    }
  }
  return [...byKey.values()]
}

/** The host's time zone (the runtime's), read when called, never at import. */
export function hostTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

const bucketFormats = new Map<string, Intl.DateTimeFormat>()

/** A bucket start as the axis and tooltips write it: `Nov 27` (day, week), `Nov 27, 14:00` (hour). */
export function formatBucket(startMs: number, interval: Interval, timeZone: string): string {
  const formatKey = `${interval === 'hour' ? 'hour' : 'day'}|${timeZone}`
  let format = bucketFormats.get(formatKey)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      month: 'short',
      day: 'numeric',
      ...(interval === 'hour' ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    })
    bucketFormats.set(formatKey, format)
  }
  const text = format.format(startMs)
  return interval === 'week' ? `Week of ${text}` : text
}
