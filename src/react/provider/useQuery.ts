'use client'
import { useEffect, useMemo, useState } from 'react'
import type { LoadProgress, QueryResult, QuerySpec } from '../../query'
import { useAiscopeClient } from './AiscopeProvider'

/** What {@link useQuery} returns. */
export interface QueryState<Result> {
  /** `'loading'` until the first answer, then `'ready'`, or `'error'` when the last run failed. */
  state: 'loading' | 'ready' | 'error'
  /** The latest answer; kept while a newer one is being computed. */
  data: Result | undefined
  /** Why the last run failed. */
  error: Error | undefined
  /** `true` while an answer is being computed (first load, a spec change, or new data). */
  isFetching: boolean
  /** While stored events load into the engine before the answer can come: how many of how many. */
  progress: LoadProgress | undefined
}

/**
 * Runs a query spec through the nearest `AiscopeProvider`'s client and keeps its answer
 * current: it re-runs when the spec changes (by value: a new object with the same content
 * does not re-run) and when the store changes (at most 4 times a second). A superseded
 * run is abandoned, so a slow old answer never replaces a newer one.
 */
export function useQuery<Spec extends QuerySpec>(spec: Spec): QueryState<QueryResult<Spec>> {
  const client = useAiscopeClient()
  const specKey = JSON.stringify(spec)
  const stableSpec = useMemo(() => JSON.parse(specKey) as Spec, [specKey])
  const [result, setResult] = useState<QueryState<QueryResult<Spec>>>(initialState)

  useEffect(() => {
    let controller: AbortController | undefined
    const run = () => {
      controller?.abort()
      const current = new AbortController()
      controller = current
      setResult((previous) => ({ ...previous, isFetching: true }))
      const onProgress = (progress: LoadProgress) => {
        if (!current.signal.aborted) {
          setResult((previous) => ({ ...previous, progress }))
        }
      }
      client.query(stableSpec, { signal: current.signal, onProgress }).then(
        (data) => {
          if (!current.signal.aborted) {
            setResult({ state: 'ready', data, error: undefined, isFetching: false, progress: undefined })
          }
        },
        (cause: unknown) => {
          if (!current.signal.aborted) {
            const error = cause instanceof Error ? cause : new Error(String(cause))
            setResult((previous) => ({ ...previous, state: 'error', error, isFetching: false, progress: undefined }))
          }
        },
      )
    }
    run()
    const unsubscribe = client.subscribe(run)
    return () => {
      unsubscribe()
      controller?.abort()
    }
  }, [client, stableSpec])

  return result
}

const initialState = { state: 'loading', data: undefined, error: undefined, isFetching: true, progress: undefined } as const
