/**
 * The users kernel: one row per user (`distinct_id`) or per organisation, as PostHog's Users
 * tab lists them (traces, generations, errors, cost, first and last seen), with keyset
 * pagination. One selection pass (range, event names, filters), then one pass over the
 * selected rows with accumulators indexed by the key's dictionary code.
 *
 * Definitions:
 * - Measured events: `spec.eventNames` (default `$ai_generation` and `$ai_embedding`, the
 *   priced calls) in `spec.range` that pass every filter. Every figure of a row, first and
 *   last seen included, is over these events.
 * - Anonymous events (`distinct_id` = trace id, or `$process_person_profile: false`) belong
 *   to no user: they are left out of the user rows (PostHog's rule) and counted in
 *   `unattributedCount`. They do count towards their organisation's traces, generations,
 *   errors, cost and tokens, but never towards its `users`.
 * - `costUsd`: the sum of the known costs, `null` when none of the row's events is priced;
 *   `unpricedCount`: its `$ai_generation` / `$ai_embedding` events with an unknown cost.
 * - Tokens: the sum of the known values (0 when none reports any).
 * - `traces`: distinct trace ids among the row's events; `users`: distinct non-anonymous
 *   users (1 on a user row).
 */

import type { Dictionaries, Dictionary, EventColumns } from '../store'
import { DistinctPairCounter, codeMask, compareKeyValues, selectRows } from './aggregate.utils'
import type { Filter, TimeRange } from './spec'
import type { TraceQueryInput } from './traceQuery'

/** What a users row is keyed by: the event's `distinct_id`, or its organisation (`$groups`). */
export type UsersKey = 'user' | 'organisation'

/** Fields a users list can be sorted by. */
export const USERS_SORT_FIELDS = [
  'key',
  'traces',
  'generations',
  'errors',
  'costUsd',
  'unpricedCount',
  'inputTokens',
  'outputTokens',
  'firstSeenMs',
  'lastSeenMs',
  'users',
] as const

/** One of {@link USERS_SORT_FIELDS}. */
export type UsersSortField = (typeof USERS_SORT_FIELDS)[number]

/**
 * Order of a users list (shaped like the trace list's). Ties are broken by key (UTF-16 code
 * units, ascending), which makes the order total and the keyset cursor exact; `null` costs
 * sort last in both directions.
 */
export interface UsersSort {
  by: UsersSortField
  dir: 'asc' | 'desc'
}

/**
 * Users (or organisations) with their AI usage, a page at a time.
 * @example { kind: 'users', by: 'organisation', sort: { by: 'costUsd', dir: 'desc' }, limit: 50 }
 */
export interface UsersSpec {
  kind: 'users'
  by: UsersKey
  range?: TimeRange
  filters?: readonly Filter[]
  /** Which events are measured. @default ['$ai_generation', '$ai_embedding'] */
  eventNames?: readonly string[]
  /** @default { by: 'lastSeenMs', dir: 'desc' } (PostHog's default) */
  sort?: UsersSort
  /** Rows per page, a whole number from 1 to {@link MAX_USERS_LIMIT}. @default 50 */
  limit?: number
  /** `nextCursor` of the previous page (same sort): this page starts strictly after its last row. @default the first page */
  cursor?: string
}

/** One user or organisation. */
export interface UsersRow {
  /** The `distinct_id`, or the organisation's group key. */
  key: string
  traces: number
  /** `$ai_generation` events. */
  generations: number
  /** Failed calls (`$ai_is_error`). */
  errors: number
  /** Sum of the known costs; `null` when nothing was priced. */
  costUsd: number | null
  /** Generations and embeddings whose cost is unknown. */
  unpricedCount: number
  inputTokens: number
  outputTokens: number
  firstSeenMs: number
  lastSeenMs: number
  /** Distinct non-anonymous users: 1 on a user row. */
  users: number
}

/** One page of a {@link UsersSpec}. */
export interface UsersResult {
  kind: 'users'
  dataVersion: number
  by: UsersKey
  /** The order used (the spec's, or the default). */
  sort: UsersSort
  rows: UsersRow[]
  /** Keys with at least one measured event, over every page. */
  totalCount: number
  /** Cursor of the next page; `null` on the last one. Opaque; valid for the same `sort`. */
  nextCursor: string | null
  /** Measured events without a key: anonymous or without a user (`by: 'user'`), or without an organisation. */
  unattributedCount: number
}

/** What the users kernel reads: the trace query's input. */
export type UsersQueryInput = TraceQueryInput

/** Events measured when a spec names none. */
export const DEFAULT_USERS_EVENTS: readonly string[] = ['$ai_generation', '$ai_embedding']

