'use client'
import { useCallback, useMemo, useState, type KeyboardEvent } from 'react'
import type { TraceResult } from '../../query'
import { useControllableState } from '../controls/useControllableState'
import {
  collapsedFlags,
  fullWindow,
  hasChildren,
  loadedNodeCount,
  panWindow,
  parentIds,
  positionsById,
  revealNode,
  searchTrace,
  siblingPlaces,
  visibleRows,
  zoomWindow,
  type SiblingPlaces,
  type TimeWindow,
  type TraceSearch,
} from './traceViewer.utils'
import { packedStringAt } from '../../query/traceStrings'

/** Options of {@link useTraceViewer}. */
export interface TraceViewerStateOptions {
  /** The selected node's id (controlled); `null` for none. */
  selectedSpanId?: string | null
  /** The first selection when uncontrolled. @default the trace's first node */
  defaultSelectedSpanId?: string | null
  /** Told when the user selects a node (Enter, Space or a click). */
  onSelectedSpanIdChange?: (spanId: string | null) => void
  /** Nodes shown at most, the first in pre-order; the rest are counted, never silently dropped. @default 20000 */
  maxSpans?: number
}

/** What {@link useTraceViewer} returns: the tree's rows and state, and what changes them. */
export interface TraceViewerState {
  /** Nodes loaded into the viewer (at most `maxSpans`). */
  loadedCount: number
  /** Nodes in the trace. */
  totalCount: number
  /** Positions of the rows shown, in order. */
  rows: Int32Array
  /** Each node's place among its siblings. */
  places: SiblingPlaces
  /** The search text, and what it found (`undefined` without a search). */
  searchText: string
  setSearchText: (text: string) => void
  search: TraceSearch | undefined
  /** Whether the node at a position is collapsed. */
  isCollapsed: (position: number) => boolean
  hasChildren: (position: number) => boolean
  toggle: (position: number) => void
  collapseAll: () => void
  expandAll: () => void
  /** The keyboard cursor (`aria-activedescendant`): a position that is shown, or -1 with no rows. */
  activePosition: number
  setActivePosition: (position: number) => void
  /** The selected position, or -1. */
  selectedPosition: number
  /** Selects a node (and moves the cursor to it). */
  select: (position: number) => void
  /** The waterfall's window, and the whole trace's. */
  window: TimeWindow
  bounds: TimeWindow
  zoomIn: () => void
  zoomOut: () => void
  resetZoom: () => void
  /** Moves the zoomed window to start at `fromMs`. */
  panTo: (fromMs: number) => void
  /** The tree's keyboard: arrows move, Left / Right collapse and expand, Home / End, Enter and Space select. */
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void
}

/** The default of {@link TraceViewerStateOptions.maxSpans} (Langfuse's cap, measured linear up to 25k). */
export const DEFAULT_MAX_SPANS = 20_000

/**
 * The trace viewer's state without its markup: collapsed nodes (by id, so they survive new
 * data), search, the keyboard cursor, the selection (owned by the host or by the hook) and
 * the waterfall's zoom. Rows come from typed-array passes over the `trace` result.
 */
