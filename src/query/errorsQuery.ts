/**
 * The errors kernel: failed AI calls grouped as PostHog's Errors tab groups them, by the
 * normalised error message (`$ai_error_normalized`), here split further by error kind and
 * HTTP status, with the spread of each group (traces, sessions, users, models, days) and
 * its trend.
 *
 * One selection pass (range, filters, `$ai_is_error`), then passes over the failed events
 * only: groups are numbered through a `Map` of composite keys (failures are a small share of
 * the events), distinct counts go through {@link DistinctPairCounter}, and the trend of the
 * kept groups through the time-bucket helpers.
 *
 * Definitions:
 * - Failed events: events of any name with `$ai_is_error` true, in `spec.range`, passing
 *   every filter.
 * - `users`: distinct non-anonymous users (anonymous events, whose `distinct_id` is their
 *   trace id, have no user); `traces`, `sessions`: distinct non-empty ids.
 * - `daysSeen`: distinct calendar days, in `spec.timeZone`, with at least one failure.
 * - Groups come sorted by count (descending), then last seen (latest first), then message,
 *   kind and status (absent first, then code-unit order).
 */

import type { ErrorKind } from '../schema/errorKind'
import { DistinctPairCounter, compareKeyValues, scratchUint32, selectRows, seriesExtentMs } from './aggregate.utils'
import type { Filter, Interval, TimeRange } from './spec'
import { assignBuckets, listBuckets, timeZoneOffsetMs } from './timeBuckets'
import type { TraceQueryInput } from './traceQuery'

/**
 * Failed calls grouped by normalised message, error kind and HTTP status.
 * @example { kind: 'errors', range: { fromMs, toMs }, interval: 'day', timeZone: 'Europe/Berlin' }
 */
export interface ErrorsSpec {
  kind: 'errors'
  range?: TimeRange
  filters?: readonly Filter[]
  /** Buckets of each group's trend. @default 'day' */
  interval?: Interval
  /** IANA time zone of the trend's buckets and of `daysSeen`. @default 'UTC' */
  timeZone?: string
  /** Most groups returned (the largest by count); a whole number ≥ 0. @default 100 */
  limit?: number
}

/** One error group. */
export interface ErrorGroup {
  /** The normalised message (`$ai_error_normalized`); `null` when the event has none. */
  message: string | null
  /** How the failure was classified (see `classifyError`); `null` when unknown. */
  errorKind: ErrorKind | null
  /** `$ai_http_status`; `null` when absent. */
  httpStatus: number | null
  /** Failed events. */
  count: number
  /** Failed `$ai_generation` events. */
  generations: number
  /** Failed `$ai_embedding` events. */
  embeddings: number
  /** Failed `$ai_span` events. */
  spans: number
  traces: number
  sessions: number
  /** Distinct non-anonymous users. */
  users: number
  /** Distinct models, in code-unit order. */
  models: string[]
  firstSeenMs: number
  lastSeenMs: number
  daysSeen: number
  /** Failed events per bucket of the result's `bucketStartsMs`. */
  countByBucket: number[]
}

/** The answer to an {@link ErrorsSpec}. */
export interface ErrorsResult {
  kind: 'errors'
  dataVersion: number
  interval: Interval
  timeZone: string
  /**
   * Bucket starts of the trends, every bucket of `spec.range` (or, when the range is open,
   * of the failed events' extent), empty ones included.
   */
  bucketStartsMs: number[]
  /** All failed events per bucket: the trend of every error. */
  countByBucket: number[]
  /** Failed events. */
  totalCount: number
  /** Groups before `limit` is applied. */
  groupCount: number
  groups: ErrorGroup[]
}

/** What the errors kernel reads: the trace query's input (its columns hold each failure's normalised message). */
export type ErrorsQueryInput = TraceQueryInput

/** Groups returned when a spec sets no limit. */
export const DEFAULT_ERRORS_LIMIT = 100

/** Most buckets a trend may have; more throws a `RangeError`. */
export const MAX_ERROR_BUCKETS = 5000

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** Composite group keys: (message × kinds + kind) × this + status. */
const STATUS_SPACE = 65_536
const INTERVALS: ReadonlySet<string> = new Set<Interval>(['hour', 'day', 'week'])

/** Per-group accumulators, indexed by group number. */
interface ErrorAccumulators {
  messageCode: number[]
  kindCode: number[]
  status: number[]
  count: number[]
  generations: number[]
  embeddings: number[]
  spans: number[]
  firstSeenMs: number[]
  lastSeenMs: number[]
  modelCodes: number[][]
}

/**
 * Error groups with their spread and trend; see {@link ErrorsSpec}. Throws a `RangeError`
 * for an invalid spec (unknown interval, time zone or filter, a `limit` that is not a whole
 * number ≥ 0, a trend of more than {@link MAX_ERROR_BUCKETS} buckets).
 */
