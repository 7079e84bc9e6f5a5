/**
 * Calendar buckets (hour, day, week) in an IANA time zone, exact across DST changes: a
 * Berlin day is 23 or 25 hours long around a change, a week starts on Monday 00:00 local.
 *
 * `Intl.DateTimeFormat#formatToParts` costs about 10 µs a call in Node 20, so offsets are
 * never read per row. They are sampled once a week (UTC) per zone, each change between two
 * samples is located to the second by bisection, and both are cached per zone across calls.
 * Rows then find their bucket through a table of bucket indices per UTC hour and at most a
 * compare or two against the bucket starts. Assumption: a zone's offset changes at most once
 * between two samples a week apart (true of every change in current tz data).
 */

import type { Interval } from './spec'

const SECOND_MS = 1000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS
/** Spacing of the cached offset samples. */
const SAMPLE_MS = WEEK_MS
/** Samples kept per zone before the cache starts over. */
const MAX_CACHED_SAMPLES = 100_000

/** Offsets of one zone: samples by index (`index × SAMPLE_MS`), and the change after a sample when the next one differs. */
interface ZoneOffsets {
  formatter: Intl.DateTimeFormat | null
  samples: Map<number, number>
  changes: Map<number, number>
}

const zoneOffsetsByName = new Map<string, ZoneOffsets>()

function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zoneOffsetsByName.get(timeZone)
  if (zone === undefined) {
    let formatter: Intl.DateTimeFormat | null = null
    if (timeZone !== 'UTC') {
      try {
        formatter = new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
        })
      } catch {
        throw new RangeError(`Unknown time zone "${timeZone}" (spec.timeZone): use an IANA name such as "Europe/Berlin" or "UTC".`)
      }
    }
    zone = { formatter, samples: new Map(), changes: new Map() }
    zoneOffsetsByName.set(timeZone, zone)
  }
  return zone
}

/** Offset (local wall clock − UTC, ms) at `tsMs`, straight from Intl. */
function intlOffsetMs(formatter: Intl.DateTimeFormat, tsMs: number): number {
  let year = 0
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  for (const part of formatter.formatToParts(tsMs)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value)
        break
      case 'month':
        month = Number(part.value)
        break
      case 'day':
        day = Number(part.value)
        break
      case 'hour':
        hour = Number(part.value)
        break
      case 'minute':
        minute = Number(part.value)
        break
      case 'second':
        second = Number(part.value)
        break
      default:
        break
    }
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(tsMs / SECOND_MS) * SECOND_MS
}

function sampleOffset(zone: ZoneOffsets, formatter: Intl.DateTimeFormat, index: number): number {
  let offset = zone.samples.get(index)
  if (offset === undefined) {
    if (zone.samples.size >= MAX_CACHED_SAMPLES) {
      zone.samples.clear()
      zone.changes.clear()
    }
    offset = intlOffsetMs(formatter, index * SAMPLE_MS)
    zone.samples.set(index, offset)
  }
  return offset
}

/** The first second after sample `index` at which the offset is no longer the sample's. */
function changeAfterSample(zone: ZoneOffsets, formatter: Intl.DateTimeFormat, index: number, before: number): number {
  let change = zone.changes.get(index)
  if (change === undefined) {
    // Invariant: the offset at `low` is `before`, the one at `high` is not; both whole seconds.
    let low = index * SAMPLE_MS
    let high = low + SAMPLE_MS
    while (high - low > SECOND_MS) {
      const middle = low + Math.floor((high - low) / (2 * SECOND_MS)) * SECOND_MS
      if (intlOffsetMs(formatter, middle) === before) {
        low = middle
      } else {
        high = middle
      }
    }
    change = high
    zone.changes.set(index, change)
  }
  return change
}

/**
 * The offset of `timeZone` at `tsMs`: local wall-clock time minus UTC, in ms (Berlin in
 * summer: +7,200,000). Throws a `RangeError` for an unknown zone.
 */
export function timeZoneOffsetMs(tsMs: number, timeZone: string): number {
  const zone = zoneOffsets(timeZone)
  const formatter = zone.formatter
  if (formatter === null) {
    return 0
  }
  const index = Math.floor(tsMs / SAMPLE_MS)
  const before = sampleOffset(zone, formatter, index)
  const after = sampleOffset(zone, formatter, index + 1)
  if (before === after) {
    return before
  }
  return tsMs < changeAfterSample(zone, formatter, index, before) ? before : after
}

/**
 * The first instant whose local wall-clock time is `wallMs` (a local time written as if it
 * were UTC) or, when that time does not exist (it falls in a forward change), the instant
 * of the change: the first instant after it.
 */
function instantOfWallTime(wallMs: number, timeZone: string): number {
  const offsetBefore = timeZoneOffsetMs(wallMs - DAY_MS, timeZone)
  const offsetAfter = timeZoneOffsetMs(wallMs + DAY_MS, timeZone)
  const early = wallMs - Math.max(offsetBefore, offsetAfter)
  const late = wallMs - Math.min(offsetBefore, offsetAfter)
  if (early + timeZoneOffsetMs(early, timeZone) === wallMs) {
    return early
  }
  if (late + timeZoneOffsetMs(late, timeZone) === wallMs) {
    return late
  }
  // A gap: the wall time is skipped, and the change happens at this instant.
  return wallMs - offsetBefore
}

