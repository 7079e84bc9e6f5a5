'use client'
import { useEffect, useRef, type ComponentProps, type KeyboardEvent, type ReactNode } from 'react'
import {
  columnSizingFeature,
  columnVisibilityFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  type ReactTable,
  type Row,
  type RowData,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { formatCount } from '../format'
import { joinClassNames } from '../controls/controls.utils'
import { observeRectOrFallback } from './virtual.utils'

/**
 * The table features every list panel registers: sorting (done by the engine: manual),
 * column visibility, single row selection and column sizes. Module scope keeps it stable.
 */
export const listFeatures = tableFeatures({ rowSortingFeature, columnVisibilityFeature, rowSelectionFeature, columnSizingFeature })

/** The features of {@link listFeatures}. */
export type ListFeatures = typeof listFeatures

/** A TanStack table instance of a list panel. */
export type ListTable<Data extends RowData> = ReactTable<ListFeatures, Data>

/** Words for a count of rows: `{ one: 'trace', other: 'traces' }`. */
export interface RowNoun {
  one: string
  other: string
}

/** Props of {@link DataTable}. */
export interface DataTableProps<Data extends RowData> extends Omit<ComponentProps<'div'>, 'children'> {
  /** The table instance (from `useTable` with {@link listFeatures}); its rows are the pages loaded so far. */
  table: ListTable<Data>
  /** The table's accessible name, shown as its caption. */
  caption: string
  /** Rows that match, over every page (the engine's count). */
  totalCount: number
  /** Whether the engine has more pages. */
  hasMore: boolean
  /** A page is being read. */
  isFetching: boolean
  /** Reads the next page; called as the user nears the end, or presses "Load more". */
  onLoadMore: () => void
  /** The column whose cells are the row's button: the one a keyboard user presses to open the row. */
  primaryColumnId: string
  /** Columns whose values are numbers (aligned to the end). @default none */
  numericColumnIds?: ReadonlySet<string>
  /** What a row is called in the status line. */
  noun: RowNoun
  /** Height of the scrolling area, px. @default 420 */
  height?: number
  /** Height of a row, px. @default 36 */
  rowHeight?: number
  /** Shown under the table when loading more failed. */
  loadError?: Error
}

/**
 * A virtualised list of engine rows: one `<div>` that scrolls, holding a real `<table>`
 * (caption, column headers with `aria-sort`, `aria-rowcount` of every matching row) whose
 * body renders only the rows in view. Each row's primary cell is a button that selects the
 * row (Enter or click; the whole row is clickable too); ArrowUp / ArrowDown move between
 * those buttons. Nearing the end asks for the next keyset page.
 */
export function DataTable<Data extends RowData>({
  table,
  caption,
  totalCount,
  hasMore,
  isFetching,
  onLoadMore,
  primaryColumnId,
  numericColumnIds = NO_COLUMNS,
  noun,
  height = 420,
  rowHeight = 36,
  loadError,
  className,
  style,
  ...props
}: DataTableProps<Data>) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const rows = table.getRowModel().rows
  // The React Compiler leaves this component unoptimised because of the virtualiser; it is written to need no compiler memoisation.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    observeElementRect: observeRectOrFallback(height),
  })
  const items = virtualizer.getVirtualItems()
  const paddingTop = items[0]?.start ?? 0
  const paddingBottom = Math.max(0, virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0))
  const lastIndex = items[items.length - 1]?.index ?? -1

  useEffect(() => {
    if (hasMore && !isFetching && loadError === undefined && lastIndex >= rows.length - 20) {
      onLoadMore()
    }
  }, [hasMore, isFetching, loadError, lastIndex, rows.length, onLoadMore])

  // Arrow keys move focus to a row that may not be rendered yet: focus it now if it is,
  // else once the scroll has rendered it.
  const pendingFocus = useRef<number | null>(null)
  const focusRow = (index: number) => {
    const button = scrollRef.current?.querySelector<HTMLElement>(`[data-row-button="${index}"]`)
    button?.focus()
    pendingFocus.current = button ? null : index
  }
  useEffect(() => {
    if (pendingFocus.current !== null) {
      focusRow(pendingFocus.current)
    }
  })

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const from = Number((event.target as HTMLElement).dataset.rowButton)
    if (!Number.isInteger(from)) {
      return
    }
    const to =
      event.key === 'ArrowDown' ? from + 1 : event.key === 'ArrowUp' ? from - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? rows.length - 1 : from
    if (to === from || to < 0 || to >= rows.length) {
      return
    }
    event.preventDefault()
    virtualizer.scrollToIndex(to)
    focusRow(to)
  }

  const visibleColumnCount = table.getVisibleLeafColumns().length
  return (
    <div className={joinClassNames('aiscope-DataTable', className)} data-fetching={isFetching ? 'true' : 'false'} {...props}>
      <div ref={scrollRef} className="aiscope-DataTableScroll" style={{ height, overflow: 'auto', ...style }}>
        <table className="aiscope-Table" aria-rowcount={totalCount + 1} style={{ tableLayout: 'fixed', width: '100%', minWidth: table.getTotalSize() }}>
          <caption className="aiscope-TableCaption">{caption}</caption>
          <colgroup>
            {table.getVisibleLeafColumns().map((column) => (
              <col key={column.id} style={{ width: column.getSize() }} />
            ))}
          </colgroup>
          <thead className="aiscope-TableHead">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} aria-rowindex={1}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted()
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                      data-column={header.column.id}
                      data-numeric={numericColumnIds.has(header.column.id) ? 'true' : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button type="button" className="aiscope-SortButton" data-sort={sorted || 'none'} onClick={header.column.getToggleSortingHandler()}>
                          <table.FlexRender header={header} />
                          <span aria-hidden="true" className="aiscope-SortMark">
                            {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                          </span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  )
                })}
              </tr>
            ))}
          </thead>
          <tbody onKeyDown={onKeyDown}>
            {paddingTop > 0 ? <SpacerRow height={paddingTop} columnCount={visibleColumnCount} /> : null}
            {items.map((item) => {
              const row = rows[item.index]
              return row ? (
                // Pages only append, so a row keeps its index; ids alone may repeat (two calls with one generation id).
                <DataTableRow
                  key={`${item.index}:${row.id}`}
                  table={table}
                  row={row}
                  index={item.index}
                  height={rowHeight}
                  primaryColumnId={primaryColumnId}
                  numericColumnIds={numericColumnIds}
                />
              ) : null
            })}
            {paddingBottom > 0 ? <SpacerRow height={paddingBottom} columnCount={visibleColumnCount} /> : null}
          </tbody>
        </table>
      </div>
      <div className="aiscope-DataTableFooter">
        <p role="status" className="aiscope-DataTableStatus">
          {isFetching && rows.length === 0
            ? 'Loading…'
            : `Showing ${formatCount(rows.length)} of ${formatCount(totalCount)} ${totalCount === 1 ? noun.one : noun.other}`}
        </p>
        {loadError ? (
          <p role="alert" className="aiscope-DataTableError">
            Could not load more: {loadError.message}
          </p>
        ) : null}
        {hasMore ? (
          <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={onLoadMore} disabled={isFetching}>
            {loadError ? 'Try again' : 'Load more'}
          </button>
        ) : null}
      </div>
    </div>
  )
}

