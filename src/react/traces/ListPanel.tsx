'use client'
import { useMemo, type ComponentProps, type ReactNode } from 'react'
import {
  functionalUpdate,
  useTable,
  type RowData,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table'
import type { TimeRange } from '../../query'
import { FilterBar } from '../controls/FilterBar'
import { countActiveFilters, toQueryFilters, type FilterValue } from '../controls/filters'
import { useControllableState } from '../controls/useControllableState'
import { PanelFrame } from '../panel'
import { ColumnPicker, DataTable, listFeatures, type ListFeatures, type ListTable, type RowNoun } from './DataTable'
import type { KeysetPages } from './useKeysetPages'

/** Props both list panels take, besides their own sort and selection. */
export interface ListPanelProps extends Omit<ComponentProps<'section'>, 'title' | 'onSelect' | 'children'> {
  /** The panel's heading. */
  title?: ReactNode
  /** A line under the title. */
  description?: ReactNode
  /** Keeps what lies in this range. @default everything stored */
  range?: TimeRange
  /** The filter value (controlled): share one `useFilters()` value between panels. */
  filters?: FilterValue
  /** The first filter value when uncontrolled. @default EMPTY_FILTER_VALUE */
  defaultFilters?: FilterValue
  /** Told of every filter change (from the panel's own filter bar). */
  onFiltersChange?: (filters: FilterValue) => void
  /** Shows the panel's own filter bar; turn it off when the page has a shared one. @default true */
  showFilterBar?: boolean
  /** Which columns are shown, by column id (`false` hides one); controlled. */
  columnVisibility?: Record<string, boolean>
  /** The first column visibility when uncontrolled. */
  defaultColumnVisibility?: Record<string, boolean>
  onColumnVisibilityChange?: (visibility: Record<string, boolean>) => void
  /** Rows read from the engine per page (1 to 500). @default 100 */
  pageSize?: number
  /** Height of the scrolling table, px. @default 420 */
  height?: number
}

/** What {@link ListPanelFrame} lays out. */
interface ListPanelFrameProps<Data extends RowData> extends Omit<ListPanelProps, 'columnVisibility' | 'defaultColumnVisibility' | 'onColumnVisibilityChange' | 'pageSize' | 'filters' | 'defaultFilters' | 'onFiltersChange'> {
  title: ReactNode
  pages: KeysetPages<Data>
  table: ListTable<Data>
  filters: FilterValue
  onFiltersChange: (filters: FilterValue) => void
  hasActiveFilters: boolean
  filterSubject: 'calls' | 'traces'
  caption: string
  noun: RowNoun
  primaryColumnId: string
  numericColumnIds: ReadonlySet<string>
  emptyMessage: ReactNode
}

/** The frame, filter bar, column picker and table shared by the trace and generation lists. */
export function ListPanelFrame<Data extends RowData>({
  title,
  description,
  range,
  pages,
  table,
  filters,
  onFiltersChange,
  hasActiveFilters,
  showFilterBar = true,
  filterSubject,
  caption,
  noun,
  primaryColumnId,
  numericColumnIds,
  emptyMessage,
  height,
  ...props
}: ListPanelFrameProps<Data>) {
  // Empty with filters set stays "ready", so the filters that emptied it can be changed.
  const state =
    pages.state === 'ready' && pages.totalCount === 0 && !hasActiveFilters && !pages.isFetching ? 'empty' : pages.state
  return (
    <PanelFrame
      title={title}
      description={description}
      state={state}
      error={pages.error}
      onRetry={pages.retry}
      emptyMessage={emptyMessage}
      actions={<ColumnPicker table={table} />}
      data-fetching={pages.isFetching ? 'true' : 'false'}
      {...props}
    >
      {showFilterBar ? (
        <FilterBar
          value={filters}
          onValueChange={onFiltersChange}
          range={range}
          subject={filterSubject}
          aria-label={`Filter ${noun.other}`}
        />
      ) : null}
      <DataTable
        table={table}
        caption={caption}
        totalCount={pages.totalCount}
        hasMore={pages.hasMore}
        isFetching={pages.isFetching}
        onLoadMore={pages.loadMore}
        loadError={pages.state === 'ready' ? pages.error : undefined}
        primaryColumnId={primaryColumnId}
        numericColumnIds={numericColumnIds}
        noun={noun}
        height={height}
      />
    </PanelFrame>
  )
}

/** What {@link useListTable} builds a table from. */
export interface ListTableOptions<Data extends RowData, Field extends string> {
  columns: ListColumns<Data>
  rows: Data[]
  getRowId: (row: Data) => string
  /** The engine order; `isSortField` tells which column ids it can sort by. */
  sort: { by: Field; dir: 'asc' | 'desc' }
  onSortChange: (sort: { by: Field; dir: 'asc' | 'desc' }) => void
  isSortField: (id: string) => id is Field
  columnVisibility: Record<string, boolean>
  onColumnVisibilityChange: (next: Record<string, boolean>) => void
  selectedId: string | null
  /** Called when the user selects another row. */
  onSelect: (id: string, row: Data) => void
}

/** Columns of a list panel. */
export type ListColumns<Data extends RowData> = Parameters<typeof useTable<ListFeatures, Data>>[0]['columns']

/**
 * The TanStack table of a list panel: sorting by the engine (the table only holds the
 * state), one selected row, column visibility; every slice owned by the caller.
 */
export function useListTable<Data extends RowData, Field extends string>({
  columns,
  rows,
  getRowId,
  sort,
  onSortChange,
  isSortField,
  columnVisibility,
  onColumnVisibilityChange,
  selectedId,
  onSelect,
}: ListTableOptions<Data, Field>): ListTable<Data> {
  const sorting = useMemo<SortingState>(() => [{ id: sort.by, desc: sort.dir === 'desc' }], [sort])
  const rowSelection = useMemo<RowSelectionState>(() => (selectedId === null ? {} : { [selectedId]: true }), [selectedId])
  return useTable({
    features: listFeatures,
    columns,
    data: rows,
    getRowId,
    state: { sorting, columnVisibility, rowSelection },
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = functionalUpdate(updater, sorting)
      if (next && isSortField(next.id)) {
        onSortChange({ by: next.id, dir: next.desc ? 'desc' : 'asc' })
      }
    },
    onColumnVisibilityChange: (updater) => onColumnVisibilityChange(functionalUpdate(updater, columnVisibility)),
    onRowSelectionChange: (updater: Updater<RowSelectionState>) => {
      const next = Object.keys(functionalUpdate(updater, rowSelection)).find((id) => id !== selectedId)
      const row = next === undefined ? undefined : rows.find((candidate) => getRowId(candidate) === next)
      if (next !== undefined && row !== undefined) {
        onSelect(next, row)
      }
    },
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    enableMultiRowSelection: false,
  })
}

