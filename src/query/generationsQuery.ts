/**
 * The generation list: one row per LLM call (`$ai_generation`) or embedding call
 * (`$ai_embedding`), filtered, searched, sorted and paged by keyset, as the trace list is.
 *
 * One selection pass (event names, range, filters: `selectRows`) gives the matching rows; a
 * pass over them applies the search and the cursor and keeps the page in a bounded heap, so
 * a page costs one linear pass plus O(rows · log limit), never a sort of every call. Text
 * orders compare ranks (each dictionary sorted once per query), so the heap compares numbers;
 * ids are compared as strings only on ties.
 *
 * Definitions:
 *
 * - A row is an event named `$ai_generation` or `$ai_embedding` with a valid time. Its `id`
 *   is the tree node id the trace viewer uses (`$ai_generation_id`, else `$ai_span_id`, else
 *   the event's uuid), so a row opens the same node in the viewer.
 * - `range` holds a call when its time lies in `[fromMs, toMs)`; every filter has to hold on
 *   the call itself (unlike the trace list, where any event of a trace may pass them).
 * - `search` looks, ignoring case and surrounding spaces, in the model, provider, span name,
 *   trace name, trace id, node id, user, session id and prompt name.
 * - `user` is `null` for anonymous calls (PostHog's rule: their distinct id is the trace id).
 * - `costUsd` is the read-time cost (the client's, an override's or the price table's);
 *   `null` when unknown, never 0. Tokens, latency and time to first token are `null` when
 *   the call did not report them.
 * - Order: the sort value, `null` last in both directions, then the id ascending (UTF-16
 *   code units), then the row (arrival order), which makes the order total and the keyset
 *   cursor exact: a page starts strictly after the cursor's (value, id, row), whatever
 *   arrived since (stored events keep their rows; new ones are appended).
 */

import type { Dictionary } from '../store'
import { selectRows } from './aggregate.utils'
import type { Filter, TimeRange } from './spec'
import type { TraceQueryInput } from './traceQuery'
import { smallest } from './usersQuery'
import { compareNumbers } from './sortOrder'

/** Fields a generation list sorts by. */
export const GENERATION_SORT_FIELDS = [
  'timestampMs',
  'model',
  'provider',
  'user',
  'traceName',
  'spanName',
  'promptName',
  'promptVersion',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'latencyS',
  'ttftS',
  'isError',
] as const

/** One of {@link GENERATION_SORT_FIELDS}. */
export type GenerationSortField = (typeof GENERATION_SORT_FIELDS)[number]

/** The events a generation list holds. */
export const GENERATION_EVENT_NAMES: readonly string[] = ['$ai_generation', '$ai_embedding']

/** Rows per page when a spec names no limit (as the trace list). */
export const DEFAULT_GENERATIONS_LIMIT = 50

/** Most rows one page may ask for. */
export const MAX_GENERATIONS_LIMIT = 500

/**
 * A page of the generation list: LLM and embedding calls in a time range, narrowed by
 * filters and a search, in one order, after a keyset cursor.
 * @example { kind: 'generations', filters: [{ field: 'isError', op: 'equals', value: true }], sort: { by: 'latencyS', dir: 'desc' } }
 */
export interface GenerationsSpec {
  kind: 'generations'
  /** Keeps the calls whose time lies in the range. @default every call */
  range?: TimeRange
  /** Keeps the calls that pass all of them. @default [] */
  filters?: readonly Filter[]
  /** Keeps the calls whose model, provider, span or trace name, trace or node id, user, session or prompt name contains it, ignoring case and surrounding spaces. @default '' (no search) */
  search?: string
  /** @default { by: 'timestampMs', dir: 'desc' } (newest first) */
  sort?: { by: GenerationSortField; dir: 'asc' | 'desc' }
  /** Rows per page, a whole number from 1 to {@link MAX_GENERATIONS_LIMIT}. @default 50 */
  limit?: number
  /** `nextCursor` of the previous page (same sort): this page starts strictly after its last row. @default the first page */
  cursor?: string
}

