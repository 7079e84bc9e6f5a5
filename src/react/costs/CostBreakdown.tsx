'use client'
import { useEffect, useId, useRef, useState, type ComponentProps, type ReactNode } from 'react'
import type { AggregateResult, AggregateRow, Dimension, Filter, Interval, TimeRange } from '../../query'
import { OTHER_GROUP } from '../../query/spec'
import { SummaryTable, type SummaryColumn } from '../charts/SummaryTable'
import type { SummarySort } from '../charts/summaryTable.utils'
import { TimeSeriesChart } from '../charts/TimeSeriesChart'
import { groupLabel, hostTimeZone, seriesFromAggregate } from '../charts/timeSeries'
import { CsvExportButton } from '../controls/CsvExportButton'
import { joinClassNames } from '../controls/controls.utils'
import { toQueryFilters, type FilterValue } from '../controls/filters'
import { formatCount, formatPercent, formatUsd } from '../format'
import { PanelFrame } from '../panel'
import { useQuery } from '../provider'
import { dimensionLabel, formatChange, groupFilter, isOtherGroup, keyId, panelStateOf, relativeChange } from './costs.utils'

/** Props the cost panels share: what they measure over. */
export interface CostScopeProps {
  /** Keeps calls in this range. @default everything stored */
  range?: TimeRange
  /** Narrows the calls: a shared `useFilters().value` (its free-text search is not used by aggregates). */
  filters?: FilterValue
  /** More conditions, added to `filters`. @default [] */
  extraFilters?: readonly Filter[]
}

/** Props of {@link CostBreakdown}. */
export interface CostBreakdownProps extends CostScopeProps, Omit<ComponentProps<'section'>, 'title' | 'children'> {
  /** The dimension cost is attributed to: `model`, `provider`, `user`, `organisation`, `feature`, `promptVersion`, `property:<name>`, ... */
  by: Dimension
  /** The period before `range` to compare totals with (e.g. `useDateRange().previousRange`). */
  previousRange?: TimeRange
  /** Bucket size of the trend. @default 'day' */
  interval?: Interval
  /** IANA time zone of the trend's buckets. @default the host's */
  timeZone?: string
  /** Groups drawn on their own in the trend; the rest are one `(other)` layer. @default 6 */
  topN?: number
  /** Groups listed in the table; the rest are one `(other)` row. @default 50 */
  tableLimit?: number
  /** What a chosen row breaks down into. @default ['feature', 'user'] without `by` */
  drillDownBy?: readonly Dimension[]
  /** Told when a row is opened (its key) or closed (`undefined`). */
  onSelectedKeyChange?: (key: string | null | undefined) => void
  /** @default 'Cost by <dimension>' */
  title?: ReactNode
  description?: ReactNode
}

const TABLE_MEASURES = ['costUsd', 'count', 'costPerCallUsd', 'unpricedCount'] as const

/** The order the cost queries return rows in (`orderBy: 'costUsd'`). */
const BY_COST: SummarySort = { columnId: 'costUsd', dir: 'desc' }

/**
 * Where the AI bill goes, by any dimension: totals (cost, calls, cost per priced call, the
 * unpriced calls flagged, never counted as free), the trend of the top groups over time
 * (stacked bars, the rest as `(other)`), and a table with each group's share; opening a row
 * breaks its cost down further (by feature and by user unless `drillDownBy` says otherwise).
 */
