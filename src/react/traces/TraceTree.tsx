'use client'
import { memo, useEffect, useId, useRef, type ComponentProps, type CSSProperties } from 'react'
import type { TraceResult } from '../../query'
import { joinClassNames } from '../controls/controls.utils'
import { formatMs, formatNumber, formatUsd } from '../format'
import { axisTicks, barGeometry, nodeKindOf, nodeLabel, rowIndexOf, type TimeWindow } from './traceViewer.utils'
import { useRowWindow } from './useRowWindow'
import type { TraceViewerState } from './useTraceViewer'
import { stringAt } from '../../query/traceStrings'

const KIND_BADGES = { trace: 'Trace', span: 'Span', generation: 'LLM', embedding: 'Embed', other: 'Event' } as const

/** Indentation stops growing past this depth (a mark shows the level), so a 1,000-level chain stays readable. */
const MAX_INDENTED_DEPTH = 16

/** Indentation per level, px. */
const INDENT_PX = 12

/** Height of the time axis above the rows, px. */
const AXIS_HEIGHT = 24

/** Rows kept in the DOM beyond each edge of the view: the keyboard cursor's next steps. */
const OVERSCAN_ROWS = 1

const COLUMNS = 'var(--aiscope-trace-columns, minmax(0, 3fr) minmax(0, 2fr))'

/** Props of {@link TraceTree}. */
export interface TraceTreeProps extends Omit<ComponentProps<'div'>, 'children'> {
  trace: TraceResult
  /** The viewer's state (`useTraceViewer`). */
  viewer: TraceViewerState
  /** The tree's accessible name. */
  label: string
  /** Height of the scrolling area, px. @default 480 */
  height?: number
  /** Height of a row, px. @default 28 */
  rowHeight?: number
}

/**
 * The spans of a trace as a tree beside a waterfall: one scrolling `<div>` holding the time
 * axis and a `role="tree"` element whose rows (`treeitem`, with level, place among siblings,
 * expanded and selected states) render only while in view. Each row carries its waterfall
 * bar, placed by start and duration in the viewer's time window, coloured by `data-kind` and
 * `data-status`, with a mark at the time to first token of streamed calls. The tree holds the
 * focus and points at the keyboard cursor with `aria-activedescendant`.
 */
export function TraceTree({ trace, viewer, label, height = 480, rowHeight = 28, className, style, ...props }: TraceTreeProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const baseId = useId()
  const { rows, activePosition } = viewer
  // A short trace takes the room its rows need, not the whole height.
  const viewHeight = Math.min(height, AXIS_HEIGHT + rows.length * rowHeight + 2)
  const { startIndex, endIndex, scrollToIndex } = useRowWindow({
    scrollRef,
    rowCount: rows.length,
    rowHeight,
    viewHeight,
    headerHeight: AXIS_HEIGHT,
    overscan: OVERSCAN_ROWS,
  })
  const activeIndex = rowIndexOf(rows, activePosition)
  useEffect(() => {
    scrollToIndex(activeIndex)
  }, [activeIndex, scrollToIndex])

  const rowId = (position: number) => `${baseId}-node-${position}`
  const { window } = viewer
  // Rows are keyed by their slot in the window, not by node: a scroll gives the same DOM
  // rows new content (text and a few attributes) rather than building new ones.
  const slots = []
  for (let index = startIndex; index < endIndex; index += 1) {
    const position = rows[index] as number
    slots.push(
      <TreeRow
        key={index - startIndex}
        id={rowId(position)}
        trace={trace}
        position={position}
        height={rowHeight}
        window={window}
        setSize={viewer.places.setSize(position)}
        posInSet={viewer.places.posInSet(position)}
        expandable={viewer.hasChildren(position)}
        collapsed={viewer.isCollapsed(position)}
        selected={position === viewer.selectedPosition}
        active={position === activePosition}
        match={viewer.search?.matches[position] === 1}
        onSelect={viewer.select}
        onToggle={viewer.toggle}
      />,
    )
  }
  return (
    <div
      ref={scrollRef}
      className={joinClassNames('aiscope-TraceTree', className)}
      style={{ height: viewHeight, overflow: 'auto', position: 'relative', ...style }}
      {...props}
    >
      <TimeAxis window={window} originMs={trace.traceStartMs} />
      <div
        role="tree"
        aria-label={label}
        tabIndex={0}
        // Only a row in the DOM can be pointed at; the cursor's row is scrolled into view just after it moves.
        aria-activedescendant={activeIndex >= startIndex && activeIndex < endIndex ? rowId(activePosition) : undefined}
        className="aiscope-TreeRows"
        onKeyDown={viewer.onKeyDown}
        style={{ position: 'relative', height: rows.length * rowHeight }}
      >
        {/* One offset for the rows in view, which follow each other in the flow. */}
        <div style={{ transform: `translateY(${startIndex * rowHeight}px)` }}>{slots}</div>
      </div>
    </div>
  )
}
TraceTree.displayName = 'TraceViewer.Tree'

/** The time axis; memoised, as the tree re-renders on every scroll that brings new rows. */
const TimeAxis = memo(function TimeAxis({ window, originMs }: { window: TimeWindow; originMs: number }) {
  return (
    <div
      className="aiscope-TimeAxis"
      aria-hidden="true"
      style={{
        position: 'sticky',
        top: 0,
        zIndex: 1,
        height: AXIS_HEIGHT,
        display: 'grid',
        gridTemplateColumns: 'var(--aiscope-trace-columns, minmax(0, 3fr) minmax(0, 2fr))',
      }}
    >
      <span className="aiscope-TimeAxisLabel">Span</span>
      <span style={{ position: 'relative' }}>
        {axisTicks(window, originMs).map((tick, index, ticks) => (
          <span
            key={index}
            data-tick={index}
            className="aiscope-TimeTick"
            style={{
              position: 'absolute',
              left: `${tick.percent}%`,
              // The last label ends at the edge instead of starting there.
              transform: index === ticks.length - 1 ? 'translateX(-100%)' : index === 0 ? undefined : 'translateX(-50%)',
            }}
          >
            {axisLabel(tick.offsetMs)}
          </span>
        ))}
      </span>
    </div>
  )
})

