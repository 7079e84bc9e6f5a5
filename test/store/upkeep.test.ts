import { describe, expect, it } from 'vitest'
import { planCompaction, planRetention, SMALL_SEGMENT_EVENTS, COMPACTED_SEGMENT_EVENTS } from '../../src/store'
import type { SegmentSummary } from '../../src/store'

const DAY_MS = 86_400_000
const NOW_MS = Date.parse('2026-11-27T00:00:00.000Z')

function segment(id: number, eventCount: number, overrides: Partial<SegmentSummary> = {}): SegmentSummary {
  return {
    id,
    eventCount,
    firstTsMs: NOW_MS - (100 - id) * DAY_MS,
    lastTsMs: NOW_MS - (100 - id) * DAY_MS + 1_000,
    storedBytes: eventCount * 1_000,
    columnsVersion: 1,
    organisationGroup: 'company',
    propertyNames: [],
    ...overrides,
  }
}

describe('compaction plan', () => {
  it('merges runs of consecutive small segments, never across a large one, up to the size limit', () => {
    const small = 1_000
    const summaries = [
      segment(1, small),
      segment(2, small),
      segment(3, SMALL_SEGMENT_EVENTS), // large: breaks the run
      segment(4, small),
      segment(5, 10),
      segment(6, small),
      segment(9, small), // ids need not be dense: 7 and 8 are gone
    ]
    expect(planCompaction(summaries)).toEqual([
      [1, 2],
      [4, 5, 6, 9],
    ])
  })

  it('starts a new run when the merged segment would pass the limit, and leaves a lone small segment alone', () => {
    const size = SMALL_SEGMENT_EVENTS - 1
    const perRun = Math.floor(COMPACTED_SEGMENT_EVENTS / size)
    const summaries = Array.from({ length: perRun + 1 }, (_, index) => segment(index + 1, size))
    expect(planCompaction(summaries)).toEqual([Array.from({ length: perRun }, (_, index) => index + 1)])
  })

  it('does not merge segments whose columns were written differently', () => {
    expect(planCompaction([segment(1, 10), segment(2, 10, { propertyNames: ['plan'] }), segment(3, 10, { propertyNames: ['plan'] })])).toEqual([
      [2, 3],
    ])
  })
})

describe('retention plan', () => {
  it('drops nothing when no limit is passed', () => {
    expect(planRetention([segment(1, 10), segment(2, 10)], { policy: { maxEvents: 20, maxAgeDays: 365 }, nowMs: NOW_MS })).toBeNull()
  })

  it('drops segments whose newest event is past the age limit', () => {
    const summaries = [segment(1, 10), segment(50, 10), segment(90, 10)]
    expect(planRetention(summaries, { policy: { maxAgeDays: 30 }, nowMs: NOW_MS })).toEqual({
      reason: 'age',
      segmentIds: [1, 50],
      droppedEventCount: 20,
    })
  })

  it('drops the oldest data first until under the event and byte limits', () => {
    // Written out of time order: segment 3 holds the oldest events.
    const summaries = [segment(7, 10), segment(8, 10), segment(3, 10)]
    expect(planRetention(summaries, { policy: { maxEvents: 15 }, nowMs: NOW_MS })).toEqual({
      reason: 'events',
      segmentIds: [3, 7],
      droppedEventCount: 20,
    })
    expect(planRetention(summaries, { policy: { maxBytes: 25_000 }, nowMs: NOW_MS })).toMatchObject({ reason: 'bytes', segmentIds: [3] })
  })

  it('after a quota error frees what the write needs, and at least a tenth of the store', () => {
    const summaries = Array.from({ length: 20 }, (_, index) => segment(index + 1, 10)) // 200,000 bytes
    expect(planRetention(summaries, { policy: {}, nowMs: NOW_MS, quotaBytesNeeded: 100 })).toMatchObject({
      reason: 'quota',
      segmentIds: [1, 2],
    })
    expect(planRetention(summaries, { policy: {}, nowMs: NOW_MS, quotaBytesNeeded: 45_000 })).toMatchObject({
      segmentIds: [1, 2, 3, 4, 5],
      droppedEventCount: 50,
    })
  })
})
