import type { AiscopeEvent } from '../schema/events'
import { classifyError } from '../schema/errorKind'
import { timestampMs } from '../schema/timestamps'
import { priceEvent } from '../pricing'
import { cacheTokensExceedInput, cacheWriteTokensOf } from '../pricing/costEngine'

/**
 * Dimension columns: each holds a dictionary code per event (0 = absent). `spanId` (the
 * tree node id: generation id, else span id, else uuid; on an interaction, the id of the
 * generation it concerns), `parentId` (coded in the span ids' dictionary, see
 * {@link SHARED_DICTIONARIES}) and `spanName` serve trace trees and trace names;
 * `errorMessage` is `$ai_error_normalized`, `pageUrl` a pageview's `$current_url`,
 * `replaySessionId` the browser session (`$session_id`) where `sessionId` prefers `$ai_session_id`.
 */
export const COLUMN_DIMENSIONS = [
  'event',
  'model',
  'provider',
  'user',
  'organisation',
  'feature',
  'promptName',
  'promptVersion',
  'traceId',
  'sessionId',
  'spanType',
  'spanName',
  'spanId',
  'parentId',
  'errorKind',
  'errorMessage',
  'interaction',
  'evaluationName',
  'pageUrl',
  'replaySessionId',
] as const

/** One of {@link COLUMN_DIMENSIONS}. */
export type ColumnDimension = (typeof COLUMN_DIMENSIONS)[number]

/** Numeric columns: NaN where an event has no value. */
export const NUMERIC_COLUMNS = [
  'latencyS',
  'ttftS',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
  'clientCostUsd',
  'evaluationScore',
] as const

/** One of {@link NUMERIC_COLUMNS}. */
export type NumericColumn = (typeof NUMERIC_COLUMNS)[number]

/**
 * Dimensions with a value per trace, span, session or page. Their dictionaries hold nearly
 * every stored string (about 1.6 million at a million events, against a few hundred for all
 * the others) and their columns a third of the stored column bytes, yet only the queries that
 * decode, look up or count ids read them: the store keeps them apart and reads them on demand
 * (see `EventStore.loadDictionaries`, `EventStore.readStoredIdColumns`), so a dashboard's
 * first aggregate never waits for them.
 */
export const ID_DIMENSIONS = ['traceId', 'sessionId', 'spanId', 'parentId', 'replaySessionId', 'pageUrl'] as const satisfies readonly ColumnDimension[]

/** One of {@link ID_DIMENSIONS}. */
export type IdDimension = (typeof ID_DIMENSIONS)[number]

/**
 * Dimensions coded in another dimension's dictionary. A parent id names a span (or the
 * trace), so parent ids share the span ids' codes: a trace's tree links child to parent by
 * code, with no string read or hashed, and each id is stored once.
 */
export const SHARED_DICTIONARIES = { parentId: 'spanId' } as const satisfies Partial<Record<ColumnDimension, ColumnDimension>>

/** The dimension whose dictionary codes `dimension`: itself, unless it shares one (see {@link SHARED_DICTIONARIES}). */
export function dictionaryDimensionOf(dimension: ColumnDimension): ColumnDimension {
  return (SHARED_DICTIONARIES as Partial<Record<ColumnDimension, ColumnDimension>>)[dimension] ?? dimension
}

/** The dimensions with a dictionary of their own, in {@link COLUMN_DIMENSIONS} order: the dictionary log's keys. */
export const DICTIONARY_DIMENSIONS: readonly ColumnDimension[] = COLUMN_DIMENSIONS.filter((dimension) => dictionaryDimensionOf(dimension) === dimension)

/** Whether a dimension is one of {@link ID_DIMENSIONS}. */
export function isIdDimension(dimension: string): dimension is IdDimension {
  return (ID_DIMENSIONS as readonly string[]).includes(dimension)
}

/**
 * Strings packed into one text, and where each ends in it: one string to read, keep or send
 * instead of thousands. The store logs dictionary strings this way, and query results carry
 * their strings this way (reading a 200k-span trace's ids and names as arrays of strings cost
 * a new worker about 100 ms in Chromium, most of it allocating and collecting them).
 */
