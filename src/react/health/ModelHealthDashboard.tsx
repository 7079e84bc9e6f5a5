'use client'
import type { ComponentProps } from 'react'
import type { Interval } from '../../query'
import { DateRangePicker, useDateRange } from '../controls/DateRangePicker'
import type { DateRangeValue } from '../controls/dateRange'
import { FilterBar, type FilterField } from '../controls/FilterBar'
import { joinClassNames } from '../controls/controls.utils'
import { useFilters } from '../controls/useFilters'
import type { FilterValue } from '../controls/filters'
import { ModelHealth } from './ModelHealth'
import { ModelHealthTiles } from './ModelHealthTiles'

/** Props the two ready dashboards share. */
export interface DashboardProps extends Omit<ComponentProps<'div'>, 'children'> {
  /** The date range (controlled). */
  dateRange?: DateRangeValue
  /** The first preset when uncontrolled. @default '7d' */
  defaultPreset?: '24h' | '7d' | '30d'
  onDateRangeChange?: (value: DateRangeValue) => void
  /** The filter value (controlled). */
  filters?: FilterValue
  onFiltersChange?: (value: FilterValue) => void
  /** IANA time zone of charts and custom days. @default the host's */
  timeZone?: string
  /** Bucket size of the charts. @default 'day' ('hour' for the last 24 hours) */
  interval?: Interval
  /** "Now" for the presets, ms since epoch (stories, tests). @default Date.now() */
  nowMs?: number
}

/** Filter bar controls that aggregates honour (free-text search is for lists). */
export const DASHBOARD_FILTER_FIELDS: readonly FilterField[] = ['models', 'providers', 'users', 'organisations', 'features', 'promptVersions', 'status', 'costUsd', 'latencyS']

/**
 * The model health dashboard: one date range and filter bar over the headline tiles (with
 * the previous period) and the model health table and latency chart.
 */
export function ModelHealthDashboard({
  dateRange,
  defaultPreset = '7d',
  onDateRangeChange,
  filters,
  onFiltersChange,
  timeZone,
  interval,
  nowMs,
  className,
  ...props
}: DashboardProps) {
  const dates = useDateRange({ value: dateRange, defaultPreset, nowMs, onValueChange: onDateRangeChange })
  const filterState = useFilters({ value: filters, onValueChange: onFiltersChange })
  const bucket = interval ?? (dates.value.preset === '24h' ? 'hour' : 'day')
  return (
    <div className={joinClassNames('aiscope-Dashboard', className)} data-dashboard="model-health" {...props}>
      <div className="aiscope-DashboardControls">
        <DateRangePicker value={dates.value} onValueChange={dates.setValue} timeZone={timeZone} nowMs={nowMs} />
        <FilterBar value={filterState.value} onValueChange={filterState.setValue} fields={DASHBOARD_FILTER_FIELDS} range={dates.range} />
      </div>
      <ModelHealthTiles range={dates.range} previousRange={dates.previousRange ?? null} filters={filterState.value} />
      <ModelHealth range={dates.range} filters={filterState.value} interval={bucket} timeZone={timeZone} />
    </div>
  )
}
