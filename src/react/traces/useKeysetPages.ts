'use client'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { GenerationsSpec, QueryResult, TracesSpec } from '../../query'
import { useAiscopeClient } from '../provider'

/** The specs that page by keyset: the trace list and the generation list. */
export type KeysetSpec = TracesSpec | GenerationsSpec

/** A row of a keyset spec's result. */
export type KeysetRow<Spec extends KeysetSpec> = QueryResult<Spec>['rows'][number]

/** What {@link useKeysetPages} returns. */
export interface KeysetPages<Row> {
  /** `'loading'` until the first page, `'error'` when the first page failed, else `'ready'`. */
  state: 'loading' | 'ready' | 'error'
  /** The rows of every page loaded so far, in order. */
  rows: Row[]
  /** Rows that match the spec, over all pages. */
  totalCount: number
  /** Whether a next page exists. */
  hasMore: boolean
  /** `true` while a page is being read (the first, a next one, or a refresh after new data). */
  isFetching: boolean
  /** Why the last read failed (the first page, or loading more). */
  error: Error | undefined
  /** Reads the next page, once; does nothing when there is none or one is on its way. */
  loadMore: () => void
  /** Reads the loaded pages again after an error. */
  retry: () => void
}

/** The most rows one `traces` or `generations` page may hold (both specs' `limit` maximum). */
const MAX_PAGE_ROWS = 500

interface PagesState<Result> {
  /** The spec (without cursor) the pages answer. */
  specKey: string
  results: Result[]
  error: Error | undefined
  fetching: boolean
}

/**
 * Pages of a keyset spec (`traces`, `generations`) read one after another as the user asks
 * for more, so a list over a million events holds only the rows scrolled through. A new spec
 * starts over at its first page; when the store changes, the rows loaded so far are read
 * again (keyset cursors stay valid as data arrives) and replace the old ones at once.
 */
export function useKeysetPages<Spec extends KeysetSpec>(spec: Spec): KeysetPages<KeysetRow<Spec>> {
  type Result = QueryResult<Spec>
  const client = useAiscopeClient()
  const specKey = JSON.stringify(spec)
  const stableSpec = useMemo(() => JSON.parse(specKey) as Spec, [specKey])
  const [pages, setPages] = useState<PagesState<Result>>({ specKey, results: [], error: undefined, fetching: true })
  // Read by the change listener and by loadMore, which must not re-subscribe on every page.
  const pagesRef = useRef(pages)
  // A layout effect: the table's own effects (which may call loadMore) run after it.
  useLayoutEffect(() => {
    pagesRef.current = pages
  })
  const [retryCount, setRetryCount] = useState(0)
  const moreRequest = useRef<AbortController | null>(null)

  useEffect(() => {
    let controller: AbortController | undefined
    const read = (rowCount: number) => {
      moreRequest.current?.abort()
      controller?.abort()
      const current = new AbortController()
      controller = current
      setPages((previous) => ({ ...previous, fetching: true }))
      readPages(rowCount, current.signal).then(
        (results) => {
          if (!current.signal.aborted) {
            setPages({ specKey, results, error: undefined, fetching: false })
          }
        },
        (cause: unknown) => {
          if (!current.signal.aborted) {
            setPages((previous) => ({ ...previous, error: toError(cause), fetching: false }))
          }
        },
      )
    }
    // Reads the first `rowCount` rows (at least one page), in as few queries as the spec's
    // largest page allows: after a change, a list scrolled far down is read again in a few
    // queries, not one per page it grew by.
    const readPages = async (rowCount: number, signal: AbortSignal) => {
      const results: Result[] = []
      let cursor: string | undefined
      let remaining = Math.max(rowCount, stableSpec.limit ?? 1)
      while (remaining > 0) {
        const limit = Math.min(MAX_PAGE_ROWS, remaining)
        const result = (await client.query({ ...stableSpec, limit, ...(cursor === undefined ? {} : { cursor }) }, { signal })) as Result
        results.push(result)
        remaining -= result.rows.length
        if (result.nextCursor === null || result.rows.length === 0) {
          break
        }
        cursor = result.nextCursor
      }
      return results
    }
    const loadedRowCount = () =>
      pagesRef.current.specKey === specKey ? pagesRef.current.results.reduce((count, result) => count + result.rows.length, 0) : 0
    read(0)
    const unsubscribe = client.subscribe(() => read(loadedRowCount()))
    return () => {
      unsubscribe()
      controller?.abort()
      moreRequest.current?.abort()
    }
  }, [client, stableSpec, specKey, retryCount])

  const loadMore = useCallback(() => {
    const { results, fetching, specKey: loadedKey } = pagesRef.current
    const last = results[results.length - 1]
    if (fetching || moreRequest.current !== null || loadedKey !== specKey || !last?.nextCursor) {
      return
    }
    const controller = new AbortController()
    moreRequest.current = controller
    setPages((previous) => ({ ...previous, fetching: true }))
    client.query({ ...stableSpec, cursor: last.nextCursor }, { signal: controller.signal }).then(
      (result) => {
        moreRequest.current = null
        if (!controller.signal.aborted) {
          setPages((previous) =>
            previous.results[previous.results.length - 1] === last
              ? { ...previous, results: [...previous.results, result as Result], error: undefined, fetching: false }
              : { ...previous, fetching: false },
          )
        }
      },
      (cause: unknown) => {
        moreRequest.current = null
        if (!controller.signal.aborted) {
          setPages((previous) => ({ ...previous, error: toError(cause), fetching: false }))
        }
      },
    )
  }, [client, stableSpec, specKey])

  const retry = useCallback(() => setRetryCount((count) => count + 1), [])

  const isCurrent = pages.specKey === specKey
  // A new spec keeps showing the old rows until its first page arrives (marked as fetching).
  const rows = useMemo(() => pages.results.flatMap((result) => result.rows as KeysetRow<Spec>[]), [pages.results])
  const last = pages.results[pages.results.length - 1]
  const state = isCurrent && last !== undefined ? 'ready' : pages.error ? 'error' : last !== undefined ? 'ready' : 'loading'
  return {
    state,
    rows,
    totalCount: last?.totalCount ?? 0,
    hasMore: isCurrent && Boolean(last?.nextCursor),
    isFetching: pages.fetching || !isCurrent,
    error: pages.error,
    loadMore,
    retry,
  }
}

function toError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause))
}
