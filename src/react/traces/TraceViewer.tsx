'use client'
import { memo, useEffect, useId, useMemo, useState, type ComponentProps, type ReactNode } from 'react'
import type { TraceEventsSpec, TraceResult } from '../../query'
import type { PriceOverride } from '../../pricing'
import { joinClassNames } from '../controls/controls.utils'
import { formatCount, formatMs, formatUsd } from '../format'
import { PanelFrame } from '../panel'
import { useQuery } from '../provider'
import { SpanDetail, type NodeContent } from './SpanDetail'
import { TraceTree } from './TraceTree'
import { nodeEvents, nodeIdAt, totalNodeCount } from './traceViewer.utils'
import { DEFAULT_MAX_SPANS, useTraceViewer, type TraceViewerState, type TraceViewerStateOptions } from './useTraceViewer'
import { stringAt } from '../../query/traceStrings'

/**
 * Traces with at most this many events are read whole once (content included), so moving
 * between spans costs no query and evaluations can be matched to their generation; larger
 * ones read the selected span's events only.
 */
export const WHOLE_TRACE_EVENT_LIMIT = 2_000

/** Props of {@link TraceViewer}. */
export interface TraceViewerProps extends Omit<ComponentProps<'section'>, 'title'>, TraceViewerStateOptions {
  /** The trace to show (`$ai_trace_id`). */
  traceId: string
  /** The panel's heading. @default the trace's name */
  title?: ReactNode
  /** A line under the title. */
  description?: ReactNode
  /** Height of the tree and waterfall, px. @default 480 */
  height?: number
  /** The client's price overrides, so the detail can say which rule priced a call. @default [] */
  priceOverrides?: readonly PriceOverride[]
}

/**
 * One trace: its spans as a tree (virtualised; arrows move, Left / Right collapse and
 * expand, Enter selects; search; collapse all) beside a zoomable waterfall aligned to it,
 * and the selected span's detail: its inputs and outputs as a chat transcript, the raw
 * event, model, parameters, tokens, cost and its source, latency, time to first token,
 * status, prompt, evaluations and user interactions. The selection is controllable
 * (`selectedSpanId` / `onSelectedSpanIdChange`), so a host can keep it in its URL.
 */
export function TraceViewer({
  traceId,
  title,
  description,
  height,
  priceOverrides,
  selectedSpanId,
  defaultSelectedSpanId,
  onSelectedSpanIdChange,
  maxSpans,
  ...props
}: TraceViewerProps) {
  // The cap is part of the query, so an engine reads no more than the viewer shows.
  const result = useQuery({ kind: 'trace', traceId, maxSpans: maxSpans ?? DEFAULT_MAX_SPANS })
  // While another trace's answer is still showing, this one is loading.
  const trace = result.data?.traceId === traceId ? result.data : undefined
  const state = result.state === 'error' ? 'error' : trace === undefined ? 'loading' : trace.found ? 'ready' : 'empty'
  return (
    <PanelFrame
      title={title ?? (trace?.name ? `Trace: ${trace.name}` : 'Trace')}
      description={description}
      progress={result.progress}
      state={state}
      error={result.error}
      emptyMessage={`No stored event has the trace id “${traceId}”.`}
      loadingMessage="Loading the trace…"
      data-fetching={result.isFetching ? 'true' : 'false'}
      {...props}
    >
      {trace?.found ? (
        <TraceViewerBody
          // A new trace starts with fresh tree state: nothing collapsed, no search, no zoom.
          key={traceId}
          trace={trace}
          height={height}
          priceOverrides={priceOverrides}
          stateOptions={{
            ...(selectedSpanId === undefined ? {} : { selectedSpanId }),
            ...(defaultSelectedSpanId === undefined ? {} : { defaultSelectedSpanId }),
            ...(onSelectedSpanIdChange === undefined ? {} : { onSelectedSpanIdChange }),
            ...(maxSpans === undefined ? {} : { maxSpans }),
          }}
        />
      ) : null}
    </PanelFrame>
  )
}