/** Rows per page when a spec sets no limit (PostHog's Users tab shows 50). */
export const DEFAULT_USERS_LIMIT = 50

/** Most rows one page may ask for. */
export const MAX_USERS_LIMIT = 500

const DEFAULT_SORT: UsersSort = { by: 'lastSeenMs', dir: 'desc' }
const SORT_FIELDS: ReadonlySet<string> = new Set(USERS_SORT_FIELDS)
const PRICED_EVENTS = ['$ai_generation', '$ai_embedding']

/** Per-key accumulators, indexed by the key's dictionary code. */
interface UsersAccumulators {
  events: Int32Array
  generations: Int32Array
  errors: Int32Array
  costUsd: Float64Array
  pricedCount: Int32Array
  unpricedCount: Int32Array
  inputTokens: Float64Array
  outputTokens: Float64Array
  firstSeenMs: Float64Array
  lastSeenMs: Float64Array
  traces: DistinctPairCounter
  users: DistinctPairCounter
}

/**
 * One page of users or organisations; see {@link UsersSpec}. Throws a `RangeError` for an
 * invalid spec (unknown `by` or sort, a `limit` that is not a whole number from 1 to
 * {@link MAX_USERS_LIMIT}, a cursor this function did not give or gave for another sort) or filter.
 */
export function runUsersQuery(spec: UsersSpec, input: UsersQueryInput): UsersResult {
  const { columns, dictionaries } = input
  if (spec.by !== 'user' && spec.by !== 'organisation') {
    throw new RangeError(`Unknown spec.by "${String(spec.by)}": use 'user' or 'organisation'.`)
  }
  const sort = spec.sort ?? DEFAULT_SORT
  if (!SORT_FIELDS.has(sort.by) || (sort.dir !== 'asc' && sort.dir !== 'desc')) {
    throw new RangeError(`spec.sort must be { by: one of ${USERS_SORT_FIELDS.join(', ')}; dir: 'asc' | 'desc' }, not ${JSON.stringify(sort)}.`)
  }
  const limit = spec.limit ?? DEFAULT_USERS_LIMIT
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= MAX_USERS_LIMIT)) {
    throw new RangeError(`spec.limit must be a whole number from 1 to ${MAX_USERS_LIMIT}, not ${limit}.`)
  }
  const cursor = spec.cursor === undefined ? null : parseCursor(spec.cursor, sort)

  const rows = selectRows(
    input,
    spec.eventNames ?? DEFAULT_USERS_EVENTS,
    spec.range?.fromMs ?? -Infinity,
    spec.range?.toMs ?? Infinity,
    spec.filters ?? [],
  )
  const keyDictionary = spec.by === 'user' ? dictionaries.user : dictionaries.organisation
  const keyCodes = spec.by === 'user' ? columns.dimensions.user : columns.dimensions.organisation
  const { accumulators, unattributedCount } = accumulateUsers(columns, dictionaries, input.costUsd, rows, spec.by, keyCodes, keyDictionary)

  const present: number[] = []
  for (let code = 1; code < accumulators.events.length; code += 1) {
    if ((accumulators.events[code] as number) > 0) {
      present.push(code)
    }
  }
  const sortValues = sortValuesOf(accumulators, sort.by, spec.by)
  const order = rowOrder(sort, sortValues, keyDictionary)
  const candidates =
    cursor === null
      ? present
      : present.filter((code) => compareWithCursor(sort, sortValues[code] as number, keyDictionary.values[code] as string, cursor) > 0)
  const page = smallest(candidates, limit + 1, order)
  const hasMore = page.length > limit
  const shown = hasMore ? page.slice(0, limit) : page
  const last = shown[shown.length - 1]
  return {
    kind: 'users',
    dataVersion: input.dataVersion,
    by: spec.by,
    sort: { by: sort.by, dir: sort.dir },
    rows: shown.map((code) => usersRow(accumulators, code, keyDictionary, spec.by)),
    totalCount: present.length,
    nextCursor: hasMore && last !== undefined ? makeCursor(sort, sortValues[last] as number, keyDictionary.values[last] as string) : null,
    unattributedCount,
  }
}

