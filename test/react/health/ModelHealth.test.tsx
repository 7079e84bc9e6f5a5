import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AiscopeClient } from '../../../src'
import { AiscopeProvider, ModelHealth, ModelHealthTiles } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'
import { FIRST_QUERY, clientWith } from '../traces/fixtures'
import { ALL_DAYS, DAY0_MS, DAY_MS, KNOWN_CALLS, knownCost, knownEvents, unpricedCalls, usd, type KnownCall } from '../costs/fixtures'

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

describe('ModelHealth with one model served by two providers', () => {
  const call = (id: string, provider: string, failure?: Pick<KnownCall, 'httpStatus' | 'errorType'>, model = 'gpt-4o'): KnownCall => ({
    id,
    model,
    provider,
    user: 'ana@example.com',
    organisation: 'acme',
    feature: 'support-reply',
    day: 0,
    costUsd: 0.5,
    inputTokens: 100,
    outputTokens: 10,
    latencyS: 1,
    ...failure,
  })
  // gpt-4o: 4 calls through OpenAI (one rate-limited), 2 through Azure (one timed out);
  // and one Anthropic call with a server error.
  const calls = [
    call('o1', 'openai'),
    call('o2', 'openai'),
    call('o3', 'openai'),
    call('o4', 'openai', { httpStatus: 429, errorType: 'rate_limit_error' }),
    call('a1', 'azure'),
    call('a2', 'azure', { httpStatus: 504, errorType: 'timeout' }),
    call('s1', 'anthropic', { httpStatus: 500, errorType: 'api_error' }, 'claude-sonnet-4-5'),
  ]
  let twoProviders: AiscopeClient

  beforeAll(async () => {
    twoProviders = await clientWith(knownEvents(calls))
  })

  const renderHealth = (limit?: number) =>
    render(
      <AiscopeProvider client={twoProviders}>
        <ModelHealth range={ALL_DAYS} timeZone="UTC" {...(limit === undefined ? {} : { limit })} />
      </AiscopeProvider>,
    )
  /** Each row as the user reads it: model, provider, then the named columns. */
  const rowTexts = (table: HTMLElement, columns: string[]) =>
    within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => ['model', 'provider', ...columns].map((column) => row.querySelector(`[data-column="${column}"]`)?.textContent))

  it("shows each provider's own errors by kind, not the model's across providers", async () => {
    renderHealth()
    const table = await screen.findByRole('table', { name: 'Model health by model and provider' }, FIRST_QUERY)
    const columns = ['count', 'errorRate', 'errorKind:rate_limit', 'errorKind:timeout', 'errorKind:server']
    await waitFor(() => expect(rowTexts(table, columns)[0]?.[4]).toBe('25%'))
    expect(rowTexts(table, columns)).toEqual([
      ['gpt-4o', 'openai', '4', '25%', '25%', '0%', '0%'],
      ['gpt-4o', 'azure', '2', '50%', '0%', '50%', '0%'],
      ['claude-sonnet-4-5', 'anthropic', '1', '100%', '0%', '0%', '100%'],
    ])

    // Most timeouts first; the rows with none keep their order (most calls first).
    const user = userEvent.setup()
    const timeoutHeader = within(table).getByRole('columnheader', { name: 'Timeout errors' })
    await user.click(within(timeoutHeader).getByRole('button'))
    expect(timeoutHeader.getAttribute('aria-sort')).toBe('descending')
    expect(within(table).getByRole('columnheader', { name: 'Calls' }).getAttribute('aria-sort')).toBeNull()
    expect(rowTexts(table, ['errorKind:timeout'])).toEqual([
      ['gpt-4o', 'azure', '50%'],
      ['gpt-4o', 'openai', '0%'],
      ['claude-sonnet-4-5', 'anthropic', '0%'],
    ])
  })

  it('gives the (other) row the errors of the pairs folded into it', async () => {
    renderHealth(1)
    const table = await screen.findByRole('table', { name: 'Model health by model and provider' }, FIRST_QUERY)
    const columns = ['count', 'errorKind:rate_limit', 'errorKind:timeout', 'errorKind:server']
    await waitFor(() => expect(rowTexts(table, columns)[0]?.[3]).toBe('25%'))
    // (other): Azure's 2 calls (one timeout) and Anthropic's 1 (a server error).
    expect(rowTexts(table, columns)).toEqual([
      ['gpt-4o', 'openai', '4', '25%', '0%', '0%'],
      ['(other)', '(other)', '3', '0%', '33.33%', '33.33%'],
    ])
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
