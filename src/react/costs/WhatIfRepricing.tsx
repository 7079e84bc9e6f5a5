'use client'
import { useId, useState, type ComponentProps, type ReactNode } from 'react'
import { SummaryTable } from '../charts/SummaryTable'
import type { SummarySort } from '../charts/summaryTable.utils'
import { groupLabel } from '../charts/timeSeries'
import { joinClassNames } from '../controls/controls.utils'
import { toQueryFilters } from '../controls/filters'
import { formatCount, formatUsd } from '../format'
import { PanelFrame } from '../panel'
import { useQuery } from '../provider'
import { costText, type CostScopeProps } from './CostBreakdown'
import { keyId, panelStateOf } from './costs.utils'
import { repriceUsage, repricingTargets, usageFromRows, type RepricedUsage } from './whatIf'

/** Props of {@link WhatIfRepricing}. */
export interface WhatIfRepricingProps extends CostScopeProps, Omit<ComponentProps<'section'>, 'title' | 'children'> {
  /** The model to price the usage at (controlled), a price-table id. */
  targetModel?: string
  /** The first target when uncontrolled. @default 'gpt-4o-mini' */
  defaultTargetModel?: string
  onTargetModelChange?: (model: string) => void
  /** @default 'What if it ran on another model?' */
  title?: ReactNode
  description?: ReactNode
}

/**
 * What the selected usage would have cost on another model: the calls' tokens by kind,
 * summed per model, priced at the chosen model's list prices, beside what they cost, and
 * the difference. Calls with an unknown cost make the difference unknown (the two sums
 * would not cover the same calls), and say so.
 */
export function WhatIfRepricing({
  targetModel,
  defaultTargetModel = 'gpt-4o-mini',
  onTargetModelChange,
  range,
  filters,
  extraFilters,
  title,
  description,
  className,
  ...props
}: WhatIfRepricingProps) {
  const [ownTarget, setOwnTarget] = useState(defaultTargetModel)
  const target = targetModel ?? ownTarget
  const selectId = useId()
  const queryFilters = [...(filters ? toQueryFilters(filters).filters : []), ...(extraFilters ?? [])]
  const result = useQuery({
    kind: 'aggregate',
    measures: ['costUsd', 'count', 'unpricedCount', 'inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'],
    groupBy: ['model', 'provider'],
    orderBy: 'costUsd',
    filters: queryFilters,
    ...(range ? { range } : {}),
  })
  const repriced = result.data ? repriceUsage(usageFromRows(result.data.rows), target) : []
  const targets = repricingTargets()
  const targetKnown = targets.includes(target) || repriced.some((row) => row.whatIfCostUsd !== null)
  const sum = (pick: (row: RepricedUsage) => number | null) =>
    repriced.some((row) => pick(row) === null) ? null : repriced.reduce((total, row) => total + (pick(row) ?? 0), 0)
  const currentTotal = repriced.every((row) => row.costUsd === null) ? null : repriced.reduce((total, row) => total + (row.costUsd ?? 0), 0)
  const whatIfTotal = sum((row) => row.whatIfCostUsd)
  const differenceTotal = sum((row) => row.differenceUsd)
  const unpricedTotal = repriced.reduce((total, row) => total + row.unpricedCount, 0)

  return (
    <PanelFrame
      title={title ?? 'What if it ran on another model?'}
      description={description}
      progress={result.progress}
      state={panelStateOf(result, (result.data?.totals.count ?? 0) === 0)}
      error={result.error}
      emptyMessage="No AI calls in this range."
      className={joinClassNames('aiscope-WhatIf', className)}
      data-target-model={target}
      actions={
        <span className="aiscope-WhatIfTarget">
          <label htmlFor={selectId}>Price at</label>{' '}
          <select
            id={selectId}
            className="aiscope-Input"
            value={target}
            onChange={(event) => {
              setOwnTarget(event.target.value)
              onTargetModelChange?.(event.target.value)
            }}
          >
            {(targets.includes(target) ? targets : [target, ...targets]).map((model) => (
              <option key={model} value={model}>
                {model}
              </option>
            ))}
          </select>
        </span>
      }
      {...props}
    >
      {!targetKnown ? (
        <p role="status" className="aiscope-UnpricedFlag">
          No known price for {target}: its cost cannot be estimated.
        </p>
      ) : null}
      <dl className="aiscope-Totals">
        <div className="aiscope-Total" data-total="costUsd">
          <dt>Cost</dt>
          <dd>{costText(currentTotal, unpricedTotal)}</dd>
        </div>
        <div className="aiscope-Total" data-total="whatIfCostUsd">
          <dt>On {target}</dt>
          <dd>{formatUsd(whatIfTotal)}</dd>
        </div>
        <div className="aiscope-Total" data-total="differenceUsd">
          <dt>Difference</dt>
          <dd>{differenceTotal === null ? 'unknown' : signedUsd(differenceTotal)}</dd>
        </div>
      </dl>
      {unpricedTotal > 0 ? (
        <p className="aiscope-TableNote">
          {formatCount(unpricedTotal)} calls have no known cost, so the difference is shown only for models whose calls were all priced.
        </p>
      ) : null}
      <SummaryTable
        caption={`Cost by model, and on ${target}`}
        columns={[
          { id: 'model', header: 'Model', text: (row) => groupLabel(row.model), sortValue: (row) => row.model },
          { id: 'provider', header: 'Provider', text: (row) => groupLabel(row.provider), sortValue: (row) => row.provider },
          { id: 'calls', header: 'Calls', numeric: true, text: (row) => formatCount(row.calls), sortValue: (row) => row.calls },
          { id: 'costUsd', header: 'Cost', numeric: true, text: (row) => costText(row.costUsd, row.unpricedCount), sortValue: (row) => row.costUsd },
          {
            id: 'whatIfCostUsd',
            header: `On ${target}`,
            numeric: true,
            text: (row) => (row.whatIfCostUsd === null ? 'no known price' : formatUsd(row.whatIfCostUsd)),
            sortValue: (row) => row.whatIfCostUsd,
          },
          {
            id: 'differenceUsd',
            header: 'Difference',
            numeric: true,
            text: (row) => (row.differenceUsd === null ? 'unknown' : signedUsd(row.differenceUsd)),
            sortValue: (row) => row.differenceUsd,
          },
        ]}
        rows={repriced}
        rowKey={(row) => `${keyId(row.model)}|${keyId(row.provider)}`}
        defaultSort={BY_COST}
      />
    </PanelFrame>
  )
}

/** The order the query returns rows in (`orderBy: 'costUsd'`). */
const BY_COST: SummarySort = { columnId: 'costUsd', dir: 'desc' }

function signedUsd(value: number): string {
  return value > 0 ? `+${formatUsd(value)}` : value < 0 ? `−${formatUsd(-value)}` : formatUsd(0)
}