/** One call of the list: metadata and figures, no content. */
export interface GenerationRow {
  /** The tree node id: `$ai_generation_id`, else `$ai_span_id`, else the event's uuid. */
  id: string
  /** `$ai_generation` or `$ai_embedding`. */
  event: string
  /** Event time, ms since epoch. */
  timestampMs: number
  traceId: string | null
  /** The trace's name (its `$ai_trace` event's, else its earliest named event's). */
  traceName: string | null
  /** `$ai_parent_id`: the span (or trace) the call ran under. */
  parentId: string | null
  /** `$ai_span_name`. */
  spanName: string | null
  model: string | null
  provider: string | null
  /** The distinct id; `null` for anonymous calls. */
  user: string | null
  sessionId: string | null
  promptName: string | null
  promptVersion: string | null
  inputTokens: number | null
  outputTokens: number | null
  /** Read-time cost in USD; `null` when unknown (never 0 for unknown). */
  costUsd: number | null
  /** `$ai_latency`, seconds. */
  latencyS: number | null
  /** `$ai_time_to_first_token`, seconds (streamed calls). */
  ttftS: number | null
  isError: boolean
  /** `rate_limit`, `timeout`, `server`, `client`, `content_filter` or `other` for failed calls. */
  errorKind: string | null
  /** `$ai_error_normalized` of failed calls. */
  errorMessage: string | null
  /** `$ai_http_status`; `null` when absent. */
  httpStatus: number | null
}

/** The answer to a {@link GenerationsSpec}. */
export interface GenerationsResult {
  kind: 'generations'
  /** The store's data version the page was computed at. */
  dataVersion: number
  rows: GenerationRow[]
  /** Calls that match the range, filters and search (all pages). */
  totalCount: number
  /** Cursor of the next page; `null` when this page is the last. */
  nextCursor: string | null
}

/** The position a cursor stands for: the last row of a page, in its order. */
interface CursorPosition {
  by: GenerationSortField
  dir: 'asc' | 'desc'
  value: number | string | null
  id: string
  row: number
}

type TextSortField = 'model' | 'provider' | 'user' | 'traceName' | 'spanName' | 'promptName' | 'promptVersion'

const TEXT_SORT_FIELDS: ReadonlySet<string> = new Set<TextSortField>([
  'model',
  'provider',
  'user',
  'traceName',
  'spanName',
  'promptName',
  'promptVersion',
])

const SORT_FIELD_SET: ReadonlySet<string> = new Set(GENERATION_SORT_FIELDS)

/**
 * One page of the generation list; see {@link GenerationsSpec} and the module comment for the
 * rules. Throws a `RangeError` for an invalid `limit`, `sort` or `cursor` (not one this
 * function gave, or given for another sort), for inputs shorter than the columns, and for
 * invalid filters as `runAggregate` does.
 */