export function runErrorsQuery(spec: ErrorsSpec, input: ErrorsQueryInput): ErrorsResult {
  const { columns, dictionaries } = input
  const interval = spec.interval ?? 'day'
  if (!INTERVALS.has(interval)) {
    throw new RangeError(`Unknown spec.interval "${interval}": use 'hour', 'day' or 'week'.`)
  }
  const timeZone = spec.timeZone ?? 'UTC'
  // Throws the RangeError for an unknown zone up front, even when nothing failed.
  timeZoneOffsetMs(0, timeZone)
  const limit = spec.limit ?? DEFAULT_ERRORS_LIMIT
  if (!(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`spec.limit must be a whole number ≥ 0, not ${limit}.`)
  }

  const failed: Filter = { field: 'isError', op: 'equals', value: true }
  // Failures of any event name. A copy: the selection lives in a scratch buffer that the next selection reuses.
  const rows = selectRows(
    input,
    dictionaries.event.values.slice(1),
    spec.range?.fromMs ?? -Infinity,
    spec.range?.toMs ?? Infinity,
    [failed, ...(spec.filters ?? [])],
  ).slice()

  const eventCodes = columns.dimensions.event
  const generationCode = dictionaries.event.find('$ai_generation')
  const embeddingCode = dictionaries.event.find('$ai_embedding')
  const spanCode = dictionaries.event.find('$ai_span')
  const messageCodes = columns.dimensions.errorMessage
  const kindCodes = columns.dimensions.errorKind
  const kindCount = Math.max(1, dictionaries.errorKind.size)
  const { httpStatus, tsMs, isAnonymous } = columns
  const traceCodes = columns.dimensions.traceId
  const sessionCodes = columns.dimensions.sessionId
  const userCodes = columns.dimensions.user
  const modelCodes = columns.dimensions.model

  const groupOfKey = new Map<number, number>()
  const groupOfRow = new Int32Array(rows.length)
  const groups: ErrorAccumulators = {
    messageCode: [],
    kindCode: [],
    status: [],
    count: [],
    generations: [],
    embeddings: [],
    spans: [],
    firstSeenMs: [],
    lastSeenMs: [],
    modelCodes: [],
  }
  const traces = new DistinctPairCounter(16, dictionaries.traceId.size, 'errors.traces')
  const sessions = new DistinctPairCounter(16, dictionaries.sessionId.size, 'errors.sessions')
  const users = new DistinctPairCounter(16, dictionaries.user.size, 'errors.users')
  const models = new DistinctPairCounter(16, dictionaries.model.size, 'errors.models')
  const days = localDayNumbers(tsMs, rows, timeZone)
  const dayCodes = new DistinctPairCounter(16, days.codeCount)

  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const messageCode = messageCodes[row] as number
    const kindCode = kindCodes[row] as number
    const status = httpStatus[row] as number
    const key = (messageCode * kindCount + kindCode) * STATUS_SPACE + status
    let group = groupOfKey.get(key)
    if (group === undefined) {
      group = groups.count.length
      groupOfKey.set(key, group)
      groups.messageCode.push(messageCode)
      groups.kindCode.push(kindCode)
      groups.status.push(status)
      groups.count.push(0)
      groups.generations.push(0)
      groups.embeddings.push(0)
      groups.spans.push(0)
      groups.firstSeenMs.push(Infinity)
      groups.lastSeenMs.push(-Infinity)
      groups.modelCodes.push([])
    }
    groupOfRow[i] = group
    groups.count[group] = (groups.count[group] as number) + 1
    const eventCode = eventCodes[row] as number
    if (eventCode === generationCode) {
      groups.generations[group] = (groups.generations[group] as number) + 1
    } else if (eventCode === embeddingCode) {
      groups.embeddings[group] = (groups.embeddings[group] as number) + 1
    } else if (eventCode === spanCode) {
      groups.spans[group] = (groups.spans[group] as number) + 1
    }
    const ts = tsMs[row] as number
    if (ts < (groups.firstSeenMs[group] as number)) {
      groups.firstSeenMs[group] = ts
    }
    if (ts > (groups.lastSeenMs[group] as number)) {
      groups.lastSeenMs[group] = ts
    }
    traces.add(group, traceCodes[row] as number)
    sessions.add(group, sessionCodes[row] as number)
    if (isAnonymous[row] === 0) {
      users.add(group, userCodes[row] as number)
    }
    const model = modelCodes[row] as number
    if (models.add(group, model)) {
      const groupModels = groups.modelCodes[group] as number[]
      groupModels.push(model)
    }
    dayCodes.add(group, days.codes[i] as number)
  }

  const groupCount = groups.count.length
  const messageOf = (group: number) => dictionaries.errorMessage.decode(groups.messageCode[group] as number)
  const kindOf = (group: number) => dictionaries.errorKind.decode(groups.kindCode[group] as number)
  const order = Array.from({ length: groupCount }, (_, group) => group).sort((a, b) => {
    const byCount = (groups.count[b] as number) - (groups.count[a] as number)
    if (byCount !== 0) {
      return byCount
    }
    const byLastSeen = (groups.lastSeenMs[b] as number) - (groups.lastSeenMs[a] as number)
    if (byLastSeen !== 0) {
      return byLastSeen
    }
    return (
      compareKeyValues(messageOf(a), messageOf(b)) ||
      compareKeyValues(kindOf(a), kindOf(b)) ||
      (groups.status[a] as number) - (groups.status[b] as number)
    )
  })
  const kept = order.slice(0, limit)

  // The trend: every failed event into the total, the kept groups' into their own series.
  const bucketList = trendBuckets(spec.range, interval, timeZone, tsMs, rows)
  const bucketCount = bucketList.startsMs.length
  const bucketOfRow = assignBuckets(tsMs, rows, bucketList, scratchUint32('errors.buckets', columns.length))
  const positionOf = new Int32Array(groupCount).fill(-1)
  kept.forEach((group, position) => {
    positionOf[group] = position
  })
  const keptCounts = new Int32Array(kept.length * bucketCount)
  const totalCounts = new Int32Array(bucketCount)
  for (let i = 0; i < rows.length; i += 1) {
    const bucket = bucketOfRow[rows[i] as number] as number
    totalCounts[bucket] = (totalCounts[bucket] as number) + 1
    const position = positionOf[groupOfRow[i] as number] as number
    if (position >= 0) {
      const cell = position * bucketCount + bucket
      keptCounts[cell] = (keptCounts[cell] as number) + 1
    }
  }

  const modelNames = (group: number) =>
    (groups.modelCodes[group] as number[]).map((code) => dictionaries.model.values[code] as string).sort(compareKeyValues)
  return {
    kind: 'errors',
    dataVersion: input.dataVersion,
    interval,
    timeZone,
    bucketStartsMs: Array.from(bucketList.startsMs),
    countByBucket: Array.from(totalCounts),
    totalCount: rows.length,
    groupCount,
    groups: kept.map((group, position) => {
      const status = groups.status[group] as number
      return {
        message: messageOf(group),
        errorKind: kindOf(group) as ErrorKind | null,
        httpStatus: status === 0 ? null : status,
        count: groups.count[group] as number,
        generations: groups.generations[group] as number,
        embeddings: groups.embeddings[group] as number,
        spans: groups.spans[group] as number,
        traces: countOf(traces, group),
        sessions: countOf(sessions, group),
        users: countOf(users, group),
        models: modelNames(group),
        firstSeenMs: groups.firstSeenMs[group] as number,
        lastSeenMs: groups.lastSeenMs[group] as number,
        daysSeen: countOf(dayCodes, group),
        countByBucket: Array.from(keptCounts.subarray(position * bucketCount, (position + 1) * bucketCount)),
      }
    }),
  }
}

