'use client'
import { useEffect, useRef, type ComponentProps, type ReactNode } from 'react'
import type { UsersRow } from '../../query'
import type { UsersKey } from '../../query/usersQuery'
import { SummaryTable, type SummaryColumn } from '../charts/SummaryTable'
import type { SummarySort } from '../charts/summaryTable.utils'
import { CsvExportButton } from '../controls/CsvExportButton'
import { joinClassNames } from '../controls/controls.utils'
import { toQueryFilters } from '../controls/filters'
import { formatCount, formatDateTime, formatUsd } from '../format'
import { PanelFrame } from '../panel'
import { useQuery } from '../provider'
import { costText, type CostScopeProps } from './CostBreakdown'
import { panelStateOf } from './costs.utils'

/** A user or organisation whose cost went over its budget. */
export interface BudgetExceededEntry {
  /** The user's `distinct_id`, or the organisation's key. */
  key: string
  /** Its cost in the range (priced calls), USD. */
  costUsd: number
  /** Its budget, USD. */
  budgetUsd: number
}

/** Props of {@link UsageByUser}. */
export interface UsageByUserProps extends CostScopeProps, Omit<ComponentProps<'section'>, 'title' | 'children'> {
  /** One row per user (`distinct_id`) or per organisation (`$groups`). @default 'user' */
  by?: UsersKey
  /** Budgets in USD by user or organisation key, for the range shown. @default {} */
  budgets?: Readonly<Record<string, number>>
  /**
   * Called with every entry over budget whenever that set changes (and is not empty), so the
   * host can alert. Over budget: the known cost is strictly greater than the budget.
   */
  onBudgetExceeded?: (entries: BudgetExceededEntry[]) => void
  /** Rows listed, largest cost first (1 to 500). @default 100 */
  limit?: number
  /** @default 'Usage by user' / 'Usage by organisation' */
  title?: ReactNode
  description?: ReactNode
}

/**
 * AI usage per user or organisation (the `users` query): calls, traces, errors, tokens and
 * cost, largest cost first; with `budgets`, who is over budget is marked in the table
 * (`data-budget="over"`, and the words "Over budget") and reported to `onBudgetExceeded`.
 * Budgeted keys are checked with a query of their own, so one outside the listed rows is
 * still caught.
 */
