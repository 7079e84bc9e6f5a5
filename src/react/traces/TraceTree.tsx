'use client'
import { memo, useEffect, useId, useRef, type ComponentProps } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import type { TraceResult } from '../../query'
import { joinClassNames } from '../controls/controls.utils'
import { formatMs, formatNumber, formatUsd } from '../format'
import { axisTicks, barGeometry, nodeKindOf, nodeLabel, type TimeWindow } from './traceViewer.utils'
import { rowIndexOf, type TraceViewerState } from './useTraceViewer'
import { observeRectOrFallback } from './virtual.utils'
import { stringAt } from '../../query/traceStrings'

const KIND_BADGES = { trace: 'Trace', span: 'Span', generation: 'LLM', embedding: 'Embed', other: 'Event' } as const

/** Indentation stops growing past this depth (a mark shows the level), so a 1,000-level chain stays readable. */
const MAX_INDENTED_DEPTH = 16

/** Indentation per level, px. */
const INDENT_PX = 12

/** Height of the time axis above the rows, px. */
const AXIS_HEIGHT = 24

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
  // The React Compiler leaves this component unoptimised because of the virtualiser; it is written to need no compiler memoisation.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index] ?? index,
    overscan: 16,
    scrollMargin: AXIS_HEIGHT,
    observeElementRect: observeRectOrFallback(viewHeight),
  })
  const activeIndex = rowIndexOf(rows, activePosition)
  useEffect(() => {
    if (activeIndex >= 0) {
      virtualizer.scrollToIndex(activeIndex, { align: 'auto' })
    }
  }, [activeIndex, virtualizer])

  const rowId = (position: number) => `${baseId}-node-${position}`
  const { window } = viewer
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
        aria-activedescendant={activePosition >= 0 && activeIndex >= 0 ? rowId(activePosition) : undefined}
        className="aiscope-TreeRows"
        onKeyDown={viewer.onKeyDown}
        style={{ position: 'relative', height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const position = rows[item.index] as number
          return (
            <TreeRow
              key={position}
              id={rowId(position)}
              trace={trace}
              position={position}
              top={item.start - AXIS_HEIGHT}
              height={rowHeight}
              window={window}
              setSize={viewer.places.setSize[position] as number}
              posInSet={viewer.places.posInSet[position] as number}
              expandable={viewer.hasChildren(position)}
              collapsed={viewer.isCollapsed(position)}
              selected={position === viewer.selectedPosition}
              active={position === activePosition}
              match={viewer.search?.matches[position] === 1}
              onSelect={viewer.select}
              onToggle={viewer.toggle}
            />
          )
        })}
      </div>
    </div>
  )
}
TraceTree.displayName = 'TraceViewer.Tree'

function TimeAxis({ window, originMs }: { window: TimeWindow; originMs: number }) {
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
}

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
  top: number
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

/** One row; memoised, as scrolling re-renders the list with mostly the same rows. */
const TreeRow = memo(function TreeRow({
  id,
  trace,
  position,
  top,
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
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        width: '100%',
        height,
        transform: `translateY(${top}px)`,
        display: 'grid',
        gridTemplateColumns: 'var(--aiscope-trace-columns, minmax(0, 3fr) minmax(0, 2fr))',
        alignItems: 'center',
      }}
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
        <span className="aiscope-NodeMetric"> {formatMs(endMs - startMs)}</span>
        {Number.isFinite(cost) ? <span className="aiscope-NodeMetric"> {formatUsd(cost)}</span> : null}
      </span>
      <span className="aiscope-Waterfall" aria-hidden="true" style={{ position: 'relative', height: '100%' }}>
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
