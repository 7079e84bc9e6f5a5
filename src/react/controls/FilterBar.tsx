'use client'
import { useEffect, useLayoutEffect, useRef, useState, type ComponentProps, type ReactNode } from 'react'
import type { Dimension, TimeRange } from '../../query'
import { OTHER_GROUP } from '../../query/spec'
import { formatCount } from '../format'
import { useQuery } from '../provider'
import { joinClassNames } from './controls.utils'
import {
  EMPTY_FILTER_VALUE,
  FILTER_DIMENSIONS,
  countActiveFilters,
  type FilterDimensionKey,
  type FilterValue,
  type NumberRange,
  type StatusFilter,
} from './filters'
import { useControllableState } from './useControllableState'

/** The controls a filter bar can show. */
export type FilterField = FilterDimensionKey | 'status' | 'costUsd' | 'latencyS' | 'search'

/** Every control, in the order a {@link FilterBar} shows them. */
export const FILTER_FIELDS: readonly FilterField[] = [
  'search',
  ...FILTER_DIMENSIONS.map(({ key }) => key),
  'status',
  'costUsd',
  'latencyS',
]

/** What a value of a dimension list is shown as when it is absent on the call. */
const ABSENT_LABEL = '(none)'

/** Props of {@link FilterBarRoot}. */
export interface FilterBarRootProps extends ComponentProps<'div'> {
  /** How many conditions are set; shown as `data-active-count`. @default 0 */
  activeCount?: number
}

/** The filter bar's outer element: one `<div role="search">`, named by `aria-label`. */
export function FilterBarRoot({ activeCount = 0, className, ...props }: FilterBarRootProps) {
  return (
    <div
      role="search"
      data-active-count={String(activeCount)}
      className={joinClassNames('aiscope-FilterBar', className)}
      {...props}
    />
  )
}
FilterBarRoot.displayName = 'FilterBar.Root'

/** Props of {@link FilterSearch}. */
export interface FilterSearchProps extends Omit<ComponentProps<'input'>, 'value' | 'defaultValue' | 'onChange'> {
  /** The committed search text. */
  value: string
  /** Called with the text once typing pauses for `delayMs`, or at once on Enter. */
  onValueChange: (value: string) => void
  /** The visible label. @default 'Search' */
  label?: ReactNode
  /** Pause after the last keystroke before the search is committed. @default 300 */
  delayMs?: number
}

/**
 * Free-text search: one `<input type="search">` inside its `<label>` (the label is the one
 * element; the input takes the passed-through props). Typing is committed after a pause, so a
 * query does not run per keystroke.
 */
export function FilterSearch({ value, onValueChange, label = 'Search', delayMs = 300, className, ...props }: FilterSearchProps) {
  const [draft, setDraft] = useState<string | null>(null)
  const latestChange = useRef(onValueChange)
  useLayoutEffect(() => {
    latestChange.current = onValueChange
  })

  useEffect(() => {
    if (draft === null) {
      return undefined
    }
    const timer = setTimeout(() => {
      latestChange.current(draft)
      setDraft(null)
    }, delayMs)
    return () => clearTimeout(timer)
  }, [draft, delayMs])

  return (
    <label className={joinClassNames('aiscope-FilterField', className)} data-field="search">
      <span className="aiscope-FilterLabel">{label}</span>
      <input
        type="search"
        className="aiscope-Input"
        value={draft ?? value}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && draft !== null) {
            onValueChange(draft)
            setDraft(null)
          }
        }}
        onBlur={() => {
          if (draft !== null) {
            onValueChange(draft)
            setDraft(null)
          }
        }}
        {...props}
      />
    </label>
  )
}
FilterSearch.displayName = 'FilterBar.Search'

/** Props of {@link FilterDimension}. */
export interface FilterDimensionProps extends Omit<ComponentProps<'details'>, 'onChange'> {
  /** The query dimension whose values are offered. */
  dimension: Dimension
  /** What the control is called. */
  label: string
  /** The chosen values (`null`: absent). */
  value: readonly (string | null)[]
  onValueChange: (value: (string | null)[]) => void
  /** Offers the values seen in this range. @default every stored call */
  range?: TimeRange
  /** How many values are offered, most used first. @default 50 */
  optionLimit?: number
}

/**
 * A multiple choice over one dimension: one `<details>` whose summary says what is chosen;
 * opened, it lists the dimension's values (most used first, asked from the store only then)
 * as checkboxes. State as `data-state` (`open` / `closed`) and `data-active`.
 */