const NO_COLUMNS: ReadonlySet<string> = new Set()

function SpacerRow({ height, columnCount }: { height: number; columnCount: number }) {
  return (
    <tr aria-hidden="true" className="aiscope-TableSpacer" style={{ height }}>
      <td colSpan={columnCount} style={{ padding: 0, border: 0 }} />
    </tr>
  )
}

function DataTableRow<Data extends RowData>({
  table,
  row,
  index,
  height,
  primaryColumnId,
  numericColumnIds,
}: {
  table: ListTable<Data>
  row: Row<ListFeatures, Data>
  index: number
  height: number
  primaryColumnId: string
  numericColumnIds: ReadonlySet<string>
}) {
  const selected = row.getIsSelected()
  return (
    <tr
      aria-rowindex={index + 2}
      data-index={index}
      data-state={selected ? 'selected' : 'idle'}
      className="aiscope-TableRow"
      style={{ height }}
      onClick={() => row.toggleSelected(true)}
    >
      {row.getVisibleCells().map((cell) => (
        <td key={cell.id} data-column={cell.column.id} data-numeric={numericColumnIds.has(cell.column.id) ? 'true' : undefined}>
          {cell.column.id === primaryColumnId ? (
            <button type="button" className="aiscope-RowButton" data-row-button={index} aria-current={selected ? 'true' : undefined}>
              <table.FlexRender cell={cell} />
            </button>
          ) : (
            <table.FlexRender cell={cell} />
          )}
        </td>
      ))}
    </tr>
  )
}

/** Props of {@link ColumnPicker}. */
export interface ColumnPickerProps<Data extends RowData> extends Omit<ComponentProps<'details'>, 'children'> {
  table: ListTable<Data>
  /** @default 'Columns' */
  label?: ReactNode
}

/**
 * Which columns a list shows: one `<details>` with a checkbox per column that can be hidden.
 * Its state is the table's column visibility.
 */
export function ColumnPicker<Data extends RowData>({ table, label = 'Columns', className, ...props }: ColumnPickerProps<Data>) {
  const hideable = table.getAllLeafColumns().filter((column) => column.getCanHide())
  return (
    <details className={joinClassNames('aiscope-ColumnPicker', className)} {...props}>
      <summary className="aiscope-FilterSummary">{label}</summary>
      <fieldset className="aiscope-FilterOptions">
        <legend className="aiscope-FilterLabel">Shown columns</legend>
        {hideable.map((column) => (
          <label key={column.id} className="aiscope-FilterOption">
            <input type="checkbox" checked={column.getIsVisible()} onChange={(event) => column.toggleVisibility(event.target.checked)} />
            <span>{typeof column.columnDef.header === 'string' ? column.columnDef.header : column.id}</span>
          </label>
        ))}
      </fieldset>
    </details>
  )
}
