'use client'
import type { ComponentProps, ReactNode } from 'react'
import { joinClassNames } from '../controls/controls.utils'

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
}

/**
 * A small, fully rendered table of figures: one `<table>` with a caption, column headers
 * and row headers. For the tens of rows an aggregate returns; long lists use `DataTable`.
 */
export function SummaryTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowHeaders = true,
  rowProps,
  showCaption = false,
  className,
  ...props
}: SummaryTableProps<Row>) {
  return (
    <table className={joinClassNames('aiscope-Table aiscope-SummaryTable', className)} {...props}>
      <caption className={showCaption ? 'aiscope-SummaryCaption' : 'aiscope-TableCaption'}>{caption}</caption>
      <thead className="aiscope-TableHead">
        <tr>
          {columns.map((column) => (
            <th key={column.id} scope="col" data-column={column.id} data-numeric={column.numeric ? 'true' : undefined}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
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
