'use client'
import { useId, useMemo, useState, type ComponentProps } from 'react'
import type { TimeRange } from '../../query'
import { hostTimeZone } from '../charts/timeSeries'
import { joinClassNames } from './controls.utils'
import {
  DATE_RANGE_PRESETS,
  customRange,
  dateRangeOf,
  previousPeriod,
  zonedDate,
  type DateRangePreset,
  type DateRangeValue,
} from './dateRange'
import { useControllableState } from './useControllableState'

/** Options of {@link useDateRange}. */
export interface UseDateRangeOptions {
  /** The host's value (controlled). */
  value?: DateRangeValue
  /** The first preset when uncontrolled. @default '7d' */
  defaultPreset?: Exclude<DateRangePreset, 'custom'>
  /** Whether comparison starts on when uncontrolled. @default true */
  defaultCompare?: boolean
  /** "Now" for the first value, ms since epoch. @default Date.now() at first render */
  nowMs?: number
  onValueChange?: (value: DateRangeValue) => void
}

/** What {@link useDateRange} returns. */
export interface UseDateRangeResult {
  /** Give to a `DateRangePicker`. */
  value: DateRangeValue
  setValue: (value: DateRangeValue) => void
  /** The range panels query. */
  range: TimeRange
  /** The previous period of the same length, when comparison is on. */
  previousRange: TimeRange | undefined
}

/** Date range state for a picker and the panels it drives; hold it once per page. */
export function useDateRange({ value, defaultPreset = '7d', defaultCompare = true, nowMs, onValueChange }: UseDateRangeOptions = {}): UseDateRangeResult {
  const [current, setValue] = useControllableState<DateRangeValue>({
    value,
    defaultValue: () => dateRangeOf(defaultPreset, nowMs ?? Date.now(), defaultCompare),
    onChange: onValueChange,
  })
  const range = useMemo(() => ({ fromMs: current.fromMs, toMs: current.toMs }), [current.fromMs, current.toMs])
  const previousRange = useMemo(() => (current.compare ? previousPeriod(range) : undefined), [current.compare, range])
  return { value: current, setValue, range, previousRange }
}

/** Props of {@link DateRangePicker}. */
export interface DateRangePickerProps extends Omit<ComponentProps<'fieldset'>, 'defaultValue' | 'onChange'> {
  /** The range (controlled), typically `useDateRange().value`. */
  value?: DateRangeValue
  /** The first preset when uncontrolled. @default '7d' */
  defaultPreset?: Exclude<DateRangePreset, 'custom'>
  onValueChange?: (value: DateRangeValue) => void
  /** IANA time zone custom days are read in. @default the host's (the runtime's) */
  timeZone?: string
  /** "Now" for presets, ms since epoch. @default Date.now() when a preset is chosen */
  nowMs?: number
  /** Shows the "compare with previous period" checkbox. @default true */
  showCompare?: boolean
  /** The group's visible name. @default 'Date range' */
  label?: string
}

/**
 * The shared date range: a preset (last 24 hours, 7 days, 30 days) or custom calendar days
 * in the host's time zone, and whether to compare with the previous period of the same
 * length. One `<fieldset>` of native controls (a select, two date inputs, a checkbox), so it
 * is keyboard and screen-reader friendly as is. State: `data-preset`, `data-compare`.
 */
export function DateRangePicker({
  value,
  defaultPreset = '7d',
  onValueChange,
  timeZone,
  nowMs,
  showCompare = true,
  label = 'Date range',
  className,
  ...props
}: DateRangePickerProps) {
  const [current, setCurrent] = useControllableState<DateRangeValue>({
    value,
    defaultValue: () => dateRangeOf(defaultPreset, nowMs ?? Date.now()),
    onChange: onValueChange,
  })
  const zone = timeZone ?? hostTimeZone()
  const id = useId()
  const [draft, setDraft] = useState<{ from: string; to: string } | null>(null)
  const fromDate = draft?.from ?? zonedDate(current.fromMs, zone)
  const toDate = draft?.to ?? zonedDate(current.toMs - 1, zone)
  const [invalid, setInvalid] = useState(false)

  const choosePreset = (preset: DateRangePreset) => {
    setDraft(null)
    setInvalid(false)
    if (preset === 'custom') {
      setCurrent({ ...current, preset })
    } else {
      setCurrent(dateRangeOf(preset, nowMs ?? Date.now(), current.compare))
    }
  }
  const changeDay = (which: 'from' | 'to', date: string) => {
    const next = { from: fromDate, to: toDate, [which]: date }
    setDraft(next)
    const range = customRange(next.from, next.to, zone)
    setInvalid(range === null)
    if (range) {
      setCurrent({ ...current, preset: 'custom', ...range })
    }
  }

  return (
    <fieldset
      className={joinClassNames('aiscope-DateRange', className)}
      data-preset={current.preset}
      data-compare={current.compare ? 'true' : 'false'}
      {...props}
    >
      <legend className="aiscope-DateRangeLegend">{label}</legend>
      <label className="aiscope-DateRangeField">
        <span>Period</span>
        <select className="aiscope-Input" value={current.preset} onChange={(event) => choosePreset(event.target.value as DateRangePreset)}>
          {DATE_RANGE_PRESETS.map((entry) => (
            <option key={entry.preset} value={entry.preset}>
              {entry.label}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
      </label>
      {current.preset === 'custom' ? (
        <>
          <label className="aiscope-DateRangeField">
            <span>From</span>
            <input
              type="date"
              className="aiscope-Input"
              value={fromDate}
              max={toDate}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? `${id}-invalid` : undefined}
              onChange={(event) => changeDay('from', event.target.value)}
            />
          </label>
          <label className="aiscope-DateRangeField">
            <span>To</span>
            <input
              type="date"
              className="aiscope-Input"
              value={toDate}
              min={fromDate}
              aria-invalid={invalid || undefined}
              aria-describedby={invalid ? `${id}-invalid` : undefined}
              onChange={(event) => changeDay('to', event.target.value)}
            />
          </label>
          {invalid ? (
            <span id={`${id}-invalid`} role="alert" className="aiscope-DateRangeError">
              Choose a start day on or before the end day.
            </span>
          ) : null}
        </>
      ) : null}
      {showCompare ? (
        <label className="aiscope-DateRangeCompare">
          <input type="checkbox" checked={current.compare} onChange={(event) => setCurrent({ ...current, compare: event.target.checked })} />{' '}
          Compare with previous period
        </label>
      ) : null}
      <span className="aiscope-DateRangeZone">Times in {zone}</span>
    </fieldset>
  )
}