export function runGenerationsQuery(spec: GenerationsSpec, input: TraceQueryInput): GenerationsResult {
  const { columns } = input
  const limit = spec.limit ?? DEFAULT_GENERATIONS_LIMIT
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_GENERATIONS_LIMIT)) {
    throw new RangeError(`spec.limit must be a whole number from 1 to ${MAX_GENERATIONS_LIMIT}, not ${limit}.`)
  }
  const sort = spec.sort ?? { by: 'timestampMs', dir: 'desc' }
  if (!SORT_FIELD_SET.has(sort.by) || (sort.dir !== 'asc' && sort.dir !== 'desc')) {
    throw new RangeError(
      `spec.sort must be { by: one of ${GENERATION_SORT_FIELDS.join(', ')}; dir: 'asc' | 'desc' }, not ${JSON.stringify(sort)}.`,
    )
  }
  if (input.costUsd.length < columns.length || input.traceNameCodes.length < columns.length) {
    throw new RangeError(
      `TraceQueryInput.costUsd (${input.costUsd.length}) and traceNameCodes (${input.traceNameCodes.length}) need one entry per event (${columns.length}).`,
    )
  }
  const cursor = spec.cursor === undefined ? undefined : decodeCursor(spec.cursor, sort)
  const search = spec.search?.trim() ?? ''

  const selected = selectRows(input, GENERATION_EVENT_NAMES, spec.range?.fromMs ?? -Infinity, spec.range?.toMs ?? Infinity, spec.filters ?? [])
  const searched = search === '' ? undefined : searchMatcher(search, input)
  const order = new GenerationOrder(sort, input)
  const cursorKey = cursor === undefined ? undefined : order.cursorKey(cursor)
  const candidates: number[] = []
  let totalCount = 0
  for (let index = 0; index < selected.length; index += 1) {
    const row = selected[index] as number
    if (searched !== undefined && !searched(row)) {
      continue
    }
    totalCount += 1
    if (cursor !== undefined && order.compareToCursor(row, cursorKey as number, cursor) <= 0) {
      continue
    }
    candidates.push(row)
  }

  const page = smallest(candidates, limit + 1, order.compare)
  const shown = page.length > limit ? page.slice(0, limit) : page
  const last = shown[shown.length - 1]
  const nextCursor =
    page.length > limit && last !== undefined
      ? encodeCursor({ by: sort.by, dir: sort.dir, value: order.valueOf(last), id: order.idOf(last), row: last })
      : null
  return {
    kind: 'generations',
    dataVersion: input.dataVersion,
    rows: shown.map((row) => generationRow(row, input)),
    totalCount,
    nextCursor,
  }
}

