import { describe, expect, it } from 'vitest'
import { codeStrings, packStrings, packedStringAt, stringAt } from '../../src/query/traceStrings'

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
})
