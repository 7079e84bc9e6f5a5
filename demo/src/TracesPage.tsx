import { useCallback, useEffect, useState } from 'react'
import { TraceExplorer } from 'aiscope/react'

/** What the Traces page's URL says is open: `#/traces/<trace id>/<span id>`. */
interface TraceRoute {
  traceId: string | null
  spanId: string | null
}

function routeFromHash(): TraceRoute {
  const [, traceId, spanId] = window.location.hash.replace(/^#\/?/, '').split('/')
  return { traceId: traceId ? decodeURIComponent(traceId) : null, spanId: spanId ? decodeURIComponent(spanId) : null }
}

function hashOfRoute({ traceId, spanId }: TraceRoute): string {
  return ['#/traces', traceId, traceId && spanId ? spanId : null]
    .filter((part): part is string => part !== null)
    .map((part, index) => (index === 0 ? part : encodeURIComponent(part)))
    .join('/')
}

/**
 * The open trace and span, kept in the URL as a host's router would keep them: a link to
 * `#/traces/<trace>/<span>` opens that span, and back / forward move between traces.
 */
function useTraceRoute() {
  const [route, setRoute] = useState(routeFromHash)
  useEffect(() => {
    const onHashChange = () => setRoute(routeFromHash())
    window.addEventListener('hashchange', onHashChange)
    return () => window.removeEventListener('hashchange', onHashChange)
  }, [])
  useEffect(() => {
    const hash = hashOfRoute(route)
    if (window.location.hash !== hash) {
      // A new trace is a new history entry; another span of the same trace replaces it.
      const sameTrace = routeFromHash().traceId === route.traceId
      window.history[sameTrace ? 'replaceState' : 'pushState'](null, '', hash)
    }
  }, [route])
  const setTraceId = useCallback((traceId: string | null) => setRoute((previous) => ({ ...previous, traceId })), [])
  const setSpanId = useCallback((spanId: string | null) => setRoute((previous) => ({ ...previous, spanId })), [])
  return { route, setTraceId, setSpanId }
}

/** The Traces page: aiscope's trace explorer, its selection kept in the URL. */
export function TracesPage() {
  const { route, setTraceId, setSpanId } = useTraceRoute()
  return (
    <TraceExplorer
      traceId={route.traceId}
      spanId={route.spanId}
      onTraceIdChange={setTraceId}
      onSpanIdChange={setSpanId}
    />
  )
}