export interface PackedStrings {
  text: string
  /** End offset in `text` of each string; the first starts at 0, each next one where the previous ends. */
  ends: Uint32Array
}

/** Packs strings (see {@link PackedStrings}). */
export function packStringList(values: readonly string[]): PackedStrings {
  const ends = new Uint32Array(values.length)
  let length = 0
  values.forEach((value, index) => {
    length += value.length
    ends[index] = length
  })
  return { text: values.join(''), ends }
}

/**
 * Strings of one dimension, by code. Code 0 is reserved for "absent"; `values[0]` is `''`.
 * The lookup from string to code is built on first use: a reader that only decodes (a
 * dashboard opening a stored million events) never pays for hashing every string.
 *
 * Strings read from the store may stay packed as they were read (see {@link PackedStrings})
 * until something needs them all: {@link Dictionary.decode}, {@link Dictionary.find},
 * {@link Dictionary.equals} and {@link Dictionary.packedRange} read packed strings where they
 * are; {@link Dictionary.values}, encoding and the lookup map turn them into strings first.
 *
 * A dictionary can also be unloaded: its size (codes in use) is known, its strings are still
 * in the store. Reading its strings then throws, so a query that forgot to load it fails
 * loudly instead of decoding codes to nothing.
 */
export class Dictionary {
  /** Strings by code, from 0, as far as they are unpacked. */
  #values: string[] | undefined
  /** The codes after {@link Dictionary.#values}, still packed: each run's first code and strings. */
  #packed: { firstCode: number; strings: PackedStrings }[] = []
  #packedCount = 0
  /** The packed run found last: codes are often read in runs (a trace's spans were written together). */
  #lastRun = 0
  /** Codes in use while unloaded. */
  #unloadedSize = 1
  #codes: Map<string, number> | undefined
  /** Lookups answered by scanning, before the map is built (see {@link Dictionary.find}). */
  #scans = 0

  /** A dictionary holding `values` (code 1 first) after the reserved empty string. */
  constructor(values: readonly string[] = []) {
    this.#values = ['', ...values]
  }

  /** A dictionary whose strings stay in the store until {@link Dictionary.load}: only its size is known. */
  static unloaded(): Dictionary {
    const dictionary = new Dictionary()
    dictionary.#values = undefined
    return dictionary
  }

  /** Whether the strings are in memory (false until {@link Dictionary.load} for an unloaded dictionary). */
  get loaded(): boolean {
    return this.#values !== undefined
  }

  /** Every string by code, `''` first. Throws while the dictionary is unloaded. */
  get values(): string[] {
    return this.#unpackedValues()
  }

  /** Codes in use, including the reserved 0. */
  get size(): number {
    return this.#values ? this.#values.length + this.#packedCount : this.#unloadedSize
  }

  /** The code of `value`, adding it on first sight; 0 for absent values. */
  encode(value: string | null | undefined): number {
    if (value === null || value === undefined || value === '') {
      return 0
    }
    const codes = this.#lookup()
    let code = codes.get(value)
    if (code === undefined) {
      const values = this.#unpackedValues()
      code = values.length
      values.push(value)
      codes.set(value, code)
    }
    return code
  }

  /** The code of `value` if it was seen, else -1 (nothing can match it). */
  find(value: string | null): number {
    if (value === null || value === '') {
      return 0
    }
    // A query looks up one trace or session among hundreds of thousands: a scan answers that
    // in a few milliseconds, where building the map costs tens. Lookups that keep coming
    // (filters with many values, writers) get the map.
    if (!this.#codes && this.#scans < 4) {
      this.#scans += 1
      const code = this.#loadedValues().indexOf(value, 1)
      return code > 0 ? code : this.#findPacked(value)
    }
    return this.#lookup().get(value) ?? -1
  }

  /** The string of a code; `null` for 0. */
  decode(code: number): string | null {
    if (code === 0) {
      return null
    }
    const values = this.#loadedValues()
    return code < values.length ? (values[code] as string) : this.#decodePacked(code)
  }