export function FilterDimension({
  dimension,
  label,
  value,
  onValueChange,
  range,
  optionLimit = 50,
  className,
  onToggle,
  ...props
}: FilterDimensionProps) {
  const [open, setOpen] = useState(false)
  const summary = value.length === 0 ? 'any' : value.length === 1 ? optionLabel(value[0] ?? null) : `${value.length} chosen`
  return (
    <details
      className={joinClassNames('aiscope-FilterDimension', className)}
      data-state={open ? 'open' : 'closed'}
      data-active={value.length > 0 ? 'true' : 'false'}
      data-field={dimension}
      onToggle={(event) => {
        setOpen(event.currentTarget.open)
        onToggle?.(event)
      }}
      {...props}
    >
      <summary className="aiscope-FilterSummary">
        {label}: {summary}
      </summary>
      {open ? (
        <DimensionOptions
          dimension={dimension}
          label={label}
          value={value}
          onValueChange={onValueChange}
          range={range}
          optionLimit={optionLimit}
        />
      ) : null}
    </details>
  )
}
FilterDimension.displayName = 'FilterBar.Dimension'

function dimensionPatch(key: FilterDimensionKey, chosen: (string | null)[]): Partial<FilterValue> {
  const patch: Partial<Record<FilterDimensionKey, (string | null)[]>> = {}
  patch[key] = chosen
  return patch
}

function optionLabel(value: string | null): string {
  return value ?? ABSENT_LABEL
}

function DimensionOptions({
  dimension,
  label,
  value,
  onValueChange,
  range,
  optionLimit,
}: Required<Pick<FilterDimensionProps, 'dimension' | 'label' | 'value' | 'onValueChange' | 'optionLimit'>> & { range: TimeRange | undefined }) {
  const result = useQuery({
    kind: 'aggregate',
    measures: ['count'],
    groupBy: [dimension],
    limit: optionLimit,
    ...(range === undefined ? {} : { range }),
  })
  const offered = (result.data?.rows ?? [])
    .map((row) => ({ value: row.key[0] ?? null, count: row.values.count ?? 0 }))
    .filter((option) => option.value !== OTHER_GROUP)
  // Chosen values stay on the list even when they are not among the most used.
  for (const chosen of value) {
    if (!offered.some((option) => option.value === chosen)) {
      offered.push({ value: chosen, count: Number.NaN })
    }
  }
  const toggle = (option: string | null, checked: boolean) =>
    onValueChange(checked ? [...value, option] : value.filter((chosen) => chosen !== option))

  return (
    <fieldset className="aiscope-FilterOptions" aria-busy={result.isFetching || undefined}>
      <legend className="aiscope-FilterLabel">{label}</legend>
      {result.state === 'error' ? <p role="alert">Could not list the values: {result.error?.message}</p> : null}
      {result.state === 'loading' ? <p role="status">Loading values…</p> : null}
      {result.state === 'ready' && offered.length === 0 ? <p role="status">No values in this range.</p> : null}
      {offered.map((option) => (
        <label key={option.value ?? '\u0000absent'} className="aiscope-FilterOption">
          <input type="checkbox" checked={value.includes(option.value)} onChange={(event) => toggle(option.value, event.target.checked)} />
          <span>{optionLabel(option.value)}</span>
          {Number.isNaN(option.count) ? null : <span className="aiscope-FilterCount">{formatCount(option.count)}</span>}
        </label>
      ))}
    </fieldset>
  )
}

/** Props of {@link FilterStatus}. */
export interface FilterStatusProps extends Omit<ComponentProps<'select'>, 'value' | 'defaultValue' | 'onChange'> {
  value: StatusFilter
  onValueChange: (value: StatusFilter) => void
  /** Words of the choices: about calls (failed / succeeded) or traces (with a failed call / with a call that succeeded). @default 'calls' */
  subject?: 'calls' | 'traces'
  /** @default 'Status' */
  label?: ReactNode
}

const STATUS_WORDS: Record<'calls' | 'traces', Record<StatusFilter, string>> = {
  calls: { any: 'Any status', error: 'Failed', success: 'Succeeded' },
  traces: { any: 'Any status', error: 'Has an error', success: 'Has a successful call' },
}

/** Which calls pass by status: one `<select>` in its `<label>`. */
export function FilterStatus({ value, onValueChange, subject = 'calls', label = 'Status', className, ...props }: FilterStatusProps) {
  return (
    <label className={joinClassNames('aiscope-FilterField', className)} data-field="status">
      <span className="aiscope-FilterLabel">{label}</span>
      <select className="aiscope-Input" value={value} onChange={(event) => onValueChange(event.target.value as StatusFilter)} {...props}>
        {(['any', 'error', 'success'] as const).map((status) => (
          <option key={status} value={status}>
            {STATUS_WORDS[subject][status]}
          </option>
        ))}
      </select>
    </label>
  )
}
FilterStatus.displayName = 'FilterBar.Status'

/** Props of {@link FilterRange}. */
export interface FilterRangeProps extends Omit<ComponentProps<'fieldset'>, 'onChange'> {
  /** What the range is of, with its unit: `Cost (USD)`. */
  label: ReactNode
  value: NumberRange
  onValueChange: (value: NumberRange) => void
  /** Step of the inputs. @default 'any' */
  step?: number | 'any'
}

