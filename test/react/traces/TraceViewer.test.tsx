import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, TraceViewer, type TraceViewerProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, HOSTILE_TEXT, clientWith, refundTrace, summaryTrace } from './fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith([...refundTrace, ...summaryTrace])
})

afterEach(cleanup)

function renderViewer(props: Partial<TraceViewerProps> = {}) {
  return render(
    <AiscopeProvider client={client}>
      <TraceViewer traceId="trace-refund" {...props} />
    </AiscopeProvider>,
  )
}

const treeItems = () => within(screen.getByRole('tree')).getAllByRole('treeitem')
const itemNamed = (name: RegExp) => treeItems().find((item) => name.test(item.textContent ?? '')) as HTMLElement

describe('TraceViewer', () => {
  it('has no accessibility violations', async () => {
    const { container } = renderViewer()
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    await screen.findByRole('region', { name: 'Input' })
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('shows the trace as a tree of named spans, with levels, costs and the failed call', async () => {
    renderViewer()
    const tree = await screen.findByRole('tree', { name: 'Spans of refund-reply' }, FIRST_QUERY)
    expect(screen.getByRole('heading', { name: 'Trace: refund-reply' })).toBeTruthy()
    const items = within(tree).getAllByRole('treeitem')
    expect(items.map((item) => item.querySelector('.aiscope-NodeName')?.textContent)).toEqual([
      'refund-reply',
      'support_agent',
      'plan',
      'lookup_order',
      'compose',
      'retry',
    ])
    expect(items.map((item) => item.getAttribute('aria-level'))).toEqual(['1', '2', '3', '3', '3', '3'])
    expect(items[2]?.getAttribute('aria-posinset')).toBe('1')
    expect(items[2]?.getAttribute('aria-setsize')).toBe('4')
    expect(items[2]?.textContent).toContain('$0.0123')
    expect(items[5]?.dataset.status).toBe('error')
    // The summary counts what the tree leaves out rather than dropping it silently.
    expect(screen.getByText('6 spans · 4.00 s · $0.0228 (+1 unpriced) · 1 error')).toBeTruthy()
    expect(screen.getByText(/2 events are not spans/)).toBeTruthy()
  })

  it('moves through the tree with the keyboard: arrows move, Left and Right collapse and expand, Enter selects', async () => {
    const onSelectedSpanIdChange = vi.fn()
    const user = userEvent.setup()
    renderViewer({ onSelectedSpanIdChange })
    const tree = await screen.findByRole('tree', undefined, FIRST_QUERY)
    const active = () => document.getElementById(tree.getAttribute('aria-activedescendant') ?? '')?.querySelector('.aiscope-NodeName')?.textContent

    await user.click(itemNamed(/^.*refund-reply/))
    expect(active()).toBe('refund-reply')
    await user.keyboard('{ArrowDown}')
    expect(active()).toBe('support_agent')
    expect(itemNamed(/support_agent/).getAttribute('aria-expanded')).toBe('true')

    await user.keyboard('{ArrowLeft}')
    expect(itemNamed(/support_agent/).getAttribute('aria-expanded')).toBe('false')
    expect(treeItems()).toHaveLength(2)

    await user.keyboard('{ArrowRight}')
    expect(treeItems()).toHaveLength(6)
    await user.keyboard('{ArrowRight}{ArrowDown}{ArrowDown}')
    expect(active()).toBe('compose')
    await user.keyboard('{Enter}')
    expect(onSelectedSpanIdChange).toHaveBeenLastCalledWith('gen-compose')
    expect(itemNamed(/compose/).getAttribute('aria-selected')).toBe('true')

    await user.keyboard('{ArrowLeft}')
    expect(active()).toBe('support_agent')
    await user.keyboard('{End}')
    expect(active()).toBe('retry')
    await user.keyboard('{Home}')
    expect(active()).toBe('refund-reply')
  })

  it('shows a call’s input and output as a transcript, with tool calls, reasoning and figures', async () => {
    renderViewer({ defaultSelectedSpanId: 'gen-plan' })
    const input = await screen.findByRole('region', { name: 'Input' }, FIRST_QUERY)
    const messages = within(input).getAllByRole('listitem')
    expect(messages.map((message) => message.dataset.role)).toEqual(['system', 'user'])
    expect(messages[0]?.textContent).toBe('SystemYou are Relay, a support assistant.')
    const output = screen.getByRole('region', { name: 'Output' })
    expect(within(output).getByText('Looking up the order.')).toBeTruthy()
    // Arguments are pretty-printed JSON.
    expect(output.querySelector('[data-part="tool-call"] pre')?.textContent).toBe('{\n  "order_id": "A-1",\n  "include": [\n    "refunds"\n  ]\n}')
    expect(within(output).getByText('lookup_order')).toBeTruthy()

    const facts = screen.getByRole('heading', { name: /plan/ }).nextElementSibling as HTMLElement
    const fact = (term: string) => within(facts).getByText(term).nextElementSibling?.textContent
    expect(fact('Model')).toBe('gpt-4o-mini')
    expect(fact('Provider')).toBe('openai')
    expect(fact('Input tokens')).toBe('1,200')
    expect(fact('Output tokens')).toBe('80')
    expect(fact('Cost')).toBe('$0.0123 · cost sent by the client')
    expect(fact('Latency')).toBe('1.20 s')
    expect(fact('Time to first token')).toBe('300 ms')
    expect(fact('Prompt')).toBe('support-reply v4')
    expect(fact('Parameters')).toBe('temperature: 0.2stream: true')
  })

  it('reads Anthropic content blocks, shows model output as text only, and the evaluation and interaction on that call', async () => {
    const { container } = renderViewer({ defaultSelectedSpanId: 'gen-compose' })
    const input = await screen.findByRole('region', { name: 'Input' }, FIRST_QUERY)
    expect(within(input).getAllByRole('listitem').map((message) => message.dataset.role)).toEqual(['user', 'assistant', 'tool'])
    expect(input.querySelector('[data-part="tool-result"]')?.textContent).toContain('"status": "refunded"')
    const output = screen.getByRole('region', { name: 'Output' })
    expect(within(output).getByText('Reasoning')).toBeTruthy()
    expect(within(output).getByText(HOSTILE_TEXT)).toBeTruthy()
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('a')).toBeNull()

    expect(within(screen.getByRole('region', { name: 'Evaluations' })).getByText(/helpfulness/).parentElement?.textContent).toBe(
      'helpfulness: 0.9 · Answers with the refund date.',
    )
    expect(within(screen.getByRole('region', { name: 'User interactions' })).getByText('accepted')).toBeTruthy()
    const facts = screen.getByRole('heading', { name: /compose/ }).nextElementSibling as HTMLElement
    expect(within(facts).getByText('Cost').nextElementSibling?.textContent).toMatch(/^\$0\.\d+ · priced from the price table \(/)
  })

  it('shows a failed call’s status and error', async () => {
    renderViewer({ defaultSelectedSpanId: 'gen-fail' })
    await screen.findByRole('region', { name: 'Input' }, FIRST_QUERY)
    const facts = screen.getByRole('heading', { name: /retry/ }).nextElementSibling as HTMLElement
    expect(within(facts).getByText('Status').nextElementSibling?.textContent).toBe('Error (HTTP 429)')
    expect(within(facts).getByText('Error').nextElementSibling?.textContent).toBe('Rate limit reached for gpt-4o')
  })

  it('follows a controlled selection, revealing a span inside a collapsed parent', async () => {
    const user = userEvent.setup()
    const { rerender } = renderViewer({ selectedSpanId: 'span-agent' })
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    await user.click(screen.getByRole('button', { name: 'Collapse all' }))
    expect(treeItems()).toHaveLength(1)

    rerender(
      <AiscopeProvider client={client}>
        <TraceViewer traceId="trace-refund" selectedSpanId="span-tool" />
      </AiscopeProvider>,
    )
    expect(itemNamed(/lookup_order/).getAttribute('aria-selected')).toBe('true')
    expect(treeItems()).toHaveLength(6)
    expect(await screen.findByRole('heading', { name: /lookup_order/ })).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Output' }).textContent).toContain('"status": "refunded"')
  })

  it('searches within the trace, keeping each match’s ancestors', async () => {
    const user = userEvent.setup()
    renderViewer()
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    await user.type(screen.getByRole('searchbox', { name: 'Search spans' }), 'GPT-4O')
    expect(screen.getByText('2 matches')).toBeTruthy()
    expect(treeItems().map((item) => item.querySelector('.aiscope-NodeName')?.textContent)).toEqual(['refund-reply', 'support_agent', 'plan', 'retry'])
    expect(treeItems().filter((item) => item.dataset.match === 'true')).toHaveLength(2)
  })

  it('zooms the waterfall and back', async () => {
    const user = userEvent.setup()
    renderViewer({ selectedSpanId: 'gen-compose' })
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    const bar = () => itemNamed(/compose/).querySelector<HTMLElement>('.aiscope-WaterfallBar')?.style.width
    expect(bar()).toBe('37.5%')
    await user.click(screen.getByRole('button', { name: 'Zoom in' }))
    expect(bar()).toBe('75%')
    expect(screen.getByRole('slider', { name: 'Timeline position' })).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Whole trace' }))
    expect(bar()).toBe('37.5%')
  })

  it('says how many spans it loaded when a trace is over the limit, never silently', async () => {
    renderViewer({ maxSpans: 3 })
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    expect(treeItems()).toHaveLength(3)
    expect(screen.getByText('3 of 6 spans loaded: the first in tree order are shown.')).toBeTruthy()
  })

  it('says so when no event has the trace id', async () => {
    renderViewer({ traceId: 'trace-missing' })
    expect((await screen.findByRole('status', undefined, FIRST_QUERY)).textContent).toBeTruthy()
    await waitFor(() => expect(screen.getByRole('region').dataset.state).toBe('empty'), FIRST_QUERY)
    expect(screen.getByText('No stored event has the trace id “trace-missing”.')).toBeTruthy()
  })
})
