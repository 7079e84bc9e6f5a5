import { describe, expect, it } from 'vitest'
import { mix32, SeededRandom, weightedTable } from '../../src/testing/random'

describe('SeededRandom', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const rng = new SeededRandom(seed)
      return Array.from({ length: 8 }, () => rng.nextUint32())
    }
    expect(draw(1)).toEqual(draw(1))
    expect(draw(2)).not.toEqual(draw(1))
    expect(draw(2 ** 32 + 1)).not.toEqual(draw(1))
  })

  it('draws floats in [0, 1) with a uniform mean and spread', () => {
    const rng = new SeededRandom(3)
    const values = Array.from({ length: 50_000 }, () => rng.next())
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length
    expect(mean).toBeCloseTo(0.5, 2)
    const belowTenth = values.filter((value) => value < 0.1).length / values.length
    expect(belowTenth).toBeCloseTo(0.1, 2)
  })

  it('draws integers over the whole inclusive range', () => {
    const rng = new SeededRandom(4)
    const seen = new Set(Array.from({ length: 2_000 }, () => rng.int(3, 7)))
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7])
  })

  it('picks weighted items in proportion to their weights', () => {
    const rng = new SeededRandom(5)
    const table = weightedTable([
      ['rare', 1],
      ['never', 0],
      ['common', 3],
    ] as const)
    const counts = { rare: 0, never: 0, common: 0 }
    for (let index = 0; index < 40_000; index++) {
      counts[rng.weighted(table)]++
    }
    expect(counts.never).toBe(0)
    expect(counts.common / counts.rare).toBeGreaterThan(2.8)
    expect(counts.common / counts.rare).toBeLessThan(3.2)
  })

  it('rejects tables without positive weight', () => {
    expect(() => weightedTable([['only', 0]])).toThrow(RangeError)
    expect(() => weightedTable([['bad', -1]])).toThrow(RangeError)
  })

  it('gives log-normal values with the requested median', () => {
    const rng = new SeededRandom(6)
    const values = Array.from({ length: 20_001 }, () => rng.lognormal(250, 0.5)).sort((left, right) => left - right)
    expect(values[10_000]).toBeGreaterThan(240)
    expect(values[10_000]).toBeLessThan(260)
    expect(values.every((value) => value > 0)).toBe(true)
  })

  it('makes unique v4-shaped uuids and base62 tokens', () => {
    const rng = new SeededRandom(7)
    const uuids = Array.from({ length: 100_000 }, () => rng.uuid())
    expect(new Set(uuids).size).toBe(uuids.length)
    expect(uuids.every((uuid) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid))).toBe(
      true,
    )
    const token = rng.token(24)
    expect(token).toMatch(/^[0-9A-Za-z]{24}$/)
    expect(rng.token(24)).not.toBe(token)
  })

  it('refuses a non-finite seed', () => {
    expect(() => new SeededRandom(Number.NaN)).toThrow(RangeError)
  })
})

describe('mix32', () => {
  it('maps distinct inputs to distinct outputs', () => {
    const outputs = new Set<number>()
    for (let input = 0; input < 200_000; input++) {
      outputs.add(mix32(input))
    }
    expect(outputs.size).toBe(200_000)
  })
})
