'use client'
import { useId, type ComponentProps } from 'react'
import type { TimeRange } from '../../query'
import type { PriceOverride } from '../../pricing'
import { joinClassNames } from '../controls/controls.utils'
import { FilterBar } from '../controls/FilterBar'
import { EMPTY_FILTER_VALUE, type FilterValue } from '../controls/filters'
import { useControllableState } from '../controls/useControllableState'
import { GenerationsTable } from './GenerationsTable'
import { TracesTable } from './TracesTable'
import { TraceViewer } from './TraceViewer'

/** Which list a {@link TraceExplorer} shows. */
export type TraceExplorerList = 'traces' | 'generations'

/** Props of {@link TraceExplorer}. */
export interface TraceExplorerProps extends Omit<ComponentProps<'div'>, 'defaultValue'> {
  /** The open trace (controlled); `null` for none. */
  traceId?: string | null
  /** The first open trace when uncontrolled. @default null */
  defaultTraceId?: string | null
  onTraceIdChange?: (traceId: string | null) => void
  /** The selected span of the open trace (controlled); `null` for the trace's first node. */
  spanId?: string | null
  /** The first selected span when uncontrolled. @default null */
  defaultSpanId?: string | null
  onSpanIdChange?: (spanId: string | null) => void
  /** The list shown (controlled): traces, or the flat list of LLM calls. */
  list?: TraceExplorerList
  /** @default 'traces' */
  defaultList?: TraceExplorerList
  onListChange?: (list: TraceExplorerList) => void
  /** The filter value (controlled), shared by both lists. */
  filters?: FilterValue
  /** @default EMPTY_FILTER_VALUE */
  defaultFilters?: FilterValue
  onFiltersChange?: (filters: FilterValue) => void
  /** Keeps what lies in this range. @default everything stored */
  range?: TimeRange
  /** The client's price overrides, for the detail's "priced by". @default [] */
  priceOverrides?: readonly PriceOverride[]
}

/**
 * The trace explorer, ready made: one filter bar over a choice of lists (traces, or LLM
 * calls), and the chosen trace in a `TraceViewer` below. Choosing a call opens its trace
 * at that span. Trace, span, list and filters are each controllable, so a host can keep
 * them in its router and link straight to a span. One `<div>`; `data-list` says which list.
 */
export function TraceExplorer({
  traceId,
  defaultTraceId = null,
  onTraceIdChange,
  spanId,
  defaultSpanId = null,
  onSpanIdChange,
  list,
  defaultList = 'traces',
  onListChange,
  filters,
  defaultFilters = EMPTY_FILTER_VALUE,
  onFiltersChange,
  range,
  priceOverrides,
  className,
  ...props
}: TraceExplorerProps) {
  const [openTraceId, setOpenTraceId] = useControllableState({ value: traceId, defaultValue: defaultTraceId, onChange: onTraceIdChange })
  const [openSpanId, setOpenSpanId] = useControllableState({ value: spanId, defaultValue: defaultSpanId, onChange: onSpanIdChange })
  const [shownList, setShownList] = useControllableState({ value: list, defaultValue: defaultList, onChange: onListChange })
  const [currentFilters, setFilters] = useControllableState({ value: filters, defaultValue: defaultFilters, onChange: onFiltersChange })
  const listName = useId()
  const rangeProps = range === undefined ? {} : { range }

  return (
    <div className={joinClassNames('aiscope-TraceExplorer', className)} data-list={shownList} {...props}>
      <FilterBar
        value={currentFilters}
        onValueChange={setFilters}
        subject={shownList === 'traces' ? 'traces' : 'calls'}
        aria-label="Filter traces and calls"
        {...rangeProps}
      />
      <fieldset className="aiscope-ListSwitch">
        <legend className="aiscope-FilterLabel">Show</legend>
        {(
          [
            ['traces', 'Traces'],
            ['generations', 'LLM calls'],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="aiscope-FilterOption">
            <input type="radio" name={listName} value={value} checked={shownList === value} onChange={() => setShownList(value)} />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      {shownList === 'traces' ? (
        <TracesTable
          showFilterBar={false}
          filters={currentFilters}
          selectedTraceId={openTraceId}
          onSelectTrace={(id) => {
            setOpenTraceId(id)
            setOpenSpanId(null)
          }}
          {...rangeProps}
        />
      ) : (
        <GenerationsTable
          showFilterBar={false}
          filters={currentFilters}
          selectedGenerationId={openSpanId}
          onSelectGeneration={(row) => {
            setOpenTraceId(row.traceId)
            setOpenSpanId(row.id)
          }}
          {...rangeProps}
        />
      )}
      {openTraceId === null ? (
        <p className="aiscope-DetailNote">Choose a trace or a call above to see its spans, inputs and outputs.</p>
      ) : (
        <TraceViewer
          traceId={openTraceId}
          {...(openSpanId === null ? {} : { selectedSpanId: openSpanId })}
          onSelectedSpanIdChange={setOpenSpanId}
          {...(priceOverrides ? { priceOverrides } : {})}
        />
      )}
    </div>
  )
}
