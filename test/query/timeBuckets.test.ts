import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { assignBuckets, bucketStartOf, listBuckets, timeZoneOffsetMs } from '../../src/query/timeBuckets'
import { localParts } from './support'

const HOUR_MS = 3_600_000
const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()
const lengthsInHours = (starts: Float64Array, endMs: number) =>
  Array.from(starts, (start, index) => ((index + 1 < starts.length ? (starts[index + 1] as number) : endMs) - start) / HOUR_MS)

describe('offsets', () => {
  it('follows the DST changes of 2026 in Berlin and New York', () => {
    expect(timeZoneOffsetMs(at('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(2 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-10-25T00:59:59Z'), 'Europe/Berlin')).toBe(2 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toBe(HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-03-08T06:59:59Z'), 'America/New_York')).toBe(-5 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-03-08T07:00:00Z'), 'America/New_York')).toBe(-4 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-11-01T05:59:59Z'), 'America/New_York')).toBe(-4 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-11-01T06:00:00Z'), 'America/New_York')).toBe(-5 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR_MS)
    expect(timeZoneOffsetMs(at('2026-07-01T00:00:00Z'), 'UTC')).toBe(0)
  })

  it('refuses an unknown zone with a RangeError naming spec.timeZone', () => {
    expect(() => timeZoneOffsetMs(0, 'Mars/Olympus_Mons')).toThrow(/spec\.timeZone/)
    expect(() => timeZoneOffsetMs(0, 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
})

describe('day buckets', () => {
  it('UTC days are 24 hours, empty ones included', () => {
    const { startsMs, endMs } = listBuckets(at('2026-03-01T10:00:00Z'), at('2026-03-04T00:00:00Z'), 'day', 'UTC')
    expect(Array.from(startsMs, iso)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z'])
    expect(iso(endMs)).toBe('2026-03-04T00:00:00.000Z')
  })

  it('Berlin days start at local midnight; 29 March has 23 hours and 25 October 25', () => {
    const spring = listBuckets(at('2026-03-28T12:00:00Z'), at('2026-03-30T12:00:00Z'), 'day', 'Europe/Berlin')
    expect(Array.from(spring.startsMs, iso)).toEqual(['2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'])
    expect(lengthsInHours(spring.startsMs, spring.endMs)).toEqual([24, 23, 24])

    const autumn = listBuckets(at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'), 'day', 'Europe/Berlin')
    expect(Array.from(autumn.startsMs, iso)).toEqual(['2026-10-23T22:00:00.000Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'])
    expect(lengthsInHours(autumn.startsMs, autumn.endMs)).toEqual([24, 25, 24])
  })

  it('New York days: 8 March has 23 hours and 1 November 25', () => {
    const spring = listBuckets(at('2026-03-08T12:00:00Z'), at('2026-03-09T12:00:00Z'), 'day', 'America/New_York')
    expect(Array.from(spring.startsMs, iso)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'])
    expect(lengthsInHours(spring.startsMs, spring.endMs)).toEqual([23, 24])

    const autumn = listBuckets(at('2026-11-01T12:00:00Z'), at('2026-11-02T12:00:00Z'), 'day', 'America/New_York')
    expect(Array.from(autumn.startsMs, iso)).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'])
    expect(lengthsInHours(autumn.startsMs, autumn.endMs)).toEqual([25, 24])
  })

  it('Kolkata days start at 18:30 UTC, mid-hour, and rows find them', () => {
    const buckets = listBuckets(at('2026-05-01T00:00:00Z'), at('2026-05-03T00:00:00Z'), 'day', 'Asia/Kolkata')
    expect(Array.from(buckets.startsMs, iso)).toEqual(['2026-04-30T18:30:00.000Z', '2026-05-01T18:30:00.000Z', '2026-05-02T18:30:00.000Z'])
    const tsMs = Float64Array.of(at('2026-05-01T18:29:59.999Z'), at('2026-05-01T18:30:00Z'), at('2026-05-02T23:59:00Z'), at('2026-05-01T00:00:00Z'))
    expect(Array.from(assignBuckets(tsMs, Int32Array.of(0, 1, 2, 3), buckets))).toEqual([0, 1, 2, 0])
  })

  it('each bucket is the local calendar day of its rows, in every zone tested, all year', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'America/Santiago', 'Pacific/Chatham']
    for (const timeZone of zones) {
      const { startsMs, endMs } = listBuckets(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 'day', timeZone)
      const bounds = [...startsMs, endMs]
      for (let index = 0; index < startsMs.length; index += 1) {
        const start = bounds[index] as number
        const next = bounds[index + 1] as number
        // The first instant of its local date: the instant before belongs to the day before.
        expect(localParts(start - 1, timeZone).date < localParts(start, timeZone).date).toBe(true)
        expect(localParts(next - 1, timeZone).date).toBe(localParts(start, timeZone).date)
        // Local midnight, or the moment the clocks jump where midnight is skipped (Santiago in September).
        expect(['00:00', '01:00']).toContain(localParts(start, timeZone).time)
      }
    }
  })
})

describe('week buckets', () => {
  it('start on Monday 00:00 local; the Berlin week with the spring change has 167 hours', () => {
    const { startsMs, endMs } = listBuckets(at('2026-03-20T00:00:00Z'), at('2026-04-01T00:00:00Z'), 'week', 'Europe/Berlin')
    expect(Array.from(startsMs, iso)).toEqual(['2026-03-15T23:00:00.000Z', '2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'])
    expect(lengthsInHours(startsMs, endMs)).toEqual([168, 167, 168])
    for (const start of startsMs) {
      expect(localParts(start, 'Europe/Berlin')).toMatchObject({ weekday: 'Mon', time: '00:00' })
    }
  })

  it('New York weeks around 1 November: the week of the change has 169 hours', () => {
    const { startsMs, endMs } = listBuckets(at('2026-10-28T00:00:00Z'), at('2026-11-03T00:00:00Z'), 'week', 'America/New_York')
    expect(Array.from(startsMs, iso)).toEqual(['2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z'])
    expect(lengthsInHours(startsMs, endMs)).toEqual([169, 168])
  })
})

describe('hour buckets', () => {
  it('Berlin: 02:00 does not exist on 29 March and 02:00 happens twice on 25 October', () => {
    const spring = listBuckets(at('2026-03-29T00:00:00Z'), at('2026-03-29T02:00:00Z'), 'hour', 'Europe/Berlin')
    expect(Array.from(spring.startsMs, (start) => localParts(start, 'Europe/Berlin').time)).toEqual(['01:00', '03:00'])
    const autumn = listBuckets(at('2026-10-25T00:00:00Z'), at('2026-10-25T02:00:00Z'), 'hour', 'Europe/Berlin')
    expect(Array.from(autumn.startsMs, (start) => localParts(start, 'Europe/Berlin').time)).toEqual(['02:00', '02:00'])
    expect(lengthsInHours(autumn.startsMs, autumn.endMs)).toEqual([1, 1])
  })

  it('Kolkata hours start at half past the UTC hour', () => {
    expect(iso(bucketStartOf(at('2026-05-01T10:10:00Z'), 'hour', 'Asia/Kolkata'))).toBe('2026-05-01T09:30:00.000Z')
    expect(iso(bucketStartOf(at('2026-05-01T10:40:00Z'), 'hour', 'Asia/Kolkata'))).toBe('2026-05-01T10:30:00.000Z')
  })

  it('refuses more buckets than allowed, naming the spec fields', () => {
    expect(() => listBuckets(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 'hour', 'UTC', 5000)).toThrow(/spec\.range.*spec\.interval/)
  })
})

describe('any instant', () => {
  it('lies in the bucket bucketStartOf gives, which assignBuckets agrees with', () => {
    const zone = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe')
    const interval = fc.constantFrom('hour' as const, 'day' as const, 'week' as const)
    const instant = fc.integer({ min: at('2025-12-01T00:00:00Z'), max: at('2027-02-01T00:00:00Z') })
    fc.assert(
      fc.property(zone, interval, fc.array(instant, { minLength: 1, maxLength: 20 }), (timeZone, unit, instants) => {
        const fromMs = Math.min(...instants)
        const toMs = Math.max(...instants) + 1
        const buckets = listBuckets(fromMs, toMs, unit, timeZone)
        const assigned = assignBuckets(Float64Array.from(instants), Int32Array.from(instants, (_, index) => index), buckets)
        instants.forEach((ms, index) => {
          const start = bucketStartOf(ms, unit, timeZone)
          expect(start).toBeLessThanOrEqual(ms)
          expect(buckets.startsMs[assigned[index] as number]).toBe(start)
          if (unit === 'day') {
            expect(localParts(start, timeZone).date).toBe(localParts(ms, timeZone).date)
          }
          if (unit === 'week') {
            expect(localParts(start, timeZone).weekday).toBe('Mon')
          }
        })
      }),
      { numRuns: 150 },
    )
  })
})
