import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { UuidIndex } from '../../src/store'

describe('uuid index', () => {
  it('names the batch of every uuid added, across growth, and nothing for uuids never added', () => {
    const index = new UuidIndex(16)
    for (let batchId = 1; batchId <= 50; batchId += 1) {
      for (let event = 0; event < 200; event += 1) {
        index.add(`uuid-${batchId}-${event}`, batchId)
      }
    }
    expect(index.size).toBe(10_000)
    expect(index.candidateBatchIds('uuid-37-199')).toEqual([37])
    expect(index.candidateBatchIds('uuid-1-0')).toEqual([1])
    expect(index.candidateBatchIds('uuid-51-0')).toEqual([])
    index.clear()
    expect(index.candidateBatchIds('uuid-37-199')).toEqual([])
  })

  it('never loses a uuid (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 300 }), (uuids) => {
        const index = new UuidIndex(16)
        uuids.forEach((uuid, position) => index.add(uuid, position + 1))
        return uuids.every((uuid, position) => index.candidateBatchIds(uuid).includes(position + 1))
      }),
    )
  })
})
