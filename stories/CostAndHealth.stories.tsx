import type { Meta, StoryObj } from '@storybook/react-vite'
import type { ReactNode } from 'react'
import { fn } from 'storybook/test'
import { createAiscope, type AiscopeClient } from '../src'
import {
  AiscopeProvider,
  CostAttributionDashboard,
  CostBreakdown,
  ModelHealth,
  ModelHealthDashboard,
  ModelHealthTiles,
  UsageByUser,
  WhatIfRepricing,
} from '../src/react'
import { seedStore } from '../src/testing'

/**
 * Cost attribution and model health: the cost breakdown by any dimension with drill-down,
 * model health with its headline tiles, usage by user against budgets, what-if repricing,
 * and the two ready dashboards. Every story reads through a real client (in-process, over
 * this browser's IndexedDB), seeded by the telemetry generator.
 */
const meta = {
  title: 'aiscope/CostAndHealth',
  component: CostAttributionDashboard,
  parameters: { layout: 'padded' },
} satisfies Meta<typeof CostAttributionDashboard>

export default meta
type Story = StoryObj<typeof meta>

/** The generated store ends here; the dashboards' "now" is the same, so "last 7 days" is full. */
const END_MS = Date.UTC(2026, 10, 27)
const SEED = { seed: 7, size: 3_000, endMs: END_MS, days: 30 }
const LARGE_SEED = { seed: 11, size: 60_000, endMs: END_MS, days: 30 }
const WEEK = { fromMs: END_MS - 7 * 86_400_000, toMs: END_MS }
const PREVIOUS_WEEK = { fromMs: END_MS - 14 * 86_400_000, toMs: END_MS - 7 * 86_400_000 }

const clients = new Map<string, Promise<AiscopeClient>>()

/** A client over its own IndexedDB store, filled once per page load by the generator (or left empty). */
function storyClient(name: string, seed: typeof SEED | null): Promise<AiscopeClient> {
  let client = clients.get(name)
  if (!client) {
    client = (async () => {
      const created = createAiscope({ dbName: `aiscope-story-costs-${name}`, worker: 'off' })
      const status = await created.status()
      if (seed && status.eventCount !== seed.size) {
        await created.clear()
        await seedStore(created, { ...seed, batchSize: 2_000 })
      } else if (!seed && status.eventCount > 0) {
        await created.clear()
      }
      return created
    })()
    clients.set(name, client)
  }
  return client
}

/** A real client whose queries never answer: what a panel shows while the worker is busy. */
function pendingClient(client: AiscopeClient): AiscopeClient {
  return new Proxy(client, {
    get: (target, key, receiver) => (key === 'query' ? () => new Promise(() => undefined) : Reflect.get(target, key, receiver)),
  })
}

/** A client that was closed: every query fails with the client's own error. */
async function closedClient(): Promise<AiscopeClient> {
  const client = createAiscope({ dbName: 'aiscope-story-costs-closed', worker: 'off' })
  await client.close()
  return client
}

function WithClient({ client, children }: { client: AiscopeClient; children: ReactNode }) {
  return <AiscopeProvider client={client}>{children}</AiscopeProvider>
}

/** The cost attribution dashboard over the generated support product, the week before the data ends. */
export const Default: Story = {
  loaders: [async () => ({ client: await storyClient('generated', SEED) })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <CostAttributionDashboard nowMs={END_MS} timeZone="UTC" {...args} />
    </WithClient>
  ),
}

/** The model health dashboard: tiles against the previous week, latency over time, the health table. */
export const ModelHealthView: Story = {
  name: 'Model health',
  loaders: [async () => ({ client: await storyClient('generated', SEED) })],
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <ModelHealthDashboard nowMs={END_MS} timeZone="UTC" />
    </WithClient>
  ),
}

/** Usage by organisation against budgets: the over-budget rows are marked and reported. */
export const Budgets: Story = {
  loaders: [async () => ({ client: await storyClient('generated', SEED) })],
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <UsageByUser
        by="organisation"
        range={WEEK}
        budgets={{ org_northwind: 5, org_globex: 1000 }}
        onBudgetExceeded={fn().mockName('onBudgetExceeded')}
      />
    </WithClient>
  ),
}

/** A store with nothing in it yet. */
export const Empty: Story = {
  loaders: [async () => ({ client: await storyClient('empty', null) })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <CostAttributionDashboard nowMs={END_MS} timeZone="UTC" {...args} />
    </WithClient>
  ),
}

/** Every query is still being computed. */
export const Loading: Story = {
  loaders: [async () => ({ client: pendingClient(await storyClient('empty', null)) })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <CostAttributionDashboard nowMs={END_MS} timeZone="UTC" {...args} />
    </WithClient>
  ),
}

/** The client was closed: every panel says so. */
export const Error: Story = {
  loaders: [async () => ({ client: await closedClient() })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <CostAttributionDashboard nowMs={END_MS} timeZone="UTC" {...args} />
    </WithClient>
  ),
}

/** 60,000 generated events over 30 days. */
export const Large: Story = {
  loaders: [async () => ({ client: await storyClient('large', LARGE_SEED) })],
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <ModelHealthDashboard nowMs={END_MS} defaultPreset="30d" timeZone="UTC" />
      <CostBreakdown by="user" range={{ fromMs: END_MS - 30 * 86_400_000, toMs: END_MS }} timeZone="UTC" />
    </WithClient>
  ),
}

/** Each panel in each state, side by side. */
export const AllStates: Story = {
  loaders: [
    async () => {
      const ready = await storyClient('generated', SEED)
      return { ready, empty: await storyClient('empty', null), loading: pendingClient(ready), failed: await closedClient() }
    },
  ],
  render: (_args, { loaded }) => (
    <div style={{ display: 'grid', gap: 16 }}>
      {(['ready', 'empty', 'loading', 'failed'] as const).map((state) => (
        <section key={state} aria-label={`State: ${state}`} style={{ display: 'grid', gap: 8 }}>
          <h2 style={{ fontFamily: 'sans-serif', fontSize: 16, margin: 0 }}>{state}</h2>
          <WithClient client={loaded[state]}>
            <ModelHealthTiles range={WEEK} previousRange={PREVIOUS_WEEK} />
            <CostBreakdown by="feature" range={WEEK} previousRange={PREVIOUS_WEEK} timeZone="UTC" />
            <ModelHealth range={WEEK} timeZone="UTC" />
            <UsageByUser range={WEEK} budgets={{ user_0001: 0.01 }} />
            <WhatIfRepricing range={WEEK} />
          </WithClient>
        </section>
      ))}
    </div>
  ),
}
