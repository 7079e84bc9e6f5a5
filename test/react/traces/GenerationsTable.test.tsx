import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, GenerationsTable, TraceExplorer, type GenerationsTableProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith, refundTrace, summaryTrace } from './fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith([...refundTrace, ...summaryTrace])
})

afterEach(cleanup)

function renderTable(props: Partial<GenerationsTableProps> = {}) {
  return render(
    <AiscopeProvider client={client}>
      <GenerationsTable {...props} />
    </AiscopeProvider>,
  )
}

const bodyRows = () => within(screen.getByRole('table', { name: 'LLM calls' })).getAllByRole('row').filter((row) => row.hasAttribute('data-index'))
const cellTexts = (column: string) => bodyRows().map((row) => row.querySelector(`[data-column="${column}"]`)?.textContent)

describe('GenerationsTable', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderTable()
    await screen.findByRole('table', { name: 'LLM calls' }, FIRST_QUERY)
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('lists every LLM call with its model, trace, prompt, tokens, cost, timings and status', async () => {
    renderTable()
    await screen.findByRole('table', { name: 'LLM calls' }, FIRST_QUERY)
    expect(cellTexts('model')).toEqual(['gemini-2.5-flash', 'gpt-4o', 'claude-sonnet-4-5', 'gpt-4o-mini'])
    expect(cellTexts('traceName')).toEqual(['summarise', 'refund-reply', 'refund-reply', 'refund-reply'])
    expect(cellTexts('promptName')).toEqual(['–', '–', '–', 'support-reply v4'])
    expect(cellTexts('costUsd')).toEqual(['$1.50', '–', '$0.0105', '$0.0123'])
    expect(cellTexts('latencyS')).toEqual(['500 ms', '200 ms', '1.50 s', '1.20 s'])
    expect(cellTexts('ttftS')).toEqual(['–', '–', '–', '300 ms'])
    expect(cellTexts('isError')).toEqual(['OK', 'Error (rate limit, 429)', 'OK', 'OK'])
    expect(screen.getByText('Showing 4 of 4 calls')).toBeTruthy()
  })

  it('sorts by latency and filters failed calls in the engine', async () => {
    const user = userEvent.setup()
    renderTable()
    await screen.findByRole('table', { name: 'LLM calls' }, FIRST_QUERY)
    await user.click(within(screen.getByRole('columnheader', { name: /Latency/ })).getByRole('button'))
    await waitFor(() => expect(cellTexts('latencyS')).toEqual(['1.50 s', '1.20 s', '500 ms', '200 ms']))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Failed')
    await waitFor(() => expect(cellTexts('model')).toEqual(['gpt-4o']))
  })

  it('selects a call, handing its trace and node id to the host', async () => {
    const onSelectGeneration = vi.fn()
    const user = userEvent.setup()
    renderTable({ onSelectGeneration })
    await screen.findByRole('table', { name: 'LLM calls' }, FIRST_QUERY)
    await user.click(bodyRows()[2] as HTMLElement)
    expect(onSelectGeneration).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'gen-compose', traceId: 'trace-refund' }))
  })
})

describe('TraceExplorer', () => {
  it('opens a chosen call in the trace viewer at that span, and tells the host', async () => {
    const onTraceIdChange = vi.fn()
    const onSpanIdChange = vi.fn()
    const user = userEvent.setup()
    const { container } = render(
      <AiscopeProvider client={client}>
        <TraceExplorer onTraceIdChange={onTraceIdChange} onSpanIdChange={onSpanIdChange} />
      </AiscopeProvider>,
    )
    await screen.findByRole('table', { name: 'Traces' }, FIRST_QUERY)
    expect(screen.getByText(/Choose a trace or a call/)).toBeTruthy()
    await user.click(screen.getByRole('radio', { name: 'LLM calls' }))
    await screen.findByRole('table', { name: 'LLM calls' })
    await waitFor(() => expect(cellTexts('model')).toContain('claude-sonnet-4-5'))
    await user.click(bodyRows()[2] as HTMLElement)
    expect(onTraceIdChange).toHaveBeenLastCalledWith('trace-refund')
    expect(onSpanIdChange).toHaveBeenLastCalledWith('gen-compose')
    const tree = await screen.findByRole('tree', { name: 'Spans of refund-reply' })
    expect(within(tree).getByRole('treeitem', { selected: true }).textContent).toContain('compose')
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('opens the trace and span a host links to', async () => {
    render(
      <AiscopeProvider client={client}>
        <TraceExplorer traceId="trace-refund" spanId="span-tool" />
      </AiscopeProvider>,
    )
    const tree = await screen.findByRole('tree', { name: 'Spans of refund-reply' }, FIRST_QUERY)
    expect(within(tree).getByRole('treeitem', { selected: true }).textContent).toContain('lookup_order')
    expect(await screen.findByRole('heading', { name: /lookup_order/ })).toBeTruthy()
  })
})
