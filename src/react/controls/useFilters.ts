'use client'
import { useCallback, useMemo } from 'react'
import type { Filter } from '../../query'
import { EMPTY_FILTER_VALUE, countActiveFilters, toQueryFilters, type FilterValue } from './filters'
import { useControllableState } from './useControllableState'

/** Options of {@link useFilters}: the filter state, owned by the host or by the hook. */
export interface UseFiltersOptions {
  /** The host's filter value (controlled). */
  value?: FilterValue
  /** The first value when uncontrolled. @default EMPTY_FILTER_VALUE */
  defaultValue?: FilterValue
  /** Told of every change. */
  onValueChange?: (value: FilterValue) => void
}

/** What {@link useFilters} returns: the state, its setters, and what a query spec takes from it. */
export interface UseFiltersResult {
  /** The current filter value: give it to a `FilterBar` and to every panel that shares it. */
  value: FilterValue
  /** Replaces the value (or updates it from the previous one). */
  setValue: (next: FilterValue | ((previous: FilterValue) => FilterValue)) => void
  /** Changes some fields and keeps the rest. */
  update: (patch: Partial<FilterValue>) => void
  /** Back to {@link EMPTY_FILTER_VALUE}. */
  reset: () => void
  /** The spec's `filters`. */
  filters: Filter[]
  /** The spec's `search`; `undefined` when empty. */
  search: string | undefined
  /** How many conditions are set. */
  activeCount: number
}

/**
 * Filter state for a filter bar and the panels it narrows: hold it once (in a page, or in
 * the host's router) and hand `value` / `setValue` to each. `filters` and `search` are ready
 * for a query spec.
 */
export function useFilters({ value, defaultValue = EMPTY_FILTER_VALUE, onValueChange }: UseFiltersOptions = {}): UseFiltersResult {
  const [current, setValue] = useControllableState({ value, defaultValue, onChange: onValueChange })
  const update = useCallback((patch: Partial<FilterValue>) => setValue((previous) => ({ ...previous, ...patch })), [setValue])
  const reset = useCallback(() => setValue(EMPTY_FILTER_VALUE), [setValue])
  const query = useMemo(() => toQueryFilters(current), [current])
  return {
    value: current,
    setValue,
    update,
    reset,
    filters: query.filters,
    search: query.search,
    activeCount: useMemo(() => countActiveFilters(current), [current]),
  }
}
