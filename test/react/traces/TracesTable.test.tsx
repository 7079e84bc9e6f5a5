import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, EMPTY_FILTER_VALUE, TracesTable, type TracesTableProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith, refundTrace, summaryTrace } from './fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith([...refundTrace, ...summaryTrace])
})

afterEach(cleanup)

function renderTable(props: Partial<TracesTableProps> = {}) {
  return render(
    <AiscopeProvider client={client}>
      <TracesTable {...props} />
    </AiscopeProvider>,
  )
}

const bodyRows = () => within(screen.getByRole('table', { name: 'Traces' })).getAllByRole('row').filter((row) => row.hasAttribute('data-index'))
const cellTexts = (column: string) => bodyRows().map((row) => row.querySelector(`[data-column="${column}"]`)?.textContent)

describe('TracesTable', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderTable()
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('lists each trace with its name, user, models, tokens, cost, latency and errors, newest first', async () => {
    renderTable()
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    expect(cellTexts('name')).toEqual(['summarise', 'refund-reply'])
    const refund = bodyRows()[1] as HTMLElement
    const cell = (column: string) => refund.querySelector(`[data-column="${column}"]`)?.textContent
    expect(cell('user')).toBe('ana@example.com')
    // Most used first, ties by name.
    expect(cell('models')).toBe('claude-sonnet-4-5, gpt-4o, gpt-4o-mini')
    expect(cell('spanCount')).toBe('6')
    expect(cell('inputTokens')).toBe('3,200')
    expect(cell('outputTokens')).toBe('380')
    expect(cell('costUsd')).toBe('$0.0228 +1 unpriced')
    expect(cell('errorCount')).toBe('1')
    expect(cell('evaluationScores')).toBe('helpfulness 0.9')
    expect(cellTexts('costUsd')[0]).toBe('$1.50')
    expect(screen.getByRole('table', { name: 'Traces' }).getAttribute('aria-rowcount')).toBe('3')
    expect(screen.getByText('Showing 2 of 2 traces')).toBeTruthy()
  })

  it('sorts by a column in the engine, and says so to assistive technology', async () => {
    const onSortChange = vi.fn()
    const user = userEvent.setup()
    renderTable({ onSortChange })
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    const costHeader = screen.getByRole('columnheader', { name: /Cost/ })
    expect(costHeader.getAttribute('aria-sort')).toBeNull()
    await user.click(within(costHeader).getByRole('button'))
    expect(onSortChange).toHaveBeenLastCalledWith({ by: 'costUsd', dir: 'desc' })
    expect(costHeader.getAttribute('aria-sort')).toBe('descending')
    await waitFor(() => expect(cellTexts('name')).toEqual(['summarise', 'refund-reply']))
    await user.click(within(costHeader).getByRole('button'))
    expect(costHeader.getAttribute('aria-sort')).toBe('ascending')
    await waitFor(() => expect(cellTexts('name')).toEqual(['refund-reply', 'summarise']))
    // The engine cannot sort by models: the header is not a button.
    expect(within(screen.getByRole('columnheader', { name: 'Models' })).queryByRole('button')).toBeNull()
  })

  it('narrows the list with the filter bar: free text and a status', async () => {
    const onFiltersChange = vi.fn()
    const user = userEvent.setup()
    renderTable({ onFiltersChange })
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'refund{Enter}')
    await waitFor(() => expect(cellTexts('name')).toEqual(['refund-reply']))
    expect(onFiltersChange).toHaveBeenLastCalledWith({ ...EMPTY_FILTER_VALUE, search: 'refund' })
    await user.click(screen.getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(cellTexts('name')).toEqual(['summarise', 'refund-reply']))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Has an error')
    await waitFor(() => expect(cellTexts('name')).toEqual(['refund-reply']))
  })

  it('offers a dimension’s stored values and filters by the ones chosen', async () => {
    const user = userEvent.setup()
    renderTable()
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    await user.click(screen.getByText('Model: any'))
    const gemini = await screen.findByRole('checkbox', { name: /gemini-2\.5-flash/ })
    await user.click(gemini)
    await waitFor(() => expect(cellTexts('name')).toEqual(['summarise']))
    expect(screen.getByText('Model: gemini-2.5-flash')).toBeTruthy()
  })

  it('hides and shows columns', async () => {
    const user = userEvent.setup()
    renderTable()
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    expect(screen.queryByRole('columnheader', { name: 'Session' })).toBeNull()
    await user.click(screen.getByText('Columns'))
    await user.click(screen.getByRole('checkbox', { name: 'Session' }))
    expect(cellTexts('sessionId')).toEqual(['–', 'session-7'])
    await user.click(screen.getByRole('checkbox', { name: 'Models' }))
    expect(screen.queryByRole('columnheader', { name: 'Models' })).toBeNull()
  })

  it('selects a trace by click or keyboard, calling onSelectTrace with its row', async () => {
    const onSelectTrace = vi.fn()
    const user = userEvent.setup()
    renderTable({ onSelectTrace })
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    await user.click(bodyRows()[1]?.querySelector('[data-column="latencyS"]') as HTMLElement)
    expect(onSelectTrace).toHaveBeenLastCalledWith('trace-refund', expect.objectContaining({ traceId: 'trace-refund', name: 'refund-reply' }))
    expect(bodyRows()[1]?.dataset.state).toBe('selected')

    const first = screen.getByRole('button', { name: 'summarise' })
    first.focus()
    await user.keyboard('{ArrowDown}')
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'refund-reply' }))
    await user.keyboard('{ArrowUp}{Enter}')
    expect(onSelectTrace).toHaveBeenLastCalledWith('trace-summary', expect.objectContaining({ name: 'summarise' }))
    expect(screen.getByRole('button', { name: 'summarise' }).getAttribute('aria-current')).toBe('true')
  })

  it('reads one keyset page at a time', async () => {
    const user = userEvent.setup()
    renderTable({ pageSize: 1 })
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    expect(cellTexts('name')).toEqual(['summarise'])
    expect(screen.getByText('Showing 1 of 2 traces')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    await waitFor(() => expect(cellTexts('name')).toEqual(['summarise', 'refund-reply']))
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull()
  })

  it('follows what the store receives, keeping the rows already read', async () => {
    const user = userEvent.setup()
    const live = await clientWith(summaryTrace)
    render(
      <AiscopeProvider client={live}>
        <TracesTable pageSize={1} />
      </AiscopeProvider>,
    )
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    expect(cellTexts('name')).toEqual(['summarise'])
    await act(() => live.ingest(refundTrace.map((event) => ({ ...event, timestamp: new Date(Date.parse(event.timestamp) + 3_600_000).toISOString() }))))
    await waitFor(() => expect(cellTexts('name')).toEqual(['refund-reply']))
    expect(screen.getByText('Showing 1 of 2 traces')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Load more' }))
    await waitFor(() => expect(cellTexts('name')).toEqual(['refund-reply', 'summarise']))
    await live.close()
  })
})