export function CostBreakdown({
  by,
  range,
  previousRange,
  filters,
  extraFilters,
  interval = 'day',
  timeZone,
  topN = 6,
  tableLimit = 50,
  drillDownBy,
  onSelectedKeyChange,
  title,
  description,
  className,
  ...props
}: CostBreakdownProps) {
  const label = dimensionLabel(by)
  const zone = timeZone ?? hostTimeZone()
  const queryFilters = [...(filters ? toQueryFilters(filters).filters : []), ...(extraFilters ?? [])]
  const scope = { ...(range ? { range } : {}), filters: queryFilters }
  const table = useQuery({ kind: 'aggregate', measures: TABLE_MEASURES, groupBy: [by], orderBy: 'costUsd', limit: tableLimit, ...scope })
  const trend = useQuery({ kind: 'aggregate', measures: ['costUsd'], groupBy: [by], orderBy: 'costUsd', limit: topN, interval, timeZone: zone, ...scope })
  const previous = useQuery({
    kind: 'aggregate',
    measures: ['costUsd', 'count'],
    filters: queryFilters,
    ...(previousRange ? { range: previousRange } : { range: { fromMs: 0, toMs: 0 } }),
  })
  const [selected, setSelected] = useState<{ key: string | null } | null>(null)
  const select = (next: { key: string | null } | null) => {
    setSelected(next)
    onSelectedKeyChange?.(next?.key)
  }

  const callCount = table.data?.totals.count ?? 0
  const state = panelStateOf(table, callCount === 0)
  const drillId = useId()
  const rows = table.data?.rows ?? []
  const totalCostUsd = table.data?.totals.costUsd ?? null
  const columns = costColumns(label, totalCostUsd, selected, select, drillId)

  return (
    <PanelFrame
      title={title ?? `Cost by ${label.toLowerCase()}`}
      description={description}
      progress={table.progress}
      state={state}
      error={table.error}
      emptyMessage="No AI calls in this range."
      className={joinClassNames('aiscope-CostBreakdown', className)}
      data-by={by}
      actions={state === 'ready' ? <CsvExportButton rows={rows} columns={columns} fileName={`cost-by-${label.toLowerCase()}.csv`} /> : null}
      {...props}
    >
      {table.data ? (
        <>
          <CostTotals
            totals={table.data.totals}
            previousTotals={previousRange && previous.data ? previous.data.totals : undefined}
          />
          {trend.data ? (
            <TimeSeriesChart
              title={`Cost by ${label.toLowerCase()} per ${interval}`}
              kind="stacked-bars"
              bucketStartsMs={trend.data.bucketStartsMs ?? []}
              series={seriesFromAggregate(trend.data, 'costUsd')}
              formatValue={formatUsd}
              interval={interval}
              timeZone={zone}
            />
          ) : null}
          <SummaryTable
            caption={`Cost by ${label.toLowerCase()}`}
            columns={columns}
            rows={rows}
            rowKey={(row) => keyId(row.key[0] ?? null)}
            defaultSort={BY_COST}
            keepLast={isOtherGroup}
            rowProps={(row) => ({
              'data-state': selected && keyId(selected.key) === keyId(row.key[0] ?? null) ? 'selected' : 'idle',
              'data-unpriced': (row.values.unpricedCount ?? 0) > 0 ? 'true' : 'false',
            })}
          />
          {selected ? (
            <CostDrillDown
              id={drillId}
              by={by}
              keyValue={selected.key}
              keyFilter={groupFilter(by, selected.key, rows)}
              dimensions={drillDownBy ?? (['feature', 'user'] as const).filter((dimension) => dimension !== by)}
              range={range}
              filters={queryFilters}
              onClose={() => select(null)}
            />
          ) : null}
        </>
      ) : null}
    </PanelFrame>
  )
}

function costColumns(
  label: string,
  totalCostUsd: number | null,
  selected: { key: string | null } | null,
  select: (next: { key: string | null } | null) => void,
  drillId: string,
): SummaryColumn<AggregateRow>[] {
  return [
    {
      id: 'key',
      header: label,
      text: (row) => groupLabel(row.key[0]),
      sortValue: (row) => row.key[0],
      cell: (row) => {
        const key = row.key[0] ?? null
        const isOpen = selected !== null && keyId(selected.key) === keyId(key)
        return (
          <button
            type="button"
            className="aiscope-RowButton"
            aria-expanded={isOpen}
            aria-controls={isOpen ? drillId : undefined}
            onClick={() => select(isOpen ? null : { key })}
          >
            {groupLabel(key)}
          </button>
        )
      },
    },
    ...figureColumns(totalCostUsd),
    {
      id: 'costPerCallUsd',
      header: 'Cost per call',
      numeric: true,
      text: (row) => formatUsd(row.values.costPerCallUsd),
      sortValue: (row) => row.values.costPerCallUsd,
    },
    {
      id: 'unpricedCount',
      header: 'Unpriced calls',
      numeric: true,
      text: (row) => formatCount(row.values.unpricedCount ?? 0),
      sortValue: (row) => row.values.unpricedCount ?? 0,
    },
  ]
}

/** Cost, share of the total cost and calls: the columns the breakdown and its drill-down share. */
function figureColumns(totalCostUsd: number | null): SummaryColumn<AggregateRow>[] {
  return [
    {
      id: 'costUsd',
      header: 'Cost',
      numeric: true,
      text: (row) => costText(row.values.costUsd, row.values.unpricedCount),
      sortValue: (row) => row.values.costUsd,
    },
    {
      id: 'share',
      header: 'Share',
      numeric: true,
      text: (row) => formatPercent(share(row.values.costUsd, totalCostUsd)),
      sortValue: (row) => share(row.values.costUsd, totalCostUsd),
    },
    { id: 'count', header: 'Calls', numeric: true, text: (row) => formatCount(row.values.count), sortValue: (row) => row.values.count },
  ]
}

function share(part: number | null | undefined, whole: number | null): number | null {
  return typeof part === 'number' && whole !== null && whole > 0 ? part / whole : null
}

/** A cost with its unpriced calls: `$1.20`, `$1.20 +2 unpriced`, `unknown (3 unpriced)`. Never `$0` for unknown. */
export function costText(costUsd: number | null | undefined, unpricedCount: number | null | undefined): string {
  const unpriced = unpricedCount ?? 0
  if (costUsd === null || costUsd === undefined || !Number.isFinite(costUsd)) {
    return unpriced > 0 ? `unknown (${formatCount(unpriced)} unpriced)` : formatUsd(null)
  }
  return unpriced > 0 ? `${formatUsd(costUsd)} +${formatCount(unpriced)} unpriced` : formatUsd(costUsd)
}

/** Props of {@link CostTotals}. */
export interface CostTotalsProps extends ComponentProps<'dl'> {
  /** An aggregate's totals with `costUsd`, `count`, `costPerCallUsd`, `unpricedCount`. */
  totals: AggregateResult['totals']
  /** The previous period's totals (`costUsd`, `count`), to show the change. */
  previousTotals?: AggregateResult['totals']
}

