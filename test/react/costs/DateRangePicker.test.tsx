import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DateRangePicker, customRange, previousPeriod, resolvePreset, zonedDate } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'

afterEach(cleanup)

const NOW_MS = Date.UTC(2026, 10, 27, 10, 30, 15)

describe('DateRangePicker', () => {
  it('has no accessibility violations, custom days shown', async () => {
    const { container } = render(<DateRangePicker nowMs={NOW_MS} timeZone="UTC" />)
    expect(await findAccessibilityViolations(container)).toEqual([])
    await userEvent.setup().selectOptions(screen.getByRole('combobox', { name: 'Period' }), 'custom')
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('is used with the keyboard: a preset, custom days in the host time zone, and the comparison', async () => {
    const onValueChange = vi.fn()
    const user = userEvent.setup()
    render(<DateRangePicker nowMs={NOW_MS} timeZone="America/New_York" onValueChange={onValueChange} />)
    await user.tab()
    const period = screen.getByRole('combobox', { name: 'Period' })
    expect(document.activeElement).toBe(period)
    await user.selectOptions(period, '24h')
    const endMs = Date.UTC(2026, 10, 27, 10, 31)
    expect(onValueChange).toHaveBeenLastCalledWith({ preset: '24h', fromMs: endMs - 86_400_000, toMs: endMs, compare: true })

    await user.selectOptions(period, 'custom')
    const from = screen.getByLabelText('From')
    const to = screen.getByLabelText('To')
    await user.tab()
    expect(document.activeElement).toBe(from)
    await user.clear(to)
    await user.type(to, '2026-11-07')
    await user.clear(from)
    await user.type(from, '2026-11-01')
    // New York: 1 November 2026 starts in daylight time (UTC−4), 8 November in standard time (UTC−5).
    expect(onValueChange).toHaveBeenLastCalledWith({
      preset: 'custom',
      fromMs: Date.UTC(2026, 10, 1, 4),
      toMs: Date.UTC(2026, 10, 8, 5),
      compare: true,
    })

    const compare = screen.getByRole('checkbox', { name: 'Compare with previous period' })
    compare.focus()
    await user.keyboard(' ')
    expect(onValueChange).toHaveBeenLastCalledWith(expect.objectContaining({ compare: false }))
    expect(screen.getByRole('group', { name: 'Date range' }).dataset.compare).toBe('false')
  })
})

describe('date range helpers', () => {
  it('rounds a preset up to the minute, and the previous period has the same length', () => {
    expect(resolvePreset('7d', NOW_MS)).toEqual({ fromMs: Date.UTC(2026, 10, 20, 10, 31), toMs: Date.UTC(2026, 10, 27, 10, 31) })
    expect(previousPeriod({ fromMs: 1000, toMs: 4000 })).toEqual({ fromMs: -2000, toMs: 1000 })
  })

  it('reads calendar days in a time zone and refuses an end before the start', () => {
    expect(customRange('2026-03-08', '2026-03-08', 'America/New_York')).toEqual({ fromMs: Date.UTC(2026, 2, 8, 5), toMs: Date.UTC(2026, 2, 9, 4) })
    expect(customRange('2026-03-09', '2026-03-08', 'UTC')).toBeNull()
    expect(customRange('nope', '2026-03-08', 'UTC')).toBeNull()
    expect(zonedDate(Date.UTC(2026, 10, 27, 3), 'America/New_York')).toBe('2026-11-26')
  })
})