  /** Whether code `code` stands for `value`, compared where the string is kept: no string is made. */
  equals(code: number, value: string): boolean {
    if (code === 0) {
      return false
    }
    const values = this.#loadedValues()
    if (code < values.length) {
      return values[code] === value
    }
    const found = this.#packedAt(code)
    if (found === null) {
      return false
    }
    const { text, ends } = found.strings
    const start = found.index === 0 ? 0 : (ends[found.index - 1] as number)
    return (ends[found.index] as number) - start === value.length && text.startsWith(value, start)
  }

  /**
   * The strings of codes `firstCode` to `endCode - 1` (all in use, from 1), packed in one text:
   * where they are still packed as read, a copy of part of one or more texts, with no string
   * made per code. The ends are a new array: the caller may transfer it.
   */
  packedRange(firstCode: number, endCode: number): PackedStrings {
    const values = this.#loadedValues()
    if (firstCode < 1 || endCode > this.size || endCode < firstCode) {
      throw new RangeError(`aiscope: codes ${firstCode} to ${endCode - 1} are not all in use (${this.size} are)`)
    }
    const ends = new Uint32Array(endCode - firstCode)
    const unpackedEnd = Math.min(endCode, values.length)
    let text = firstCode < unpackedEnd ? values.slice(firstCode, unpackedEnd).join('') : ''
    let code = firstCode
    for (let length = 0; code < unpackedEnd; code += 1) {
      length += (values[code] as string).length
      ends[code - firstCode] = length
    }
    for (const run of this.#packed) {
      const runEnd = run.firstCode + run.strings.ends.length
      if (code >= endCode || runEnd <= code) {
        continue
      }
      const { text: runText, ends: runEnds } = run.strings
      const from = code - run.firstCode
      const to = Math.min(endCode, runEnd) - run.firstCode
      const start = from === 0 ? 0 : (runEnds[from - 1] as number)
      const shift = text.length - start
      text += runText.slice(start, runEnds[to - 1])
      for (let index = from; index < to; index += 1) {
        ends[code - firstCode] = (runEnds[index] as number) + shift
        code += 1
      }
    }
    return { text, ends }
  }

  /** Appends strings known to be new, in order (another writer's additions). */
  appendAll(values: readonly string[]): void {
    const known = this.#unpackedValues()
    for (const value of values) {
      this.#codes?.set(value, known.length)
      known.push(value)
    }
  }

  /** Appends packed strings known to be new, in order, kept packed until all strings are needed. */
  appendPacked(strings: PackedStrings): void {
    if (this.#codes) {
      this.appendAll(unpack(strings))
      return
    }
    this.#loadedValues()
    if (strings.ends.length > 0) {
      this.#packed.push({ firstCode: this.size, strings })
      this.#packedCount += strings.ends.length
    }
  }

  /** Notes that the store holds `size` codes of this unloaded dictionary, strings not read. */
  growUnloaded(size: number): void {
    if (this.#values) {
      throw new Error('aiscope: only an unloaded dictionary grows without its strings')
    }
    this.#unloadedSize = Math.max(this.#unloadedSize, size)
  }

  /**
   * Gives an unloaded dictionary its strings by code (the reserved `''` first), as the store
   * holds them. The array is kept, not copied: a trace's span ids are hundreds of thousands.
   */
  load(valuesByCode: string[]): void {
    this.loadPacked(valuesByCode, [])
  }

  /**
   * Gives an unloaded dictionary its strings: `valuesByCode` (the reserved `''` first), then
   * runs of packed strings, kept packed (see {@link Dictionary.appendPacked}).
   */
  loadPacked(valuesByCode: string[], packed: readonly PackedStrings[]): void {
    if (this.#values) {
      throw new Error('aiscope: a dictionary was loaded twice')
    }
    if (valuesByCode[0] !== '') {
      throw new Error("aiscope: a dictionary's strings by code start with the reserved empty string")
    }
    const size = valuesByCode.length + packed.reduce((sum, strings) => sum + strings.ends.length, 0)
    if (size < this.#unloadedSize) {
      throw new Error(`aiscope: the store's dictionary has ${size} values, fewer than the ${this.#unloadedSize} its log announced`)
    }
    this.#values = valuesByCode
    for (const strings of packed) {
      this.appendPacked(strings)
    }
  }