/**
 * The headline figures of a cost panel: total cost, calls, cost per priced call, and the
 * unpriced calls flagged. One `<dl>`; `data-unpriced-count` carries the flag.
 */
export function CostTotals({ totals, previousTotals, className, ...props }: CostTotalsProps) {
  const unpriced = totals.unpricedCount ?? 0
  const costChange = previousTotals ? relativeChange(totals.costUsd, previousTotals.costUsd) : undefined
  const callChange = previousTotals ? relativeChange(totals.count, previousTotals.count) : undefined
  return (
    <dl className={joinClassNames('aiscope-Totals', className)} data-unpriced-count={String(unpriced)} {...props}>
      <div className="aiscope-Total" data-total="costUsd">
        <dt>Total cost</dt>
        <dd>
          {formatUsd(totals.costUsd)}
          {costChange !== undefined ? <span className="aiscope-Change"> {formatChange(costChange)} vs previous period</span> : null}
        </dd>
      </div>
      <div className="aiscope-Total" data-total="count">
        <dt>Calls</dt>
        <dd>
          {formatCount(totals.count ?? 0)}
          {callChange !== undefined ? <span className="aiscope-Change"> {formatChange(callChange)} vs previous period</span> : null}
        </dd>
      </div>
      <div className="aiscope-Total" data-total="costPerCallUsd">
        <dt>Cost per priced call</dt>
        <dd>{formatUsd(totals.costPerCallUsd)}</dd>
      </div>
      {unpriced > 0 ? (
        <div className="aiscope-Total aiscope-UnpricedFlag" data-total="unpricedCount">
          <dt>Unpriced</dt>
          <dd>
            {formatCount(unpriced)} {unpriced === 1 ? 'call' : 'calls'} unpriced: no known price for the model, not counted in the cost
          </dd>
        </div>
      ) : null}
    </dl>
  )
}

/** Props of {@link CostDrillDown}. */
export interface CostDrillDownProps extends Omit<ComponentProps<'section'>, 'children'> {
  /** The dimension of the opened group. */
  by: Dimension
  /** The opened group's key. */
  keyValue: string | null
  /** The filter keeping the group's calls. */
  keyFilter: Filter
  /** What the group breaks down into. */
  dimensions: readonly Dimension[]
  range?: TimeRange
  /** The panel's other conditions. */
  filters: readonly Filter[]
  onClose: () => void
}

/**
 * One group's cost broken down by other dimensions: a heading (focused when it opens), a
 * table per dimension, and a close button. One `<section>`.
 */
export function CostDrillDown({ by, keyValue, keyFilter, dimensions, range, filters, onClose, className, ...props }: CostDrillDownProps) {
  const headingRef = useRef<HTMLHeadingElement>(null)
  const headingId = useId()
  useEffect(() => {
    headingRef.current?.focus()
  }, [keyValue])
  const name = `${dimensionLabel(by)} ${groupLabel(keyValue)}${keyValue === OTHER_GROUP ? ' (every value not listed)' : ''}`
  return (
    <section aria-labelledby={headingId} className={joinClassNames('aiscope-DrillDown', className)} data-key={groupLabel(keyValue)} {...props}>
      <div className="aiscope-DrillDownHeader">
        <h3 id={headingId} ref={headingRef} tabIndex={-1} className="aiscope-DrillDownTitle">
          {name}
        </h3>
        <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={onClose}>
          Close breakdown
        </button>
      </div>
      {dimensions.map((dimension) => (
        <DrillDownTable key={dimension} name={name} dimension={dimension} range={range} filters={[...filters, keyFilter]} />
      ))}
    </section>
  )
}

function DrillDownTable({ name, dimension, range, filters }: { name: string; dimension: Dimension; range?: TimeRange; filters: Filter[] }) {
  const result = useQuery({
    kind: 'aggregate',
    measures: TABLE_MEASURES,
    groupBy: [dimension],
    orderBy: 'costUsd',
    limit: 10,
    filters,
    ...(range ? { range } : {}),
  })
  const label = dimensionLabel(dimension)
  const caption = `${name}: cost by ${label.toLowerCase()}`
  if (!result.data) {
    return (
      <p role={result.state === 'error' ? 'alert' : 'status'} className="aiscope-DrillDownStatus">
        {result.state === 'error' ? `Could not break down by ${label.toLowerCase()}: ${result.error?.message ?? ''}` : `Loading cost by ${label.toLowerCase()}…`}
      </p>
    )
  }
  const total = result.data.totals.costUsd ?? null
  return (
    <SummaryTable
      caption={caption}
      showCaption
      data-dimension={dimension}
      columns={[{ id: 'key', header: label, text: (row) => groupLabel(row.key[0]), sortValue: (row) => row.key[0] }, ...figureColumns(total)]}
      rows={result.data.rows}
      rowKey={(row) => keyId(row.key[0] ?? null)}
      defaultSort={BY_COST}
      keepLast={isOtherGroup}
    />
  )
}
