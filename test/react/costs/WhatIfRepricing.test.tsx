import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { PRICE_TABLE } from '../../../src/pricing'
import { AiscopeProvider, WhatIfRepricing } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith } from '../traces/fixtures'
import { ALL_DAYS, KNOWN_CALLS, knownCost, knownEvents } from './fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith(knownEvents())
})

afterEach(cleanup)

describe('WhatIfRepricing', () => {
  it("prices each model's tokens at the chosen model's list prices, and the difference", async () => {
    const user = userEvent.setup()
    const { container } = render(
      <AiscopeProvider client={client}>
        <WhatIfRepricing range={ALL_DAYS} defaultTargetModel="gpt-4o-mini" />
      </AiscopeProvider>,
    )
    const table = await screen.findByRole('table', { name: 'Cost by model, and on gpt-4o-mini' }, FIRST_QUERY)
    expect(await findAccessibilityViolations(container)).toEqual([])
    await user.selectOptions(screen.getByRole('combobox', { name: 'Price at' }), 'gpt-5')
    const repriced = await screen.findByRole('table', { name: 'Cost by model, and on gpt-5' })
    expect(table).toBe(repriced)
    const prices = PRICE_TABLE.find((entry) => entry.modelId === 'gpt-5')?.usdPerMillionTokens
    if (!prices) {
      throw new Error('gpt-5 is in the price table')
    }
    // gpt-4o-mini's calls report input inclusive of cache: 2,000 input of which 400 cached, 150 output.
    const mini = KNOWN_CALLS.filter((call) => call.model === 'gpt-4o-mini')
    const cached = mini.reduce((sum, call) => sum + (call.cacheReadTokens ?? 0), 0)
    const input = mini.reduce((sum, call) => sum + call.inputTokens, 0)
    const output = mini.reduce((sum, call) => sum + call.outputTokens, 0)
    const expected = ((input - cached) * prices.input + cached * (prices.cacheRead ?? prices.input) + output * prices.output) / 1e6
    const row = within(repriced).getByRole('rowheader', { name: 'gpt-4o-mini' }).closest('tr') as HTMLElement
    const expectedText = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 }).format(expected)
    await waitFor(() => expect(row.querySelector('[data-column="whatIfCostUsd"]')?.textContent).toBe(expectedText))
    const current = knownCost((call) => call.model === 'gpt-4o-mini')
    expect(row.querySelector('[data-column="differenceUsd"]')?.textContent).toBe(
      `−${new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(current - expected)}`,
    )
    // A model with unpriced calls has no difference: the sums would not cover the same calls.
    const acme = within(repriced).getByRole('rowheader', { name: 'acme-llm-1' }).closest('tr') as HTMLElement
    expect(acme.querySelector('[data-column="differenceUsd"]')?.textContent).toBe('unknown')
  })
})
