import { describe, expect, it } from 'vitest'
import { codeByKey, codeStrings, packStrings, packedStringAt, stringAt } from '../../src/query/traceStrings'

describe('trace result strings', () => {
  it('codes repeated strings once and reads each position back, null included', () => {
    const values = ['draft', null, 'draft', 'tool', null, 'draft']
    const coded = codeStrings(values.length, (position) => values[position] ?? null)
    expect(coded.values).toEqual(['draft', null, 'tool'])
    expect(values.map((_, position) => stringAt(coded, position))).toEqual(values)
    expect(stringAt(coded, 99)).toBeNull()
  })

  it('packs distinct strings into one text and slices each back, empty and unicode included', () => {
    const ids = ['gen-1', '', 'spän-🙂', 'x'.repeat(300), 'last']
    const packed = packStrings(ids.length, (position) => ids[position] as string)
    expect(packed.text).toBe(ids.join(''))
    expect(ids.map((_, position) => packedStringAt(packed, position))).toEqual(ids)
    expect(packedStringAt(packed, ids.length)).toBe('')
  })

  it('codes by integer key, looking each key up once and merging keys that name the same string', () => {
    const keys = [3, -2, 3, 0, -2, 5]
    const names = new Map<number, string | null>([[3, 'draft'], [-2, 'gpt-4o'], [0, null], [5, 'gpt-4o']])
    const lookups: number[] = []
    const coded = codeByKey(keys.length, (position) => keys[position] as number, (key) => {
      lookups.push(key)
      return names.get(key) ?? null
    })
    expect(keys.map((_, position) => stringAt(coded, position))).toEqual(['draft', 'gpt-4o', 'draft', null, 'gpt-4o', 'gpt-4o'])
    expect(coded.values).toEqual(['draft', 'gpt-4o', null])
    expect(lookups).toEqual([3, -2, 0, 5])
  })
})
