import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, UsageByUser, type UsageByUserProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith } from '../traces/fixtures'
import { ALL_DAYS, knownCost, knownEvents, unpricedCalls, usd } from './fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith(knownEvents())
})

afterEach(cleanup)

function renderUsage(props: Partial<UsageByUserProps> = {}) {
  return render(
    <AiscopeProvider client={client}>
      <UsageByUser range={ALL_DAYS} {...props} />
    </AiscopeProvider>,
  )
}

const ana = (call: { user: string }) => call.user === 'ana@example.com'
const bo = (call: { user: string }) => call.user === 'bo@example.com'

describe('UsageByUser', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderUsage({ budgets: { 'ana@example.com': 1 } })
    await screen.findByRole('table', { name: 'Usage by user' }, FIRST_QUERY)
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it("lists each user's cost, largest first, with unpriced calls flagged", async () => {
    renderUsage()
    const table = await screen.findByRole('table', { name: 'Usage by user' }, FIRST_QUERY)
    expect(within(table).getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['ana@example.com', 'cy@example.com', 'bo@example.com'])
    const cost = (user: string) => within(table).getByRole('rowheader', { name: user }).closest('tr')?.querySelector('[data-column="costUsd"]')?.textContent
    expect(cost('ana@example.com')).toBe(usd(knownCost(ana)))
    expect(cost('bo@example.com')).toBe(`${usd(knownCost(bo))} +${unpricedCalls(bo)} unpriced`)
  })

  it('marks who is over budget and tells the host once', async () => {
    const onBudgetExceeded = vi.fn()
    const budgets = { 'ana@example.com': 1, 'bo@example.com': 5 }
    renderUsage({ budgets, onBudgetExceeded })
    const table = await screen.findByRole('table', { name: 'Usage by user' }, FIRST_QUERY)
    await waitFor(() => expect(onBudgetExceeded).toHaveBeenCalledTimes(1))
    // Only ana spent more than her budget: 2.5 > 1; bo spent 1 of 5.
    expect(knownCost(ana)).toBeGreaterThan(budgets['ana@example.com'])
    expect(knownCost(bo)).toBeLessThanOrEqual(budgets['bo@example.com'])
    expect(onBudgetExceeded).toHaveBeenCalledWith([{ key: 'ana@example.com', costUsd: knownCost(ana), budgetUsd: 1 }])
    const row = (user: string) => within(table).getByRole('rowheader', { name: user }).closest('tr') as HTMLElement
    expect(row('ana@example.com').dataset.budget).toBe('over')
    expect(row('ana@example.com').querySelector('[data-column="budget"]')?.textContent).toBe('Over budget')
    expect(row('bo@example.com').dataset.budget).toBe('within')
    expect(row('cy@example.com').dataset.budget).toBe('none')
    expect(screen.getByText(/1 user over budget: ana@example.com/)).toBeTruthy()
  })

  it('catches an organisation over budget', async () => {
    const onBudgetExceeded = vi.fn()
    renderUsage({ by: 'organisation', budgets: { globex: 1 }, onBudgetExceeded })
    await screen.findByRole('table', { name: 'Usage by organisation' }, FIRST_QUERY)
    const globex = knownCost((call) => call.organisation === 'globex')
    await waitFor(() => expect(onBudgetExceeded).toHaveBeenCalledWith([{ key: 'globex', costUsd: globex, budgetUsd: 1 }]))
  })
})
