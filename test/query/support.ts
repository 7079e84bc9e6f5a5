/**
 * What the query tests share: events from the fields a test names, the kernel input the
 * engine would build from them (and after more events arrive), columns filled straight from
 * rows (no event objects), every page of a paged list, and local calendar fields straight
 * from Intl (the independent reference for time buckets).
 */
import { expect } from 'vitest'
import { traceNameCodes } from '../../src/query/traceNames'
import type { TraceQueryInput } from '../../src/query/traceQuery'
import type { AiscopeEvent } from '../../src/schema'
import {
  COLUMN_DIMENSIONS,
  NUMERIC_COLUMNS,
  Dictionary,
  concatColumns,
  createDictionaries,
  eventsToColumns,
  type ColumnDimension,
  type EventColumns,
  type NumericColumn,
} from '../../src/store'

/** An event as a test describes it. */
export interface EventFields {
  event: string
  /** ISO 8601 text, or ms since epoch. */
  ts: string | number
  distinctId: string
  /** Those whose value is `undefined` are left out: a test's absent fields stay absent. */
  properties: Record<string, unknown>
}

/** The event `fields` describe, with the uuid `uuid-<index>`. */
export function testEvent(fields: EventFields, index: number): AiscopeEvent {
  return {
    event: fields.event,
    uuid: `uuid-${index}`,
    distinct_id: fields.distinctId,
    timestamp: typeof fields.ts === 'number' ? new Date(fields.ts).toISOString() : fields.ts,
    properties: Object.fromEntries(Object.entries(fields.properties).filter(([, value]) => value !== undefined)),
  }
}

/** Options of {@link kernelInput}. */
export interface KernelInputOptions {
  /** Each event's read-time cost, by position; `undefined` is unknown. @default every cost unknown */
  costUsd?: readonly (number | undefined)[]
  /** @default 1 */
  dataVersion?: number
  /** Anonymous events keep a user code (as a store might), so a kernel has to look at the anonymous flag. @default false */
  keepAnonymousUsers?: boolean
}

/** What the kernels read, built from events as the engine builds it: columns, costs, trace names. */
export function kernelInput(
  events: readonly AiscopeEvent[],
  { costUsd = [], dataVersion = 1, keepAnonymousUsers = false }: KernelInputOptions = {},
): TraceQueryInput {
  const dictionaries = createDictionaries()
  const columns = eventsToColumns(events, dictionaries)
  if (keepAnonymousUsers) {
    events.forEach((event, row) => {
      if (columns.isAnonymous[row] === 1) {
        columns.dimensions.user[row] = dictionaries.user.encode(event.distinct_id)
      }
    })
  }
  return {
    columns,
    dictionaries,
    costUsd: Float64Array.from(events, (_, row) => costUsd[row] ?? Number.NaN),
    traceNameCodes: traceNameCodes(columns, dictionaries),
    dataVersion,
  }
}

/**
 * The input after `more` events are stored behind those of `previous`, as the worker's column
 * cache sees it: the same dictionaries, the columns concatenated, trace names over the whole,
 * and the next data version.
 */
export function appendedInput(
  previous: TraceQueryInput,
  more: readonly AiscopeEvent[],
  { costUsd = [] }: Pick<KernelInputOptions, 'costUsd'> = {},
): TraceQueryInput {
  const { dictionaries } = previous
  const columns = concatColumns([previous.columns, eventsToColumns(more, dictionaries)])
  const costs = new Float64Array(columns.length)
  costs.set(previous.costUsd.subarray(0, previous.columns.length))
  costs.set(Float64Array.from(more, (_, index) => costUsd[index] ?? Number.NaN), previous.columns.length)
  return {
    columns,
    dictionaries,
    costUsd: costs,
    traceNameCodes: traceNameCodes(columns, dictionaries),
    dataVersion: previous.dataVersion + 1,
  }
}

/** A page of a keyset-paged list. */
interface Page {
  rows: readonly unknown[]
  nextCursor: string | null
}

/**
 * Every page of a keyset-paged query, following `nextCursor` from the first page on. Every
 * page before the last has to be full: `spec.limit` rows (or, without one, as many as the first).
 */
export function allPages<Spec extends { limit?: number; cursor?: string }, Result extends Page>(
  run: (spec: Spec) => Result,
  spec: Spec,
): { rows: Result['rows'][number][]; pages: Result[] } {
  const pages: Result[] = []
  let cursor: string | undefined
  for (;;) {
    const page = run({ ...spec, ...(cursor === undefined ? {} : { cursor }) })
    pages.push(page)
    if (page.nextCursor === null) {
      break
    }
    expect(page.rows.length).toBe(spec.limit ?? pages[0]?.rows.length)
    cursor = page.nextCursor
    expect(pages.length).toBeLessThan(1000)
  }
  return { rows: pages.flatMap((page) => page.rows), pages }
}

