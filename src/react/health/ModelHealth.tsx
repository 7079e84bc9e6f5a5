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
import { keyId, panelStateOf } from '../costs/costs.utils'
import { HEALTH_ERROR_KINDS, LATENCY_STATISTICS, costPerThousandCalls, errorKindCounts, rowCacheHitRate } from './health.utils'

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
    groupBy: ['model', 'errorKind'],
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
  const callsByModel = new Map<string | null, number>()
  for (const row of rows) {
    callsByModel.set(row.key[0] ?? null, (callsByModel.get(row.key[0] ?? null) ?? 0) + (row.values.count ?? 0))
  }
  const kindCounts = kinds.data ? errorKindCounts(kinds.data.rows) : undefined
  const kindRate = (row: AggregateRow, kind: string) => {
    if (!kindCounts) {
      return null
    }
    const calls = callsByModel.get(row.key[0] ?? null) ?? 0
    return calls > 0 ? (kindCounts.get(row.key[0] ?? null)?.get(kind) ?? 0) / calls : null
  }
  const columns: SummaryColumn<AggregateRow>[] = [
    { id: 'model', header: 'Model', text: (row) => groupLabel(row.key[0]) },
    { id: 'provider', header: 'Provider', text: (row) => groupLabel(row.key[1]) },
    { id: 'count', header: 'Calls', numeric: true, text: (row) => formatCount(row.values.count) },
    { id: 'errorRate', header: 'Error rate', numeric: true, text: (row) => formatPercent(row.values.errorRate) },
    ...HEALTH_ERROR_KINDS.map(({ kind, label }) => ({
      id: `errorKind:${kind}`,
      header: `${label} errors`,
      numeric: true,
      text: (row: AggregateRow) => formatPercent(kindRate(row, kind)),
    })),
    { id: 'latency.p50', header: 'Latency p50', numeric: true, text: (row) => formatSeconds(row.values['latency.p50']) },
    { id: 'latency.p95', header: 'Latency p95', numeric: true, text: (row) => formatSeconds(row.values['latency.p95']) },
    { id: 'latency.p99', header: 'Latency p99', numeric: true, text: (row) => formatSeconds(row.values['latency.p99']) },
    { id: 'ttft.p50', header: 'TTFT p50', numeric: true, text: (row) => formatSeconds(row.values['ttft.p50']) },
    { id: 'ttft.p95', header: 'TTFT p95', numeric: true, text: (row) => formatSeconds(row.values['ttft.p95']) },
    { id: 'inputTokens', header: 'Input tokens', numeric: true, text: (row) => formatCount(row.values.inputTokens) },
    { id: 'outputTokens', header: 'Output tokens', numeric: true, text: (row) => formatCount(row.values.outputTokens) },
    { id: 'cacheReadTokens', header: 'Cache read tokens', numeric: true, text: (row) => formatCount(row.values.cacheReadTokens) },
    { id: 'cacheWriteTokens', header: 'Cache write tokens', numeric: true, text: (row) => formatCount(row.values.cacheWriteTokens) },
    { id: 'reasoningTokens', header: 'Reasoning tokens', numeric: true, text: (row) => formatCount(row.values.reasoningTokens) },
    { id: 'cacheHitRate', header: 'Cache hit rate', numeric: true, text: (row) => formatPercent(rowCacheHitRate(row)) },
    {
      id: 'costPerThousandCalls',
      header: 'Cost per 1,000 calls',
      numeric: true,
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
        <SummaryTable caption="Model health by model and provider" columns={columns} rows={rows} rowKey={(row) => `${keyId(row.key[0] ?? null)}|${keyId(row.key[1] ?? null)}`} />
      </div>
      <p className="aiscope-TableNote">
        Cache hit rate: cache-read tokens over prompt tokens including cache reads and writes. Cost per 1,000 calls averages priced calls only.
      </p>
    </PanelFrame>
  )
}
