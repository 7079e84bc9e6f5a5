import type { Filter, RangeFilter } from '../../query'

/** A numeric range a filter keeps; an absent bound is open. */
export interface NumberRange {
  /** @default undefined (no lower bound) */
  min?: number
  /** @default undefined (no upper bound) */
  max?: number
}

/** Which calls a status filter keeps. */
export type StatusFilter = 'any' | 'error' | 'success'

/**
 * What a filter bar holds, shared by every panel that reads it. Each list keeps the calls
 * whose value is one of its entries (`null`: the value is absent); an empty list keeps all.
 */
export interface FilterValue {
  models: readonly (string | null)[]
  providers: readonly (string | null)[]
  users: readonly (string | null)[]
  organisations: readonly (string | null)[]
  features: readonly (string | null)[]
  promptVersions: readonly (string | null)[]
  /** `'error'`: failed calls (a trace with at least one); `'success'`: calls that did not fail. */
  status: StatusFilter
  /** Cost of a call, USD. */
  costUsd: NumberRange
  /** Latency of a call, seconds. */
  latencyS: NumberRange
  /** Free text, searched by the query (names, ids, users, ...); surrounding spaces ignored. */
  search: string
}

/** The lists of {@link FilterValue}, by the query dimension each one filters. */
export const FILTER_DIMENSIONS = [
  { key: 'models', dimension: 'model', label: 'Model' },
  { key: 'providers', dimension: 'provider', label: 'Provider' },
  { key: 'users', dimension: 'user', label: 'User' },
  { key: 'organisations', dimension: 'organisation', label: 'Organisation' },
  { key: 'features', dimension: 'feature', label: 'Feature' },
  { key: 'promptVersions', dimension: 'promptVersion', label: 'Prompt version' },
] as const

/** A list of {@link FilterValue}. */
export type FilterDimensionKey = (typeof FILTER_DIMENSIONS)[number]['key']

/** A filter bar with nothing chosen: every call passes. */
export const EMPTY_FILTER_VALUE: FilterValue = {
  models: [],
  providers: [],
  users: [],
  organisations: [],
  features: [],
  promptVersions: [],
  status: 'any',
  costUsd: {},
  latencyS: {},
  search: '',
}

/** What a query spec takes from a {@link FilterValue}. */
export interface QueryFilters {
  filters: Filter[]
  /** `undefined` when there is nothing to search for. */
  search: string | undefined
}

/** The spec's `filters` and `search` for a filter value: every condition has to hold. */
export function toQueryFilters(value: FilterValue): QueryFilters {
  const filters: Filter[] = []
  for (const { key, dimension } of FILTER_DIMENSIONS) {
    const values = value[key]
    if (values.length > 0) {
      filters.push({ dimension, op: 'in', values: [...values] })
    }
  }
  if (value.status !== 'any') {
    filters.push({ field: 'isError', op: 'equals', value: value.status === 'error' })
  }
  for (const field of ['costUsd', 'latencyS'] as const) {
    const range = rangeFilter(field, value[field])
    if (range) {
      filters.push(range)
    }
  }
  const search = value.search.trim()
  return { filters, search: search === '' ? undefined : search }
}

function rangeFilter(field: RangeFilter['field'], range: NumberRange): RangeFilter | undefined {
  const min = Number.isFinite(range.min) ? range.min : undefined
  const max = Number.isFinite(range.max) ? range.max : undefined
  if (min === undefined && max === undefined) {
    return undefined
  }
  return { field, op: 'between', ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }
}

/** How many conditions a filter value sets (a range counts once, the search too). */
export function countActiveFilters(value: FilterValue): number {
  const { filters, search } = toQueryFilters(value)
  return filters.length + (search === undefined ? 0 : 1)
}

