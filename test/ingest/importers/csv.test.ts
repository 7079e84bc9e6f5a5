import { describe, expect, it } from 'vitest'
import { CsvParser, type CsvRecord } from '../../../src/ingest/importers/csv'

/** Parses `pieces` pushed one after another. */
function parse(pieces: readonly string[], maxChars?: number): CsvRecord[] {
  const records: CsvRecord[] = []
  const parser = new CsvParser((record) => records.push(record), maxChars)
  for (const piece of pieces) {
    parser.push(piece)
  }
  parser.end()
  return records
}

/** Every way to cut `text` into pieces of 1 to 3 characters, starting at each offset 0-2. */
function splitSmall(text: string, phase: number): string[] {
  const pieces: string[] = []
  let index = 0
  let size = phase + 1
  while (index < text.length) {
    pieces.push(text.slice(index, index + size))
    index += size
    size = (size % 3) + 1
  }
  return pieces
}

describe('CsvParser (RFC 4180, streaming)', () => {
  const sample =
    'a,b,c\r\n' +
    '1,"two, with comma","three ""quoted"""\r\n' +
    '"multi\r\nline\nfield",,""\r\n' +
    'x,y,z'

  it('reads quoted fields, escaped quotes, delimiters and line breaks inside quotes', () => {
    const records = parse([sample])
    expect(records.map((record) => record.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, with comma', 'three "quoted"'],
      ['multi\r\nline\nfield', '', ''],
      ['x', 'y', 'z'],
    ])
    expect(records.map((record) => record.lineNumber)).toEqual([1, 2, 3, 6])
    expect(records.every((record) => record.error === null)).toBe(true)
  })

  it('gives the same records however the text is cut (inside quotes, between \\r and \\n)', () => {
    const whole = parse([sample])
    for (const phase of [0, 1, 2]) {
      expect(parse(splitSmall(sample, phase))).toEqual(whole)
    }
    expect(parse(sample.split(''))).toEqual(whole)
  })

  it('accepts LF and lone CR line endings, skips blank lines, keeps a trailing empty field', () => {
    const records = parse(['a,b\n\n1,\r2,3\r\n\r\n'])
    expect(records.map((record) => record.fields)).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['2', '3'],
    ])
    expect(records.map((record) => record.lineNumber)).toEqual([1, 3, 4])
  })

  it('keeps a line holding only "" as one empty field', () => {
    expect(parse(['""\n']).map((record) => record.fields)).toEqual([['']])
  })

  it('flags malformed records and carries on with the next one', () => {
    const records = parse(['ok,1\n"closed"junk,2\nstray"quote,3\nfine,4\n"never closed,5\nlast'])
    expect(records.map((record) => [record.lineNumber, record.error])).toEqual([
      [1, null],
      [2, 'text after the closing quote of a field'],
      [3, 'a quote inside a field that does not start with one'],
      [4, null],
      [5, 'a quoted field is never closed'],
    ])
    expect(records[3]?.fields).toEqual(['fine', '4'])
  })

  it('drops the text of an over-long record but resumes after it', () => {
    const records = parse(['a,b\n"', 'x'.repeat(50), '",c\nd,e\n'], 20)
    expect(records.map((record) => record.error)).toEqual([
      null,
      'record longer than 20 characters (is a quote never closed?)',
      null,
    ])
    expect(records[2]).toEqual({ fields: ['d', 'e'], lineNumber: 3, error: null })
  })
})
