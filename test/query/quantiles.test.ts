import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { nearestRankIndex, percentilesInPlace, selectInPlace } from '../../src/query/quantiles'

/** The definition, by sorting: the value of rank ⌈p·n/100⌉ (1-based) in ascending order. */
function sortedPercentile(values: readonly number[], percent: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.ceil((percent * sorted.length) / 100) - 1] as number
}

describe('nearest-rank percentiles', () => {
  it('picks the value of rank ⌈p·n/100⌉', () => {
    expect(nearestRankIndex(50, 1)).toBe(0)
    expect(nearestRankIndex(50, 2)).toBe(0)
    expect(nearestRankIndex(50, 3)).toBe(1)
    expect(nearestRankIndex(95, 20)).toBe(18)
    expect(nearestRankIndex(95, 21)).toBe(19)
    expect(nearestRankIndex(99, 10)).toBe(9)
    expect(nearestRankIndex(90, 10)).toBe(8)
    // 7·100/100 is exactly 7 in integers, where 0.07·100 is 7.000000000000001 in doubles.
    expect(nearestRankIndex(7, 100)).toBe(6)
  })

  it('returns values of the data: p50 of [1, 2] is 1, p99 of 1…10 is 10', () => {
    expect(percentilesInPlace(Float64Array.of(2, 1), 0, 2, [50])).toEqual([1])
    expect(percentilesInPlace(Float64Array.from({ length: 10 }, (_, i) => 10 - i), 0, 10, [99, 50, 90])).toEqual([10, 5, 9])
  })

  it('gives NaN for an empty range and works on a slice only', () => {
    expect(percentilesInPlace(new Float64Array(3), 1, 1, [50, 95])).toEqual([Number.NaN, Number.NaN])
    const values = Float64Array.of(100, 3, 1, 2, -100)
    expect(percentilesInPlace(values, 1, 4, [50, 99])).toEqual([2, 3])
    expect(values[0]).toBe(100)
    expect(values[4]).toBe(-100)
  })

  it('selects the k-th smallest in place, everything before ≤ and after ≥', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 }), fc.nat(), (numbers, seed) => {
        const values = Float64Array.from(numbers)
        const k = seed % numbers.length
        selectInPlace(values, 0, values.length - 1, k)
        const sorted = [...numbers].sort((a, b) => a - b)
        expect(values[k]).toBe(sorted[k])
        for (let i = 0; i < values.length; i += 1) {
          if (i < k) {
            expect(values[i]).toBeLessThanOrEqual(values[k] as number)
          } else {
            expect(values[i]).toBeGreaterThanOrEqual(values[k] as number)
          }
        }
      }),
    )
  })

  it('agrees with sorting on small ranges (quickselect)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 }), (numbers) => {
        const percents = [50, 90, 95, 99]
        const found = percentilesInPlace(Float64Array.from(numbers), 0, numbers.length, percents)
        expect(found.map((value) => value + 0)).toEqual(percents.map((percent) => sortedPercentile(numbers, percent) + 0))
      }),
    )
  })

  it('agrees with sorting on long ranges (histogram of leading bits, then select)', () => {
    // Long enough for the histogram path; values crowd into few bins, spread over signs and
    // magnitudes, or repeat, which are the cases where bins and ranks can go wrong.
    const shapes = fc.constantFrom('crowded', 'spread', 'repeated', 'negative')
    fc.assert(
      fc.property(shapes, fc.integer({ min: 8192, max: 20_000 }), fc.integer(), fc.integer({ min: 1, max: 99 }), (shape, length, seed, percent) => {
        let state = seed >>> 0
        const next = () => {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0
          return state / 4294967296
        }
        const numbers = Array.from({ length }, () => {
          switch (shape) {
            case 'crowded':
              return 1 + next() * 1e-9
            case 'spread':
              return (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20)
            case 'repeated':
              return Math.floor(next() * 4) / 4
            default:
              return -Math.exp(next() * 5)
          }
        })
        const found = percentilesInPlace(Float64Array.from(numbers), 0, length, [percent, 50, 99])
        expect(found).toEqual([percent, 50, 99].map((p) => sortedPercentile(numbers, p)))
      }),
      { numRuns: 40 },
    )
  })
})