  /** Forgets every code from `size` on: undoes additions that were never written. */
  truncate(size: number): void {
    if (!this.#values) {
      this.#unloadedSize = Math.max(1, Math.min(this.#unloadedSize, size))
      return
    }
    const values = this.#unpackedValues()
    if (this.#codes) {
      for (let code = size; code < values.length; code += 1) {
        this.#codes.delete(values[code] as string)
      }
    }
    values.length = Math.max(1, size)
  }

  /** The unpacked strings (throws while unloaded); packed ones, if any, stay packed. */
  #loadedValues(): string[] {
    if (!this.#values) {
      throw new Error("aiscope: a dictionary's strings were read before it was loaded from the store (EventStore.loadDictionaries)")
    }
    return this.#values
  }

  /** Every string, unpacked now if some were still packed. */
  #unpackedValues(): string[] {
    const values = this.#loadedValues()
    for (const { strings } of this.#packed) {
      unpack(strings, values)
    }
    this.#packed = []
    this.#packedCount = 0
    return values
  }

  /** The packed string of `code` (past the unpacked ones), or `null` past the end. */
  #decodePacked(code: number): string | null {
    const found = this.#packedAt(code)
    if (found === null) {
      return null
    }
    const { text, ends } = found.strings
    return text.slice(found.index === 0 ? 0 : (ends[found.index - 1] as number), ends[found.index])
  }

  /** Where the packed string of `code` is: its run's strings and its index there; `null` past the end. */
  #packedAt(code: number): { strings: PackedStrings; index: number } | null {
    const packed = this.#packed
    let run = packed[this.#lastRun]
    if (!run || code < run.firstCode || code >= run.firstCode + run.strings.ends.length) {
      // Runs are few (one per stored write) and in code order: the last one starting at or before `code`.
      let low = 0
      let high = packed.length - 1
      while (low < high) {
        const middle = (low + high + 1) >> 1
        if ((packed[middle] as (typeof packed)[number]).firstCode <= code) {
          low = middle
        } else {
          high = middle - 1
        }
      }
      run = packed[low]
      this.#lastRun = low
    }
    const index = run ? code - run.firstCode : -1
    if (!run || index < 0 || index >= run.strings.ends.length) {
      return null
    }
    return { strings: run.strings, index }
  }

  /**
   * The code of `value` among the packed strings, else -1. Compares lengths first, then the
   * text in place, so no string is made (searching the text for `value` found it inside
   * every span id of a trace whose span ids start with the trace id).
   */
  #findPacked(value: string): number {
    const length = value.length
    for (const { firstCode, strings } of this.#packed) {
      const { text, ends } = strings
      let start = 0
      for (let index = 0; index < ends.length; index += 1) {
        const end = ends[index] as number
        if (end - start === length && text.startsWith(value, start)) {
          return firstCode + index
        }
        start = end
      }
    }
    return -1
  }

  #lookup(): Map<string, number> {
    if (!this.#codes) {
      const values = this.#unpackedValues()
      this.#codes = new Map()
      for (let code = 1; code < values.length; code += 1) {
        this.#codes.set(values[code] as string, code)
      }
    }
    return this.#codes
  }
}

/** The strings of packed strings, in order, appended to `values`. */
export function unpack({ text, ends }: PackedStrings, values: string[] = []): string[] {
  let start = 0
  for (const end of ends) {
    values.push(text.slice(start, end))
    start = end
  }
  return values
}

/**
 * The dictionaries of every dimension, shared by all column sets of a store. A dimension
 * that shares another's dictionary (see {@link SHARED_DICTIONARIES}) holds the same object.
 */
export type Dictionaries = Record<ColumnDimension, Dictionary> & { properties: Map<string, Dictionary> }

