'use client'
import { useId, useState, type ComponentProps, type ReactNode } from 'react'
import type { AggregateRow, Interval, Measure } from '../../query'
import { SummaryTable, type SummaryColumn } from '../charts/SummaryTable'
import { TimeSeriesChart } from '../charts/TimeSeriesChart'
import { groupLabel, hostTimeZone, seriesFromAggregate } from '../charts/timeSeries'
import { CsvExportButton } from '../controls/CsvExportButton'
import { joinClassNames } from '../controls/controls.utils'
import { toQueryFilters } from '../controls/filters'
import { formatCount, formatPercent, formatSeconds, formatUsd } from '../format'
import { PanelFrame } from '../panel'
import { useQuery } from '../provider'
import type { CostScopeProps } from '../costs/CostBreakdown'
import { isOtherGroup, panelStateOf } from '../costs/costs.utils'
import type { SummarySort } from '../charts/summaryTable.utils'
import { HEALTH_ERROR_KINDS, LATENCY_STATISTICS, costPerThousandCalls, errorKindCounts, modelProviderId, rowCacheHitRate } from './health.utils'

/** Props of {@link ModelHealth}. */
export interface ModelHealthProps extends CostScopeProps, Omit<ComponentProps<'section'>, 'title' | 'children'> {
  /** Bucket size of the latency chart. @default 'day' */
  interval?: Interval
  /** IANA time zone of the chart's buckets. @default the host's */
  timeZone?: string
  /** Models drawn in the latency chart (most called first). @default 5 */
  chartModels?: number
  /** Model and provider pairs listed (most called first; the rest as `(other)`). @default 20 */
  limit?: number
  /** The statistic the chart starts on. @default 'latency.p95' */
  defaultStatistic?: Measure
  /** @default 'Model health' */
  title?: ReactNode
  description?: ReactNode
}

const TABLE_MEASURES = [
  'count',
  'errorCount',
  'errorRate',
  'latency.p50',
  'latency.p95',
  'latency.p99',
  'ttft.p50',
  'ttft.p95',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'costPerCallUsd',
  'unpricedCount',
] as const

/** The order the table's query returns rows in (`orderBy: 'count'`). */
const BY_CALLS: SummarySort = { columnId: 'count', dir: 'desc' }

/**
 * How each model is doing, per model and provider: calls, error rate and errors by kind,
 * latency p50 / p95 / p99 and time to first token, tokens in / out / cache / reasoning,
 * cost per 1,000 priced calls and cache hit rate (cache reads over prompt tokens including
 * cache); and a chart of a latency statistic over time, one line per model.
 */
