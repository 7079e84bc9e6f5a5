'use client'
import type { ComponentProps, ReactNode } from 'react'
import type { Measure, TimeRange } from '../../query'
import { joinClassNames } from '../controls/controls.utils'
import { previousPeriod } from '../controls/dateRange'
import { toQueryFilters } from '../controls/filters'
import { formatCount, formatPercent, formatSeconds, formatUsd } from '../format'
import { PanelFrame } from '../panel'
import { useQuery } from '../provider'
import type { CostScopeProps } from '../costs/CostBreakdown'
import { formatChange, panelStateOf, relativeChange } from '../costs/costs.utils'

/** Props of {@link ModelHealthTiles}. */
export interface ModelHealthTilesProps extends CostScopeProps, Omit<ComponentProps<'section'>, 'title' | 'children'> {
  /**
   * The period compared with. @default the period of the same length just before `range`
   * (none without a `range`); `null` turns comparison off.
   */
  previousRange?: TimeRange | null
  /** @default 'At a glance' */
  title?: ReactNode
  description?: ReactNode
}

const TILE_MEASURES = ['count', 'errorRate', 'latency.p95', 'costUsd', 'unpricedCount'] as const

/** The tiles, in order. */
const TILES: readonly { measure: Measure; label: string; format: (value: number | null | undefined) => string; higherIsBetter: boolean }[] = [
  { measure: 'count', label: 'Calls', format: formatCount, higherIsBetter: true },
  { measure: 'errorRate', label: 'Error rate', format: formatPercent, higherIsBetter: false },
  { measure: 'latency.p95', label: 'p95 latency', format: formatSeconds, higherIsBetter: false },
  { measure: 'costUsd', label: 'Cost', format: formatUsd, higherIsBetter: false },
]

/**
 * A compact row of headline tiles for a dashboard header: calls, error rate, p95 latency and
 * cost, each with its change against the previous period of the same length. One `<section>`
 * (a panel) holding a `<ul>`; each tile carries `data-measure` and `data-trend`
 * (`up` / `down` / `flat` / `unknown`) and `data-tone` (`good` / `bad` / `neutral`).
 */
export function ModelHealthTiles({ range, previousRange, filters, extraFilters, title, description, className, ...props }: ModelHealthTilesProps) {
  const queryFilters = [...(filters ? toQueryFilters(filters).filters : []), ...(extraFilters ?? [])]
  const comparedRange = previousRange === null ? undefined : (previousRange ?? (range ? previousPeriod(range) : undefined))
  const current = useQuery({ kind: 'aggregate', measures: TILE_MEASURES, filters: queryFilters, ...(range ? { range } : {}) })
  const previous = useQuery({ kind: 'aggregate', measures: TILE_MEASURES, filters: queryFilters, range: comparedRange ?? { fromMs: 0, toMs: 0 } })
  const totals = current.data?.totals
  const previousTotals = comparedRange ? previous.data?.totals : undefined
  const unpriced = totals?.unpricedCount ?? 0
  return (
    <PanelFrame
      title={title ?? 'At a glance'}
      description={description}
      progress={current.progress}
      state={panelStateOf(current, (totals?.count ?? 0) === 0)}
      error={current.error}
      emptyMessage="No AI calls in this range."
      className={joinClassNames('aiscope-HealthTiles', className)}
      {...props}
    >
      <ul className="aiscope-Tiles">
        {TILES.map((tile) => {
          const value = totals?.[tile.measure]
          const before = previousTotals?.[tile.measure]
          // Error rate changes are shown in percentage points: a relative change of a small rate misleads.
          const change = tile.measure === 'errorRate' ? pointChange(value, before) : relativeChange(value, before)
          const trend = change === null ? 'unknown' : Math.abs(change) < 0.0005 ? 'flat' : change > 0 ? 'up' : 'down'
          const tone = trend === 'up' ? (tile.higherIsBetter ? 'good' : 'bad') : trend === 'down' ? (tile.higherIsBetter ? 'bad' : 'good') : 'neutral'
          return (
            <li key={tile.measure} className="aiscope-Tile" data-measure={tile.measure} data-trend={trend} data-tone={tone}>
              <span className="aiscope-TileLabel">{tile.label}</span>
              <span className="aiscope-TileValue">{tile.format(value)}</span>
              {tile.measure === 'costUsd' && unpriced > 0 ? (
                <span className="aiscope-UnpricedFlag">{formatCount(unpriced)} calls unpriced</span>
              ) : null}
              {comparedRange ? (
                <span className="aiscope-TileChange">
                  {tile.measure === 'errorRate' && change !== null ? formatPoints(change) : formatChange(change)} vs previous period
                </span>
              ) : null}
            </li>
          )
        })}
      </ul>
    </PanelFrame>
  )
}

function pointChange(current: number | null | undefined, previous: number | null | undefined): number | null {
  return typeof current === 'number' && typeof previous === 'number' ? current - previous : null
}

function formatPoints(change: number): string {
  if (Math.abs(change) < 0.0005) {
    return 'no change'
  }
  const points = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(Math.abs(change) * 100)
  return `${change > 0 ? '+' : '−'}${points} pp`
}