/** Whether a call's model, provider, names, ids, user, session or prompt name contains the search. */
function searchMatcher(search: string, input: TraceQueryInput): (row: number) => boolean {
  const { dictionaries, traceNameCodes } = input
  const { dimensions } = input.columns
  // A case-insensitive pattern tests each string without making a lower-cased copy of it.
  const pattern = new RegExp(search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu')
  const fields: [Uint32Array, (code: number) => boolean][] = [
    [dimensions.model, dictionaryMatcher(dictionaries.model, pattern)],
    [dimensions.provider, dictionaryMatcher(dictionaries.provider, pattern)],
    [dimensions.spanName, dictionaryMatcher(dictionaries.spanName, pattern)],
    [traceNameCodes, dictionaryMatcher(dictionaries.spanName, pattern)],
    [dimensions.traceId, dictionaryMatcher(dictionaries.traceId, pattern)],
    [dimensions.spanId, dictionaryMatcher(dictionaries.spanId, pattern)],
    [dimensions.user, dictionaryMatcher(dictionaries.user, pattern)],
    [dimensions.sessionId, dictionaryMatcher(dictionaries.sessionId, pattern)],
    [dimensions.promptName, dictionaryMatcher(dictionaries.promptName, pattern)],
  ]
  return (row) => fields.some(([codes, matches]) => matches(codes[row] as number))
}

/** Whether a code's value matches `pattern`, each code tested once. */
function dictionaryMatcher(dictionary: Dictionary, pattern: RegExp): (code: number) => boolean {
  // 0 not tested yet, 1 matches, 2 does not.
  const known = new Uint8Array(dictionary.size)
  return (code) => {
    if (code === 0) {
      return false
    }
    if (known[code] === 0) {
      known[code] = pattern.test(dictionary.values[code] as string) ? 1 : 2
    }
    return known[code] === 1
  }
}

/**
 * The order of a sort as numbers: a numeric field's value, or a text field's rank among its
 * dictionary's values (NaN for `null`, last either way), then the id, then the row.
 */
class GenerationOrder {
  readonly #sign: number
  readonly #ids: Uint32Array
  readonly #idValues: readonly string[]
  readonly #numbers: Float64Array | Uint8Array | undefined
  readonly #codes: Uint32Array | undefined
  readonly #ranks: Float64Array | undefined
  /** Values of the text field's dictionary in rank order (rank = index + 1). */
  readonly #sortedValues: readonly string[] | undefined
  readonly #values: readonly string[] | undefined

  constructor(sort: { by: GenerationSortField; dir: 'asc' | 'desc' }, input: TraceQueryInput) {
    const { columns, dictionaries } = input
    this.#sign = sort.dir === 'asc' ? 1 : -1
    this.#ids = columns.dimensions.spanId
    this.#idValues = dictionaries.spanId.values
    if (TEXT_SORT_FIELDS.has(sort.by)) {
      const { codes, dictionary } = textColumn(sort.by as TextSortField, input)
      const byValue = Array.from({ length: dictionary.size - 1 }, (_, index) => index + 1).sort((a, b) =>
        compareText(dictionary.values[a] as string, dictionary.values[b] as string),
      )
      const ranks = new Float64Array(dictionary.size)
      ranks[0] = Number.NaN
      byValue.forEach((code, index) => {
        ranks[code] = index + 1
      })
      this.#codes = codes
      this.#ranks = ranks
      this.#values = dictionary.values
      this.#sortedValues = byValue.map((code) => dictionary.values[code] as string)
    } else {
      this.#numbers = numericColumn(sort.by as Exclude<GenerationSortField, TextSortField>, input)
    }
  }

  /** The sort key of a row: a number, NaN for `null`. */
  keyOf(row: number): number {
    if (this.#numbers !== undefined) {
      return this.#numbers[row] as number
    }
    return (this.#ranks as Float64Array)[(this.#codes as Uint32Array)[row] as number] as number
  }

  /** The key a cursor's value stands at: a text value not in the dictionary falls between ranks. */
  cursorKey(cursor: CursorPosition): number {
    if (cursor.value === null) {
      return Number.NaN
    }
    if (typeof cursor.value === 'number') {
      return cursor.value
    }
    const sorted = this.#sortedValues as readonly string[]
    let low = 0
    let high = sorted.length
    while (low < high) {
      const middle = (low + high) >> 1
      if ((sorted[middle] as string) < cursor.value) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return sorted[low] === cursor.value ? low + 1 : low + 0.5
  }

  /** Negative when row `a` comes first. An arrow, as `smallest` calls it unbound. */
  readonly compare = (a: number, b: number): number =>
    compareNumbers(this.keyOf(a), this.keyOf(b), this.#sign) || compareText(this.idOf(a), this.idOf(b)) || a - b

  /** Negative when the row comes before the cursor's position, 0 when it is the cursor's row. */
  compareToCursor(row: number, cursorKey: number, cursor: CursorPosition): number {
    return compareNumbers(this.keyOf(row), cursorKey, this.#sign) || compareText(this.idOf(row), cursor.id) || row - cursor.row
  }

  /** The sort value of a row, as a cursor holds it. */
  valueOf(row: number): number | string | null {
    if (this.#numbers !== undefined) {
      const value = this.#numbers[row] as number
      return Number.isNaN(value) ? null : value
    }
    const code = (this.#codes as Uint32Array)[row] as number
    return code === 0 ? null : ((this.#values as readonly string[])[code] as string)
  }

  idOf(row: number): string {
    return this.#idValues[this.#ids[row] as number] as string
  }
}

/** The codes and dictionary a text sort reads. */
function textColumn(by: TextSortField, input: TraceQueryInput): { codes: Uint32Array; dictionary: Dictionary } {
  const { columns, dictionaries } = input
  if (by === 'traceName') {
    return { codes: input.traceNameCodes, dictionary: dictionaries.spanName }
  }
  return { codes: columns.dimensions[by], dictionary: dictionaries[by] }
}

/** The column a numeric sort reads (NaN for `null`). */
function numericColumn(by: Exclude<GenerationSortField, TextSortField>, input: TraceQueryInput): Float64Array | Uint8Array {
  const { columns } = input
  switch (by) {
    case 'timestampMs':
      return columns.tsMs
    case 'costUsd':
      return input.costUsd
    case 'isError':
      return columns.isError
    case 'inputTokens':
    case 'outputTokens':
    case 'latencyS':
    case 'ttftS':
      return columns.numbers[by]
    default:
      throw new RangeError(`Unknown sort field "${by satisfies never}".`)
  }
}

/** Strings by UTF-16 code units, ascending. */
function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0
}

/** The row of one call. */
function generationRow(row: number, input: TraceQueryInput): GenerationRow {
  const { columns, dictionaries } = input
  const { dimensions, numbers } = columns
  const decode = (dimension: keyof typeof dimensions) => dictionaries[dimension].decode(dimensions[dimension][row] as number)
  const number = (value: number) => (Number.isNaN(value) ? null : value)
  const isError = columns.isError[row] === 1
  const httpStatus = columns.httpStatus[row] as number
  return {
    id: decode('spanId') ?? `row-${row}`,
    event: decode('event') ?? '',
    timestampMs: columns.tsMs[row] as number,
    traceId: decode('traceId'),
    traceName: dictionaries.spanName.decode(input.traceNameCodes[row] as number),
    parentId: decode('parentId'),
    spanName: decode('spanName'),
    model: decode('model'),
    provider: decode('provider'),
    user: decode('user'),
    sessionId: decode('sessionId'),
    promptName: decode('promptName'),
    promptVersion: decode('promptVersion'),
    inputTokens: number(numbers.inputTokens[row] as number),
    outputTokens: number(numbers.outputTokens[row] as number),
    costUsd: number(input.costUsd[row] as number),
    latencyS: number(numbers.latencyS[row] as number),
    ttftS: number(numbers.ttftS[row] as number),
    isError,
    errorKind: isError ? decode('errorKind') : null,
    errorMessage: isError ? decode('errorMessage') : null,
    httpStatus: httpStatus === 0 ? null : httpStatus,
  }
}

// ---------------------------------------------------------------- cursors

/** Base64url of the UTF-8 JSON of a position (opaque to callers). */
function encodeCursor(position: CursorPosition): string {
  const json = JSON.stringify({ v: 1, by: position.by, dir: position.dir, value: position.value, id: position.id, row: position.row })
  let binary = ''
  for (const byte of new TextEncoder().encode(json)) {
    binary += String.fromCharCode(byte)
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** The position of a cursor; a `RangeError` naming `spec.cursor` when it is not one for this sort. */
function decodeCursor(cursor: string, sort: { by: GenerationSortField; dir: 'asc' | 'desc' }): CursorPosition {
  const invalid = (why: string) =>
    new RangeError(
      `spec.cursor is not a valid generation-list cursor (${why}): pass the nextCursor of a previous page with the same sort, or omit it.`,
    )
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(cursor)) {
      throw new Error('not base64url')
    }
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0))
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw invalid('it does not decode')
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw invalid('it does not decode')
  }
  const { v, by, dir, value, id, row } = parsed as Record<string, unknown>
  if (v !== 1 || typeof id !== 'string' || typeof by !== 'string' || typeof dir !== 'string' || !(Number.isInteger(row) && (row as number) >= 0)) {
    throw invalid('unknown shape')
  }
  if (by !== sort.by || dir !== sort.dir) {
    throw invalid(`it was made for sort ${by} ${dir}, this spec sorts by ${sort.by} ${sort.dir}`)
  }
  const valueOk =
    value === null || (TEXT_SORT_FIELDS.has(by) ? typeof value === 'string' : typeof value === 'number' && Number.isFinite(value))
  if (!valueOk) {
    throw invalid('its sort value has the wrong type')
  }
  return { by: sort.by, dir: sort.dir, value: value as number | string | null, id, row: row as number }
}
