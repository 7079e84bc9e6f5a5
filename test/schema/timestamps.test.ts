import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readTimestamp } from '../../src/schema/timestamps'

/** Largest time accepted: 9999-12-31T23:59:59.999Z. */
const MAX_TIME_MS = 253_402_300_799_999

describe('readTimestamp on canonical UTC strings', () => {
  it('reads every instant from 1970 to 9999 back as its own time, keeping the string', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TIME_MS }), (timeMs) => {
        const iso = new Date(timeMs).toISOString()
        expect(readTimestamp(iso)).toEqual({ ok: true, iso, timeMs })
      }),
      { numRuns: 5_000 },
    )
  })

  it.each([
    ['February 29 of a leap year', '2024-02-29T12:00:00.000Z', Date.UTC(2024, 1, 29, 12)],
    ['the first instant', '1970-01-01T00:00:00.000Z', 0],
    ['the last instant', '9999-12-31T23:59:59.999Z', MAX_TIME_MS],
  ])('reads %s', (_, iso, timeMs) => {
    expect(readTimestamp(iso)).toEqual({ ok: true, iso, timeMs })
  })

  it.each([
    ['February 29 of a common year', '2023-02-29T12:00:00.000Z'],
    ['February 30', '2024-02-30T00:00:00.000Z'],
    ['hour 24', '2026-11-27T24:00:00.000Z'],
    ['a two-digit year', '0099-01-01T00:00:00.000Z'],
    ['a time before 1970', '1969-12-31T23:59:59.999Z'],
  ])('refuses %s', (_, text) => {
    expect(readTimestamp(text).ok).toBe(false)
  })
})
