/**
 * CSV export of any table: RFC 4180 quoting, and cells that a spreadsheet would run as a
 * formula neutralised. Pure.
 */

/** A column of a CSV export: its header and each row's text (a `SummaryColumn` fits). */
export interface CsvColumn<Row> {
  header: string
  text: (row: Row) => string
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One cell as CSV: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
 * leading `'` so a spreadsheet shows it as text instead of running it; a cell holding a
 * comma, quote or line break is quoted, its quotes doubled.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** The rows as CSV text: a header line, then one line per row, lines ending in CRLF. */
export function toCsv<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[]): string {
  const lines = [columns.map((column) => csvCell(column.header)).join(',')]
  for (const row of rows) {
    lines.push(columns.map((column) => csvCell(column.text(row))).join(','))
  }
  return `${lines.join('\r\n')}\r\n`
}