/** The state both list panels keep, each slice owned by the host or by the panel. */
export interface ListPanelStateOptions<Sort> {
  range: TimeRange | undefined
  filters: FilterValue | undefined
  defaultFilters: FilterValue
  onFiltersChange: ((filters: FilterValue) => void) | undefined
  sort: Sort | undefined
  defaultSort: Sort
  onSortChange: ((sort: Sort) => void) | undefined
  columnVisibility: Record<string, boolean> | undefined
  defaultColumnVisibility: Record<string, boolean>
  onColumnVisibilityChange: ((visibility: Record<string, boolean>) => void) | undefined
  selectedId: string | null | undefined
  defaultSelectedId: string | null
}

/** Filters, order, column visibility and selection of a list panel, and what its spec takes from them. */
export function useListPanelState<Sort>(options: ListPanelStateOptions<Sort>) {
  const [filters, setFilters] = useControllableState({ value: options.filters, defaultValue: options.defaultFilters, onChange: options.onFiltersChange })
  const [sort, setSort] = useControllableState({ value: options.sort, defaultValue: options.defaultSort, onChange: options.onSortChange })
  const [columnVisibility, setColumnVisibility] = useControllableState({
    value: options.columnVisibility,
    defaultValue: options.defaultColumnVisibility,
    onChange: options.onColumnVisibilityChange,
  })
  const [selectedId, setSelectedId] = useControllableState<string | null>({ value: options.selectedId, defaultValue: options.defaultSelectedId })
  const query = useMemo(() => toQueryFilters(filters), [filters])
  const { range } = options
  return {
    filters,
    setFilters,
    hasActiveFilters: countActiveFilters(filters) > 0,
    /** The spec's `range`, `filters` and `search`. */
    specFilters: {
      ...(range === undefined ? {} : { range }),
      filters: query.filters,
      ...(query.search === undefined ? {} : { search: query.search }),
    },
    sort,
    setSort,
    columnVisibility,
    setColumnVisibility,
    selectedId,
    setSelectedId,
  }
}