function countOf(counter: DistinctPairCounter, group: number): number {
  return group < counter.counts.length ? (counter.counts[group] as number) : 0
}

/** Buckets of the trend: over the range, or the failed events' extent where the range is open. */
function trendBuckets(range: TimeRange | undefined, interval: Interval, timeZone: string, tsMs: Float64Array, rows: Int32Array) {
  const { fromMs, toMs } = seriesExtentMs(range, tsMs, rows)
  return listBuckets(fromMs, toMs, interval, timeZone, MAX_ERROR_BUCKETS)
}

/**
 * The local calendar day of each listed row, as codes ≥ 1 (day number − earliest + 1) below
 * `codeCount`. The zone's offset is read once per UTC hour: an offset never changes twice
 * within an hour, so equal offsets at both ends of an hour hold all through it.
 */
function localDayNumbers(tsMs: Float64Array, rows: Int32Array, timeZone: string): { codes: Int32Array; codeCount: number } {
  const dayNumbers = new Float64Array(rows.length)
  let memoHour = Number.NaN
  let memoOffsetMs = Number.NaN
  let earliest = Infinity
  let latest = -Infinity
  for (let i = 0; i < rows.length; i += 1) {
    const ts = tsMs[rows[i] as number] as number
    const hour = Math.floor(ts / HOUR_MS)
    let offsetMs: number
    if (hour === memoHour) {
      offsetMs = memoOffsetMs
    } else {
      const startOffsetMs = timeZoneOffsetMs(hour * HOUR_MS, timeZone)
      if (startOffsetMs === timeZoneOffsetMs(hour * HOUR_MS + HOUR_MS - 1, timeZone)) {
        memoHour = hour
        memoOffsetMs = startOffsetMs
        offsetMs = startOffsetMs
      } else {
        memoHour = Number.NaN
        offsetMs = timeZoneOffsetMs(ts, timeZone)
      }
    }
    const day = Math.floor((ts + offsetMs) / DAY_MS)
    dayNumbers[i] = day
    earliest = day < earliest ? day : earliest
    latest = day > latest ? day : latest
  }
  const codes = new Int32Array(rows.length)
  for (let i = 0; i < rows.length; i += 1) {
    codes[i] = (dayNumbers[i] as number) - earliest + 1
  }
  return { codes, codeCount: rows.length === 0 ? 1 : latest - earliest + 2 }
}
