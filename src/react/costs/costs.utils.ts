/**
 * Pure helpers of the cost panels: dimension names, panel states from query states, filters
 * for a drill-down, comparisons with a previous period.
 */
import type { AggregateRow, Dimension, Filter } from '../../query'
import { OTHER_GROUP } from '../../query/spec'
import type { PanelState } from '../panel/panel.utils'

/** How a dimension is named in headings and column headers. */
export function dimensionLabel(dimension: Dimension): string {
  if (dimension.startsWith('property:')) {
    return dimension.slice('property:'.length)
  }
  switch (dimension) {
    case 'promptVersion':
      return 'Prompt version'
    case 'promptName':
      return 'Prompt'
    case 'traceName':
      return 'Trace'
    case 'traceId':
      return 'Trace id'
    case 'sessionId':
      return 'Session'
    case 'spanType':
      return 'Span type'
    case 'errorKind':
      return 'Error kind'
    default:
      return dimension.charAt(0).toUpperCase() + dimension.slice(1)
  }
}

/** What a panel shows for a query's state: its content only when there is something to show. */
export function panelStateOf(query: { state: 'loading' | 'ready' | 'error'; data: unknown }, isEmpty: boolean): PanelState {
  if (query.state === 'error') {
    return 'error'
  }
  if (query.data === undefined) {
    return 'loading'
  }
  return isEmpty ? 'empty' : 'ready'
}

/**
 * The filter that keeps one group's calls: its key value (`null`: calls without the
 * dimension), or for the folded `(other)` group, every value not listed on its own.
 */
export function groupFilter(dimension: Dimension, key: string | null, rows: readonly AggregateRow[]): Filter {
  if (key === OTHER_GROUP) {
    const listed = rows.map((row) => row.key[0] ?? null).filter((value) => value !== OTHER_GROUP)
    return { dimension, op: 'notIn', values: listed }
  }
  return { dimension, op: 'in', values: [key] }
}

/** Whether a row is the folded `(other)` group (its every key value is `'(other)'`). */
export function isOtherGroup(row: AggregateRow): boolean {
  return row.key.length > 0 && row.key.every((value) => value === OTHER_GROUP)
}

/** The relative change from `previous` to `current` (0.25 = +25%); `null` when either is unknown or `previous` is 0. */
export function relativeChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (typeof current !== 'number' || typeof previous !== 'number' || !Number.isFinite(current) || !Number.isFinite(previous) || previous === 0) {
    return null
  }
  return (current - previous) / Math.abs(previous)
}

/** A change as `+12.5%` / `−3%` / `no change`. */
export function formatChange(change: number | null): string {
  if (change === null) {
    return 'no previous data'
  }
  if (Math.abs(change) < 0.0005) {
    return 'no change'
  }
  const percent = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(Math.abs(change) * 100)
  return `${change > 0 ? '+' : '−'}${percent}%`
}

/** A group key as a stable string for React keys and selection (`null` and `(other)` included). */
export function keyId(key: string | null): string {
  return key === null ? '\u0000none' : `=${key}`
}
