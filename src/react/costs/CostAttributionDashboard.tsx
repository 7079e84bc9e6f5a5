'use client'
import { useId, useState } from 'react'
import type { Dimension } from '../../query'
import { DateRangePicker, useDateRange } from '../controls/DateRangePicker'
import { FilterBar } from '../controls/FilterBar'
import { joinClassNames } from '../controls/controls.utils'
import { useFilters } from '../controls/useFilters'
import { DASHBOARD_FILTER_FIELDS, type DashboardProps } from '../health/ModelHealthDashboard'
import { CostBreakdown } from './CostBreakdown'
import { dimensionLabel } from './costs.utils'
import { WhatIfRepricing } from './WhatIfRepricing'

/** Props of {@link CostAttributionDashboard}. */
export interface CostAttributionDashboardProps extends DashboardProps {
  /** Dimensions offered to attribute cost to. @default ['model', 'provider', 'user', 'organisation', 'feature', 'promptVersion'] */
  dimensions?: readonly Dimension[]
  /** The first dimension. @default the first of `dimensions` */
  defaultBy?: Dimension
}

const DEFAULT_DIMENSIONS: readonly Dimension[] = ['model', 'provider', 'user', 'organisation', 'feature', 'promptVersion']

/**
 * The cost attribution dashboard: one date range and filter bar over the cost breakdown (by
 * a dimension the user picks, compared with the previous period) and the what-if repricing.
 */
export function CostAttributionDashboard({
  dateRange,
  defaultPreset = '7d',
  onDateRangeChange,
  filters,
  onFiltersChange,
  timeZone,
  interval,
  nowMs,
  dimensions = DEFAULT_DIMENSIONS,
  defaultBy,
  className,
  ...props
}: CostAttributionDashboardProps) {
  const dates = useDateRange({ value: dateRange, defaultPreset, nowMs, onValueChange: onDateRangeChange })
  const filterState = useFilters({ value: filters, onValueChange: onFiltersChange })
  const [by, setBy] = useState<Dimension>(defaultBy ?? dimensions[0] ?? 'model')
  const byId = useId()
  const bucket = interval ?? (dates.value.preset === '24h' ? 'hour' : 'day')
  return (
    <div className={joinClassNames('aiscope-Dashboard', className)} data-dashboard="cost-attribution" {...props}>
      <div className="aiscope-DashboardControls">
        <DateRangePicker value={dates.value} onValueChange={dates.setValue} timeZone={timeZone} nowMs={nowMs} />
        <label htmlFor={byId} className="aiscope-InlineField">
          Attribute cost to{' '}
          <select id={byId} className="aiscope-Input" value={by} onChange={(event) => setBy(event.target.value as Dimension)}>
            {dimensions.map((dimension) => (
              <option key={dimension} value={dimension}>
                {dimensionLabel(dimension)}
              </option>
            ))}
          </select>
        </label>
        <FilterBar value={filterState.value} onValueChange={filterState.setValue} fields={DASHBOARD_FILTER_FIELDS} range={dates.range} />
      </div>
      <CostBreakdown
        by={by}
        range={dates.range}
        previousRange={dates.previousRange}
        filters={filterState.value}
        interval={bucket}
        timeZone={timeZone}
      />
      <WhatIfRepricing range={dates.range} filters={filterState.value} />
    </div>
  )
}
