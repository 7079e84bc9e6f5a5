/**
 * The session kernel: every event of one session in time order (page views, AI calls,
 * interactions, errors, exceptions, flag exposures, the host's conversion events) as compact
 * rows, with the session's totals and its idle gaps. One pass over the session column finds
 * the session's rows; everything else runs over those rows only.
 *
 * Content stays in the store: each row names its event by `traceId` + `nodeId` (generation
 * id, else span id, else event uuid, as trace trees do), so the events on screen can be
 * loaded on request. A page view's URL is readable: it is the columns' `pageUrl` dimension
 * (`$current_url`).
 *
 * Which events belong to the session: those whose session column (`$ai_session_id`, else
 * `$session_id`) is `spec.sessionId`, and those whose `$session_id` (the `replaySessionId`
 * column) is. An AI event often carries both ids while page views and conversions carry only
 * `$session_id`, so asking for a `$session_id` gives the whole browser session, AI calls
 * included.
 */

import type { Dictionary } from '../store'
import type { TraceQueryInput } from './traceQuery'

/**
 * Every event of one session, in time order.
 * @example { kind: 'session', sessionId: 'sess_1', gapMs: 15 * 60_000 }
 */
export interface SessionSpec {
  kind: 'session'
  sessionId: string
  /** Idle time above which the pause between two events is marked as a gap, ms. @default 1_800_000 (30 min) */
  gapMs?: number
}

/** One event of a session. */
export interface SessionEventRow {
  tsMs: number
  /** `$pageview`, `$ai_generation`, `$ai_interaction`, `$exception`, a host event… */
  eventName: string
  traceId: string | null
  /** Generation id, else span id, else event uuid: with `traceId`, what loads the event's content. */
  nodeId: string | null
  model: string | null
  /** `null` where unknown or not a priced call. */
  costUsd: number | null
  latencyS: number | null
  /** `$ai_is_error`. */
  isError: boolean
  /** How a failure was classified; `null` on events that did not fail. */
  errorKind: string | null
  /** `$ai_interaction` (accepted, rejected, …) on interaction events. */
  interaction: string | null
  /** `$current_url` of a page view. */
  pageUrl: string | null
  /** Time since the previous event of the session; `null` on the first. */
  gapBeforeMs: number | null
}

/** A pause longer than `gapMs`, before `events[beforeIndex]`. */
export interface SessionGap {
  beforeIndex: number
  fromMs: number
  toMs: number
  durationMs: number
}

/** Totals of a session. */
export interface SessionTotals {
  /** First event's time; `null` when the session has no events. */
  startMs: number | null
  /** Last event's time; `null` when the session has no events. */
  endMs: number | null
  /** From the first event to the last (0 when empty). */
  durationMs: number
  /** `durationMs` without the marked gaps. */
  activeDurationMs: number
  eventCount: number
  /** Events per event name. */
  eventCounts: Record<string, number>
  /** Distinct trace ids. */
  traces: number
  /** Sum of the known costs; `null` when nothing was priced. */
  costUsd: number | null
  /** Generations and embeddings whose cost is unknown. */
  unpricedCount: number
  /** Failed calls (`$ai_is_error`). */
  errors: number
  /** `$exception` events. */
  exceptions: number
  /** Distinct non-anonymous users, in order of first appearance. */
  users: string[]
}

/** The answer to a {@link SessionSpec}. */
export interface SessionResult {
  kind: 'session'
  dataVersion: number
  sessionId: string
  /** `false` when no stored event belongs to the session (then `events` is empty). */
  found: boolean
  /** The gap threshold used. */
  gapMs: number
  events: SessionEventRow[]
  gaps: SessionGap[]
  totals: SessionTotals
}

/** What the session kernel reads: the trace query's input (its columns hold the page URLs and browser sessions). */
export type SessionQueryInput = TraceQueryInput

/** Gap threshold when a spec sets none: 30 minutes. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60_000

const PRICED_EVENTS: ReadonlySet<string> = new Set(['$ai_generation', '$ai_embedding'])

/**
 * Every event of a session in time order (ties in storage order); see {@link SessionSpec}.
 * Events without a valid time are left out. Throws a `RangeError` when `gapMs` is not a
 * number ≥ 0.
 */
