'use client'
import { createColumnHelper } from '@tanstack/react-table'
import type { GenerationRow, GenerationSortField } from '../../query'
import { UNKNOWN_TEXT, formatCount, formatSeconds } from '../format'
import { CostText, Missing, TimeText } from './cells'
import type { ListFeatures } from './DataTable'

const helper = createColumnHelper<ListFeatures, GenerationRow>()

const orMissing = (value: string | null) => value ?? <Missing>{UNKNOWN_TEXT}</Missing>

/** Columns of the generation list; every column id is an engine sort field. */
export const GENERATION_COLUMNS = helper.columns([
  helper.accessor('timestampMs', {
    header: 'Time',
    size: 150,
    sortDescFirst: true,
    enableHiding: false,
    cell: (context) => <TimeText ms={context.getValue()} />,
  }),
  helper.accessor('model', { header: 'Model', size: 170, sortDescFirst: false, cell: (context) => orMissing(context.getValue()) }),
  helper.accessor('provider', { header: 'Provider', size: 100, sortDescFirst: false, cell: (context) => orMissing(context.getValue()) }),
  helper.accessor('user', {
    header: 'User',
    size: 120,
    sortDescFirst: false,
    cell: (context) => context.getValue() ?? <Missing>anonymous</Missing>,
  }),
  helper.accessor('traceName', {
    header: 'Trace',
    size: 160,
    sortDescFirst: false,
    cell: (context) => context.getValue() ?? orMissing(context.row.original.traceId),
  }),
  helper.accessor('spanName', { header: 'Span', size: 140, sortDescFirst: false, cell: (context) => orMissing(context.getValue()) }),
  helper.accessor('promptName', {
    header: 'Prompt',
    size: 150,
    sortDescFirst: false,
    cell: (context) => {
      const { promptName, promptVersion } = context.row.original
      return promptName === null ? <Missing>{UNKNOWN_TEXT}</Missing> : promptVersion === null ? promptName : `${promptName} v${promptVersion}`
    },
  }),
  helper.accessor('inputTokens', { header: 'Tokens in', size: 90, cell: (context) => formatCount(context.getValue()) }),
  helper.accessor('outputTokens', { header: 'Tokens out', size: 90, cell: (context) => formatCount(context.getValue()) }),
  helper.accessor('costUsd', { header: 'Cost', size: 110, cell: (context) => <CostText costUsd={context.getValue()} /> }),
  helper.accessor('latencyS', { header: 'Latency', size: 90, cell: (context) => formatSeconds(context.getValue()) }),
  helper.accessor('ttftS', { header: 'TTFT', size: 80, cell: (context) => formatSeconds(context.getValue()) }),
  helper.accessor('isError', {
    header: 'Status',
    size: 130,
    cell: (context) => {
      const { isError, errorKind, httpStatus } = context.row.original
      const detail = [errorKind?.replaceAll('_', ' '), httpStatus === null ? undefined : String(httpStatus)].filter(Boolean).join(', ')
      return <span data-status={isError ? 'error' : 'ok'}>{isError ? `Error${detail ? ` (${detail})` : ''}` : 'OK'}</span>
    },
  }),
])

/** Generation-list columns whose values are numbers. */
export const GENERATION_NUMERIC_COLUMNS: ReadonlySet<string> = new Set(['inputTokens', 'outputTokens', 'costUsd', 'latencyS', 'ttftS'])

/** Columns hidden until the user shows them. */
export const GENERATION_COLUMNS_HIDDEN_BY_DEFAULT = { provider: false, spanName: false } as const

// Written out rather than imported: the kernel module stays out of the React bundle.
const GENERATION_SORTABLE: ReadonlySet<string> = new Set<GenerationSortField>([
  'timestampMs',
  'model',
  'provider',
  'user',
  'traceName',
  'spanName',
  'promptName',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'latencyS',
  'ttftS',
  'isError',
])

/** Whether a column id is an engine sort field of the generation list. */
export function isGenerationSortField(id: string): id is GenerationSortField {
  return GENERATION_SORTABLE.has(id)
}
