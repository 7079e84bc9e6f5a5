import { IDBFactory, IDBKeyRange } from 'fake-indexeddb'
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient } from '../../src'
import { AiscopeProvider, useStoreStatus } from '../../src/react'

afterEach(cleanup)

function StoreCount() {
  const result = useStoreStatus()
  if (result.state === 'loading') {
    return <p>loading</p>
  }
  if (result.state === 'error') {
    return <p role="alert">{result.error.message}</p>
  }
  return <p>{result.status.eventCount} events</p>
}

function inProcessClient(): AiscopeClient {
  return createAiscope({ dbName: 'status', worker: 'off', indexedDB: new IDBFactory(), IDBKeyRange })
}

describe('useStoreStatus', () => {
  it('shows loading, then the count, then follows what the client writes', async () => {
    const client = inProcessClient()
    render(
      <AiscopeProvider client={client}>
        <StoreCount />
      </AiscopeProvider>,
    )
    expect(screen.getByText('loading')).toBeTruthy()
    // The first call loads the in-process engine's modules, which takes a while under jsdom.
    expect(await screen.findByText('0 events', undefined, { timeout: 15_000 })).toBeTruthy()

    await act(() =>
      client.ingest([
        { event: '$pageview', uuid: 'p1', distinct_id: 'u1', timestamp: '2026-11-01T00:00:00.000Z', properties: {} },
        { event: '$pageview', uuid: 'p2', distinct_id: 'u1', timestamp: '2026-11-01T00:01:00.000Z', properties: {} },
      ]),
    )
    expect(await screen.findByText('2 events')).toBeTruthy()
    await client.close()
  })

  it('shows the error when the store cannot be read', async () => {
    const client = inProcessClient()
    await client.close()
    render(
      <AiscopeProvider client={client}>
        <StoreCount />
      </AiscopeProvider>,
    )
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/client is closed/), { timeout: 15_000 })
  })

  it('names the fix when a panel is rendered without a provider', () => {
    expect(() => render(<StoreCount />)).toThrow(/Wrap your panels in <AiscopeProvider/)
  })
})
