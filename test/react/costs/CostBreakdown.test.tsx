import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, CostBreakdown, type CostBreakdownProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith } from '../traces/fixtures'
import { ALL_DAYS, KNOWN_CALLS, knownCost, knownEvents, unpricedCalls, usd } from './fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith(knownEvents())
})

afterEach(cleanup)

function renderBreakdown(props: Partial<CostBreakdownProps> = {}) {
  return render(
    <AiscopeProvider client={client}>
      <CostBreakdown by="model" range={ALL_DAYS} timeZone="UTC" {...props} />
    </AiscopeProvider>,
  )
}

const costTable = () => screen.findByRole('table', { name: 'Cost by model' }, FIRST_QUERY)
const total = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling?.textContent

describe('CostBreakdown', () => {
  it('has no accessibility violations, chart and drill-down included', async () => {
    const user = userEvent.setup()
    const { container } = renderBreakdown()
    await costTable()
    await screen.findByRole('group', { name: /Cost by model per day/ })
    expect(await findAccessibilityViolations(container)).toEqual([])
    await user.click(screen.getByRole('button', { name: 'claude-sonnet-4-5' }))
    await screen.findByRole('table', { name: /by feature/ })
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('shows the total cost, calls and unpriced calls that the engine computes from the events', async () => {
    renderBreakdown()
    await costTable()
    const expectedCost = knownCost()
    const engine = await client.query({ kind: 'aggregate', measures: ['costUsd', 'count', 'unpricedCount'], range: ALL_DAYS })
    expect(engine.totals.costUsd).toBeCloseTo(expectedCost, 10)
    expect(engine.totals.count).toBe(KNOWN_CALLS.length)
    expect(engine.totals.unpricedCount).toBe(unpricedCalls())

    expect(total('Total cost')).toBe(usd(expectedCost))
    expect(total('Calls')).toBe(String(KNOWN_CALLS.length))
    // Cost per priced call: unpriced calls are not averaged in as free.
    const pricedCount = KNOWN_CALLS.filter((call) => call.costUsd !== undefined).length
    expect(expectedCost / pricedCount).toBeCloseTo(4.75 / 6, 10)
    expect(total('Cost per priced call')).toBe('$0.7917')
    expect(total('Unpriced')).toMatch(new RegExp(`^${unpricedCalls()} calls unpriced`))
  })

  it("lists each model's cost and share, and flags the model with no known price instead of showing it as free", async () => {
    renderBreakdown()
    const table = await costTable()
    const row = (model: string) => within(table).getByRole('rowheader', { name: model }).closest('tr') as HTMLElement
    const cell = (model: string, column: string) => row(model).querySelector(`[data-column="${column}"]`)?.textContent

    const claudeCost = knownCost((call) => call.model === 'claude-sonnet-4-5')
    expect(cell('claude-sonnet-4-5', 'costUsd')).toBe(usd(claudeCost))
    expect(cell('claude-sonnet-4-5', 'share')).toBe(`${Math.round((claudeCost / knownCost()) * 10000) / 100}%`)
    expect(cell('claude-sonnet-4-5', 'count')).toBe('2')
    const unpriced = unpricedCalls((call) => call.model === 'acme-llm-1')
    expect(cell('acme-llm-1', 'costUsd')).toBe(`unknown (${unpriced} unpriced)`)
    expect(cell('acme-llm-1', 'costUsd')).not.toContain('$0')
    expect(row('acme-llm-1').dataset.unpriced).toBe('true')
    // Largest cost first.
    const order = within(table).getAllByRole('rowheader').map((header) => header.textContent)
    expect(order[0]).toBe('claude-sonnet-4-5')
  })

  it('opens a model with the keyboard and breaks its cost down by feature and by user', async () => {
    const onSelectedKeyChange = vi.fn()
    const user = userEvent.setup()
    renderBreakdown({ onSelectedKeyChange })
    await costTable()
    const button = screen.getByRole('button', { name: 'claude-sonnet-4-5' })
    button.focus()
    await user.keyboard('{Enter}')
    expect(onSelectedKeyChange).toHaveBeenLastCalledWith('claude-sonnet-4-5')
    expect(button.getAttribute('aria-expanded')).toBe('true')
    const heading = screen.getByRole('heading', { name: 'Model claude-sonnet-4-5' })
    expect(document.activeElement).toBe(heading)

    const byFeature = await screen.findByRole('table', { name: 'Model claude-sonnet-4-5: cost by feature' })
    const featureCost = (feature: string) =>
      within(byFeature).getByRole('rowheader', { name: feature }).closest('tr')?.querySelector('[data-column="costUsd"]')?.textContent
    expect(featureCost('support-reply')).toBe(usd(knownCost((call) => call.model === 'claude-sonnet-4-5' && call.feature === 'support-reply')))
    expect(featureCost('search')).toBe(usd(knownCost((call) => call.model === 'claude-sonnet-4-5' && call.feature === 'search')))
    const byUser = await screen.findByRole('table', { name: 'Model claude-sonnet-4-5: cost by user' })
    expect(within(byUser).getAllByRole('rowheader').map((header) => header.textContent).sort()).toEqual(['ana@example.com', 'cy@example.com'])

    await user.click(screen.getByRole('button', { name: 'Close breakdown' }))
    expect(screen.queryByRole('heading', { name: 'Model claude-sonnet-4-5' })).toBeNull()
    expect(onSelectedKeyChange).toHaveBeenLastCalledWith(undefined)
  })

  it('attributes cost to any dimension, folding the rest into (other)', async () => {
    renderBreakdown({ by: 'user', tableLimit: 2 })
    const table = await screen.findByRole('table', { name: 'Cost by user' }, FIRST_QUERY)
    const names = within(table).getAllByRole('rowheader').map((header) => header.textContent)
    expect(names).toEqual(['ana@example.com', 'cy@example.com', '(other)'])
    const otherCost = within(table).getByRole('rowheader', { name: '(other)' }).closest('tr')?.querySelector('[data-column="costUsd"]')?.textContent
    const bo = (call: (typeof KNOWN_CALLS)[number]) => call.user === 'bo@example.com'
    expect(otherCost).toBe(`${usd(knownCost(bo))} +${unpricedCalls(bo)} unpriced`)
  })

  it('sorts the table by a pressed header, keeping the unknown cost and (other) last', async () => {
    const user = userEvent.setup()
    renderBreakdown()
    const table = await costTable()
    const names = () => within(table).getAllByRole('rowheader').map((header) => header.textContent)
    const sortOf = (name: string) => within(table).getByRole('columnheader', { name }).getAttribute('aria-sort')
    // The query's order: largest cost first, the ties (gpt-4o and gpt-4o-mini, $0.75 each) by name.
    expect(names()).toEqual(['claude-sonnet-4-5', 'gpt-4o', 'gpt-4o-mini', 'acme-llm-1'])
    expect(sortOf('Cost')).toBe('descending')

    await user.click(within(within(table).getByRole('columnheader', { name: 'Model' })).getByRole('button'))
    expect(names()).toEqual(['acme-llm-1', 'claude-sonnet-4-5', 'gpt-4o', 'gpt-4o-mini'])
    expect([sortOf('Model'), sortOf('Cost')]).toEqual(['ascending', null])

    const costButton = within(within(table).getByRole('columnheader', { name: 'Cost' })).getByRole('button')
    await user.click(costButton)
    await user.click(costButton)
    expect(sortOf('Cost')).toBe('ascending')
    // acme-llm-1 has no known price: last, not first as if it cost $0.
    expect(names()).toEqual(['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5', 'acme-llm-1'])
  })

  it('keeps (other) last whichever way a column is sorted', async () => {
    const user = userEvent.setup()
    renderBreakdown({ by: 'user', tableLimit: 2 })
    const table = await screen.findByRole('table', { name: 'Cost by user' }, FIRST_QUERY)
    const names = () => within(table).getAllByRole('rowheader').map((header) => header.textContent)
    const userButton = within(within(table).getByRole('columnheader', { name: 'User' })).getByRole('button')
    await user.click(userButton)
    expect(names()).toEqual(['ana@example.com', 'cy@example.com', '(other)'])
    await user.click(userButton)
    expect(names()).toEqual(['cy@example.com', 'ana@example.com', '(other)'])
    // (other) holds as many calls as the most (bo's 3), yet stays last.
    await user.click(within(within(table).getByRole('columnheader', { name: 'Calls' })).getByRole('button'))
    expect(names()).toEqual(['ana@example.com', 'cy@example.com', '(other)'])
  })

  it('draws the daily trend with keyboard-reachable values and a table view', async () => {
    const user = userEvent.setup()
    renderBreakdown()
    const chart = await screen.findByRole('group', { name: /Cost by model per day/ })
    const buckets = within(chart).getAllByRole('img')
    expect(buckets).toHaveLength(3)
    await user.tab()
    // Tab order: the CSV button, the table toggle, then the chart's one stop.
    while (document.activeElement !== buckets[0] && document.activeElement !== document.body) {
      await user.tab()
    }
    expect(document.activeElement).toBe(buckets[0])
    const day0 = knownCost((call) => call.day === 0)
    expect(buckets[0]?.getAttribute('aria-label')).toContain(`total ${usd(day0)}`)
    await user.keyboard('{ArrowRight}')
    expect(document.activeElement).toBe(buckets[1])
    expect(screen.getByRole('tooltip').textContent).toContain(usd(knownCost((call) => call.day === 1)))
    await user.click(screen.getByRole('button', { name: 'Show as table' }))
    const trendTable = screen.getByRole('table', { name: 'Cost by model per day' })
    expect(within(trendTable).getAllByRole('row')).toHaveLength(4)
  })

  it('says when there is nothing in the range', async () => {
    renderBreakdown({ range: { fromMs: 0, toMs: 1000 } })
    expect((await screen.findByRole('status', {}, FIRST_QUERY)).textContent).toMatch(/No AI calls|Loading/)
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('No AI calls in this range.'))
  })
})
