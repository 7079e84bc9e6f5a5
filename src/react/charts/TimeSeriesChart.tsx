'use client'
import { useId, useState, type ComponentProps, type KeyboardEvent } from 'react'
import { AxisBottom, AxisLeft } from '@visx/axis'
import { Group } from '@visx/group'
import { scaleBand, scaleLinear } from '@visx/scale'
import { Bar, LinePath } from '@visx/shape'
import type { Interval } from '../../query'
import { joinClassNames } from '../controls/controls.utils'
import { SummaryTable, type SummaryColumn } from './SummaryTable'
import type { SummarySort } from './summaryTable.utils'
import { formatBucket, seriesColor, type ChartSeries } from './timeSeries'

/** How a {@link TimeSeriesChart} draws its series. */
export type ChartKind = 'stacked-bars' | 'lines'

/** Props of {@link TimeSeriesChart}. */
export interface TimeSeriesChartProps extends Omit<ComponentProps<'figure'>, 'children'> {
  /** What the chart shows: its accessible name, and the caption of its table view. */
  title: string
  /** `stacked-bars`: series stacked per bucket (parts of a whole, e.g. cost); `lines`: one line per series. @default 'stacked-bars' */
  kind?: ChartKind
  /** Start of each bucket, ms since epoch (an aggregate's `bucketStartsMs`). */
  bucketStartsMs: readonly number[]
  series: readonly ChartSeries[]
  /** How values are written (axis, tooltips, table). */
  formatValue: (value: number | null) => string
  /** Bucket size, for the labels. @default 'day' */
  interval?: Interval
  /** IANA time zone the buckets are labelled in. @default 'UTC' */
  timeZone?: string
  /** Drawing height, px (the width follows the container). @default 220 */
  height?: number
  /** Shows the table view instead of the chart (controlled). */
  showTable?: boolean
  /** The first view when uncontrolled. @default false */
  defaultShowTable?: boolean
  onShowTableChange?: (showTable: boolean) => void
}

const VIEW_WIDTH = 640
/** The table view lists buckets oldest first until a header is pressed. */
const IN_TIME_ORDER: SummarySort = { columnId: 'bucket', dir: 'asc' }
const MARGIN = { top: 8, right: 8, bottom: 28, left: 64 }

/**
 * A time series as stacked bars or lines, drawn with visx primitives, with:
 * - a legend naming each series by colour and text;
 * - keyboard-reachable tooltips: each bucket is one focusable column (one Tab stop, then
 *   ArrowLeft / ArrowRight / Home / End) whose `aria-label` reads every series' value, and
 *   whose tooltip shows on focus or hover;
 * - a "Show as table" toggle replacing the drawing with a real table of the same numbers.
 * One `<figure>`; the view is exposed as `data-view="chart" | "table"`.
 */
