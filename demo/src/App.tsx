import { useEffect, useState } from 'react'
import { PanelFrame, useStoreStatus } from 'aiscope/react'
import { demoPages, type DemoPage } from './pages'
import { useDemoSeed, type DemoSeedState } from './useDemoSeed'

function currentPath(): string {
  const path = window.location.hash.replace(/^#\/?/, '')
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
