import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JSON_BYTES_PER_CHAR_AT_MOST, jsonStringBytes, measureJsonBytes, numberJsonLength } from '../../src/schema/jsonBytes'

const utf8 = new TextEncoder()

/** The reference: UTF-8 bytes of what JSON.stringify writes. */
function stringifiedBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(value)).length
}

/** Characters that take 1 to 6 bytes in a JSON string, mixed into test strings. */
const trickyCharacters = fc.constantFrom('a', ' ', '~', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001f', '\u007f', 'é', 'ß', '€', '中', '\uffff', '😀', '\ud83d', '\ude00', '\u2028')

describe('jsonStringBytes', () => {
  it.each([
    ['empty', ''],
    ['plain ASCII', 'Summarise the ticket for the agent.'],
    ['quotes and backslashes', 'say "hi" to C:\\temp'],
    ['line breaks and tabs in long text', `${'Customer: it logs me out.\n'.repeat(20)}\tend`],
    ['control characters', '\u0000\u0001\u001f\u007f'],
    ['two- and three-byte characters', 'é ü → 中文'],
    ['emoji (surrogate pairs)', '👍🏽 done 😀'],
    ['a lone high surrogate', 'before \ud83d after'],
    ['a lone low surrogate at the end', 'end \ude00'],
    ['a reversed pair', '\ude00\ud83d'],
    ['a long ASCII string with one emoji at the end', `${'x'.repeat(5000)}😀`],
  ])('counts %s as JSON.stringify writes it in UTF-8', (_, text) => {
    expect(jsonStringBytes(text)).toBe(stringifiedBytes(text))
  })

  it('counts any string as JSON.stringify writes it in UTF-8', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: trickyCharacters, maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 })), (text) => {
        expect(jsonStringBytes(text)).toBe(stringifiedBytes(text))
      }),
      { numRuns: 2_000 },
    )
  })

  it('never counts more than JSON_BYTES_PER_CHAR_AT_MOST bytes per char, quotes aside', () => {
    fc.assert(
      fc.property(fc.string({ unit: trickyCharacters, maxLength: 200 }), (text) => {
        expect(jsonStringBytes(text)).toBeLessThanOrEqual(JSON_BYTES_PER_CHAR_AT_MOST * text.length + 2)
      }),
    )
    expect(jsonStringBytes('\u0001'.repeat(10))).toBe(JSON_BYTES_PER_CHAR_AT_MOST * 10 + 2)
  })
})

describe('numberJsonLength', () => {
  it('is the length of String(value) for integers and fractions', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true })), (value) => {
        expect(numberJsonLength(value)).toBe(String(value).length)
      }),
      { numRuns: 2_000 },
    )
    expect([0, -0, 9, 10, -10, 99, 100, Number.MAX_SAFE_INTEGER, 1e21, 0.1].map(numberJsonLength)).toEqual([1, 1, 1, 2, 3, 2, 3, 16, 5, 3])
  })
})

describe('measureJsonBytes', () => {
  it('is the UTF-8 size of the JSON text of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(measureJsonBytes(value)).toBe(stringifiedBytes(value))
      }),
      { numRuns: 1_000 },
    )
  })
})