function TraceViewerBody({
  trace,
  height,
  priceOverrides,
  stateOptions,
}: {
  trace: TraceResult
  height: number | undefined
  priceOverrides: readonly PriceOverride[] | undefined
  stateOptions: TraceViewerStateOptions
}) {
  const viewer = useTraceViewer(trace, stateOptions)
  const name = trace.name ?? trace.traceId
  return (
    <div className="aiscope-TraceViewer">
      <TraceToolbar viewer={viewer} />
      <TraceSummary trace={trace} viewer={viewer} />
      <div className="aiscope-TraceLayout">
        <TraceTree trace={trace} viewer={viewer} label={`Spans of ${name}`} {...(height === undefined ? {} : { height })} />
        <SelectedSpanDetail trace={trace} position={viewer.selectedPosition} priceOverrides={priceOverrides} />
      </div>
    </div>
  )
}

/**
 * The selected node's detail, with its content query: a component of its own, so the
 * query's state changes (fetching, then the answer) re-render the detail, not the tree;
 * memoised, so moving the keyboard cursor does not re-render the detail.
 */
const SelectedSpanDetail = memo(function SelectedSpanDetail({
  trace,
  position,
  priceOverrides,
}: {
  trace: TraceResult
  position: number
  priceOverrides: readonly PriceOverride[] | undefined
}) {
  // The content is asked for at once; the detail showing it renders after the tree's first frame.
  const content = useNodeContent(trace, position)
  const shown = useAfterFirstFrame()
  if (!shown) {
    return null
  }
  return position >= 0 ? (
    <SpanDetail trace={trace} position={position} content={content} {...(priceOverrides ? { priceOverrides } : {})} />
  ) : (
    <p className="aiscope-DetailNote">Select a span to see its inputs, outputs and figures.</p>
  )
})

/**
 * False until the first frame after mount has been painted, then true. A trace's first frame
 * is for the tree's rows; the detail beside them (its content still on its way from the
 * engine) is React and layout work on cold code that would delay it, so it renders just after
 * that frame. The grid lays out its column either way, so nothing moves when it arrives.
 */
function useAfterFirstFrame(): boolean {
  const [painted, setPainted] = useState(false)
  useEffect(() => {
    // A task posted from an animation frame callback runs once that frame has been painted;
    // a state change made in the callback itself could join a render already queued before it.
    const channel = new MessageChannel()
    channel.port1.onmessage = () => setPainted(true)
    const frame = requestAnimationFrame(() => channel.port2.postMessage(null))
    return () => {
      cancelAnimationFrame(frame)
      channel.port1.close()
    }
  }, [])
  return painted
}

/** Props of {@link TraceToolbar}. */
export interface TraceToolbarProps extends ComponentProps<'div'> {
  viewer: TraceViewerState
}

/** Search, collapse and expand all, and the waterfall's zoom: one `<div>` of controls. */
export function TraceToolbar({ viewer, className, ...props }: TraceToolbarProps) {
  const searchId = useId()
  const windowWidth = viewer.window.toMs - viewer.window.fromMs
  const zoomed = windowWidth < viewer.bounds.toMs - viewer.bounds.fromMs
  return (
    <div className={joinClassNames('aiscope-TraceToolbar', className)} {...props}>
      <label className="aiscope-FilterField" htmlFor={searchId}>
        <span className="aiscope-FilterLabel">Search spans</span>
        <input
          id={searchId}
          type="search"
          className="aiscope-Input"
          value={viewer.searchText}
          onChange={(event) => viewer.setSearchText(event.target.value)}
        />
      </label>
      <span role="status" className="aiscope-SearchCount">
        {viewer.search ? `${formatCount(viewer.search.matchCount)} ${viewer.search.matchCount === 1 ? 'match' : 'matches'}` : ''}
      </span>
      <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={viewer.collapseAll}>
        Collapse all
      </button>
      <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={viewer.expandAll}>
        Expand all
      </button>
      <span role="group" aria-label="Timeline zoom" className="aiscope-ZoomControls">
        <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={viewer.zoomOut} disabled={!zoomed}>
          Zoom out
        </button>
        <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={viewer.zoomIn} disabled={windowWidth <= 1}>
          Zoom in
        </button>
        <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={viewer.resetZoom} disabled={!zoomed}>
          Whole trace
        </button>
      </span>
      {zoomed ? (
        <label className="aiscope-FilterField">
          <span className="aiscope-FilterLabel">Timeline position</span>
          <input
            type="range"
            min={viewer.bounds.fromMs}
            max={viewer.bounds.toMs - windowWidth}
            step="any"
            value={viewer.window.fromMs}
            aria-valuetext={`from ${formatMs(viewer.window.fromMs - viewer.bounds.fromMs)} to ${formatMs(viewer.window.toMs - viewer.bounds.fromMs)}`}
            onChange={(event) => viewer.panTo(Number(event.target.value))}
          />
        </label>
      ) : null}
    </div>
  )
}
TraceToolbar.displayName = 'TraceViewer.Toolbar'