export function TimeSeriesChart({
  title,
  kind = 'stacked-bars',
  bucketStartsMs,
  series,
  formatValue,
  interval = 'day',
  timeZone = 'UTC',
  height = 220,
  showTable,
  defaultShowTable = false,
  onShowTableChange,
  className,
  ...props
}: TimeSeriesChartProps) {
  const [ownShowTable, setOwnShowTable] = useState(defaultShowTable)
  const tableShown = showTable ?? ownShowTable
  const toggle = () => {
    setOwnShowTable(!tableShown)
    onShowTableChange?.(!tableShown)
  }
  const [activeIndex, setActiveIndex] = useState<number | null>(null)
  const [focusIndex, setFocusIndex] = useState(0)
  const tooltipId = useId()
  const bucketLabels = bucketStartsMs.map((startMs) => formatBucket(startMs, interval, timeZone))

  const innerWidth = VIEW_WIDTH - MARGIN.left - MARGIN.right
  const innerHeight = height - MARGIN.top - MARGIN.bottom
  const stackTotals = bucketStartsMs.map((_, index) => series.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0))
  const maxValue =
    kind === 'stacked-bars'
      ? Math.max(0, ...stackTotals)
      : Math.max(0, ...series.flatMap((entry) => entry.values.filter((value): value is number => value !== null)))
  const xScale = scaleBand<number>({ domain: bucketStartsMs.map((_, index) => index), range: [0, innerWidth], padding: 0.2 })
  const yScale = scaleLinear<number>({ domain: [0, maxValue > 0 ? maxValue : 1], range: [innerHeight, 0], nice: true })
  const bandWidth = xScale.bandwidth()
  const step = xScale.step()
  const tickEvery = Math.max(1, Math.ceil(bucketStartsMs.length / 8))

  const describeBucket = (index: number) => {
    const parts = series.map((entry) => `${entry.label} ${formatValue(entry.values[index] ?? null)}`)
    const total = kind === 'stacked-bars' && series.length > 1 ? `, total ${formatValue(stackTotals[index] ?? 0)}` : ''
    return `${bucketLabels[index]}${total}: ${parts.join(', ')}`
  }

  const onKeyDown = (event: KeyboardEvent<SVGGElement>) => {
    const last = bucketStartsMs.length - 1
    const next =
      event.key === 'ArrowRight' ? Math.min(last, focusIndex + 1)
      : event.key === 'ArrowLeft' ? Math.max(0, focusIndex - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : null
    if (next === null) {
      return
    }
    event.preventDefault()
    setFocusIndex(next)
    setActiveIndex(next)
    const target = (event.currentTarget.ownerSVGElement ?? event.currentTarget).querySelector<SVGGElement>(`[data-bucket-index="${next}"]`)
    target?.focus()
  }

  const tableColumns: SummaryColumn<number>[] = [
    {
      id: 'bucket',
      header: interval === 'hour' ? 'Hour' : interval === 'week' ? 'Week' : 'Day',
      text: (index) => bucketLabels[index] ?? '',
      sortValue: (index) => bucketStartsMs[index],
    },
    ...series.map((entry, seriesIndex) => ({
      id: `series-${seriesIndex}`,
      header: entry.label,
      numeric: true,
      text: (index: number) => formatValue(entry.values[index] ?? null),
      sortValue: (index: number) => entry.values[index],
    })),
    ...(kind === 'stacked-bars' && series.length > 1
      ? [
          {
            id: 'total',
            header: 'Total',
            numeric: true,
            text: (index: number) => formatValue(stackTotals[index] ?? 0),
            sortValue: (index: number) => stackTotals[index] ?? 0,
          },
        ]
      : []),
  ]

  const active = activeIndex === null ? null : activeIndex
  return (
    <figure className={joinClassNames('aiscope-Chart', className)} data-view={tableShown ? 'table' : 'chart'} data-kind={kind} {...props}>
      <div className="aiscope-ChartToolbar">
        <figcaption className="aiscope-ChartTitle">{title}</figcaption>
        <button type="button" className="aiscope-Button aiscope-Button-quiet" aria-pressed={tableShown} onClick={toggle}>
          {tableShown ? 'Show as chart' : 'Show as table'}
        </button>
      </div>
      {tableShown ? (
        <SummaryTable
          caption={title}
          columns={tableColumns}
          rows={bucketStartsMs.map((_, index) => index)}
          rowKey={(index) => String(index)}
          defaultSort={IN_TIME_ORDER}
        />
      ) : (
        <div className="aiscope-ChartCanvas" style={{ position: 'relative' }}>
          <ul className="aiscope-ChartLegend" aria-label="Legend">
            {series.map((entry, index) => (
              <li key={entry.label} data-series={entry.label}>
                <svg width="10" height="10" aria-hidden="true" focusable="false">
                  <rect width="10" height="10" style={{ fill: seriesColor(index) }} />
                </svg>{' '}
                {entry.label}
              </li>
            ))}
          </ul>
          <svg
            role="group"
            aria-label={`${title}: ${bucketStartsMs.length} ${interval === 'hour' ? 'hours' : interval === 'week' ? 'weeks' : 'days'}, ArrowLeft and ArrowRight move between them`}
            viewBox={`0 0 ${VIEW_WIDTH} ${height}`}
            width="100%"
            style={{ display: 'block', maxWidth: '100%', height: 'auto', overflow: 'visible' }}
            onMouseLeave={() => setActiveIndex(null)}
          >
            <Group left={MARGIN.left} top={MARGIN.top}>
              <AxisLeft
                scale={yScale}
                numTicks={4}
                tickFormat={(value) => formatValue(Number(value))}
                stroke="currentColor"
                tickStroke="currentColor"
                tickLabelProps={{ fill: 'currentColor', fontSize: 10, textAnchor: 'end', dx: -4, dy: 3 }}
              />
              <AxisBottom
                top={innerHeight}
                scale={xScale}
                tickValues={bucketStartsMs.map((_, index) => index).filter((index) => index % tickEvery === 0)}
                tickFormat={(index) => bucketLabels[Number(index)] ?? ''}
                stroke="currentColor"
                tickStroke="currentColor"
                tickLabelProps={{ fill: 'currentColor', fontSize: 10, textAnchor: 'middle' }}
              />
              {kind === 'stacked-bars'
                ? bucketStartsMs.map((_, index) => {
                    let stackedTop = 0
                    return (
                      <Group key={index}>
                        {series.map((entry, seriesIndex) => {
                          const value = entry.values[index] ?? 0
                          if (value <= 0) {
                            return null
                          }
                          const y = yScale(stackedTop + value)
                          const barHeight = yScale(stackedTop) - y
                          stackedTop += value
                          return (
                            <Bar
                              key={entry.label}
                              x={xScale(index) ?? 0}
                              y={y}
                              width={bandWidth}
                              height={Math.max(0, barHeight)}
                              style={{ fill: seriesColor(seriesIndex) }}
                              aria-hidden="true"
                            />
                          )
                        })}
                      </Group>
                    )
                  })
                : series.map((entry, seriesIndex) => (
                    <LinePath<number | null>
                      key={entry.label}
                      data={entry.values}
                      defined={(value) => value !== null}
                      x={(_, index) => (xScale(index) ?? 0) + bandWidth / 2}
                      y={(value) => yScale(value ?? 0)}
                      style={{ stroke: seriesColor(seriesIndex), fill: 'none' }}
                      strokeWidth={2}
                      aria-hidden="true"
                    />
                  ))}
              {kind === 'lines'
                ? series.map((entry, seriesIndex) =>
                    entry.values.map((value, index) =>
                      value === null ? null : (
                        <circle
                          key={`${entry.label}-${index}`}
                          cx={(xScale(index) ?? 0) + bandWidth / 2}
                          cy={yScale(value)}
                          r={active === index ? 4 : 2.5}
                          style={{ fill: seriesColor(seriesIndex) }}
                          aria-hidden="true"
                        />
                      ),
                    ),
                  )
                : null}
              {bucketStartsMs.map((startMs, index) => (
                <g
                  key={startMs}
                  role="img"
                  tabIndex={index === focusIndex ? 0 : -1}
                  aria-label={describeBucket(index)}
                  aria-describedby={active === index ? tooltipId : undefined}
                  data-bucket-index={index}
                  data-state={active === index ? 'active' : 'inactive'}
                  className="aiscope-ChartBucket"
                  onFocus={() => {
                    setFocusIndex(index)
                    setActiveIndex(index)
                  }}
                  onBlur={() => setActiveIndex(null)}
                  onMouseEnter={() => setActiveIndex(index)}
                  onKeyDown={onKeyDown}
                >
                  <rect
                    x={(xScale(index) ?? 0) - (step - bandWidth) / 2}
                    y={0}
                    width={step}
                    height={innerHeight}
                    style={{ fill: active === index ? 'rgba(127, 127, 127, 0.12)' : 'transparent' }}
                  />
                </g>
              ))}
            </Group>
          </svg>
          {active !== null ? (
            <div
              id={tooltipId}
              role="tooltip"
              className="aiscope-ChartTooltip"
              style={{ position: 'absolute', top: 0, left: `${(((xScale(active) ?? 0) + MARGIN.left + bandWidth / 2) / VIEW_WIDTH) * 100}%` }}
            >
              <strong>{bucketLabels[active]}</strong>
              <ul>
                {series.map((entry) => (
                  <li key={entry.label}>
                    {entry.label}: {formatValue(entry.values[active] ?? null)}
                  </li>
                ))}
                {kind === 'stacked-bars' && series.length > 1 ? <li>Total: {formatValue(stackTotals[active] ?? 0)}</li> : null}
              </ul>
            </div>
          ) : null}
        </div>
      )}
    </figure>
  )
}
