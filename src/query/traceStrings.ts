/**
 * The strings of a trace result, in shapes that cross the worker boundary cheaply. Every
 * string in an array is an object of its own to serialise, copy and allocate again on the
 * host's main thread: a 200k-span trace's node ids and ~130k distinct span names cost tens
 * of milliseconds each that way. Packed into one text per column, with offsets and codes in
 * typed arrays (which the worker can transfer), they cost a copy of the text. Read them with
 * {@link stringAt} and {@link packedStringAt}.
 */

import type { PackedStrings } from '../store'

export type { PackedStrings }

/** Repeated strings: the distinct values once, and a code per position. */
export interface CodedStrings {
  /** Per position: 0 when the string is absent, else 1 + the index of its value in {@link CodedStrings.values}. */
  codes: Uint32Array
  /** The distinct values, each once: the value of code `c` is `packedStringAt(values, c - 1)`. */
  values: PackedStrings
}

/** The string at `position`, or `null` (absent, or no such position). */
export function stringAt(strings: CodedStrings, position: number): string | null {
  const code = strings.codes[position]
  return code === undefined || code === 0 ? null : packedStringAt(strings.values, code - 1)
}

/** The string at `position`; `''` when there is no such position. */
export function packedStringAt(strings: PackedStrings, position: number): string {
  const end = strings.ends[position]
  if (end === undefined) {
    return ''
  }
  return strings.text.slice(position === 0 ? 0 : (strings.ends[position - 1] as number), end)
}

/**
 * Strings appended to a text between flattenings. V8 keeps `text += value` as a pair of
 * pointers to both parts until the text is read: at 200k node ids, each garbage collection
 * during a trace query copied all those pairs (12-24 ms), and sending the text walked them.
 * Flattening every chunk leaves a text of a few dozen flat parts instead.
 */
const STRINGS_PER_CHUNK = 4096

/** `chunk`, flattened: reading a character makes V8 copy the parts into one string. */
function flattened(chunk: string): string {
  chunk.charCodeAt(0)
  return chunk
}

/**
 * Codes strings known by an integer key from 0 to `keyCount - 1`, such as a dictionary's
 * codes: each key's string is looked up once, and keys are told apart through an array
 * indexed by key rather than a hash map (~130k distinct span names in a 200k-span trace made
 * the map most of the cost). Distinct keys must name distinct strings, as one dictionary's
 * codes do; a key whose string is `null` is absent.
 * @param keys The key at each position; with `rows`, a column the keys are read from.
 * @param rows The entries of `keys` to code, in order (a column's rows): spares a gathered copy.
 */
export function codeByKey(
  keys: Int32Array | Uint32Array,
  keyCount: number,
  valueOf: (key: number) => string | null,
  rows?: Int32Array,
): CodedStrings {
  const count = rows === undefined ? keys.length : rows.length
  const codes = new Uint32Array(count)
  // 1 + the code of each key seen so far; 0: not seen yet.
  const codePlusOneByKey = new Uint32Array(keyCount)
  // Held in locals rather than an object's fields: ~130k distinct span names are appended.
  let ends = new Uint32Array(Math.min(count, keyCount))
  let valueCount = 0
  let text = ''
  let chunk = ''
  for (let position = 0; position < count; position += 1) {
    const key = keys[rows === undefined ? position : (rows[position] as number)] as number
    let codePlusOne = codePlusOneByKey[key] as number
    if (codePlusOne === 0) {
      const value = valueOf(key)
      if (value === null) {
        codePlusOne = 1
      } else {
        chunk += value
        ends[valueCount] = text.length + chunk.length
        valueCount += 1
        codePlusOne = valueCount + 1
        if (valueCount % STRINGS_PER_CHUNK === 0) {
          text += flattened(chunk)
          chunk = ''
        }
      }
      codePlusOneByKey[key] = codePlusOne
    }
    codes[position] = codePlusOne - 1
  }
  // A copy that owns its buffer unless all of it is used: the worker may transfer it.
  if (valueCount < ends.length) {
    ends = ends.slice(0, valueCount)
  }
  return { codes, values: { text: text + chunk, ends } }
}

