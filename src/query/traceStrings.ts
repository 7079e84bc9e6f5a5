/**
 * The strings of a trace result, in shapes that cross the worker boundary cheaply. Every
 * string in an array is an object of its own to serialise, copy and allocate again on the
 * host's main thread: a 200k-span trace's node ids and ~130k distinct span names cost tens
 * of milliseconds each that way. Packed into one text per column, with offsets and codes in
 * typed arrays (which the worker can transfer), they cost a copy of the text. Read them with
 * {@link stringAt} and {@link packedStringAt}.
 */

/** Strings (node ids, the distinct values of a coded column): one text, and where each string ends in it. */
export interface PackedStrings {
  text: string
  /** End offset in `text` of the string at each position; it starts where the previous one ends. */
  ends: Uint32Array
}

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