/** Makes empty dictionaries; those of `unloaded` dimensions start unloaded (see {@link Dictionary.unloaded}). */
export function createDictionaries({ unloaded = [] }: { unloaded?: readonly ColumnDimension[] } = {}): Dictionaries {
  const dictionaries = { properties: new Map<string, Dictionary>() } as Dictionaries
  for (const dimension of DICTIONARY_DIMENSIONS) {
    dictionaries[dimension] = unloaded.includes(dimension) ? Dictionary.unloaded() : new Dictionary()
  }
  for (const [dimension, shared] of Object.entries(SHARED_DICTIONARIES)) {
    dictionaries[dimension as ColumnDimension] = dictionaries[shared]
  }
  return dictionaries
}

/**
 * Events as columns: one typed array per field, one entry per event, in event order.
 * Aggregation kernels run over these without touching event objects.
 */
export interface EventColumns {
  length: number
  /** Event time, ms since epoch. */
  tsMs: Float64Array
  /** Dictionary codes per dimension. */
  dimensions: Record<ColumnDimension, Uint32Array>
  /** Codes of the host-declared property dimensions (`property:<name>`), by property name. */
  properties: Map<string, Uint32Array>
  /** Numeric fields; NaN where absent. Tokens are integer counts, latencies seconds, costs USD. */
  numbers: Record<NumericColumn, Float64Array>
  /** 1 for failed calls (`$ai_is_error`). */
  isError: Uint8Array
  /** `$ai_http_status`, 0 where absent. */
  httpStatus: Uint16Array
  /** 1 where the event is anonymous (its user is its trace id, PostHog's convention). */
  isAnonymous: Uint8Array
  /**
   * Whether input tokens exclude cache tokens: 1 and 2 are `$ai_cache_reporting_exclusive`
   * false and true; without it, 3 where the cache tokens exceed the input tokens (so they can
   * only be counted apart), else 0 (decided by provider and model when priced).
   */
  cacheExclusive: Uint8Array
}

/** Options of {@link eventsToColumns}. */
export interface ColumnOptions {
  /** `$groups` key that names the organisation. @default 'company' */
  organisationGroup?: string
  /** Host properties to keep as dimensions (`property:<name>`). @default [] */
  propertyDimensions?: readonly string[]
}