/** Props of {@link TraceSummary}. */
export interface TraceSummaryProps extends ComponentProps<'div'> {
  trace: TraceResult
  viewer: Pick<TraceViewerState, 'loadedCount' | 'totalCount'>
}

/**
 * The trace's totals, and everything the tree does not show as it came: spans beyond the
 * limit ("N of M spans loaded"), orphans, broken cycles, events that are not spans. One `<div>`.
 */
export function TraceSummary({ trace, viewer, className, ...props }: TraceSummaryProps) {
  const totals = trace.totals
  const truncated = viewer.loadedCount < viewer.totalCount
  return (
    <div className={joinClassNames('aiscope-TraceSummary', className)} data-truncated={truncated ? 'true' : 'false'} {...props}>
      <p className="aiscope-TraceTotals">
        {formatCount(viewer.totalCount)} {viewer.totalCount === 1 ? 'span' : 'spans'} · {formatMs(trace.traceEndMs - trace.traceStartMs)} ·{' '}
        {formatUsd(totals.costUsd)}
        {totals.unpricedCount > 0 ? ` (+${formatCount(totals.unpricedCount)} unpriced)` : ''} · {formatCount(totals.errorCount)}{' '}
        {totals.errorCount === 1 ? 'error' : 'errors'}
      </p>
      {truncated ? (
        <p role="status" className="aiscope-TraceNotice" data-notice="truncated">
          {formatCount(viewer.loadedCount)} of {formatCount(viewer.totalCount)} spans loaded: the first in tree order are shown.
        </p>
      ) : null}
      {trace.orphanCount > 0 ? (
        <p className="aiscope-TraceNotice" data-notice="orphans">
          {formatCount(trace.orphanCount)} {trace.orphanCount === 1 ? 'span names a parent' : 'spans name a parent'} this trace does not have; shown at the top
          level.
        </p>
      ) : null}
      {trace.brokenCycleCount > 0 ? (
        <p className="aiscope-TraceNotice" data-notice="cycles">
          {formatCount(trace.brokenCycleCount)} parent {trace.brokenCycleCount === 1 ? 'link' : 'links'} formed a cycle and{' '}
          {trace.brokenCycleCount === 1 ? 'was' : 'were'} cut.
        </p>
      ) : null}
      {trace.excludedCount > 0 ? (
        <p className="aiscope-TraceNotice" data-notice="excluded">
          {formatCount(trace.excludedCount)} {trace.excludedCount === 1 ? 'event is' : 'events are'} not spans (evaluations, interactions, metrics,
          feedback): see them with the span they concern.
        </p>
      ) : null}
    </div>
  )
}
TraceSummary.displayName = 'TraceViewer.Summary'

/** The selected node's events: from the whole trace read once when it is small, else the node's own. */
function useNodeContent(trace: TraceResult, position: number): NodeContent {
  const eventCount = totalNodeCount(trace) + trace.excludedCount
  const whole = eventCount <= WHOLE_TRACE_EVENT_LIMIT
  const nodeId = position >= 0 ? nodeIdAt(trace, position) : undefined
  const spec: TraceEventsSpec = whole
    ? { kind: 'traceEvents', traceId: trace.traceId }
    : { kind: 'traceEvents', traceId: trace.traceId, nodeIds: nodeId === undefined ? [] : [nodeId] }
  const result = useQuery(spec)
  return useMemo((): NodeContent => {
    if (result.state === 'error') {
      return { state: 'error', error: result.error ?? new Error('The content could not be read.') }
    }
    if (result.data === undefined || nodeId === undefined) {
      return { state: 'loading' }
    }
    const events = nodeEvents(result.data.events, nodeId, stringAt(trace.eventNames, position) ?? '', trace.startMs[position] as number)
    // An answer for the previous node is still showing while this node's is read.
    if (events.event === undefined && result.isFetching) {
      return { state: 'loading' }
    }
    return {
      state: 'ready',
      events,
      ...(whole
        ? {}
        : {
            evaluationsNote: `Evaluations are matched in traces of up to ${formatCount(WHOLE_TRACE_EVENT_LIMIT)} events; this one has ${formatCount(eventCount)}.`,
          }),
    }
  }, [result, nodeId, position, trace, whole, eventCount])
}