export function UsageByUser({
  by = 'user',
  budgets = NO_BUDGETS,
  onBudgetExceeded,
  limit = 100,
  range,
  filters,
  extraFilters,
  title,
  description,
  className,
  ...props
}: UsageByUserProps) {
  const queryFilters = [...(filters ? toQueryFilters(filters).filters : []), ...(extraFilters ?? [])]
  const scope = { ...(range ? { range } : {}), filters: queryFilters }
  const list = useQuery({ kind: 'users', by, sort: { by: 'costUsd', dir: 'desc' }, limit, ...scope })
  const budgetKeys = Object.keys(budgets).sort()
  const budgeted = useQuery({
    kind: 'users',
    by,
    sort: { by: 'costUsd', dir: 'desc' },
    limit: 500,
    ...scope,
    filters: [...queryFilters, { dimension: by === 'user' ? 'user' : 'organisation', op: 'in', values: budgetKeys.length > 0 ? budgetKeys : [NO_KEY] }],
  })

  const exceeded: BudgetExceededEntry[] = (budgeted.data?.rows ?? [])
    .map((row) => ({ key: row.key, costUsd: row.costUsd, budgetUsd: budgets[row.key] }))
    .filter((entry): entry is BudgetExceededEntry => typeof entry.costUsd === 'number' && typeof entry.budgetUsd === 'number' && entry.costUsd > entry.budgetUsd)
  const exceededSignature = JSON.stringify(exceeded)
  const latestCallback = useRef(onBudgetExceeded)
  useEffect(() => {
    latestCallback.current = onBudgetExceeded
  })
  useEffect(() => {
    const entries = JSON.parse(exceededSignature) as BudgetExceededEntry[]
    if (entries.length > 0) {
      latestCallback.current?.(entries)
    }
  }, [exceededSignature])

  const overKeys = new Set(exceeded.map((entry) => entry.key))
  const rows = list.data?.rows ?? []
  const noun = by === 'user' ? 'User' : 'Organisation'
  const hasBudgets = budgetKeys.length > 0
  const columns: SummaryColumn<UsersRow>[] = [
    { id: 'key', header: noun, text: (row) => row.key },
    { id: 'costUsd', header: 'Cost', numeric: true, text: (row) => costText(row.costUsd, row.unpricedCount), sortValue: (row) => row.costUsd },
    ...(hasBudgets
      ? [
          {
            id: 'budgetUsd',
            header: 'Budget',
            numeric: true,
            text: (row: UsersRow) => (budgets[row.key] === undefined ? '–' : formatUsd(budgets[row.key])),
            sortValue: (row: UsersRow) => budgets[row.key],
          },
          {
            id: 'budget',
            header: 'Budget status',
            text: (row: UsersRow) => (budgets[row.key] === undefined ? 'No budget' : overKeys.has(row.key) ? 'Over budget' : 'Within budget'),
          },
        ]
      : []),
    countColumn('generations', 'Calls'),
    countColumn('traces', 'Traces'),
    countColumn('errors', 'Errors'),
    countColumn('inputTokens', 'Input tokens'),
    countColumn('outputTokens', 'Output tokens'),
    ...(by === 'organisation' ? [countColumn('users', 'Users')] : []),
    { id: 'lastSeenMs', header: 'Last seen', text: (row) => formatDateTime(row.lastSeenMs), sortValue: (row) => row.lastSeenMs },
  ]
  const state = panelStateOf(list, rows.length === 0)
  return (
    <PanelFrame
      title={title ?? (by === 'user' ? 'Usage by user' : 'Usage by organisation')}
      description={description}
      progress={list.progress}
      state={state}
      error={list.error}
      emptyMessage={by === 'user' ? 'No identified users made AI calls in this range.' : 'No organisation made AI calls in this range.'}
      className={joinClassNames('aiscope-UsageByUser', className)}
      data-by={by}
      data-over-budget-count={String(exceeded.length)}
      actions={state === 'ready' ? <CsvExportButton rows={rows} columns={columns} fileName={`usage-by-${by}.csv`} /> : null}
      {...props}
    >
      {list.data ? (
        <>
          {exceeded.length > 0 ? (
            <p className="aiscope-BudgetAlert" role="status">
              {formatCount(exceeded.length)} {exceeded.length === 1 ? noun.toLowerCase() : `${noun.toLowerCase()}s`} over budget:{' '}
              {exceeded.map((entry) => entry.key).join(', ')}
            </p>
          ) : null}
          <div className="aiscope-TableScroll">
            <SummaryTable
              caption={by === 'user' ? 'Usage by user' : 'Usage by organisation'}
              columns={columns}
              rows={rows}
              rowKey={(row) => row.key}
              defaultSort={BY_COST}
              rowProps={(row) => ({ 'data-budget': budgets[row.key] === undefined ? 'none' : overKeys.has(row.key) ? 'over' : 'within' })}
            />
          </div>
          <p className="aiscope-TableNote">
            Showing {formatCount(rows.length)} of {formatCount(list.data.totalCount)}, largest cost first
            {list.data.unattributedCount > 0 ? `; ${formatCount(list.data.unattributedCount)} calls belong to no ${noun.toLowerCase()}` : ''}.
          </p>
        </>
      ) : null}
    </PanelFrame>
  )
}

/** The order the list comes in (`sort: { by: 'costUsd', dir: 'desc' }`). */
const BY_COST: SummarySort = { columnId: 'costUsd', dir: 'desc' }

/** A column of one of a row's counts, sorted by the count. */
function countColumn(id: 'generations' | 'traces' | 'errors' | 'inputTokens' | 'outputTokens' | 'users', header: string): SummaryColumn<UsersRow> {
  return { id, header, numeric: true, text: (row) => formatCount(row[id]), sortValue: (row) => row[id] }
}

const NO_BUDGETS: Readonly<Record<string, number>> = {}
/** A key no user has: the budget query's filter when there are no budgets (it then lists nothing). */
const NO_KEY = '\u0000aiscope-no-budget'