/** Turns normalised events into columns, encoding strings with the shared dictionaries. */
export function eventsToColumns(
  events: readonly AiscopeEvent[],
  dictionaries: Dictionaries,
  { organisationGroup = 'company', propertyDimensions = [] }: ColumnOptions = {},
): EventColumns {
  const length = events.length
  const dimensions = {} as Record<ColumnDimension, Uint32Array>
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = new Uint32Array(length)
  }
  const numbers = {} as Record<NumericColumn, Float64Array>
  for (const column of NUMERIC_COLUMNS) {
    numbers[column] = new Float64Array(length).fill(Number.NaN)
  }
  const properties = new Map<string, Uint32Array>()
  for (const name of propertyDimensions) {
    properties.set(name, new Uint32Array(length))
    if (!dictionaries.properties.has(name)) {
      dictionaries.properties.set(name, new Dictionary())
    }
  }
  const columns: EventColumns = {
    length,
    tsMs: new Float64Array(length),
    dimensions,
    properties,
    numbers,
    isError: new Uint8Array(length),
    httpStatus: new Uint16Array(length),
    isAnonymous: new Uint8Array(length),
    cacheExclusive: new Uint8Array(length),
  }

  const writer = (dimension: ColumnDimension) => new DimensionWriter(dictionaries[dimension], dimensions[dimension])
  const event = writer('event')
  const model = writer('model')
  const provider = writer('provider')
  const user = writer('user')
  const organisation = writer('organisation')
  const feature = writer('feature')
  const promptName = writer('promptName')
  const promptVersion = writer('promptVersion')
  const traceId = writer('traceId')
  const sessionId = writer('sessionId')
  const spanType = writer('spanType')
  const spanName = writer('spanName')
  const spanId = writer('spanId')
  const parentId = writer('parentId')
  const errorKind = writer('errorKind')
  const errorMessage = writer('errorMessage')
  const interaction = writer('interaction')
  const evaluationName = writer('evaluationName')
  const pageUrl = writer('pageUrl')
  const replaySessionId = writer('replaySessionId')
  const propertyWriters = propertyDimensions.map((name) => new DimensionWriter(dictionaries.properties.get(name) as Dictionary, properties.get(name) as Uint32Array))
  const { tsMs, isError, httpStatus, isAnonymous, cacheExclusive } = columns
  const { latencyS, ttftS, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, cacheWrite1hTokens, reasoningTokens, evaluationScore, clientCostUsd } =
    numbers

  for (let row = 0; row < length; row += 1) {
    const input = events[row] as AiscopeEvent
    const props = input.properties
    const trace = text(props.$ai_trace_id)
    const distinctId = input.distinct_id
    const anonymous = props.$process_person_profile === false || (trace !== undefined && distinctId === trace)
    const status = props.$ai_http_status
    const failed = props.$ai_is_error === true
    const cacheReporting = props.$ai_cache_reporting_exclusive
    tsMs[row] = timestampMs(input.timestamp)
    isAnonymous[row] = anonymous ? 1 : 0
    isError[row] = failed ? 1 : 0
    httpStatus[row] = typeof status === 'number' ? status : 0
    const inputTokenCount = number(props.$ai_input_tokens)
    const cacheRead = number(props.$ai_cache_read_input_tokens)
    const cacheWriteTotal = number(props.$ai_cache_creation_input_tokens)
    cacheExclusive[row] =
      cacheReporting === true
        ? 2
        : cacheReporting === false
          ? 1
          : // PostHog's inference, as the price engine makes it.
            cacheTokensExceedInput(present(inputTokenCount), present(cacheRead), present(cacheWriteTotal))
            ? 3
            : 0

    event.write(row, input.event)
    model.write(row, props.$ai_model)
    provider.write(row, props.$ai_provider)
    if (!anonymous) {
      user.write(row, distinctId)
    }
    organisation.write(row, (props.$groups as Record<string, unknown> | undefined)?.[organisationGroup])
    feature.write(row, props.feature)
    promptName.write(row, props.$ai_prompt_name)
    promptVersion.write(row, props.$ai_prompt_version)
    traceId.write(row, trace)
    const replaySession = props.$session_id
    sessionId.write(row, props.$ai_session_id ?? replaySession)
    spanType.write(row, props.$ai_span_type)
    spanName.write(row, props.$ai_span_name ?? props.$ai_trace_name)
    spanId.write(row, props.$ai_generation_id ?? props.$ai_span_id ?? input.uuid)
    parentId.write(row, props.$ai_parent_id)
    interaction.write(row, props.$ai_interaction)
    evaluationName.write(row, props.$ai_evaluation_name)
    pageUrl.write(row, props.$current_url)
    replaySessionId.write(row, replaySession)
    if (failed) {
      errorMessage.write(row, props.$ai_error_normalized)
      const error = (typeof props.$ai_error === 'object' && props.$ai_error !== null ? props.$ai_error : {}) as Record<string, unknown>
      errorKind.write(
        row,
        classifyError({
          httpStatus: httpStatus[row] || undefined,
          name: text(error.name),
          type: text(error.type ?? error.code ?? props.$ai_error_type),
          message: text(error.message),
          stopReason: text(props.$ai_stop_reason),
        }),
      )
    }
    for (let index = 0; index < propertyWriters.length; index += 1) {
      const property = propertyWriters[index] as DimensionWriter
      property.write(row, props[propertyDimensions[index] as string])
    }

    latencyS[row] = number(props.$ai_latency)
    ttftS[row] = number(props.$ai_time_to_first_token)
    inputTokens[row] = inputTokenCount
    outputTokens[row] = number(props.$ai_output_tokens)
    cacheReadTokens[row] = cacheRead
    // As the price engine reads them: the total, else the 5-minute and 1-hour split's sum.
    const cacheWrite1h = number(props.$ai_cache_creation_1h_input_tokens)
    cacheWriteTokens[row] =
      cacheWriteTokensOf(present(cacheWriteTotal), present(number(props.$ai_cache_creation_5m_input_tokens)), present(cacheWrite1h)) ?? Number.NaN
    cacheWrite1hTokens[row] = cacheWrite1h
    reasoningTokens[row] = number(props.$ai_reasoning_tokens)
    evaluationScore[row] = evaluationScoreOf(props)
    // Costs (or per-token prices) the client sent are facts about the event, kept as they
    // came; table prices are applied when columns are read, never frozen here.
    clientCostUsd[row] = clientCostUsdOf(props)
  }
  return columns
}

