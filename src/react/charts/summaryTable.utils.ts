/**
 * Pure ordering of a `SummaryTable`'s rows: what a column sorts by, the direction a
 * first press picks, and the sort itself (stable, missing values last, pinned rows last).
 */

/** A value a column sorts by; `null`, `undefined`, NaN and `''` are missing. */
export type SortValue = number | string | null | undefined

/** An order of a summary table: a column and a direction. */
export interface SummarySort {
  /** The column's `id`. */
  columnId: string
  dir: 'asc' | 'desc'
}

/** What a column needs to be sortable (a subset of `SummaryColumn`). */
export interface SortableColumn<Row> {
  text: (row: Row) => string
  sortValue?: (row: Row) => SortValue
  numeric?: boolean
}

/**
 * The value `column` sorts `row` by: its `sortValue`, else the text of a text column.
 * `undefined` when the column cannot be sorted: a numeric column's text is formatted
 * (`$1.2k`, `12%`), so only a `sortValue` orders it faithfully.
 */
export function sortValueOf<Row>(column: SortableColumn<Row>): ((row: Row) => SortValue) | undefined {
  if (column.sortValue) {
    return column.sortValue
  }
  return column.numeric ? undefined : column.text
}

function isMissing(value: SortValue): value is null | undefined | '' {
  return value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))
}

/**
 * The direction a first press on a column picks, as the trace tables do: descending for
 * numbers (largest first, latest first), ascending for text.
 */
export function firstSortDir<Row>(column: SortableColumn<Row>, rows: readonly Row[]): SummarySort['dir'] {
  const valueOf = sortValueOf(column)
  if (column.numeric || valueOf === undefined) {
    return 'desc'
  }
  const firstValue = rows.map(valueOf).find((value) => !isMissing(value))
  return typeof firstValue === 'number' ? 'desc' : 'asc'
}

/**
 * Orders two present values: numbers numerically, strings with `localeCompare`, numbers
 * before strings in a column that mixes them.
 */
function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') {
    // Not `a - b`: Infinity − Infinity is NaN, which a comparator must never return.
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return a.localeCompare(b)
  }
  return typeof a === 'number' ? -1 : 1
}

/**
 * `rows` ordered by `valueOf` in `dir`: missing values after the present ones in either
 * direction, ties in their given order, and rows for which `keepLast` is true (the folded
 * `(other)` group) after everything, in their given order.
 */
export function sortSummaryRows<Row>(
  rows: readonly Row[],
  valueOf: (row: Row) => SortValue,
  dir: SummarySort['dir'],
  keepLast?: (row: Row) => boolean,
): Row[] {
  const sign = dir === 'asc' ? 1 : -1
  const entries = rows.map((row) => ({ row, value: valueOf(row), last: keepLast?.(row) ?? false }))
  entries.sort((x, y) => {
    if (x.last !== y.last) {
      return x.last ? 1 : -1
    }
    if (x.last) {
      return 0
    }
    const xMissing = isMissing(x.value)
    const yMissing = isMissing(y.value)
    if (xMissing || yMissing) {
      return Number(xMissing) - Number(yMissing)
    }
    return sign * compareValues(x.value as number | string, y.value as number | string)
  })
  return entries.map((entry) => entry.row)
}