function accumulateUsers(
  columns: EventColumns,
  dictionaries: Dictionaries,
  costUsd: Float64Array,
  rows: Int32Array,
  by: UsersKey,
  keyCodes: Uint32Array,
  keyDictionary: Pick<Dictionary, 'values' | 'size'>,
): { accumulators: UsersAccumulators; unattributedCount: number } {
  const keyCount = keyDictionary.size
  const userCount = dictionaries.user.size
  const accumulators: UsersAccumulators = {
    events: new Int32Array(keyCount),
    generations: new Int32Array(keyCount),
    errors: new Int32Array(keyCount),
    costUsd: new Float64Array(keyCount),
    pricedCount: new Int32Array(keyCount),
    unpricedCount: new Int32Array(keyCount),
    inputTokens: new Float64Array(keyCount),
    outputTokens: new Float64Array(keyCount),
    firstSeenMs: new Float64Array(keyCount).fill(Infinity),
    lastSeenMs: new Float64Array(keyCount).fill(-Infinity),
    traces: new DistinctPairCounter(keyCount, dictionaries.traceId.size, 'users.traces'),
    users: new DistinctPairCounter(keyCount, userCount, 'users.users'),
  }
  const { events, generations, errors, pricedCount, unpricedCount, firstSeenMs, lastSeenMs, traces, users } = accumulators
  const costSums = accumulators.costUsd
  const inputSums = accumulators.inputTokens
  const outputSums = accumulators.outputTokens
  const generationCode = dictionaries.event.find('$ai_generation')
  const pricedEvents = codeMask(dictionaries.event, PRICED_EVENTS)
  const eventCodes = columns.dimensions.event
  const traceCodes = columns.dimensions.traceId
  const userCodes = columns.dimensions.user
  const { isAnonymous, isError, tsMs } = columns
  const { inputTokens, outputTokens } = columns.numbers
  const anonymousHasNoKey = by === 'user'
  let unattributedCount = 0
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as number
    const anonymous = isAnonymous[row] === 1
    const key = keyCodes[row] as number
    if (key === 0 || (anonymousHasNoKey && anonymous)) {
      unattributedCount += 1
      continue
    }
    events[key] = (events[key] as number) + 1
    const eventCode = eventCodes[row] as number
    if (eventCode === generationCode) {
      generations[key] = (generations[key] as number) + 1
    }
    errors[key] = (errors[key] as number) + (isError[row] as number)
    const cost = costUsd[row] as number
    if (cost === cost) {
      costSums[key] = (costSums[key] as number) + cost
      pricedCount[key] = (pricedCount[key] as number) + 1
    } else if (pricedEvents[eventCode] === 1) {
      unpricedCount[key] = (unpricedCount[key] as number) + 1
    }
    const input = inputTokens[row] as number
    if (input === input) {
      inputSums[key] = (inputSums[key] as number) + input
    }
    const output = outputTokens[row] as number
    if (output === output) {
      outputSums[key] = (outputSums[key] as number) + output
    }
    const ts = tsMs[row] as number
    if (ts < (firstSeenMs[key] as number)) {
      firstSeenMs[key] = ts
    }
    if (ts > (lastSeenMs[key] as number)) {
      lastSeenMs[key] = ts
    }
    traces.add(key, traceCodes[row] as number)
    if (!anonymous) {
      users.add(key, userCodes[row] as number)
    }
  }
  return { accumulators, unattributedCount }
}

function usersRow(accumulators: UsersAccumulators, code: number, keyDictionary: Pick<Dictionary, 'values' | 'size'>, by: UsersKey): UsersRow {
  const at = (values: Int32Array | Float64Array) => (values[code] as number) + 0
  return {
    key: keyDictionary.values[code] as string,
    traces: at(accumulators.traces.counts),
    generations: at(accumulators.generations),
    errors: at(accumulators.errors),
    costUsd: at(accumulators.pricedCount) > 0 ? at(accumulators.costUsd) : null,
    unpricedCount: at(accumulators.unpricedCount),
    inputTokens: at(accumulators.inputTokens),
    outputTokens: at(accumulators.outputTokens),
    firstSeenMs: at(accumulators.firstSeenMs),
    lastSeenMs: at(accumulators.lastSeenMs),
    users: by === 'user' ? 1 : at(accumulators.users.counts),
  }
}

/** The sort value of every key code (NaN for a `null` cost; unused for `'key'`). */
function sortValuesOf(accumulators: UsersAccumulators, field: UsersSortField, by: UsersKey): Float64Array {
  switch (field) {
    case 'key':
      return new Float64Array(accumulators.events.length)
    case 'costUsd':
      return accumulators.costUsd.map((sum, code) => ((accumulators.pricedCount[code] as number) > 0 ? sum : Number.NaN))
    case 'users':
      return by === 'user' ? new Float64Array(accumulators.events.length).fill(1) : Float64Array.from(accumulators.users.counts)
    case 'traces':
      return Float64Array.from(accumulators.traces.counts)
    case 'generations':
    case 'errors':
    case 'unpricedCount':
    case 'inputTokens':
    case 'outputTokens':
    case 'firstSeenMs':
    case 'lastSeenMs':
      return Float64Array.from(accumulators[field])
    default:
      throw new RangeError(`Unknown sort field "${field satisfies never}".`)
  }
}

