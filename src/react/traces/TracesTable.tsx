'use client'
import type { TraceRow, TracesSpec } from '../../query'
import { EMPTY_FILTER_VALUE } from '../controls/filters'
import { ListPanelFrame, useListPanelState, useListTable, type ListPanelProps } from './ListPanel'
import { TRACE_COLUMNS, TRACE_COLUMNS_HIDDEN_BY_DEFAULT, TRACE_NUMERIC_COLUMNS, isTraceSortField } from './tracesTable.columns'
import { useKeysetPages } from './useKeysetPages'

/** The order of a trace list, as the `traces` spec takes it. */
export type TracesSort = NonNullable<TracesSpec['sort']>

/** Props of {@link TracesTable}. */
export interface TracesTableProps extends ListPanelProps {
  /** The order (controlled): any column but session, models and scores. */
  sort?: TracesSort
  /** The first order when uncontrolled. @default { by: 'firstSeenMs', dir: 'desc' } (newest first) */
  defaultSort?: TracesSort
  onSortChange?: (sort: TracesSort) => void
  /** The selected trace (controlled); `null` for none. */
  selectedTraceId?: string | null
  /** The first selection when uncontrolled. @default null */
  defaultSelectedTraceId?: string | null
  /** Called when the user selects a trace (click, or Enter on its name), with its row. */
  onSelectTrace?: (traceId: string, row: TraceRow) => void
}

const DEFAULT_SORT: TracesSort = { by: 'firstSeenMs', dir: 'desc' }

/**
 * The trace list: one row per trace (time, name, user, session, models, spans, tokens in and
 * out, cost, latency, errors, evaluation scores), read from the engine a keyset page at a
 * time as the user scrolls, so a store of a million events never loads a million rows.
 * Sorting by a column re-reads the list in the engine's order; the filter bar (or a shared
 * filter value) narrows it; the column picker hides columns. Choosing a row calls
 * `onSelectTrace`.
 */
export function TracesTable({
  title = 'Traces',
  description,
  range,
  filters,
  defaultFilters = EMPTY_FILTER_VALUE,
  onFiltersChange,
  sort,
  defaultSort = DEFAULT_SORT,
  onSortChange,
  columnVisibility,
  defaultColumnVisibility = TRACE_COLUMNS_HIDDEN_BY_DEFAULT,
  onColumnVisibilityChange,
  selectedTraceId,
  defaultSelectedTraceId = null,
  onSelectTrace,
  pageSize = 100,
  ...props
}: TracesTableProps) {
  const list = useListPanelState({
    range,
    filters,
    defaultFilters,
    onFiltersChange,
    sort,
    defaultSort,
    onSortChange,
    columnVisibility,
    defaultColumnVisibility,
    onColumnVisibilityChange,
    selectedId: selectedTraceId,
    defaultSelectedId: defaultSelectedTraceId,
  })
  const pages = useKeysetPages<TracesSpec>({ kind: 'traces', ...list.specFilters, sort: list.sort, limit: pageSize })
  const table = useListTable({
    columns: TRACE_COLUMNS,
    rows: pages.rows,
    getRowId: (row) => row.traceId,
    sort: list.sort,
    onSortChange: list.setSort,
    isSortField: isTraceSortField,
    columnVisibility: list.columnVisibility,
    onColumnVisibilityChange: list.setColumnVisibility,
    selectedId: list.selectedId,
    onSelect: (traceId, row) => {
      list.setSelectedId(traceId)
      onSelectTrace?.(traceId, row)
    },
  })

  return (
    <ListPanelFrame
      title={title}
      description={description}
      range={range}
      pages={pages}
      table={table}
      filters={list.filters}
      onFiltersChange={list.setFilters}
      hasActiveFilters={list.hasActiveFilters}
      filterSubject="traces"
      caption="Traces"
      noun={{ one: 'trace', other: 'traces' }}
      primaryColumnId="name"
      numericColumnIds={TRACE_NUMERIC_COLUMNS}
      emptyMessage="No traces stored yet."
      {...props}
    />
  )
}
