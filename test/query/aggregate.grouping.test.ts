/**
 * `groupRows` numbers the groups of up to three dimensions three ways: codes in mixed radix
 * (small key spaces), a Map of mixed-radix keys (large ones), and, when that key would pass
 * 2^53, the leading dimensions first. Whatever the path, a group id must decode to the codes
 * of every row it holds, and one combination of codes must have one id.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { groupRows, type DimensionColumn } from '../../src/query/aggregate.utils'
import { Dictionary } from '../../src/store/columns'

/** Dictionary sizes that lead to each path: 3³ dense, 7,000³ ≈ 3.4e11 in a Map, 300,000³ ≈ 2.7e16 past 2^53. */
const SIZES = [3, 40, 7000, 300_000] as const
const dictionaries = new Map(SIZES.map((size) => [size, new Dictionary(Array.from({ length: size - 1 }, (_, index) => `v${index}`))]))

interface Case {
  sizes: number[]
  /** Per event, one code per dimension. */
  codes: number[][]
  /** Which events are selected. */
  selected: boolean[]
}

const groupingCase: fc.Arbitrary<Case> = fc
  .array(fc.constantFrom(...SIZES), { minLength: 0, maxLength: 3 })
  .chain((sizes) =>
    fc.record({
      sizes: fc.constant(sizes),
      codes: fc.array(
        // Few distinct codes, so groups repeat, and the largest code, where decoding goes wrong first.
        fc.tuple(...sizes.map((size) => fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constant(size - 1)))),
        { maxLength: 200 },
      ),
      selected: fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
    }),
  )

function columnsOf({ sizes, codes }: Case): DimensionColumn[] {
  return sizes.map((size, index) => ({
    dimension: 'model',
    codes: Uint32Array.from(codes, (event) => event[index] as number),
    dictionary: dictionaries.get(size as (typeof SIZES)[number]) as Dictionary,
  }))
}

function checkGrouping(groupingCase: Case) {
  const { codes, selected } = groupingCase
  const dimensions = columnsOf(groupingCase)
  const rows = Int32Array.from(codes.flatMap((_, row) => (selected[row] ? [row] : [])))
  const grouping = groupRows(rows, dimensions, codes.length)
  const groupOfCombination = new Map<string, number>()
  for (const row of rows) {
    const group = grouping.groupOfRow[row] as number
    expect(group).toBeLessThan(grouping.groupSpace)
    const decoded = dimensions.map((_, index) => grouping.codeOf(group, index))
    expect(decoded).toEqual(codes[row])
    const combination = JSON.stringify(codes[row])
    expect(groupOfCombination.get(combination) ?? group).toBe(group)
    groupOfCombination.set(combination, group)
  }
}

describe('groupRows', () => {
  it('gives every combination of codes one id that decodes to its codes, on every path', () => {
    fc.assert(fc.property(groupingCase, checkGrouping), { numRuns: 300 })
  })

  it('numbers three dimensions whose key space passes 2^53', () => {
    const large = 300_000
    expect(large ** 3).toBeGreaterThan(Number.MAX_SAFE_INTEGER)
    const codes = [
      [large - 1, large - 1, large - 1],
      [large - 1, 0, large - 1],
      [1, large - 1, 2],
      [large - 1, large - 1, large - 1],
      [0, 0, 0],
    ]
    checkGrouping({ sizes: [large, large, large], codes, selected: codes.map(() => true) })
    const rows = Int32Array.from(codes.keys())
    expect(groupRows(rows, columnsOf({ sizes: [large, large, large], codes, selected: [] }), codes.length).groupSpace).toBe(4)
  })

  it('refuses a fourth dimension', () => {
    const dimensions = columnsOf({ sizes: [3, 3, 3, 3], codes: [[0, 0, 0, 0]], selected: [true] })
    expect(() => groupRows(Int32Array.of(0), dimensions, 1)).toThrow(RangeError)
  })
})
