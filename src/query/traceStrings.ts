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

/** Packs strings one at a time, when their count is not known up front. */
class PackedStringsBuilder {
  #text = ''
  #ends = new Uint32Array(64)
  #count = 0

  /** Appends `value`; returns its index. */
  add(value: string): number {
    if (this.#count === this.#ends.length) {
      const grown = new Uint32Array(2 * this.#count)
      grown.set(this.#ends)
      this.#ends = grown
    }
    this.#text += value
    this.#ends[this.#count] = this.#text.length
    this.#count += 1
    return this.#count - 1
  }

  build(): PackedStrings {
    // A copy that owns its buffer: the worker may transfer it.
    return { text: this.#text, ends: this.#ends.slice(0, this.#count) }
  }
}

/** Codes strings as they come, one value per distinct string. */
export function codeStrings(count: number, stringOf: (position: number) => string | null): CodedStrings {
  const codes = new Uint32Array(count)
  const values = new PackedStringsBuilder()
  const codeOf = new Map<string, number>()
  for (let position = 0; position < count; position += 1) {
    const value = stringOf(position)
    if (value === null) {
      continue // code 0
    }
    let code = codeOf.get(value)
    if (code === undefined) {
      code = values.add(value) + 1
      codeOf.set(value, code)
    }
    codes[position] = code
  }
  return { codes, values: values.build() }
}

/**
 * Codes strings known by an integer key from 0 to `keyCount - 1`, such as a dictionary's
 * codes: each key's string is looked up once, and keys are told apart through an array
 * indexed by key rather than a hash map (~130k distinct span names in a 200k-span trace made
 * the map most of the cost). Distinct keys must name distinct strings, as one dictionary's
 * codes do; a key whose string is `null` is absent.
 * @param keys The key at each position.
 */
export function codeByKey(keys: Int32Array | Uint32Array, keyCount: number, valueOf: (key: number) => string | null): CodedStrings {
  const count = keys.length
  const codes = new Uint32Array(count)
  // 1 + the code of each key seen so far; 0: not seen yet.
  const codePlusOneByKey = new Uint32Array(keyCount)
  const values = new PackedStringsBuilder()
  for (let position = 0; position < count; position += 1) {
    const key = keys[position] as number
    let codePlusOne = codePlusOneByKey[key] as number
    if (codePlusOne === 0) {
      const value = valueOf(key)
      codePlusOne = value === null ? 1 : values.add(value) + 2
      codePlusOneByKey[key] = codePlusOne
    }
    codes[position] = codePlusOne - 1
  }
  return { codes, values: values.build() }
}

/**
 * Packs strings into one text. Appending to a string (V8 links the parts, and copies them
 * once when the text is first read or sent) took half the time of `Array.prototype.join`
 * over 200k node ids.
 */
export function packStrings(count: number, stringOf: (position: number) => string): PackedStrings {
  const ends = new Uint32Array(count)
  let text = ''
  for (let position = 0; position < count; position += 1) {
    text += stringOf(position)
    ends[position] = text.length
  }
  return { text, ends }
}