/** Day number (days since 1970-01-01) to its Monday-based weekday: 0 = Monday … 6 = Sunday. */
function mondayBasedWeekday(dayNumber: number): number {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return (((dayNumber + 3) % 7) + 7) % 7
}

/**
 * Start (ms since epoch) of the `interval` bucket holding `tsMs` in `timeZone`: the local
 * hour, the local midnight, or Monday 00:00 local. Where local midnight does not exist (a
 * zone that changes at midnight), the day starts when the clocks jump.
 */
export function bucketStartOf(tsMs: number, interval: Interval, timeZone: string): number {
  const wallMs = tsMs + timeZoneOffsetMs(tsMs, timeZone)
  switch (interval) {
    case 'hour':
      return tsMs - (((wallMs % HOUR_MS) + HOUR_MS) % HOUR_MS)
    case 'day':
      return instantOfWallTime(Math.floor(wallMs / DAY_MS) * DAY_MS, timeZone)
    case 'week': {
      const dayNumber = Math.floor(wallMs / DAY_MS)
      return instantOfWallTime((dayNumber - mondayBasedWeekday(dayNumber)) * DAY_MS, timeZone)
    }
    default:
      throw new RangeError(`Unknown interval "${interval satisfies never}" (spec.interval): use 'hour', 'day' or 'week'.`)
  }
}

/** Nominal length of a bucket. */
function nominalMs(interval: Interval): number {
  return interval === 'hour' ? HOUR_MS : interval === 'day' ? DAY_MS : WEEK_MS
}

/** Buckets covering a time span: their starts in order, and the end of the last one. */
export interface BucketList {
  /** Start of each bucket, ascending. */
  startsMs: Float64Array
  /** End of the last bucket (the start of the one after it); equals `startsMs[0]` when there are none. */
  endMs: number
}

/**
 * Every bucket that overlaps `[fromMs, toMs)`, in order, empty or not: the first one may start
 * before `fromMs`. Throws a `RangeError` naming the spec fields to change when there would be
 * more than `maxBuckets`.
 */
export function listBuckets(fromMs: number, toMs: number, interval: Interval, timeZone: string, maxBuckets = Infinity): BucketList {
  if (!(fromMs < toMs)) {
    return { startsMs: new Float64Array(0), endMs: fromMs }
  }
  // The nominal length gives an early, cheap refusal of spans far too long.
  if ((toMs - fromMs) / nominalMs(interval) > maxBuckets + 2) {
    throw tooManyBuckets(interval, maxBuckets)
  }
  // Half a bucket past the start of one always lands inside the next: lengths vary by an hour at most.
  const stepMs = nominalMs(interval) * 1.5
  const starts: number[] = []
  let start = bucketStartOf(fromMs, interval, timeZone)
  while (start < toMs) {
    if (starts.length >= maxBuckets) {
      throw tooManyBuckets(interval, maxBuckets)
    }
    starts.push(start)
    let next = bucketStartOf(start + stepMs, interval, timeZone)
    if (next <= start) {
      next = start + nominalMs(interval)
    }
    start = next
  }
  return { startsMs: Float64Array.from(starts), endMs: start }
}

function tooManyBuckets(interval: Interval, maxBuckets: number): RangeError {
  return new RangeError(
    `The series would have more than ${maxBuckets} '${interval}' buckets: shorten spec.range or use a coarser spec.interval.`,
  )
}

/**
 * The bucket index of each listed row, written by row: `out[rows[i]]` becomes the bucket of
 * `tsMs[rows[i]]` or, given `groupOfRow`, the cell `groupOfRow[row] × bucketCount + bucket`
 * (other entries are left alone). Every listed row has to lie inside the buckets
 * (`startsMs[0] ≤ t < endMs`). One table lookup per row (bucket by UTC hour) plus a compare
 * or two: boundaries can fall mid-hour in zones such as Asia/Kolkata (+05:30).
 */
export function assignBuckets(
  tsMs: Float64Array,
  rows: Int32Array,
  buckets: BucketList,
  out: Uint32Array = new Uint32Array(tsMs.length),
  groupOfRow?: Uint32Array,
): Uint32Array {
  const { startsMs, endMs } = buckets
  const bucketCount = startsMs.length
  if (bucketCount === 0) {
    return out
  }
  const bounds = new Float64Array(bucketCount + 1)
  bounds.set(startsMs)
  bounds[bucketCount] = endMs
  const originMs = Math.floor((startsMs[0] as number) / HOUR_MS) * HOUR_MS
  const slotCount = Math.ceil((endMs - originMs) / HOUR_MS)
  const bucketOfSlot = new Int32Array(slotCount)
  let bucket = 0
  for (let slot = 0; slot < slotCount; slot += 1) {
    const slotStartMs = originMs + slot * HOUR_MS
    while (bucket + 1 < bucketCount && (bounds[bucket + 1] as number) <= slotStartMs) {
      bucket += 1
    }
    bucketOfSlot[slot] = bucket
  }
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const ts = tsMs[row] as number
    // Non-negative and below 2^31, so truncation is the floor.
    let b = bucketOfSlot[((ts - originMs) / HOUR_MS) | 0] as number
    while (ts >= (bounds[b + 1] as number)) {
      b += 1
    }
    out[row] = b
  }
  if (groupOfRow !== undefined) {
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i] as number
      out[row] = (groupOfRow[row] as number) * bucketCount + (out[row] as number)
    }
  }
  return out
}
