import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient, QuerySpec } from '../../../src'
import { AiscopeProvider, DEFAULT_MAX_SPANS, TraceViewer, type TraceViewerProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, HOSTILE_TEXT, clientWith, refundTrace, summaryTrace, wideTrace } from './fixtures'

let client: AiscopeClient
/** Steps of the wide trace: 301 rows, far more than the tree's 480 px show. */
const WIDE_STEP_COUNT = 300
const ROW_HEIGHT = 28

beforeAll(async () => {
  client = await clientWith([...refundTrace, ...summaryTrace, ...wideTrace(WIDE_STEP_COUNT)])
})

afterEach(cleanup)

function renderViewer(props: Partial<TraceViewerProps> = {}, viewerClient = client) {
  return render(
    <AiscopeProvider client={viewerClient}>
      <TraceViewer traceId="trace-refund" {...props} />
    </AiscopeProvider>,
  )
}

/**
 * The client, with the specs it is asked recorded, answering trace queries as if the trace
 * had `extraNodeCount` more nodes after those stored (a larger `totalNodeCount`), and, with
 * `ignoringMaxSpans`, as an engine that returns every node whatever the cap.
 */
function recordingClient(extraNodeCount: number, { ignoringMaxSpans = false } = {}): { client: AiscopeClient; specs: QuerySpec[] } {
  const specs: QuerySpec[] = []
  const recording = new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return async (spec: QuerySpec, options?: Parameters<AiscopeClient['query']>[1]) => {
          specs.push(spec)
          const asked = spec.kind === 'trace' && ignoringMaxSpans ? { kind: spec.kind, traceId: spec.traceId } : spec
          const answer = await target.query(asked, options)
          return answer.kind === 'trace' ? { ...answer, totalNodeCount: answer.totalNodeCount + extraNodeCount } : answer
        }
      }
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { client: recording, specs }
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

  it('selects the first span at first and shows its figures and content beside the tree', async () => {
    renderViewer()
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    expect(treeItems()[0]?.getAttribute('aria-selected')).toBe('true')
    const heading = await screen.findByRole('heading', { level: 3, name: /refund-reply/ })
    const facts = heading.nextElementSibling as HTMLElement
    expect(within(facts).getByText('Node id').nextElementSibling?.textContent).toBe('e-trace')
    expect(within(facts).getByText('Latency').nextElementSibling?.textContent).toBe('4.00 s')
    const input = await screen.findByRole('region', { name: 'Input' })
    expect(input.textContent).toContain('Where is my refund?')
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

  it('asks for at most maxSpans spans, and counts the spans the engine left out', async () => {
    const { client: larger, specs } = recordingClient(4)
    renderViewer({}, larger)
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    expect(specs.find((spec) => spec.kind === 'trace')).toEqual({ kind: 'trace', traceId: 'trace-refund', maxSpans: DEFAULT_MAX_SPANS })
    expect(treeItems()).toHaveLength(6)
    expect(screen.getByText('6 of 10 spans loaded: the first in tree order are shown.')).toBeTruthy()
    expect(screen.getByText(/^10 spans · 4\.00 s/)).toBeTruthy()
    cleanup()

    renderViewer({ maxSpans: 3 }, larger)
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    expect(specs.filter((spec) => spec.kind === 'trace').at(-1)).toEqual({ kind: 'trace', traceId: 'trace-refund', maxSpans: 3 })
    expect(treeItems()).toHaveLength(3)
    expect(screen.getByText('3 of 10 spans loaded: the first in tree order are shown.')).toBeTruthy()
  })

  it('shows at most maxSpans spans from an engine that returns more', async () => {
    renderViewer({ maxSpans: 3 }, recordingClient(0, { ignoringMaxSpans: true }).client)
    await screen.findByRole('tree', undefined, FIRST_QUERY)
    expect(treeItems()).toHaveLength(3)
    expect(screen.getByText('3 of 6 spans loaded: the first in tree order are shown.')).toBeTruthy()
  })

  it('renders the rows in view only, and those at the scroll position after a scroll', async () => {
    renderViewer({ traceId: 'trace-wide' })
    const tree = await screen.findByRole('tree', { name: 'Spans of agent' }, FIRST_QUERY)
    expect(tree.style.height).toBe(`${(WIDE_STEP_COUNT + 1) * ROW_HEIGHT}px`)
    const names = () => treeItems().map((item) => item.querySelector('.aiscope-NodeName')?.textContent)
    expect(names()[0]).toBe('agent')
    expect(treeItems().length).toBeLessThan(25)

    const scroller = tree.parentElement as HTMLElement
    scroller.scrollTop = 150 * ROW_HEIGHT
    fireEvent.scroll(scroller)
    // Row 150 (step 150) is the first in view, with the row above it for the keyboard.
    await waitFor(() => expect(names().slice(0, 2)).toEqual(['step 149', 'step 150']))
    const step150 = itemNamed(/step 150\b/)
    expect([step150.getAttribute('aria-level'), step150.getAttribute('aria-posinset'), step150.getAttribute('aria-setsize')]).toEqual(['2', '150', '300'])
    expect(treeItems().length).toBeLessThan(25)
  })

  it('keeps the keyboard cursor’s row in the DOM as it jumps to the end and back', async () => {
    const user = userEvent.setup()
    renderViewer({ traceId: 'trace-wide' })
    const tree = await screen.findByRole('tree', undefined, FIRST_QUERY)
    const active = () => document.getElementById(tree.getAttribute('aria-activedescendant') ?? '')?.querySelector('.aiscope-NodeName')?.textContent
    await user.click(itemNamed(/agent/))
    await user.keyboard('{End}')
    expect(active()).toBe(`step ${WIDE_STEP_COUNT}`)
    await user.keyboard('{ArrowUp}')
    expect(active()).toBe(`step ${WIDE_STEP_COUNT - 1}`)
    await user.keyboard('{Home}')
    expect(active()).toBe('agent')

    // Collapsing from the bottom of the list shows what is left, whatever the old scroll position.
    await user.keyboard('{End}')
    await user.click(screen.getByRole('button', { name: 'Collapse all' }))
    expect(treeItems().map((item) => item.querySelector('.aiscope-NodeName')?.textContent)).toEqual(['agent'])
  })

  it('says so when no event has the trace id', async () => {
    renderViewer({ traceId: 'trace-missing' })
    expect((await screen.findByRole('status', undefined, FIRST_QUERY)).textContent).toBeTruthy()
    await waitFor(() => expect(screen.getByRole('region').dataset.state).toBe('empty'), FIRST_QUERY)
    expect(screen.getByText('No stored event has the trace id “trace-missing”.')).toBeTruthy()
  })
})
