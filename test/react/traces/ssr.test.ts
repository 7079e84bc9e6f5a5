import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { createAiscope } from '../../../src'
import { AiscopeProvider, GenerationsTable, TraceExplorer, TraceViewer } from '../../../src/react'

describe('the trace explorer on a server', () => {
  it('renders its loading state to HTML in plain Node, starting nothing', () => {
    expect('window' in globalThis).toBe(false)
    const client = createAiscope()
    const html = renderToString(
      createElement(
        AiscopeProvider,
        { client },
        createElement(TraceExplorer, { defaultTraceId: 'trace-1', defaultSpanId: 'span-1' }),
        createElement(GenerationsTable),
        createElement(TraceViewer, { traceId: 'trace-2' }),
      ),
    )
    expect(html).toContain('Traces')
    expect(html).toContain('Loading the trace…')
    // The explorer's list and viewer, the calls list, the second viewer.
    expect(html.match(/aria-busy="true"/g)).toHaveLength(4)
  })
})