/**
 * Writes one dimension's codes. Neighbouring events mostly share their trace, session,
 * user and model: the last string and its code are kept, so a repeat costs a string
 * comparison instead of hashing a fresh (just cloned) string into the dictionary's map.
 */
class DimensionWriter {
  #lastValue: string | undefined
  #lastCode = 0

  constructor(
    private readonly dictionary: Dictionary,
    private readonly codes: Uint32Array,
  ) {}

  /** Stores the code of `value` (as {@link text} reads it) at `row`; absent values keep the column's 0. */
  write(row: number, value: unknown): void {
    const string = text(value)
    if (string === undefined || string === '') {
      return
    }
    if (string !== this.#lastValue) {
      this.#lastCode = this.dictionary.encode(string)
      this.#lastValue = string
    }
    this.codes[row] = this.#lastCode
  }
}

/** Column sets appended in order. */
export function concatColumns(parts: readonly EventColumns[]): EventColumns {
  const length = parts.reduce((sum, part) => sum + part.length, 0)
  const join = <Column extends Float64Array | Uint32Array | Uint8Array | Uint16Array>(
    pick: (part: EventColumns) => Column,
    make: (length: number) => Column,
  ): Column => {
    const joined = make(length)
    let offset = 0
    for (const part of parts) {
      joined.set(pick(part), offset)
      offset += part.length
    }
    return joined
  }
  const dimensions = {} as EventColumns['dimensions']
  for (const dimension of COLUMN_DIMENSIONS) {
    dimensions[dimension] = join((part) => part.dimensions[dimension], (size) => new Uint32Array(size))
  }
  const numbers = {} as EventColumns['numbers']
  for (const column of NUMERIC_COLUMNS) {
    numbers[column] = join((part) => part.numbers[column], (size) => new Float64Array(size))
  }
  const properties = new Map<string, Uint32Array>()
  for (const name of parts[0]?.properties.keys() ?? []) {
    properties.set(name, join((part) => part.properties.get(name) ?? new Uint32Array(part.length), (size) => new Uint32Array(size)))
  }
  return {
    length,
    tsMs: join((part) => part.tsMs, (size) => new Float64Array(size)),
    dimensions,
    properties,
    numbers,
    isError: join((part) => part.isError, (size) => new Uint8Array(size)),
    httpStatus: join((part) => part.httpStatus, (size) => new Uint16Array(size)),
    isAnonymous: join((part) => part.isAnonymous, (size) => new Uint8Array(size)),
    cacheExclusive: join((part) => part.cacheExclusive, (size) => new Uint8Array(size)),
  }
}

/**
 * The cost the client sent, as `priceEvent` reads it (its first two sources), or NaN.
 * The common shapes are read directly: `priceEvent` per event would dominate loading.
 */
function clientCostUsdOf(props: Record<string, unknown>): number {
  const { $ai_total_cost_usd: total, $ai_input_cost_usd: input, $ai_output_cost_usd: output } = props
  const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0
  if (isNumber(total) && (input === undefined || isNumber(input)) && (output === undefined || isNumber(output))) {
    return total
  }
  if (total === undefined && props.$ai_input_token_price === undefined && input === undefined && output === undefined) {
    return Number.NaN
  }
  const cost = priceEvent(props)
  return cost.source === 'client-cost' || cost.source === 'client-token-price' ? cost.totalCostUsd : Number.NaN
}

function evaluationScoreOf(props: Record<string, unknown>): number {
  if (typeof props.$ai_evaluation_numeric_result === 'number') {
    return props.$ai_evaluation_numeric_result
  }
  if (typeof props.$ai_evaluation_result === 'boolean') {
    return props.$ai_evaluation_result ? 1 : 0
  }
  return Number.NaN
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value)
  }
  return undefined
}

/** A column's number as the price engine's helpers take it: `undefined` where absent (NaN). */
function present(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value
}

function number(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN
}