/** A numeric range: one `<fieldset>` holding a minimum and a maximum input (empty: open). */
export function FilterRange({ label, value, onValueChange, step = 'any', className, ...props }: FilterRangeProps) {
  return (
    <fieldset className={joinClassNames('aiscope-FilterRange', className)} {...props}>
      <legend className="aiscope-FilterLabel">{label}</legend>
      <BoundInput label="Min" bound={value.min} step={step} onBoundChange={(min) => onValueChange(withBound(value, 'min', min))} />
      <BoundInput label="Max" bound={value.max} step={step} onBoundChange={(max) => onValueChange(withBound(value, 'max', max))} />
    </fieldset>
  )
}
FilterRange.displayName = 'FilterBar.Range'

function withBound(range: NumberRange, side: 'min' | 'max', bound: number | undefined): NumberRange {
  const next: NumberRange = { ...range }
  if (bound === undefined) {
    delete next[side]
  } else {
    next[side] = bound
  }
  return next
}

function BoundInput({
  label,
  bound,
  step,
  onBoundChange,
}: {
  label: string
  bound: number | undefined
  step: number | 'any'
  onBoundChange: (bound: number | undefined) => void
}) {
  // What is being typed ("0." is not a number yet); the committed bound shows otherwise.
  const [draft, setDraft] = useState<string | null>(null)
  return (
    <label className="aiscope-FilterBound">
      <span>{label}</span>
      <input
        type="number"
        inputMode="decimal"
        min={0}
        step={step}
        className="aiscope-Input"
        value={draft ?? (bound === undefined ? '' : String(bound))}
        onChange={(event) => {
          const text = event.target.value
          setDraft(text)
          const parsed = text.trim() === '' ? undefined : Number(text)
          if (parsed === undefined || Number.isFinite(parsed)) {
            onBoundChange(parsed)
          }
        }}
        onBlur={() => setDraft(null)}
      />
    </label>
  )
}

/** Props of {@link FilterReset}. */
export type FilterResetProps = ComponentProps<'button'>

/** Clears every filter: one `<button>`. */
export function FilterReset({ className, children = 'Clear filters', ...props }: FilterResetProps) {
  return (
    <button type="button" className={joinClassNames('aiscope-Button aiscope-Button-quiet', className)} {...props}>
      {children}
    </button>
  )
}
FilterReset.displayName = 'FilterBar.Reset'

/** Props of {@link FilterBar}. */
export interface FilterBarProps extends Omit<FilterBarRootProps, 'defaultValue' | 'onChange' | 'activeCount'> {
  /** The host's filter value (controlled), typically `useFilters().value`. */
  value?: FilterValue
  /** The first value when uncontrolled. @default EMPTY_FILTER_VALUE */
  defaultValue?: FilterValue
  /** Told of every change. */
  onValueChange?: (value: FilterValue) => void
  /** Which controls to show, in this order. @default FILTER_FIELDS (all) */
  fields?: readonly FilterField[]
  /** Dimension values are offered from this range. @default every stored call */
  range?: TimeRange
  /** Whether the status choices speak of calls or of traces. @default 'calls' */
  subject?: 'calls' | 'traces'
}

/**
 * The shared filter bar: model, provider, user, organisation, feature, prompt version,
 * status, cost and latency ranges, and free text. Its value is a {@link FilterValue} a page
 * holds once (`useFilters`) and hands to every panel it narrows; `toQueryFilters` turns it
 * into a spec's `filters` and `search`.
 */
export function FilterBar({
  value,
  defaultValue = EMPTY_FILTER_VALUE,
  onValueChange,
  fields = FILTER_FIELDS,
  range,
  subject = 'calls',
  'aria-label': ariaLabel = 'Filters',
  ...props
}: FilterBarProps) {
  const [current, setCurrent] = useControllableState({ value, defaultValue, onChange: onValueChange })
  const update = (patch: Partial<FilterValue>) => setCurrent((previous) => ({ ...previous, ...patch }))
  const activeCount = countActiveFilters(current)
  return (
    <FilterBarRoot aria-label={ariaLabel} activeCount={activeCount} {...props}>
      {fields.map((field) => {
        switch (field) {
          case 'search':
            return <FilterSearch key={field} value={current.search} onValueChange={(search) => update({ search })} />
          case 'status':
            return <FilterStatus key={field} subject={subject} value={current.status} onValueChange={(status) => update({ status })} />
          case 'costUsd':
            return <FilterRange key={field} label="Cost (USD)" value={current.costUsd} onValueChange={(costUsd) => update({ costUsd })} />
          case 'latencyS':
            return (
              <FilterRange key={field} label="Latency (s)" value={current.latencyS} onValueChange={(latencyS) => update({ latencyS })} />
            )
          default: {
            const { dimension, label } = FILTER_DIMENSIONS.find(({ key }) => key === field) ?? FILTER_DIMENSIONS[0]
            return (
              <FilterDimension
                key={field}
                dimension={dimension}
                label={label}
                range={range}
                value={current[field]}
                onValueChange={(chosen) => update(dimensionPatch(field, chosen))}
              />
            )
          }
        }
      })}
      <FilterReset disabled={activeCount === 0} onClick={() => setCurrent(EMPTY_FILTER_VALUE)} />
    </FilterBarRoot>
  )
}
