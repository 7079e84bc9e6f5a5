'use client'
import type { GenerationRow, GenerationsSpec } from '../../query'
import { EMPTY_FILTER_VALUE } from '../controls/filters'
import {
  GENERATION_COLUMNS,
  GENERATION_COLUMNS_HIDDEN_BY_DEFAULT,
  GENERATION_NUMERIC_COLUMNS,
  isGenerationSortField,
} from './generationsTable.columns'
import { ListPanelFrame, useListPanelState, useListTable, type ListPanelProps } from './ListPanel'
import { useKeysetPages } from './useKeysetPages'

/** The order of a generation list, as the `generations` spec takes it. */
export type GenerationsSort = NonNullable<GenerationsSpec['sort']>

/** Props of {@link GenerationsTable}. */
export interface GenerationsTableProps extends ListPanelProps {
  /** The order (controlled): any column. */
  sort?: GenerationsSort
  /** The first order when uncontrolled. @default { by: 'timestampMs', dir: 'desc' } (newest first) */
  defaultSort?: GenerationsSort
  onSortChange?: (sort: GenerationsSort) => void
  /** The selected call, by its node id (controlled); `null` for none. */
  selectedGenerationId?: string | null
  /** The first selection when uncontrolled. @default null */
  defaultSelectedGenerationId?: string | null
  /**
   * Called when the user selects a call (click, or Enter on its time), with its row:
   * `row.traceId` and `row.id` open it in a `TraceViewer`.
   */
  onSelectGeneration?: (row: GenerationRow) => void
}

const DEFAULT_SORT: GenerationsSort = { by: 'timestampMs', dir: 'desc' }

/**
 * The flat list of LLM and embedding calls (time, model, provider, user, trace, span,
 * prompt, tokens in and out, cost, latency, time to first token, status), built from the
 * same parts as the trace list: keyset pages from the `generations` spec, sorting by the
 * engine, the shared filter bar, column picker and single selection.
 */
export function GenerationsTable({
  title = 'LLM calls',
  description,
  range,
  filters,
  defaultFilters = EMPTY_FILTER_VALUE,
  onFiltersChange,
  sort,
  defaultSort = DEFAULT_SORT,
  onSortChange,
  columnVisibility,
  defaultColumnVisibility = GENERATION_COLUMNS_HIDDEN_BY_DEFAULT,
  onColumnVisibilityChange,
  selectedGenerationId,
  defaultSelectedGenerationId = null,
  onSelectGeneration,
  pageSize = 100,
  ...props
}: GenerationsTableProps) {
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
    selectedId: selectedGenerationId,
    defaultSelectedId: defaultSelectedGenerationId,
  })
  const pages = useKeysetPages<GenerationsSpec>({ kind: 'generations', ...list.specFilters, sort: list.sort, limit: pageSize })
  const table = useListTable({
    columns: GENERATION_COLUMNS,
    rows: pages.rows,
    getRowId: generationRowId,
    sort: list.sort,
    onSortChange: list.setSort,
    isSortField: isGenerationSortField,
    columnVisibility: list.columnVisibility,
    onColumnVisibilityChange: list.setColumnVisibility,
    selectedId: list.selectedId,
    onSelect: (id, row) => {
      list.setSelectedId(id)
      onSelectGeneration?.(row)
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
      filterSubject="calls"
      caption="LLM calls"
      noun={{ one: 'call', other: 'calls' }}
      primaryColumnId="timestampMs"
      numericColumnIds={GENERATION_NUMERIC_COLUMNS}
      emptyMessage="No LLM calls stored yet."
      {...props}
    />
  )
}

/**
 * A row's id in the table: its node id. Node ids are unique in practice; a repeated one
 * (two events with one generation id) selects both rows, as it opens the same node.
 */
function generationRowId(row: GenerationRow): string {
  return row.id
}
