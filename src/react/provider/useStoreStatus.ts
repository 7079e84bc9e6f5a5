'use client'
import { useEffect, useState } from 'react'
import type { StoreStatus } from '../../store'
import { useAiscopeClient } from './AiscopeProvider'

/** What {@link useStoreStatus} returns. */
export type StoreStatusResult =
  | { state: 'loading'; status: undefined; error: undefined }
  | { state: 'ready'; status: StoreStatus; error: undefined }
  | { state: 'error'; status: undefined; error: Error }

/**
 * The store's counters and time range, kept current as the client writes. Reads through
 * the nearest {@link AiscopeProvider}.
 */
export function useStoreStatus(): StoreStatusResult {
  const client = useAiscopeClient()
  const [result, setResult] = useState<StoreStatusResult>(loadingResult)

  useEffect(() => {
    let current = true
    const show = (status: StoreStatus) => {
      if (current) {
        setResult({ state: 'ready', status, error: undefined })
      }
    }
    const unsubscribe = client.subscribe(show)
    client.status().then(show, (cause: unknown) => {
      if (current) {
        setResult({ state: 'error', status: undefined, error: toError(cause) })
      }
    })
    return () => {
      current = false
      unsubscribe()
    }
  }, [client])

  return result
}

const loadingResult: StoreStatusResult = { state: 'loading', status: undefined, error: undefined }

function toError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause))
}