export function ModelHealth({
  range,
  filters,
  extraFilters,
  interval = 'day',
  timeZone,
  chartModels = 5,
  limit = 20,
  defaultStatistic = 'latency.p95',
  title,
  description,
  className,
  ...props
}: ModelHealthProps) {
  const zone = timeZone ?? hostTimeZone()
  const queryFilters = [...(filters ? toQueryFilters(filters).filters : []), ...(extraFilters ?? [])]
  const scope = { ...(range ? { range } : {}), filters: queryFilters }
  const table = useQuery({ kind: 'aggregate', measures: TABLE_MEASURES, groupBy: ['model', 'provider'], orderBy: 'count', limit, ...scope })
  const kinds = useQuery({
    kind: 'aggregate',
    measures: ['count'],
    groupBy: ['model', 'provider', 'errorKind'],
    ...scope,
    filters: [...queryFilters, { field: 'isError', op: 'equals', value: true }],
  })
  const trend = useQuery({
    kind: 'aggregate',
    measures: ['count', ...LATENCY_STATISTICS.map((entry) => entry.measure)],
    groupBy: ['model'],
    orderBy: 'count',
    limit: chartModels,
    interval,
    timeZone: zone,
    ...scope,
  })
  const [statistic, setStatistic] = useState<Measure>(defaultStatistic)
  const statisticId = useId()
  const statisticLabel = LATENCY_STATISTICS.find((entry) => entry.measure === statistic)?.label ?? statistic

  const rows = table.data?.rows ?? []
  const kindCounts = kinds.data ? errorKindCounts(kinds.data.rows, rows) : undefined
  /** The share of the row's calls that failed with `kind`. */
  const kindRate = (row: AggregateRow, kind: string) => {
    const calls = row.values.count ?? 0
    if (!kindCounts || calls === 0) {
      return null
    }
    return (kindCounts.get(modelProviderId(row.key[0], row.key[1]))?.get(kind) ?? 0) / calls
  }
  const measureColumn = (id: (typeof TABLE_MEASURES)[number], header: string, format: (value: number | null | undefined) => string) => ({
    id,
    header,
    numeric: true,
    text: (row: AggregateRow) => format(row.values[id]),
    sortValue: (row: AggregateRow) => row.values[id],
  })
  const columns: SummaryColumn<AggregateRow>[] = [
    { id: 'model', header: 'Model', text: (row) => groupLabel(row.key[0]), sortValue: (row) => row.key[0] },
    { id: 'provider', header: 'Provider', text: (row) => groupLabel(row.key[1]), sortValue: (row) => row.key[1] },
    measureColumn('count', 'Calls', formatCount),
    measureColumn('errorRate', 'Error rate', formatPercent),
    ...HEALTH_ERROR_KINDS.map(({ kind, label }) => ({
      id: `errorKind:${kind}`,
      header: `${label} errors`,
      numeric: true,
      text: (row: AggregateRow) => formatPercent(kindRate(row, kind)),
      sortValue: (row: AggregateRow) => kindRate(row, kind),
    })),
    measureColumn('latency.p50', 'Latency p50', formatSeconds),
    measureColumn('latency.p95', 'Latency p95', formatSeconds),
    measureColumn('latency.p99', 'Latency p99', formatSeconds),
    measureColumn('ttft.p50', 'TTFT p50', formatSeconds),
    measureColumn('ttft.p95', 'TTFT p95', formatSeconds),
    measureColumn('inputTokens', 'Input tokens', formatCount),
    measureColumn('outputTokens', 'Output tokens', formatCount),
    measureColumn('cacheReadTokens', 'Cache read tokens', formatCount),
    measureColumn('cacheWriteTokens', 'Cache write tokens', formatCount),
    measureColumn('reasoningTokens', 'Reasoning tokens', formatCount),
    { id: 'cacheHitRate', header: 'Cache hit rate', numeric: true, text: (row) => formatPercent(rowCacheHitRate(row)), sortValue: rowCacheHitRate },
    {
      id: 'costPerThousandCalls',
      header: 'Cost per 1,000 calls',
      numeric: true,
      sortValue: (row) => costPerThousandCalls(row.values.costPerCallUsd),
      text: (row) => {
        const cost = formatUsd(costPerThousandCalls(row.values.costPerCallUsd))
        const unpriced = row.values.unpricedCount ?? 0
        return unpriced > 0 ? `${cost} (${formatCount(unpriced)} unpriced)` : cost
      },
    },
  ]
  const state = panelStateOf(table, (table.data?.totals.count ?? 0) === 0)
  return (
    <PanelFrame
      title={title ?? 'Model health'}
      description={description}
      progress={table.progress}
      state={state}
      error={table.error}
      emptyMessage="No AI calls in this range."
      className={joinClassNames('aiscope-ModelHealth', className)}
      actions={state === 'ready' ? <CsvExportButton rows={rows} columns={columns} fileName="model-health.csv" /> : null}
      {...props}
    >
      {trend.data ? (
        <div className="aiscope-ModelHealthChart">
          <label htmlFor={statisticId} className="aiscope-InlineField">
            Statistic{' '}
            <select id={statisticId} className="aiscope-Input" value={statistic} onChange={(event) => setStatistic(event.target.value as Measure)}>
              {LATENCY_STATISTICS.map((entry) => (
                <option key={entry.measure} value={entry.measure}>
                  {entry.label}
                </option>
              ))}
            </select>
          </label>
          <TimeSeriesChart
            title={`${statisticLabel} by model per ${interval}`}
            kind="lines"
            bucketStartsMs={trend.data.bucketStartsMs ?? []}
            series={seriesFromAggregate(trend.data, statistic)}
            formatValue={formatSeconds}
            interval={interval}
            timeZone={zone}
          />
        </div>
      ) : null}
      <div className="aiscope-TableScroll">
        <SummaryTable
          caption="Model health by model and provider"
          columns={columns}
          rows={rows}
          rowKey={(row) => modelProviderId(row.key[0], row.key[1])}
          defaultSort={BY_CALLS}
          keepLast={isOtherGroup}
        />
      </div>
      <p className="aiscope-TableNote">
        Cache hit rate: cache-read tokens over prompt tokens including cache reads and writes. Cost per 1,000 calls averages priced calls only.
      </p>
    </PanelFrame>
  )
}
