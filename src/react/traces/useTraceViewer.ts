'use client'
import { useCallback, useMemo, useState, type KeyboardEvent } from 'react'
import type { TraceResult } from '../../query'
import { useControllableState } from '../controls/useControllableState'
import {
  collapsedFlags,
  fullWindow,
  hasChildren,
  loadedNodeCount,
  nodeIdAt,
  nodeLookup,
  panWindow,
  parentNodes,
  revealNode,
  rowIndexOf,
  searchTrace,
  siblingPlaces,
  totalNodeCount,
  visibleRows,
  zoomWindow,
  type CollapsedNodes,
  type SiblingPlaces,
  type TimeWindow,
  type TraceSearch,
} from './traceViewer.utils'

/** Options of {@link useTraceViewer}. */
export interface TraceViewerStateOptions {
  /** The selected node's id (controlled); `null` for none. */
  selectedSpanId?: string | null
  /** The first selection when uncontrolled. @default the trace's first node */
  defaultSelectedSpanId?: string | null
  /** Told when the user selects a node (Enter, Space or a click). */
  onSelectedSpanIdChange?: (spanId: string | null) => void
  /** Nodes shown at most, the first in pre-order; the rest are counted, never silently dropped. @default 500000 */
  maxSpans?: number
}

/** What {@link useTraceViewer} returns: the tree's rows and state, and what changes them. */
export interface TraceViewerState {
  /** Nodes loaded into the viewer (at most `maxSpans`). */
  loadedCount: number
  /** Nodes in the whole trace, loaded or not. */
  totalCount: number
  /** Positions of the rows shown, in order. */
  rows: Int32Array
  /** Each node's place among its siblings (worked out as rows ask). */
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

/**
 * The default of {@link TraceViewerStateOptions.maxSpans}: 25 times Langfuse's 20,000, so a
 * 200k-span trace shows whole. The viewer's first frame costs the rows in view, not the
 * spans (~30-90 ms after a 500k-span answer in headless Chromium; the engine's answer takes
 * longer); the bound keeps the tree's scroll height (28 px a row: 14 million px) under
 * Firefox's ~17.9 million px limit on an element's height.
 */
export const DEFAULT_MAX_SPANS = 500_000

/**
 * The trace viewer's state without its markup: collapsed nodes (by id, so they survive new
 * data), search, the keyboard cursor, the selection (owned by the host or by the hook) and
 * the waterfall's zoom. Rows come from typed-array passes over the `trace` result; what
 * only some rows need (sibling places, positions by id) is worked out when first asked.
 */
export function useTraceViewer(
  trace: TraceResult,
  { selectedSpanId, defaultSelectedSpanId, onSelectedSpanIdChange, maxSpans = DEFAULT_MAX_SPANS }: TraceViewerStateOptions = {},
): TraceViewerState {
  const loadedCount = loadedNodeCount(trace, maxSpans)
  const lookup = useMemo(() => nodeLookup(trace, loadedCount), [trace, loadedCount])
  const places = useMemo(() => siblingPlaces(trace, loadedCount), [trace, loadedCount])

  const [selectedId, setSelectedId] = useControllableState<string | null>({
    value: selectedSpanId,
    defaultValue: defaultSelectedSpanId === undefined ? (loadedCount > 0 ? nodeIdAt(trace, 0) : null) : defaultSelectedSpanId,
    onChange: onSelectedSpanIdChange,
  })
  // Where the selection was made (0: the default, the first node). While that position holds
  // the selected id, finding the selection needs no index of all the ids.
  const [selectedHint, setSelectedHint] = useState(0)
  const selectedPosition = useMemo(() => (selectedId === null ? -1 : lookup.positionOf(selectedId, selectedHint)), [lookup, selectedId, selectedHint])

  const [collapsed, setCollapsed] = useState<CollapsedNodes>(EMPTY_COLLAPSED)
  // A node selected from outside (a deep link, another panel) is revealed: its ancestors open.
  // Nothing is collapsed at first, so the first selection needs no revealing.
  const [revealedPosition, setRevealedPosition] = useState(selectedPosition)
  if (selectedPosition !== revealedPosition) {
    setRevealedPosition(selectedPosition)
    if (selectedPosition >= 0) {
      setCollapsed(revealNode(trace, selectedPosition, collapsed))
    }
  }

  const [searchText, setSearchText] = useState('')
  const search = useMemo(() => searchTrace(trace, loadedCount, searchText), [trace, loadedCount, searchText])
  const flags = useMemo(() => collapsedFlags(collapsed, lookup, loadedCount), [collapsed, lookup, loadedCount])
  const rows = useMemo(() => visibleRows(trace, loadedCount, flags, search?.kept), [trace, loadedCount, flags, search])

  const [cursor, setCursor] = useState(-1)
  const activePosition = shownPosition(trace, rows, cursor >= 0 ? cursor : selectedPosition)

  const nodeHasChildren = useCallback((position: number) => hasChildren(trace, position, loadedCount), [trace, loadedCount])
  const setNodeCollapsed = useCallback(
    (position: number, isCollapsed: boolean) => {
      const id = nodeIdAt(trace, position)
      setCollapsed((previous) => {
        if (previous.has(id) === isCollapsed) {
          return previous
        }
        const next = new Map(previous)
        if (isCollapsed) {
          next.set(id, position)
        } else {
          next.delete(id)
        }
        return next
      })
    },
    [trace],
  )
  const toggle = useCallback((position: number) => setNodeCollapsed(position, flags[position] !== 1), [setNodeCollapsed, flags])
  const select = useCallback(
    (position: number) => {
      setCursor(position)
      setSelectedHint(position)
      setSelectedId(nodeIdAt(trace, position))
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
          setNodeCollapsed(activePosition, false)
        } else if (trace.parentPosition[rows[index + 1] ?? -1] === activePosition) {
          move(index + 1)
        }
        break
      case 'ArrowLeft': {
        const parent = trace.parentPosition[activePosition] as number
        if (expandable && flags[activePosition] !== 1) {
          setNodeCollapsed(activePosition, true)
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
    totalCount: totalNodeCount(trace),
    rows,
    places,
    searchText,
    setSearchText,
    search,
    isCollapsed: (position) => flags[position] === 1,
    hasChildren: nodeHasChildren,
    toggle,
    collapseAll: () => setCollapsed(parentNodes(trace, loadedCount)),
    expandAll: () => setCollapsed(EMPTY_COLLAPSED),
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

const EMPTY_COLLAPSED: CollapsedNodes = new Map()

/** `position` if it is shown, else its nearest shown ancestor, else the first row (-1 with none). */
function shownPosition(trace: TraceResult, rows: Int32Array, position: number): number {
  for (let candidate = position; candidate >= 0; candidate = trace.parentPosition[candidate] as number) {
    if (rowIndexOf(rows, candidate) >= 0) {
      return candidate
    }
  }
  return rows[0] ?? -1
}