/** Compares a row's (value, key) with another's in list order: negative when `a` comes first. */
function compareSortKeys(sort: UsersSort, valueA: number, keyA: string, valueB: number, keyB: string): number {
  if (sort.by === 'key') {
    const order = compareKeyValues(keyA, keyB)
    return sort.dir === 'asc' ? order : -order
  }
  if (valueA !== valueB) {
    const nanA = Number.isNaN(valueA)
    const nanB = Number.isNaN(valueB)
    if (!(nanA && nanB)) {
      if (nanA || nanB) {
        return nanA ? 1 : -1
      }
      return sort.dir === 'asc' ? valueA - valueB : valueB - valueA
    }
  }
  return compareKeyValues(keyA, keyB)
}

function rowOrder(sort: UsersSort, values: Float64Array, keyDictionary: Pick<Dictionary, 'values' | 'size'>): (a: number, b: number) => number {
  const keys = keyDictionary.values
  return (a, b) => compareSortKeys(sort, values[a] as number, keys[a] as string, values[b] as number, keys[b] as string)
}

/** Where a page starts: the sort it was made for and the last row shown. */
interface UsersCursor {
  by: UsersSortField
  dir: 'asc' | 'desc'
  /** The last row's sort value; `null` for a `null` cost (and unused when sorting by key). */
  value: number | null
  key: string
}

/** An opaque, URL-safe cursor: base64url of a small JSON record. */
function makeCursor(sort: UsersSort, value: number, key: string): string {
  const json = JSON.stringify({ v: 1, by: sort.by, dir: sort.dir, value: Number.isNaN(value) ? null : value, key })
  let binary = ''
  for (const byte of new TextEncoder().encode(json)) {
    binary += String.fromCharCode(byte)
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

/** The position of a cursor; a `RangeError` naming `spec.cursor` when it is not one for this sort. */
function parseCursor(cursor: string, sort: UsersSort): UsersCursor {
  const invalid = (why: string) =>
    new RangeError(`spec.cursor is not a valid users cursor (${why}): pass the nextCursor of a previous page with the same sort, or omit it.`)
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(cursor)) {
      throw new Error('not base64url')
    }
    const bytes = Uint8Array.from(atob(cursor.replaceAll('-', '+').replaceAll('_', '/')), (char) => char.charCodeAt(0))
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw invalid('it does not decode')
  }
  const { v, by, dir, value, key } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>
  if (v !== 1 || typeof by !== 'string' || typeof dir !== 'string' || typeof key !== 'string' || !(value === null || Number.isFinite(value))) {
    throw invalid('unknown shape')
  }
  if (by !== sort.by || dir !== sort.dir) {
    throw invalid(`it was made for sort ${by} ${dir}, this spec sorts by ${sort.by} ${sort.dir}`)
  }
  return { by: sort.by, dir: sort.dir, value: value as number | null, key }
}

function compareWithCursor(sort: UsersSort, value: number, key: string, cursor: UsersCursor): number {
  return compareSortKeys(sort, value, key, cursor.value ?? Number.NaN, cursor.key)
}

/**
 * The `count` first items of `items` in `order`, sorted: a bounded heap (the worst kept item
 * on top), so a page of 50 out of 100,000 keys costs one comparison for most keys.
 */
export function smallest<T>(items: readonly T[], count: number, order: (a: T, b: T) => number): T[] {
  if (items.length <= count * 4) {
    return [...items].sort(order).slice(0, count)
  }
  const heap: T[] = []
  const worse = (i: number, j: number) => order(heap[i] as T, heap[j] as T) > 0
  const swap = (i: number, j: number) => {
    const item = heap[i] as T
    heap[i] = heap[j] as T
    heap[j] = item
  }
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item)
      let child = heap.length - 1
      while (child > 0) {
        const parent = (child - 1) >> 1
        if (!worse(child, parent)) {
          break
        }
        swap(child, parent)
        child = parent
      }
    } else if (count > 0 && order(item, heap[0] as T) < 0) {
      heap[0] = item
      let parent = 0
      for (;;) {
        const left = 2 * parent + 1
        const right = left + 1
        let worst = parent
        if (left < heap.length && worse(left, worst)) {
          worst = left
        }
        if (right < heap.length && worse(right, worst)) {
          worst = right
        }
        if (worst === parent) {
          break
        }
        swap(parent, worst)
        parent = worst
      }
    }
  }
  return heap.sort(order)
}
