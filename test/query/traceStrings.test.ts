import { describe, expect, it } from 'vitest'
import { codeByKey, packStrings, packedStringAt, stringAt } from '../../src/query/traceStrings'

/** `values` coded by key as a dictionary codes them: 'draft' 1, 'tool' 2, absent 0. */
function codedDraftsAndTools(values: readonly (string | null)[]) {
  const codeOf = (value: string | null) => (value === null ? 0 : value === 'draft' ? 1 : 2)
  return codeByKey(Uint32Array.from(values, codeOf), 3, (key) => [null, 'draft', 'tool'][key] ?? null)
}

describe('trace result strings', () => {
  it('codes repeated strings once and reads each position back, null included', () => {
    const values = ['draft', null, 'draft', 'tool', null, 'draft']
    const coded = codedDraftsAndTools(values)
    expect(Array.from(coded.codes)).toEqual([1, 0, 1, 2, 0, 1])
    expect([0, 1].map((index) => packedStringAt(coded.values, index))).toEqual(['draft', 'tool'])
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

  it('codes by integer key, looking each key up once, absent keys as code 0', () => {
    const keys = Uint32Array.of(3, 1, 3, 0, 1, 5)
    const names = new Map<number, string | null>([[3, 'draft'], [1, 'gpt-4o'], [0, null], [5, 'tool']])
    const lookups: number[] = []
    const coded = codeByKey(keys, 6, (key) => {
      lookups.push(key)
      return names.get(key) ?? null
    })
    expect(Array.from(keys, (_, position) => stringAt(coded, position))).toEqual(['draft', 'gpt-4o', 'draft', null, 'gpt-4o', 'tool'])
    expect(Array.from(coded.codes)).toEqual([1, 2, 1, 0, 2, 3])
    expect(coded.values.text).toBe('draftgpt-4otool')
    expect(lookups).toEqual([3, 1, 0, 5])
  })

  it('packs and codes texts of more strings than one chunk, each string read back whole', () => {
    const ids = Array.from({ length: 10_000 }, (_, position) => (position % 7 === 0 ? '' : `span-${position}`))
    const packed = packStrings(ids.length, (position) => ids[position] as string)
    expect(packed.text).toBe(ids.join(''))
    expect(ids.map((_, position) => packedStringAt(packed, position))).toEqual(ids)
    const column = Uint32Array.from({ length: 10_000 }, (_, row) => row)
    const rows = Int32Array.from({ length: 9_000 }, (_, position) => 9_999 - position)
    const coded = codeByKey(column, 10_000, (key) => (key === 0 ? null : `name ${key}`), rows)
    expect(Array.from(rows, (_, position) => stringAt(coded, position))).toEqual(Array.from(rows, (row) => `name ${row}`))
    expect(coded.values.ends).toHaveLength(9_000)
  })

  it('survives a structured clone (the worker boundary) with every string intact', () => {
    const values = ['draft', null, 'tool', 'draft']
    const coded = structuredClone(codedDraftsAndTools(values))
    expect(values.map((_, position) => stringAt(coded, position))).toEqual(values)
  })
})