/**
 * Packs strings into one text. Appending to a string (V8 links the parts, and copies them
 * when the text is read) took half the time of `Array.prototype.join` over 200k node ids;
 * see {@link STRINGS_PER_CHUNK} for why the links are flattened as they go.
 */
export function packStrings(count: number, stringOf: (position: number) => string): PackedStrings {
  const ends = new Uint32Array(count)
  let text = ''
  let chunk = ''
  for (let position = 0; position < count; position += 1) {
    chunk += stringOf(position)
    ends[position] = text.length + chunk.length
    if ((position + 1) % STRINGS_PER_CHUNK === 0) {
      text += flattened(chunk)
      chunk = ''
    }
  }
  return { text: text + chunk, ends }
}

/** A dictionary as {@link codeByDictionaryRange} reads it. */
export interface CodeRangeSource {
  /** Codes in use, the reserved 0 included. */
  readonly size: number
  packedRange(firstCode: number, endCode: number): PackedStrings
}

/**
 * Codes that no position uses, per position, that {@link codeByDictionaryRange} accepts in its
 * range: handing out a few strings nobody reads costs less than coding each position's string,
 * but a small trace written among millions of other events may span nearly all codes.
 */
const UNUSED_CODES_PER_POSITION = 1

/**
 * Codes strings known by dictionary code (keys 1 to `dictionary.size - 1`) by handing out
 * the dictionary's own strings for the range of keys the positions use, as the store packed
 * them: no string is made or copied per key. A 200k-span trace's span ids and names, written
 * together, take nearly all codes of their range, and coding them one by one took tens of
 * milliseconds of a trace query. Other keys (0, or past the dictionary) take `extraOf`'s
 * string, appended after the range (`null`: absent); extras with the same key > 0 share a code.
 * @returns `null` when the range would hold more than {@link UNUSED_CODES_PER_POSITION}
 *   unused codes per position (the keys are spread among other traces' codes); code with
 *   {@link codeByKey} then.
 */
export function codeByDictionaryRange(
  keys: Int32Array | Uint32Array,
  dictionary: CodeRangeSource,
  extraOf: (key: number, position: number) => string | null,
  rows?: Int32Array,
): CodedStrings | null {
  const count = rows === undefined ? keys.length : rows.length
  const size = dictionary.size
  let firstCode = size
  let lastCode = 0
  for (let position = 0; position < count; position += 1) {
    const key = keys[rows === undefined ? position : (rows[position] as number)] as number
    if (key > 0 && key < size) {
      firstCode = key < firstCode ? key : firstCode
      lastCode = key > lastCode ? key : lastCode
    }
  }
  const rangeCount = lastCode >= firstCode ? lastCode - firstCode + 1 : 0
  if (rangeCount > count * (1 + UNUSED_CODES_PER_POSITION)) {
    return null
  }
  const range = rangeCount > 0 ? dictionary.packedRange(firstCode, lastCode + 1) : { text: '', ends: new Uint32Array(0) }
  const codes = new Uint32Array(count)
  // Code c is value c - 1: a key in the range is value key - firstCode.
  const codeOffset = 1 - firstCode
  const extraEnds: number[] = []
  const extraCodeByKey = new Map<number, number>()
  let extraText = ''
  for (let position = 0; position < count; position += 1) {
    const key = keys[rows === undefined ? position : (rows[position] as number)] as number
    if (key > 0 && key < size) {
      codes[position] = key + codeOffset
      continue
    }
    const known = key > 0 ? extraCodeByKey.get(key) : undefined
    if (known !== undefined) {
      codes[position] = known
      continue
    }
    const value = extraOf(key, position)
    if (value !== null) {
      extraText += value
      extraEnds.push(range.text.length + extraText.length)
      codes[position] = rangeCount + extraEnds.length
      if (key > 0) {
        extraCodeByKey.set(key, codes[position] as number)
      }
    }
  }
  if (extraEnds.length === 0) {
    return { codes, values: range }
  }
  const ends = new Uint32Array(rangeCount + extraEnds.length)
  ends.set(range.ends)
  ends.set(extraEnds, rangeCount)
  return { codes, values: { text: range.text + extraText, ends } }
}
