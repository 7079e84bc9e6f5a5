import { createRef } from 'react'
import { cleanup, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Panel, PanelFrame, describeError } from '../../src/react'
import { findAccessibilityViolations } from '../support/axe'

afterEach(cleanup)

describe('PanelFrame', () => {
  it.each(['ready', 'loading', 'empty', 'error'] as const)('has no accessibility violations when %s', async (state) => {
    const { container } = render(
      <PanelFrame title="Cost by model" description="Spend per model" state={state} error="Timed out" onRetry={() => {}}>
        <p>content</p>
      </PanelFrame>,
    )
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('is a region named by its title, passing through props, className and ref', () => {
    const ref = createRef<HTMLElement>()
    render(
      <PanelFrame title="Model health" className="host-card" data-testid="frame" ref={ref} state="empty">
        <p>never shown</p>
      </PanelFrame>,
    )
    const region = screen.getByRole('region', { name: 'Model health' })
    expect(region).toBe(ref.current)
    expect(region).toBe(screen.getByTestId('frame'))
    expect(region.className).toBe('aiscope-Panel host-card')
    expect(region.dataset.state).toBe('empty')
  })

  it('shows its content only when ready', () => {
    const { rerender } = render(
      <PanelFrame title="Traces" state="ready">
        <p>42 traces</p>
      </PanelFrame>,
    )
    expect(screen.getByText('42 traces')).toBeTruthy()

    rerender(
      <PanelFrame title="Traces" state="loading">
        <p>42 traces</p>
      </PanelFrame>,
    )
    expect(screen.queryByText('42 traces')).toBeNull()
    expect(screen.getByRole('status').textContent).toBe('Loading…')
    expect(screen.getByRole('region').getAttribute('aria-busy')).toBe('true')
  })

  it('says how many stored events are loaded while a large store opens', () => {
    const { rerender } = render(<PanelFrame title="Cost" state="loading" />)
    expect(screen.getByRole('status').textContent).toBe('Loading…')
    rerender(<PanelFrame title="Cost" state="loading" progress={{ stage: 'reading', loadedEventCount: 340_000, totalEventCount: 1_000_000 }} />)
    expect(screen.getByRole('status').textContent).toBe('Loading stored events: 340,000 of 1,000,000…')
  })

  it('says how far the one-time update of events stored by an older version is', () => {
    render(<PanelFrame title="Cost" state="loading" progress={{ stage: 'rebuilding', loadedEventCount: 25_000, totalEventCount: 200_000 }} />)
    expect(screen.getByRole('status').textContent).toBe('Updating events stored by an older version: 25,000 of 200,000…')
  })

  it('tells the user there is nothing yet, in the host’s words when given', () => {
    render(<PanelFrame title="Errors" state="empty" emptyMessage="No failed calls this week." />)
    expect(screen.getByRole('status').textContent).toBe('No failed calls this week.')
  })

  it('lets the user read the error and try again', async () => {
    const onRetry = vi.fn()
    render(<PanelFrame title="Costs" state="error" error={new Error('Query timed out after 30 s')} onRetry={onRetry} />)
    expect(screen.getByRole('alert').textContent).toContain('Query timed out after 30 s')

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }))
    expect(onRetry).toHaveBeenCalledTimes(1)
  })

  it('shows markup in an error message as text, never as HTML', () => {
    const { container } = render(
      <PanelFrame title="Costs" state="error" error={'<img src=x onerror="alert(1)"><b>bold</b>'} />,
    )
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('b')).toBeNull()
    expect(screen.getByRole('alert').textContent).toBe('<img src=x onerror="alert(1)"><b>bold</b>')
  })

  it('composes from parts, each one element exposing its tone', () => {
    render(
      <Panel.Root state="error" aria-label="custom">
        <Panel.Body>
          <Panel.Message tone="error">Broken</Panel.Message>
        </Panel.Body>
      </Panel.Root>,
    )
    const message = screen.getByRole('alert')
    expect(message.dataset.tone).toBe('error')
    expect(message.parentElement?.className).toBe('aiscope-PanelBody')
  })
})

describe('describeError', () => {
  it('turns whatever was thrown into one line of text', () => {
    expect(describeError(new Error('quota exceeded'))).toBe('quota exceeded')
    expect(describeError('rate limited')).toBe('rate limited')
    expect(describeError(undefined)).toBe('Something went wrong.')
    expect(describeError({ code: 7 })).toBe('Something went wrong.')
  })
})