/** A time offset short enough for the axis: `250 ms`, `12.5 s`, `7.5 min`. */
function axisLabel(offsetMs: number): string {
  const size = Math.abs(offsetMs)
  if (size < 1000) {
    return `${Math.round(offsetMs)} ms`
  }
  if (size < 60_000) {
    return `${formatNumber(offsetMs / 1000)} s`
  }
  return `${formatNumber(offsetMs / 60_000)} min`
}

interface TreeRowProps {
  id: string
  trace: TraceResult
  position: number
  height: number
  window: TimeWindow
  setSize: number
  posInSet: number
  expandable: boolean
  collapsed: boolean
  selected: boolean
  active: boolean
  match: boolean
  onSelect: (position: number) => void
  onToggle: (position: number) => void
}

/**
 * A row's own box. Each row is sized by its style alone, so `contain: strict` lets the
 * browser lay out and paint a row whose content changed without touching the rest of the
 * panel (a scroll changes every row's content).
 */
const ROW_STYLE: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: COLUMNS,
  alignItems: 'center',
  contain: 'strict',
}
const WATERFALL_STYLE: CSSProperties = { position: 'relative', height: '100%' }

/** One row; memoised, as the tree re-renders when the cursor, the selection or the view's rows change. */
const TreeRow = memo(function TreeRow({
  id,
  trace,
  position,
  height,
  window,
  setSize,
  posInSet,
  expandable,
  collapsed,
  selected,
  active,
  match,
  onSelect,
  onToggle,
}: TreeRowProps) {
  const kind = nodeKindOf(stringAt(trace.eventNames, position) ?? undefined)
  const depth = trace.depth[position] as number
  const isError = trace.isError[position] === 1
  const startMs = trace.startMs[position] as number
  const endMs = trace.endMs[position] as number
  const bar = barGeometry(startMs, endMs, window)
  const ttftS = trace.ttftS[position] as number
  const ttft = Number.isFinite(ttftS) ? barGeometry(startMs, startMs + ttftS * 1000, window) : undefined
  const cost = kind === 'generation' || kind === 'embedding' ? trace.ownCostUsd[position] : trace.rolledCostUsd[position]
  return (
    <div
      id={id}
      role="treeitem"
      aria-level={depth + 1}
      aria-setsize={setSize}
      aria-posinset={posInSet}
      aria-expanded={expandable ? !collapsed : undefined}
      aria-selected={selected}
      data-kind={kind}
      data-status={isError ? 'error' : 'ok'}
      data-state={selected ? 'selected' : 'idle'}
      data-active={active ? 'true' : undefined}
      data-match={match ? 'true' : undefined}
      className="aiscope-TreeRow"
      onClick={() => onSelect(position)}
      style={{ ...ROW_STYLE, height }}
    >
      <span className="aiscope-TreeCell" style={{ paddingInlineStart: Math.min(depth, MAX_INDENTED_DEPTH) * INDENT_PX, whiteSpace: 'nowrap', overflow: 'hidden' }}>
        {depth > MAX_INDENTED_DEPTH ? (
          <span className="aiscope-DepthMark" aria-hidden="true" title={`Level ${depth + 1}`}>
            {depth + 1}
          </span>
        ) : null}
        <span
          className="aiscope-TreeToggle"
          aria-hidden="true"
          data-state={expandable ? (collapsed ? 'closed' : 'open') : 'leaf'}
          onClick={(event) => {
            if (expandable) {
              event.stopPropagation()
              onToggle(position)
            }
          }}
        >
          {expandable ? (collapsed ? '▸' : '▾') : ' '}
        </span>{' '}
        <span className="aiscope-KindBadge" data-kind={kind}>
          {KIND_BADGES[kind]}
        </span>{' '}
        <span className="aiscope-NodeName">{nodeLabel(trace, position)}</span>
        {isError ? <span className="aiscope-ErrorBadge"> error</span> : null}
        <span className="aiscope-NodeMetric">{` ${formatMs(endMs - startMs)}`}</span>
        {Number.isFinite(cost) ? <span className="aiscope-NodeMetric">{` ${formatUsd(cost)}`}</span> : null}
      </span>
      <span className="aiscope-Waterfall" aria-hidden="true" style={WATERFALL_STYLE}>
        <span
          className="aiscope-WaterfallBar"
          data-kind={kind}
          data-status={isError ? 'error' : 'ok'}
          data-clipped={bar.clipped ? 'true' : undefined}
          style={{
            position: 'absolute',
            top: '30%',
            height: '40%',
            left: `${bar.leftPercent}%`,
            width: `${bar.widthPercent}%`,
            minWidth: 2,
            background: 'var(--aiscope-bar-color, #8b8d98)',
          }}
        />
        {ttft && ttft.widthPercent > 0 ? (
          <span
            className="aiscope-TtftMark"
            title="Time to first token"
            style={{ position: 'absolute', top: '15%', height: '70%', width: 2, left: `${ttft.leftPercent + ttft.widthPercent}%`, background: 'currentColor' }}
          />
        ) : null}
      </span>
    </div>
  )
})
