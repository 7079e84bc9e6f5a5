'use client'
import { useState, type ComponentProps, type ReactNode } from 'react'
import { joinClassNames } from '../controls/controls.utils'
import { firstSortDir, sortSummaryRows, sortValueOf, type SortValue, type SummarySort } from './summaryTable.utils'

/** A column of a {@link SummaryTable}, also read by `toCsv` (header and `text`). */
export interface SummaryColumn<Row> {
  /** Stable id; set as `data-column` on the column's cells. */
  id: string
  /** Column header text. */
  header: string
  /** The cell as plain text: what a CSV export writes and what the cell shows by default. */
  text: (row: Row) => string
  /** The cell's content when it is more than its text (a button, a badge). @default text */
  cell?: (row: Row) => ReactNode
  /** Numbers are aligned to the end. @default false */
  numeric?: boolean
  /**
   * What the column sorts by: numbers numerically, strings with `localeCompare`; `null`,
   * NaN and `''` go last in either direction. A numeric column is sortable only with it
   * (its text is formatted). @default `text` for a text column; none for a numeric one
   */
  sortValue?: (row: Row) => SortValue
}

/** Props of {@link SummaryTable}. */
export interface SummaryTableProps<Row> extends Omit<ComponentProps<'table'>, 'children'> {
  /** The table's accessible name, as its caption. */
  caption: string
  columns: readonly SummaryColumn<Row>[]
  rows: readonly Row[]
  /** Each row's React key. */
  rowKey: (row: Row, index: number) => string
  /** The first column's cells are row headers (`<th scope="row">`). @default true */
  rowHeaders?: boolean
  /** Extra `data-*` and other attributes per row (e.g. `data-state="selected"`). */
  rowProps?: (row: Row) => ComponentProps<'tr'> & Record<`data-${string}`, string>
  /** Shows the caption; otherwise it is visually hidden (the panel's title names the table). @default false */
  showCaption?: boolean
  /**
   * The order `rows` come in (the query's), marked with `aria-sort`. Rows are shown as given
   * until a header is pressed. @default no column marked
   */
  defaultSort?: SummarySort
  /** Rows that stay after the others whatever the order: the folded `(other)` group. @default none */
  keepLast?: (row: Row) => boolean
}

/**
 * A small, fully rendered table of figures: one `<table>` with a caption, column headers
 * and row headers. For the tens of rows an aggregate returns; long lists use `DataTable`.
 * A sortable column's header is a button (click, Enter or Space): the first press orders
 * numbers largest first and text A to Z, the next reverses; the sorted header carries
 * `aria-sort` and its button `data-sort="asc" | "desc"` (`"none"` on the others), as in the
 * trace tables. Sorting happens here, over the rows given.
 */
export function SummaryTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowHeaders = true,
  rowProps,
  showCaption = false,
  defaultSort,
  keepLast,
  className,
  ...props
}: SummaryTableProps<Row>) {
  const [chosenSort, setChosenSort] = useState<SummarySort | null>(null)
  // A chosen column that is gone (the columns changed) falls back to the given order.
  const chosenColumn = chosenSort ? columns.find((column) => column.id === chosenSort.columnId) : undefined
  const chosenValueOf = chosenColumn ? sortValueOf(chosenColumn) : undefined
  const sort = chosenSort && chosenValueOf ? chosenSort : defaultSort
  const shownRows = chosenSort && chosenValueOf ? sortSummaryRows(rows, chosenValueOf, chosenSort.dir, keepLast) : rows

  const toggleSort = (column: SummaryColumn<Row>) => {
    setChosenSort({
      columnId: column.id,
      dir: sort?.columnId === column.id ? (sort.dir === 'asc' ? 'desc' : 'asc') : firstSortDir(column, rows),
    })
  }

  return (
    <table className={joinClassNames('aiscope-Table aiscope-SummaryTable', className)} {...props}>
      <caption className={showCaption ? 'aiscope-SummaryCaption' : 'aiscope-TableCaption'}>{caption}</caption>
      <thead className="aiscope-TableHead">
        <tr>
          {columns.map((column) => {
            const sorted = sort?.columnId === column.id ? sort.dir : undefined
            return (
              <th
                key={column.id}
                scope="col"
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                data-column={column.id}
                data-numeric={column.numeric ? 'true' : undefined}
              >
                {sortValueOf(column) ? (
                  <button type="button" className="aiscope-SortButton" data-sort={sorted ?? 'none'} onClick={() => toggleSort(column)}>
                    {column.header}
                    <span aria-hidden="true" className="aiscope-SortMark">
                      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                    </span>
                  </button>
                ) : (
                  column.header
                )}
              </th>
            )
          })}
        </tr>
      </thead>
      <tbody>
        {shownRows.map((row, index) => (
          <tr key={rowKey(row, index)} className="aiscope-SummaryRow" {...rowProps?.(row)}>
            {columns.map((column, columnIndex) => {
              const content = column.cell ? column.cell(row) : column.text(row)
              const cellProps = { 'data-column': column.id, 'data-numeric': column.numeric ? 'true' : undefined }
              return rowHeaders && columnIndex === 0 ? (
                <th key={column.id} scope="row" {...cellProps}>
                  {content}
                </th>
              ) : (
                <td key={column.id} {...cellProps}>
                  {content}
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
