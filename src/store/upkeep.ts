import type { SegmentSummary } from './segments'

/**
 * Plans for the store's upkeep, as pure functions over segment summaries: which segments
 * to merge (compaction) and which to drop (retention). The store carries them out in
 * transactions; keeping the decisions here makes them testable without IndexedDB.
 */

/** Segments under this many events are small: live capture writes them every 250 ms. */
export const SMALL_SEGMENT_EVENTS = 4_096

/** Compaction merges small segments into segments of at most this many events. */
export const COMPACTED_SEGMENT_EVENTS = 16_384

/**
 * Runs of consecutive small segments to merge, oldest first. Only segments next to each
 * other in write order are merged, so the merged segment can take the first one's place
 * and every event keeps its position.
 */
export function planCompaction(summaries: readonly SegmentSummary[]): number[][] {
  const sorted = [...summaries].sort((a, b) => a.id - b.id)
  const merges: number[][] = []
  let run: SegmentSummary[] = []
  let runEvents = 0
  const closeRun = () => {
    if (run.length >= 2) {
      merges.push(run.map((summary) => summary.id))
    }
    run = []
    runEvents = 0
  }
  for (const summary of sorted) {
    const fits =
      summary.eventCount < SMALL_SEGMENT_EVENTS &&
      runEvents + summary.eventCount <= COMPACTED_SEGMENT_EVENTS &&
      (run.length === 0 || sameColumnLayout(run[0] as SegmentSummary, summary))
    if (!fits) {
      closeRun()
      if (summary.eventCount >= SMALL_SEGMENT_EVENTS) {
        continue
      }
    }
    run.push(summary)
    runEvents += summary.eventCount
  }
  closeRun()
  return merges
}

function sameColumnLayout(a: SegmentSummary, b: SegmentSummary): boolean {
  return (
    a.columnsVersion === b.columnsVersion &&
    a.organisationGroup === b.organisationGroup &&
    a.propertyNames.join('\u0000') === b.propertyNames.join('\u0000')
  )
}

/** How long and how much the store keeps. Unset limits do not apply. */
export interface RetentionPolicy {
  /** Events older than this many days (by event time) are deleted. */
  maxAgeDays?: number
  /** At most this many events are kept: the oldest go first. */
  maxEvents?: number
  /** At most about this many bytes are kept (content plus columns): the oldest go first. */
  maxBytes?: number
}

/** Why retention ran. `quota`: the browser refused a write for lack of space. */
export type RetentionReason = 'age' | 'events' | 'bytes' | 'quota'

/** What one retention pass removed. */
export interface RetentionReport {
  reason: RetentionReason
  droppedEventCount: number
  droppedSegmentCount: number
  /** When it ran, ms since epoch. */
  atMs: number
}

/** What a retention pass must achieve. */
export interface RetentionNeed {
  policy: RetentionPolicy
  nowMs: number
  /** After a quota error: bytes that must be freed (at least a tenth of the store goes). */
  quotaBytesNeeded?: number
}

/** A retention plan: the segments to drop, and the first reason that applied. */
export interface RetentionPlan {
  reason: RetentionReason
  segmentIds: number[]
  droppedEventCount: number
}

const DAY_MS = 86_400_000

/**
 * Which segments to drop, oldest data first (by latest event time). Whole segments go:
 * a segment is dropped for age once its newest event is past the limit, so events up to
 * one segment's time span older than `maxAgeDays` can remain until then.
 */
export function planRetention(summaries: readonly SegmentSummary[], need: RetentionNeed): RetentionPlan | null {
  const oldestFirst = [...summaries].sort((a, b) => a.lastTsMs - b.lastTsMs || a.id - b.id)
  let eventCount = summaries.reduce((sum, summary) => sum + summary.eventCount, 0)
  let storedBytes = summaries.reduce((sum, summary) => sum + summary.storedBytes, 0)
  const { policy } = need
  const cutoffMs = policy.maxAgeDays === undefined ? Number.NEGATIVE_INFINITY : need.nowMs - policy.maxAgeDays * DAY_MS
  const quotaTargetBytes =
    need.quotaBytesNeeded === undefined ? undefined : storedBytes - Math.max(need.quotaBytesNeeded, storedBytes / 10)

  const segmentIds: number[] = []
  let droppedEventCount = 0
  let reason: RetentionReason | undefined
  for (const summary of oldestFirst) {
    const why: RetentionReason | undefined =
      quotaTargetBytes !== undefined && storedBytes > quotaTargetBytes
        ? 'quota'
        : summary.lastTsMs < cutoffMs
          ? 'age'
          : policy.maxEvents !== undefined && eventCount > policy.maxEvents
            ? 'events'
            : policy.maxBytes !== undefined && storedBytes > policy.maxBytes
              ? 'bytes'
              : undefined
    if (why === undefined) {
      break
    }
    reason ??= why
    segmentIds.push(summary.id)
    droppedEventCount += summary.eventCount
    eventCount -= summary.eventCount
    storedBytes -= summary.storedBytes
  }
  return reason === undefined ? null : { reason, segmentIds, droppedEventCount }
}

/** Whether the store's counters show a limit passed, so a retention pass is due. */
export function retentionDue(
  policy: RetentionPolicy,
  status: { eventCount: number; storedBytes: number; firstTsMs: number | null },
  nowMs: number,
): boolean {
  return (
    (policy.maxEvents !== undefined && status.eventCount > policy.maxEvents) ||
    (policy.maxBytes !== undefined && status.storedBytes > policy.maxBytes) ||
    (policy.maxAgeDays !== undefined && status.firstTsMs !== null && status.firstTsMs < nowMs - policy.maxAgeDays * DAY_MS)
  )
}
