'use client'
import { createColumnHelper } from '@tanstack/react-table'
import type { TraceRow, TraceSortField } from '../../query'
import { UNKNOWN_TEXT, formatCount, formatNumber, formatSeconds } from '../format'
import { CostText, Missing, TimeText } from './cells'
import type { ListFeatures } from './DataTable'

const helper = createColumnHelper<ListFeatures, TraceRow>()

/** Columns of the trace list; ids of sortable columns are the engine's sort fields. */
export const TRACE_COLUMNS = helper.columns([
  helper.accessor('firstSeenMs', {
    header: 'Time',
    size: 150,
    sortDescFirst: true,
    enableHiding: false,
    cell: (context) => <TimeText ms={context.getValue()} />,
  }),
  helper.accessor('name', {
    header: 'Trace',
    size: 200,
    sortDescFirst: false,
    enableHiding: false,
    cell: (context) => context.getValue() ?? <Missing>{context.row.original.traceId}</Missing>,
  }),
  helper.accessor('user', {
    header: 'User',
    size: 130,
    sortDescFirst: false,
    cell: (context) => context.getValue() ?? <Missing>anonymous</Missing>,
  }),
  helper.accessor('sessionId', {
    header: 'Session',
    size: 130,
    enableSorting: false,
    cell: (context) => context.getValue() ?? <Missing>{UNKNOWN_TEXT}</Missing>,
  }),
  helper.accessor('models', {
    header: 'Models',
    size: 170,
    enableSorting: false,
    cell: (context) => (context.getValue().length > 0 ? context.getValue().join(', ') : <Missing>{UNKNOWN_TEXT}</Missing>),
  }),
  helper.accessor('spanCount', { header: 'Spans', size: 70, cell: (context) => formatCount(context.getValue()) }),
  helper.accessor('inputTokens', { header: 'Tokens in', size: 90, cell: (context) => formatCount(context.getValue()) }),
  helper.accessor('outputTokens', { header: 'Tokens out', size: 90, cell: (context) => formatCount(context.getValue()) }),
  helper.accessor('costUsd', {
    header: 'Cost',
    size: 150,
    cell: (context) => <CostText costUsd={context.getValue()} unpricedCount={context.row.original.unpricedCount} />,
  }),
  helper.accessor('latencyS', { header: 'Latency', size: 90, cell: (context) => formatSeconds(context.getValue()) }),
  helper.accessor('errorCount', {
    header: 'Errors',
    size: 70,
    cell: (context) => <span data-status={context.getValue() > 0 ? 'error' : 'ok'}>{formatCount(context.getValue())}</span>,
  }),
  helper.accessor('evaluationScores', {
    header: 'Scores',
    size: 170,
    enableSorting: false,
    cell: (context) => {
      const scores = Object.entries(context.getValue())
      return scores.length === 0 ? (
        <Missing>{UNKNOWN_TEXT}</Missing>
      ) : (
        scores.map(([name, score]) => `${name} ${formatNumber(score)}`).join(', ')
      )
    },
  }),
])

/** Trace-list columns whose values are numbers. */
export const TRACE_NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['spanCount', 'inputTokens', 'outputTokens', 'costUsd', 'latencyS', 'errorCount'])

/** Columns hidden until the user shows them. */
export const TRACE_COLUMNS_HIDDEN_BY_DEFAULT = { sessionId: false } as const

/** Whether a column id is an engine sort field of the trace list. */
export function isTraceSortField(id: string): id is TraceSortField {
  return TRACE_SORTABLE.has(id)
}

// Written out rather than imported: the kernel module stays out of the React bundle.
const TRACE_SORTABLE: ReadonlySet<string> = new Set<TraceSortField>([
  'firstSeenMs',
  'name',
  'user',
  'spanCount',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'latencyS',
  'errorCount',
])
