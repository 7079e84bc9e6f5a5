'use client'
import type { ComponentProps } from 'react'
import { joinClassNames } from './controls.utils'
import { toCsv, type CsvColumn } from './csv'

/** Props of {@link CsvExportButton}. */
export interface CsvExportButtonProps<Row> extends Omit<ComponentProps<'button'>, 'onClick'> {
  rows: readonly Row[]
  columns: readonly CsvColumn<Row>[]
  /** The downloaded file's name. @default 'aiscope-export.csv' */
  fileName?: string
  /** Receives the CSV text instead of downloading it (a host's own export). */
  onExport?: (csv: string) => void
}

/**
 * Downloads a table as CSV (see `toCsv`). One `<button>`; the file is built only on click,
 * so rendering it touches no browser API.
 */
export function CsvExportButton<Row>({
  rows,
  columns,
  fileName = 'aiscope-export.csv',
  onExport,
  className,
  children = 'Export CSV',
  ...props
}: CsvExportButtonProps<Row>) {
  const exportCsv = () => {
    const csv = toCsv(rows, columns)
    if (onExport) {
      onExport(csv)
      return
    }
    // A byte-order mark so spreadsheet apps read the file as UTF-8.
    const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }))
    const link = document.createElement('a')
    link.href = url
    link.download = fileName
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }
  return (
    <button type="button" className={joinClassNames('aiscope-Button aiscope-Button-quiet', className)} onClick={exportCsv} {...props}>
      {children}
    </button>
  )
}
