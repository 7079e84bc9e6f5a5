import { describe, expect, it } from 'vitest'
import { codeByDictionaryRange, codeByKey, packStrings, packedStringAt, stringAt } from '../../src/query/traceStrings'
import { Dictionary } from '../../src/store'
import { packStringList } from '../../src/store/columns'

/** Span ids as a reader holds them: codes 1-2 unpacked (an older write), then two runs packed as the store wrote them. */
function spanIds(): Dictionary {
  const dictionary = Dictionary.unloaded()
  dictionary.loadPacked(['', 'old-1', 'old-2'], [packStringList(['s-3', 's-4', 's-5']), packStringList(['s-6', 's-7'])])
  return dictionary
}

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

  it('hands out the dictionary’s own strings for the range of codes used, across unpacked and packed runs', () => {
    const dictionary = spanIds()
    // Positions use codes 2-6: 'old-2' to 's-6'; code 4 ('s-4') is in the range but used by none.
    const column = Uint32Array.of(0, 6, 2, 3, 5, 5)
    const rows = Int32Array.of(3, 1, 2, 5, 4)
    const coded = codeByDictionaryRange(column, dictionary, () => null, rows)
    expect(coded).not.toBeNull()
    expect(Array.from(rows, (_, position) => stringAt(coded!, position))).toEqual(['s-3', 's-6', 'old-2', 's-5', 's-5'])
    expect(coded!.values.text).toBe('old-2s-3s-4s-5s-6')
    expect(Array.from(coded!.values.ends)).toEqual([5, 8, 11, 14, 17])
  })

  it('appends other keys after the range: one string per key above the dictionary, one per position for key 0', () => {
    const dictionary = spanIds()
    const keys = Uint32Array.of(3, 0, 10, 4, 10, 0, 11)
    const extraOf = (key: number, position: number) => (key === 0 ? `row-${position}` : `model-${key}`)
    const coded = codeByDictionaryRange(keys, dictionary, extraOf)!
    expect(Array.from(keys, (_, position) => stringAt(coded, position))).toEqual(['s-3', 'row-1', 'model-10', 's-4', 'model-10', 'row-5', 'model-11'])
    expect(coded.values.text).toBe('s-3s-4row-1model-10row-5model-11')
    expect(coded.codes[2]).toBe(coded.codes[4])
    // Absent where the caller has no string.
    const named = codeByDictionaryRange(Uint32Array.of(0, 3), dictionary, () => null)!
    expect([stringAt(named, 0), stringAt(named, 1)]).toEqual([null, 's-3'])
  })

  it('declines when the codes used are spread among more unused ones than positions, so the caller codes them one by one', () => {
    const dictionary = spanIds()
    expect(codeByDictionaryRange(Uint32Array.of(1, 7), dictionary, () => null)).toBeNull()
    expect(codeByDictionaryRange(Uint32Array.of(1, 7, 2, 2), dictionary, () => null)).not.toBeNull()
  })
})