/** One event as the columns hold it, for kernels tested without event objects; `null` or absent is absent. */
export interface ColumnRow {
  tsMs: number
  event: string
  model?: string | null
  provider?: string | null
  /** Kept even on anonymous events, so that a kernel has to look at the anonymous flag. */
  user?: string | null
  anonymous?: boolean
  feature?: string | null
  /** The name of the event's trace, as the engine derives it. */
  traceName?: string | null
  /** The host property `plan` (the `property:plan` dimension). */
  plan?: string | null
  latencyS?: number | null
  ttftS?: number | null
  inputTokens?: number | null
  outputTokens?: number | null
  /** The read-time cost. */
  costUsd?: number | null
  isError?: boolean
}

/** Options of {@link columnRowsInput}. */
export interface ColumnRowsOptions {
  /** @default 1 */
  dataVersion?: number
  /**
   * Unused entries put in each dictionary the rows fill (`unused-0` …) before the rows: larger
   * key spaces move a kernel onto its sparse paths. @default 0
   */
  paddedDictionaries?: number
}

/** Columns of `length` events with every dimension absent, every number NaN and no host property, to fill by hand. */
function blankColumns(length: number): EventColumns {
  return {
    length,
    tsMs: new Float64Array(length),
    dimensions: Object.fromEntries(COLUMN_DIMENSIONS.map((dimension) => [dimension, new Uint32Array(length)])) as Record<
      ColumnDimension,
      Uint32Array
    >,
    properties: new Map(),
    numbers: Object.fromEntries(NUMERIC_COLUMNS.map((column) => [column, new Float64Array(length).fill(Number.NaN)])) as Record<
      NumericColumn,
      Float64Array
    >,
    isError: new Uint8Array(length),
    httpStatus: new Uint16Array(length),
    isAnonymous: new Uint8Array(length),
    cacheExclusive: new Uint8Array(length),
  }
}

/** What a kernel reads, filled straight from rows: columns, costs, trace names and the host property `plan`. */
export function columnRowsInput(
  rows: readonly ColumnRow[],
  { dataVersion = 1, paddedDictionaries = 0 }: ColumnRowsOptions = {},
): TraceQueryInput {
  const dictionaries = createDictionaries()
  const planDictionary = new Dictionary()
  dictionaries.properties.set('plan', planDictionary)
  for (let index = 0; index < paddedDictionaries; index += 1) {
    for (const dictionary of [dictionaries.model, dictionaries.user, dictionaries.provider, dictionaries.feature, dictionaries.spanName, planDictionary]) {
      dictionary.encode(`unused-${index}`)
    }
  }
  const columns = blankColumns(rows.length)
  const plan = new Uint32Array(rows.length)
  columns.properties.set('plan', plan)
  const { dimensions, numbers } = columns
  const costUsd = new Float64Array(rows.length)
  const traceNameCodes = new Uint32Array(rows.length)
  rows.forEach((fields, row) => {
    columns.tsMs[row] = fields.tsMs
    dimensions.event[row] = dictionaries.event.encode(fields.event)
    dimensions.model[row] = dictionaries.model.encode(fields.model)
    dimensions.provider[row] = dictionaries.provider.encode(fields.provider)
    dimensions.user[row] = dictionaries.user.encode(fields.user)
    dimensions.feature[row] = dictionaries.feature.encode(fields.feature)
    columns.isAnonymous[row] = fields.anonymous ? 1 : 0
    traceNameCodes[row] = dictionaries.spanName.encode(fields.traceName)
    plan[row] = planDictionary.encode(fields.plan)
    numbers.latencyS[row] = fields.latencyS ?? Number.NaN
    numbers.ttftS[row] = fields.ttftS ?? Number.NaN
    numbers.inputTokens[row] = fields.inputTokens ?? Number.NaN
    numbers.outputTokens[row] = fields.outputTokens ?? Number.NaN
    columns.isError[row] = fields.isError ? 1 : 0
    costUsd[row] = fields.costUsd ?? Number.NaN
  })
  return { columns, dictionaries, costUsd, traceNameCodes, dataVersion }
}

/** Local calendar fields of an instant. */
export interface LocalParts {
  /** `YYYY-MM-DD`. */
  date: string
  /** `HH:MM`, 24-hour. */
  time: string
  /** `Mon` … `Sun`. */
  weekday: string
  minute: number
  second: number
}

const localFormats = new Map<string, Intl.DateTimeFormat>()

/** The local calendar fields of `ms` in `timeZone`, straight from Intl. */
export function localParts(ms: number, timeZone: string): LocalParts {
  let format = localFormats.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    localFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(ms)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? ''
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
    weekday: part('weekday'),
    minute: Number(part('minute')),
    second: Number(part('second')),
  }
}