export function useTraceViewer(
  trace: TraceResult,
  { selectedSpanId, defaultSelectedSpanId, onSelectedSpanIdChange, maxSpans = DEFAULT_MAX_SPANS }: TraceViewerStateOptions = {},
): TraceViewerState {
  const loadedCount = loadedNodeCount(trace, maxSpans)
  const positions = useMemo(() => positionsById(trace, loadedCount), [trace, loadedCount])
  const places = useMemo(() => siblingPlaces(trace, loadedCount), [trace, loadedCount])

  const [selectedId, setSelectedId] = useControllableState<string | null>({
    value: selectedSpanId,
    defaultValue: defaultSelectedSpanId === undefined ? ((trace.nodeCount > 0 ? packedStringAt(trace.nodeIds, 0) : null)) : defaultSelectedSpanId,
    onChange: onSelectedSpanIdChange,
  })
  const selectedPosition = selectedId === null ? -1 : (positions.get(selectedId) ?? -1)

  const [collapsedIds, setCollapsedIds] = useState<ReadonlySet<string>>(() => new Set())
  // A node selected from outside (a deep link, another panel) is revealed: its ancestors open.
  const [revealedPosition, setRevealedPosition] = useState(-1)
  if (selectedPosition !== revealedPosition) {
    setRevealedPosition(selectedPosition)
    if (selectedPosition >= 0) {
      setCollapsedIds(revealNode(trace, selectedPosition, collapsedIds))
    }
  }

  const [searchText, setSearchText] = useState('')
  const search = useMemo(() => searchTrace(trace, loadedCount, searchText), [trace, loadedCount, searchText])
  const flags = useMemo(() => collapsedFlags(collapsedIds, positions, loadedCount), [collapsedIds, positions, loadedCount])
  const rows = useMemo(() => visibleRows(trace, loadedCount, flags, search?.kept), [trace, loadedCount, flags, search])

  const [cursor, setCursor] = useState(-1)
  const activePosition = shownPosition(trace, rows, cursor >= 0 ? cursor : selectedPosition)

  const nodeHasChildren = useCallback((position: number) => hasChildren(trace, position, loadedCount), [trace, loadedCount])
  const setCollapsed = useCallback(
    (position: number, collapsed: boolean) => {
      const id = packedStringAt(trace.nodeIds, position) as string
      setCollapsedIds((previous) => {
        if (previous.has(id) === collapsed) {
          return previous
        }
        const next = new Set(previous)
        if (collapsed) {
          next.add(id)
        } else {
          next.delete(id)
        }
        return next
      })
    },
    [trace],
  )
  const toggle = useCallback((position: number) => setCollapsed(position, flags[position] !== 1), [setCollapsed, flags])
  const select = useCallback(
    (position: number) => {
      setCursor(position)
      setSelectedId(packedStringAt(trace.nodeIds, position) ?? null)
    },
    [trace, setSelectedId],
  )

  const bounds = useMemo(() => fullWindow(trace), [trace])
  const [zoomed, setZoomed] = useState<TimeWindow | null>(null)
  const window = zoomed ?? bounds
  const zoomCenter = () => {
    if (selectedPosition >= 0) {
      return ((trace.startMs[selectedPosition] as number) + (trace.endMs[selectedPosition] as number)) / 2
    }
    return (window.fromMs + window.toMs) / 2
  }
  const zoomBy = (factor: number) => {
    const next = zoomWindow(window, bounds, factor, zoomCenter())
    setZoomed(next.toMs - next.fromMs >= bounds.toMs - bounds.fromMs ? null : next)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (rows.length === 0) {
      return
    }
    const index = rowIndexOf(rows, activePosition)
    const move = (to: number) => setCursor(rows[Math.max(0, Math.min(rows.length - 1, to))] as number)
    const expandable = nodeHasChildren(activePosition) && search === undefined
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1)
        break
      case 'ArrowUp':
        move(index - 1)
        break
      case 'Home':
        move(0)
        break
      case 'End':
        move(rows.length - 1)
        break
      case 'ArrowRight':
        if (expandable && flags[activePosition] === 1) {
          setCollapsed(activePosition, false)
        } else if (trace.parentPosition[rows[index + 1] ?? -1] === activePosition) {
          move(index + 1)
        }
        break
      case 'ArrowLeft': {
        const parent = trace.parentPosition[activePosition] as number
        if (expandable && flags[activePosition] !== 1) {
          setCollapsed(activePosition, true)
        } else if (parent >= 0) {
          setCursor(parent)
        }
        break
      }
      case 'Enter':
      case ' ':
        select(activePosition)
        break
      default:
        return
    }
    event.preventDefault()
  }

  return {
    loadedCount,
    totalCount: trace.nodeCount,
    rows,
    places,
    searchText,
    setSearchText,
    search,
    isCollapsed: (position) => flags[position] === 1,
    hasChildren: nodeHasChildren,
    toggle,
    collapseAll: () => setCollapsedIds(parentIds(trace, loadedCount)),
    expandAll: () => setCollapsedIds(new Set()),
    activePosition,
    setActivePosition: setCursor,
    selectedPosition,
    select,
    window,
    bounds,
    zoomIn: () => zoomBy(2),
    zoomOut: () => zoomBy(0.5),
    resetZoom: () => setZoomed(null),
    panTo: (fromMs) => setZoomed(panWindow({ fromMs, toMs: fromMs + (window.toMs - window.fromMs) }, bounds)),
    onKeyDown,
  }
}

/** The index of `position` among the shown rows (ascending), or -1. */
export function rowIndexOf(rows: Int32Array, position: number): number {
  let low = 0
  let high = rows.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const value = rows[middle] as number
    if (value === position) {
      return middle
    }
    if (value < position) {
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return -1
}

/** `position` if it is shown, else its nearest shown ancestor, else the first row (-1 with none). */
function shownPosition(trace: TraceResult, rows: Int32Array, position: number): number {
  for (let candidate = position; candidate >= 0; candidate = trace.parentPosition[candidate] as number) {
    if (rowIndexOf(rows, candidate) >= 0) {
      return candidate
    }
  }
  return rows[0] ?? -1
}
