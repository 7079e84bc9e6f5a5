import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { ChatTranscript } from '../../../src/react'
import { toChatMessages } from '../../../src/schema'
import { validateEvent } from '../../../src/schema/validate'
import { DIALECT_SAMPLES, dialectTrace, type StoryDialect } from '../../../stories/TraceExplorer.data'
import { findAccessibilityViolations } from '../../support/axe'

afterEach(cleanup)

/** The sample as the store keeps it (validation turns base64 images into placeholders). */
function storedProperties(dialect: StoryDialect): Record<string, unknown> {
  const result = validateEvent(dialectTrace(dialect)[1])
  if (!result.ok) {
    throw new Error(JSON.stringify(result.problems))
  }
  return result.event.properties
}

function renderTranscript(dialect: StoryDialect, side: 'input' | 'output') {
  const properties = storedProperties(dialect)
  const value = side === 'input' ? properties.$ai_input : properties.$ai_output_choices
  const messages = toChatMessages(value, { provider: DIALECT_SAMPLES[dialect].provider, defaultRole: side === 'input' ? 'user' : 'assistant' })
  return render(<ChatTranscript messages={messages} aria-label={`${dialect} ${side}`} />)
}

const roles = () => screen.getAllByRole('listitem').map((item) => item.dataset.role)

describe('ChatTranscript', () => {
  it.each(Object.keys(DIALECT_SAMPLES) as StoryDialect[])('shows a %s conversation by role, with its tool call, tool result and image placeholder', async (dialect) => {
    const { container } = renderTranscript(dialect, 'input')
    const toolCall = container.querySelector('[data-part="tool-call"]')
    const toolResult = container.querySelector('[data-part="tool-result"]')
    expect(toolCall?.querySelector('code')?.textContent).toMatch(/^(lookup_order|search_help_center|get_weather|search_docs)$/)
    // Arguments come pretty-printed, one key per line.
    expect(toolCall?.querySelector('pre')?.textContent).toMatch(/^\{\n {2}"/)
    expect(toolResult).not.toBeNull()
    expect(roles()).toContain('user')
    expect(roles()).toContain('assistant')
    if (dialect !== 'openai-responses' && dialect !== 'gemini') {
      expect(container.querySelector('[data-part="media"]')?.textContent).toMatch(/^\[image/)
    }
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it.each([
    ['openai-chat', ['system', 'user', 'assistant', 'tool']],
    ['openai-responses', ['system', 'user', 'assistant', 'tool']],
    ['anthropic', ['user', 'assistant', 'tool']],
    ['gemini', ['system', 'user', 'assistant', 'tool']],
    ['vercel-ai', ['system', 'user', 'assistant', 'tool']],
  ] as const)('labels the %s input messages %j', (dialect, expected) => {
    renderTranscript(dialect, 'input')
    expect(roles()).toEqual(expected)
  })

  it('folds reasoning away from the answer', () => {
    renderTranscript('anthropic', 'output')
    const message = screen.getByRole('listitem')
    expect(message.dataset.role).toBe('assistant')
    expect(within(message).getByText('Reasoning').closest('details')?.open).toBe(false)
    expect(within(message).getByText('Yes, that is order A-9: it shipped with DHL.')).toBeTruthy()
  })
})
