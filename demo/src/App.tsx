import { useEffect, useState } from 'react'
import { PanelFrame, useQuery, useStoreStatus } from 'aiscope/react'
import { demoPages, type DemoPage } from './pages'
import { CostsPage } from './CostsPage'
import { OverviewPanels } from './OverviewPage'
import { TracesPage } from './TracesPage'
import { useDemoSeed, type DemoSeedState } from './useDemoSeed'

function currentPath(): string {
  // `#/traces/<trace>/<span>`: the page is the first segment, the rest is the page's own.
  const path = window.location.hash.replace(/^#\/?/, '').split('/')[0] ?? ''
  return demoPages.some((page) => page.path === path) ? path : 'overview'
}

function useHashRoute(): string {
  const [path, setPath] = useState(currentPath)
  useEffect(() => {
    const onHashChange = () => setPath(currentPath())
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [])
  return path
}

export function App() {
  const path = useHashRoute()
  const seed = useDemoSeed()
  const page = demoPages.find((candidate) => candidate.path === path) ?? demoPages[0]!

  return (
    <div className="demo-shell">
      <header className="demo-topbar">
        <span className="demo-brand">Acme Support Admin</span>
        <span className="demo-section">AI observability</span>
      </header>
      <nav className="demo-nav" aria-label="AI observability pages">
        <ul>
          {demoPages.map((candidate) => (
            <li key={candidate.path}>
              <a href={`#/${candidate.path}`} aria-current={candidate.path === page.path ? 'page' : undefined}>
                {candidate.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="demo-main">
        <h1>{page.title}</h1>
        <p className="demo-purpose">{page.purpose}</p>
        <SeedBanner state={seed.state} />
        {page.path === 'overview' ? <StorePanel onReseed={seed.reseed} seedState={seed.state} /> : null}
        {page.path === 'overview' ? <UsageSummary /> : null}
        {page.path === 'overview' ? <OverviewPanels /> : null}
        {page.path === 'costs' ? <CostsPage /> : null}
        {page.path === 'traces' ? <TracesPage /> : null}
        <PanelsToCome page={page} />
      </main>
    </div>
  )
}

function SeedBanner({ state }: { state: DemoSeedState }) {
  if (state.phase === 'seeding') {
    const label = `Seeding the local store with generated telemetry: ${state.writtenCount.toLocaleString()} of ${state.totalCount.toLocaleString()} events`
    return (
      <div className="demo-banner" role="status">
        <label>
          {label}
          <progress value={state.writtenCount} max={state.totalCount} />
        </label>
      </div>
    )
  }
  if (state.phase === 'failed') {
    return (
      <div className="demo-banner demo-banner-error" role="alert">
        Seeding the demo store failed: {state.message}
      </div>
    )
  }
  return null
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** A host-built panel on aiscope's hooks: what the local store holds. */
function StorePanel({ onReseed, seedState }: { onReseed: () => void; seedState: DemoSeedState }) {
  const result = useStoreStatus()
  const status = result.status
  const panelState =
    result.state === 'error' ? 'error' : result.state === 'loading' ? 'loading' : status?.eventCount ? 'ready' : 'empty'

  return (
    <PanelFrame
      title="Local event store"
      description="Events captured in this browser's IndexedDB; aggregation runs in a Web Worker."
      state={panelState}
      error={result.error}
      emptyMessage="The store is empty."
      actions={
        <button
          type="button"
          className="aiscope-Button"
          onClick={onReseed}
          disabled={seedState.phase === 'seeding' || seedState.phase === 'checking'}
        >
          Reset demo data
        </button>
      }
    >
      {status ? (
        <dl className="demo-facts">
          <div>
            <dt>Events stored</dt>
            <dd>{status.eventCount.toLocaleString()}</dd>
          </div>
          <div>
            <dt>Oldest event</dt>
            <dd>{status.firstTsMs === null ? '–' : dateFormat.format(status.firstTsMs)}</dd>
          </div>
          <div>
            <dt>Newest event</dt>
            <dd>{status.lastTsMs === null ? '–' : dateFormat.format(status.lastTsMs)}</dd>
          </div>
          <div>
            <dt>Data version</dt>
            <dd>{status.dataVersion.toLocaleString()}</dd>
          </div>
        </dl>
      ) : null}
    </PanelFrame>
  )
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 })
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 })
const formatSeconds = (seconds: number | null | undefined) => (seconds == null ? '–' : `${seconds.toFixed(2)} s`)

/**
 * A host-built panel on `useQuery`: the AI calls of the stored range, and cost by model.
 * It recomputes in the worker whenever the store changes.
 */
function UsageSummary() {
  const result = useQuery({
    kind: 'aggregate',
    measures: ['costUsd', 'count', 'unpricedCount', 'errorRate', 'latency.p95'],
    groupBy: ['model'],
    limit: 6,
  })
  const totals = result.data?.totals
  const panelState =
    result.state === 'error' ? 'error' : result.state === 'loading' ? 'loading' : totals?.count ? 'ready' : 'empty'
  return (
    <PanelFrame
      title="AI calls in the store"
      description="Built by the host on aiscope's useQuery hook: one aggregate spec, answered in the worker."
      state={panelState}
      error={result.error}
      emptyMessage="No AI calls stored yet."
    >
      {totals ? (
        <>
          <dl className="demo-facts">
            <div>
              <dt>Calls</dt>
              <dd>{(totals.count ?? 0).toLocaleString()}</dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd>{totals.costUsd == null ? '–' : usd.format(totals.costUsd)}</dd>
            </div>
            <div>
              <dt>Calls with unknown cost</dt>
              <dd>{(totals.unpricedCount ?? 0).toLocaleString()}</dd>
            </div>
            <div>
              <dt>Error rate</dt>
              <dd>{totals.errorRate == null ? '–' : percent.format(totals.errorRate)}</dd>
            </div>
            <div>
              <dt>p95 latency</dt>
              <dd>{formatSeconds(totals['latency.p95'])}</dd>
            </div>
          </dl>
          <table className="demo-table">
            <caption>Cost by model (top 6, the rest as other)</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Calls</th>
                <th scope="col">Cost</th>
                <th scope="col">Error rate</th>
                <th scope="col">p95 latency</th>
              </tr>
            </thead>
            <tbody>
              {result.data?.rows.map((row) => (
                <tr key={String(row.key[0])}>
                  <th scope="row">{row.key[0] ?? '(no model)'}</th>
                  <td>{(row.values.count ?? 0).toLocaleString()}</td>
                  <td>{row.values.costUsd == null ? 'unknown' : usd.format(row.values.costUsd)}</td>
                  <td>{row.values.errorRate == null ? '–' : percent.format(row.values.errorRate)}</td>
                  <td>{formatSeconds(row.values['latency.p95'])}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </PanelFrame>
  )
}

function PanelsToCome({ page }: { page: DemoPage }) {
  if (page.panelsToCome.length === 0) {
    return null
  }
  return (
    <section className="demo-notice" aria-label="Panels not built yet">
      <p>
        <strong>Not built yet.</strong> This page will hold {page.panelsToCome.join(', ')}. aiscope does not ship
        these panels yet, so nothing is shown in their place.
      </p>
    </section>
  )
}