export function runSessionQuery(spec: SessionSpec, input: SessionQueryInput): SessionResult {
  const { columns, dictionaries } = input
  const gapMs = spec.gapMs ?? DEFAULT_SESSION_GAP_MS
  if (!(typeof gapMs === 'number' && gapMs >= 0)) {
    throw new RangeError(`spec.gapMs must be a number ≥ 0 (ms), not ${String(gapMs)}.`)
  }

  const rows = rowsOfSession(input, spec.sessionId)
  const { tsMs, isError, isAnonymous } = columns
  rows.sort((a, b) => (tsMs[a] as number) - (tsMs[b] as number) || a - b)

  const { dimensions, numbers } = columns
  const decode = (dictionary: Dictionary, codes: Uint32Array, row: number) => dictionary.decode(codes[row] as number)
  const events: SessionEventRow[] = []
  const gaps: SessionGap[] = []
  const eventCounts = new Map<string, number>()
  const traceCodes = new Set<number>()
  const userNames: string[] = []
  const userCodes = new Set<number>()
  let costUsd = 0
  let pricedCount = 0
  let unpricedCount = 0
  let errors = 0
  let gapTotalMs = 0
  let previousMs = Number.NaN
  for (const row of rows) {
    const ts = tsMs[row] as number
    const eventName = dictionaries.event.decode(dimensions.event[row] as number) ?? ''
    const cost = input.costUsd[row] as number
    const latency = numbers.latencyS[row] as number
    const gapBeforeMs = events.length === 0 ? null : ts - previousMs
    if (gapBeforeMs !== null && gapBeforeMs > gapMs) {
      gaps.push({ beforeIndex: events.length, fromMs: previousMs, toMs: ts, durationMs: gapBeforeMs })
      gapTotalMs += gapBeforeMs
    }
    events.push({
      tsMs: ts,
      eventName,
      traceId: decode(dictionaries.traceId, dimensions.traceId, row),
      nodeId: decode(dictionaries.spanId, dimensions.spanId, row),
      model: decode(dictionaries.model, dimensions.model, row),
      costUsd: Number.isNaN(cost) ? null : cost,
      latencyS: Number.isNaN(latency) ? null : latency,
      isError: isError[row] === 1,
      errorKind: isError[row] === 1 ? decode(dictionaries.errorKind, dimensions.errorKind, row) : null,
      interaction: decode(dictionaries.interaction, dimensions.interaction, row),
      pageUrl: decode(dictionaries.pageUrl, dimensions.pageUrl, row),
      gapBeforeMs,
    })
    previousMs = ts
    eventCounts.set(eventName, (eventCounts.get(eventName) ?? 0) + 1)
    const traceCode = dimensions.traceId[row] as number
    if (traceCode !== 0) {
      traceCodes.add(traceCode)
    }
    const userCode = dimensions.user[row] as number
    if (userCode !== 0 && isAnonymous[row] === 0 && !userCodes.has(userCode)) {
      userCodes.add(userCode)
      userNames.push(dictionaries.user.values[userCode] as string)
    }
    if (!Number.isNaN(cost)) {
      costUsd += cost
      pricedCount += 1
    } else if (PRICED_EVENTS.has(eventName)) {
      unpricedCount += 1
    }
    errors += isError[row] as number
  }

  const first = events[0]
  const last = events[events.length - 1]
  const durationMs = first === undefined || last === undefined ? 0 : last.tsMs - first.tsMs
  return {
    kind: 'session',
    dataVersion: input.dataVersion,
    sessionId: spec.sessionId,
    found: events.length > 0,
    gapMs,
    events,
    gaps,
    totals: {
      startMs: first?.tsMs ?? null,
      endMs: last?.tsMs ?? null,
      durationMs,
      activeDurationMs: durationMs - gapTotalMs,
      eventCount: events.length,
      eventCounts: Object.fromEntries(eventCounts),
      traces: traceCodes.size,
      costUsd: pricedCount > 0 ? costUsd : null,
      unpricedCount,
      errors,
      exceptions: eventCounts.get('$exception') ?? 0,
      users: userNames,
    },
  }
}

/** Rows (ascending) whose session column, or `$session_id` column, is `sessionId`; events without a valid time are left out. */
function rowsOfSession(input: SessionQueryInput, sessionId: string): number[] {
  const { columns, dictionaries } = input
  const sessionCodes = columns.dimensions.sessionId
  const replayCodes = columns.dimensions.replaySessionId
  const tsMs = columns.tsMs
  // -1 when unknown: no row has that code. An event's session and `$session_id` codes differ
  // (two dictionaries), so each column is compared with its own.
  const code = dictionaries.sessionId.find(sessionId)
  const replayCode = dictionaries.replaySessionId.find(sessionId)
  const rows: number[] = []
  if (sessionId === '' || (code <= 0 && replayCode <= 0)) {
    return rows
  }
  for (let row = 0; row < columns.length; row += 1) {
    if ((sessionCodes[row] === code || replayCodes[row] === replayCode) && !Number.isNaN(tsMs[row] as number)) {
      rows.push(row)
    }
  }
  return rows
}
