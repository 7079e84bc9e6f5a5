import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, ModelHealth, ModelHealthTiles } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith } from '../traces/fixtures'
import { ALL_DAYS, DAY0_MS, DAY_MS, KNOWN_CALLS, knownCost, knownEvents, unpricedCalls, usd } from '../costs/fixtures'

let client: AiscopeClient

beforeAll(async () => {
  client = await clientWith(knownEvents())
})

afterEach(cleanup)

const withClient = (ui: React.ReactNode) => render(<AiscopeProvider client={client}>{ui}</AiscopeProvider>)

describe('ModelHealth', () => {
  it('has no accessibility violations', async () => {
    const { container } = withClient(<ModelHealth range={ALL_DAYS} timeZone="UTC" />)
    await screen.findByRole('table', { name: 'Model health by model and provider' }, FIRST_QUERY)
    await screen.findByRole('group', { name: /Latency p95 by model per day/ })
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('shows error rates by kind, latency, tokens, cache hit rate and cost per 1,000 calls per model', async () => {
    withClient(<ModelHealth range={ALL_DAYS} timeZone="UTC" />)
    const table = await screen.findByRole('table', { name: 'Model health by model and provider' }, FIRST_QUERY)
    const cell = (model: string, column: string) =>
      within(table).getByRole('rowheader', { name: model }).closest('tr')?.querySelector(`[data-column="${column}"]`)?.textContent
    // gpt-4o: 2 calls, one rate-limited, one timed out.
    await waitFor(() => expect(cell('gpt-4o', 'errorKind:rate_limit')).toBe('50%'))
    expect(cell('gpt-4o', 'errorRate')).toBe('100%')
    expect(cell('gpt-4o', 'errorKind:timeout')).toBe('50%')
    expect(cell('gpt-4o', 'errorKind:server')).toBe('0%')
    expect(cell('gpt-4o-mini', 'errorRate')).toBe('0%')
    // Nearest-rank p50 of [1, 2] s is 1 s; p99 is 2 s.
    expect(cell('gpt-4o-mini', 'latency.p50')).toBe('1.00 s')
    expect(cell('gpt-4o-mini', 'latency.p99')).toBe('2.00 s')
    // OpenAI reports input including cache: 400 read of 2,000 input tokens.
    expect(cell('gpt-4o-mini', 'cacheHitRate')).toBe('20%')
    // Anthropic reports input excluding cache: 1,500 read of 900 + 1,500 prompt tokens.
    expect(cell('claude-sonnet-4-5', 'cacheHitRate')).toBe('62.5%')
    expect(cell('claude-sonnet-4-5', 'inputTokens')).toBe('900')
    const claude = knownCost((call) => call.model === 'claude-sonnet-4-5')
    expect(cell('claude-sonnet-4-5', 'costPerThousandCalls')).toBe(usd((claude / 2) * 1000))
    expect(cell('acme-llm-1', 'costPerThousandCalls')).toBe(`– (${unpricedCalls((call) => call.model === 'acme-llm-1')} unpriced)`)
  })
})

describe('ModelHealthTiles', () => {
  it('shows calls, error rate, p95 latency and cost, compared with the previous period', async () => {
    // The last two days, against the day before them.
    const range = { fromMs: DAY0_MS + DAY_MS, toMs: DAY0_MS + 3 * DAY_MS }
    const { container } = withClient(<ModelHealthTiles range={range} />)
    const list = await screen.findByRole('list', {}, FIRST_QUERY)
    const tile = (measure: string) => list.querySelector(`[data-measure="${measure}"]`) as HTMLElement
    const inRange = (call: (typeof KNOWN_CALLS)[number]) => call.day >= 1
    const before = (call: (typeof KNOWN_CALLS)[number]) => call.day === 0
    const calls = KNOWN_CALLS.filter(inRange).length
    const previousCalls = KNOWN_CALLS.filter(before).length
    await waitFor(() => expect(tile('count').querySelector('.aiscope-TileChange')?.textContent).toBe(`+${((calls - previousCalls) / previousCalls) * 100}% vs previous period`))
    expect(tile('count').querySelector('.aiscope-TileValue')?.textContent).toBe(String(calls))
    expect(tile('count').dataset.trend).toBe('up')
    expect(tile('costUsd').querySelector('.aiscope-TileValue')?.textContent).toBe(usd(knownCost(inRange)))
    expect(tile('costUsd').dataset.tone).toBe('bad')
    expect(tile('costUsd').textContent).toContain(`${unpricedCalls(inRange)} calls unpriced`)
    const errors = KNOWN_CALLS.filter(inRange).filter((call) => call.httpStatus !== undefined).length
    expect(tile('errorRate').querySelector('.aiscope-TileValue')?.textContent).toBe(`${Math.round((errors / calls) * 10000) / 100}%`)
    expect(tile('errorRate').querySelector('.aiscope-TileChange')?.textContent).toBe(`+${Math.round((errors / calls) * 1000) / 10} pp vs previous period`)
    // Nearest rank p95 of 6 latencies is the largest: the 30 s timeout.
    expect(tile('latency.p95').querySelector('.aiscope-TileValue')?.textContent).toBe('30.0 s')
    expect(await findAccessibilityViolations(container)).toEqual([])
  })
})
