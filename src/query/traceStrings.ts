/**
 * The strings of a trace result, in shapes that cross the worker boundary cheaply. A
 * 200k-span trace as four arrays of 200k strings costs hundreds of milliseconds to clone,
 * much of it on the host's main thread; as one packed string and a few typed arrays it
 * costs a copy. Read them with {@link stringAt} and {@link packedStringAt}.
 */

/** Repeated strings: the distinct values once, and a code per position. */
export interface CodedStrings {
  /** Index into {@link CodedStrings.values}, per position. */
  codes: Uint32Array
  /** The distinct values; `null` stands for "absent". */
  values: (string | null)[]
}

/** Distinct strings (node ids): one text, and where each string ends in it. */
export interface PackedStrings {
  text: string
  /** End offset in `text` of the string at each position; it starts where the previous one ends. */
  ends: Uint32Array
}

/** The string at `position`, or `null` (absent, or no such position). */
export function stringAt(strings: CodedStrings, position: number): string | null {
  const code = strings.codes[position]
  return code === undefined ? null : (strings.values[code] ?? null)
}

/** The string at `position`; `''` when there is no such position. */
export function packedStringAt(strings: PackedStrings, position: number): string {
  const end = strings.ends[position]
  if (end === undefined) {
    return ''
  }
  return strings.text.slice(position === 0 ? 0 : (strings.ends[position - 1] as number), end)
}

/** Codes strings as they come, one value per distinct string. */
export function codeStrings(count: number, stringOf: (position: number) => string | null): CodedStrings {
  const codes = new Uint32Array(count)
  const values: (string | null)[] = []
  const codeOf = new Map<string | null, number>()
  for (let position = 0; position < count; position += 1) {
    const value = stringOf(position)
    let code = codeOf.get(value)
    if (code === undefined) {
      code = values.length
      values.push(value)
      codeOf.set(value, code)
    }
    codes[position] = code
  }
  return { codes, values }
}

/**
 * Codes strings known by an integer key (a dictionary code): each key's string is looked
 * up once, and positions are grouped by number, not by hashing strings.
 */
export function codeByKey(count: number, keyAt: (position: number) => number, valueOf: (key: number) => string | null): CodedStrings {
  const codes = new Uint32Array(count)
  const values: (string | null)[] = []
  const codeOfKey = new Map<number, number>()
  const codeOfValue = new Map<string | null, number>()
  for (let position = 0; position < count; position += 1) {
    const key = keyAt(position)
    let code = codeOfKey.get(key)
    if (code === undefined) {
      // Two keys may name the same string (a span name equal to a model name): code it once.
      const value = valueOf(key)
      code = codeOfValue.get(value)
      if (code === undefined) {
        code = values.length
        values.push(value)
        codeOfValue.set(value, code)
      }
      codeOfKey.set(key, code)
    }
    codes[position] = code
  }
  return { codes, values }
}

/** Packs strings into one text. */
export function packStrings(count: number, stringOf: (position: number) => string): PackedStrings {
  const parts: string[] = []
  const ends = new Uint32Array(count)
  let length = 0
  for (let position = 0; position < count; position += 1) {
    const value = stringOf(position)
    parts.push(value)
    length += value.length
    ends[position] = length
  }
  return { text: parts.join(''), ends }
}
