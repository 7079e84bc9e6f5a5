'use client'
import type { ReactNode } from 'react'
import { formatCount, formatDateTime, formatUsd } from '../format'

/** A point in time as a `<time>` element, readable and machine-readable. */
export function TimeText({ ms }: { ms: number }) {
  return <time dateTime={Number.isFinite(ms) ? new Date(ms).toISOString() : undefined}>{formatDateTime(ms)}</time>
}

/** A stand-in for a value the event did not have, marked `data-missing` for styling. */
export function Missing({ children }: { children: ReactNode }) {
  return (
    <span className="aiscope-Missing" data-missing="true">
      {children}
    </span>
  )
}

/** A cost, with how many calls in it could not be priced (unknown costs are never shown as $0). */
export function CostText({ costUsd, unpricedCount = 0 }: { costUsd: number | null; unpricedCount?: number }) {
  return (
    <span data-priced={unpricedCount > 0 ? 'partly' : costUsd === null ? 'no' : 'yes'}>
      {formatUsd(costUsd)}
      {unpricedCount > 0 ? <span className="aiscope-Unpriced"> +{formatCount(unpricedCount)} unpriced</span> : null}
    </span>
  )
}
