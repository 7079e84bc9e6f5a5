/**
 * Pure helpers of the trace viewer, over the `trace` result's parallel arrays (pre-order
 * positions): which rows are shown, where each sits among its siblings, search, the time
 * window of the waterfall, and reading one event's details. Every pass is O(nodes) over
 * typed arrays: a 10k-span trace never becomes 10k objects.
 */
import type { TraceResult } from '../../query'
import type { AiscopeEvent } from '../../schema/events'
import { packedStringAt, stringAt, type CodedStrings, type PackedStrings } from '../../query/traceStrings'

/** What a node is, from its event name: its colour in the waterfall and its badge. */
export type TraceNodeKind = 'trace' | 'span' | 'generation' | 'embedding' | 'other'

const KIND_OF_EVENT: Readonly<Record<string, TraceNodeKind>> = {
  $ai_trace: 'trace',
  $ai_span: 'span',
  $ai_generation: 'generation',
  $ai_embedding: 'embedding',
}

/** The kind of a node from its event name. */
export function nodeKindOf(eventName: string | undefined): TraceNodeKind {
  return KIND_OF_EVENT[eventName ?? ''] ?? 'other'
}

/** The parts of a trace result the viewer's tree reads. */
export type TraceShape = Pick<TraceResult, 'nodeCount' | 'nodeIds' | 'names' | 'models' | 'eventNames' | 'depth' | 'parentPosition' | 'subtreeSize'>

/** How many of a trace's nodes the viewer shows: the first `maxSpans` in pre-order (their ancestors come first). */
export function loadedNodeCount(trace: Pick<TraceResult, 'nodeCount'>, maxSpans: number): number {
  return Math.max(0, Math.min(trace.nodeCount, Math.floor(maxSpans)))
}

/** Nodes of the whole trace: the result's `totalNodeCount`, which counts nodes a `maxSpans` query left out. */
export function totalNodeCount(trace: Pick<TraceResult, 'nodeCount' | 'totalNodeCount'>): number {
  return Math.max(trace.nodeCount, trace.totalNodeCount)
}

/** Whether the node at `position` has children among the first `count` nodes. */
export function hasChildren(trace: Pick<TraceResult, 'subtreeSize'>, position: number, count: number): boolean {
  return (trace.subtreeSize[position] as number) > 1 && position + 1 < count
}

/** Each node's place among its siblings (1-based) and its siblings' count, for `aria-posinset` / `aria-setsize`. */
export interface SiblingPlaces {
  posInSet: (position: number) => number
  setSize: (position: number) => number
}

/**
 * Sibling places of the first `count` nodes (roots share one set), worked out for one
 * family at a time when a row first asks: a parent's children are `parent + 1` and then
 * each next one a subtree further, so a family costs one step per child. Opening a trace
 * pays for the families of the rows in view, not for all of its nodes.
 */
export function siblingPlaces(trace: Pick<TraceResult, 'parentPosition' | 'subtreeSize'>, count: number): SiblingPlaces {
  // Children's positions in order, by parent position (-1: the roots).
  const families = new Map<number, Int32Array>()
  const familyOf = (position: number): Int32Array => {
    const parent = trace.parentPosition[position] as number
    let children = families.get(parent)
    if (children === undefined) {
      const first = parent < 0 ? 0 : parent + 1
      const end = parent < 0 ? count : Math.min(count, parent + (trace.subtreeSize[parent] as number))
      const next = (child: number) => child + Math.max(1, trace.subtreeSize[child] as number)
      let size = 0
      for (let child = first; child < end; child = next(child)) {
        size += 1
      }
      children = new Int32Array(size)
      for (let child = first, index = 0; child < end; child = next(child), index += 1) {
        children[index] = child
      }
      families.set(parent, children)
    }
    return children
  }
  const loaded = (position: number) => position >= 0 && position < count
  return {
    posInSet: (position) => (loaded(position) ? rowIndexOf(familyOf(position), position) + 1 : 0),
    setSize: (position) => (loaded(position) ? familyOf(position).length : 0),
  }
}

/** The index of `position` among ascending positions (the rows shown, a family's children), or -1. */
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

/**
 * Positions of the rows shown, in order: every node whose ancestors are all expanded; with a
 * search, the matches and their ancestors instead (collapsing does not hide a match).
 * @param collapsed non-zero at collapsed positions (positions past its end are expanded)
 * @param kept non-zero at the positions a search keeps; `undefined` without a search
 */
export function visibleRows(trace: Pick<TraceResult, 'subtreeSize'>, count: number, collapsed: Uint8Array, kept?: Uint8Array): Int32Array {
  const rows = new Int32Array(count)
  let rowCount = 0
  if (kept !== undefined) {
    for (let position = 0; position < count; position += 1) {
      if (kept[position] !== 0) {
        rows[rowCount++] = position
      }
    }
    return rows.subarray(0, rowCount)
  }
  if (collapsed.length === 0) {
    for (let position = 0; position < count; position += 1) {
      rows[position] = position
    }
    return rows
  }
  let position = 0
  while (position < count) {
    rows[rowCount++] = position
    // A collapsed node's subtree is skipped in one step.
    position += collapsed[position] ? (trace.subtreeSize[position] as number) : 1
  }
  return rows.subarray(0, rowCount)
}

/** What a search within a trace found. */
export interface TraceSearch {
  /** 1 at the positions that match. */
  matches: Uint8Array
  /** 1 at matches and at their ancestors: the rows shown. */
  kept: Uint8Array
  matchCount: number
}

/**
 * The nodes whose name, id, model or event name contains `text` (ignoring case), with their
 * ancestors so each keeps its place in the tree. `undefined` for an empty search.
 * Ids, names, models and event names are tested once per distinct value, all by searching
 * the packed texts, so a keystroke in a 200k-span trace decodes no per-node string.
 */
export function searchTrace(trace: TraceShape, count: number, text: string): TraceSearch | undefined {
  const needle = text.trim().toLowerCase()
  if (needle === '') {
    return undefined
  }
  const idHits = packedContaining(trace.nodeIds.values, trace.nodeIds.values.ends.length, needle)
  const nameHits = packedContaining(trace.names.values, trace.names.values.ends.length, needle)
  const modelHits = packedContaining(trace.models.values, trace.models.values.ends.length, needle)
  const eventNameHits = packedContaining(trace.eventNames.values, trace.eventNames.values.ends.length, needle)
  // Code 0 is "absent"; code c is value c - 1.
  const hit = (hits: Uint8Array, strings: CodedStrings, position: number) => hits[(strings.codes[position] as number) - 1] === 1
  const matches = new Uint8Array(count)
  const kept = new Uint8Array(count)
  let matchCount = 0
  for (let position = 0; position < count; position += 1) {
    if (!hit(idHits, trace.nodeIds, position) && !hit(nameHits, trace.names, position) && !hit(modelHits, trace.models, position) && !hit(eventNameHits, trace.eventNames, position)) {
      continue
    }
    matches[position] = 1
    matchCount += 1
    // Ancestors of a kept node are kept, so the climb stops at the first one already kept.
    let ancestor = position
    while (ancestor >= 0 && kept[ancestor] === 0) {
      kept[ancestor] = 1
      ancestor = trace.parentPosition[ancestor] as number
    }
  }
  return { matches, kept, matchCount }
}

/** The lower-case text of packed strings, made once per result for its searches. */
const lowerCaseTexts = new WeakMap<PackedStrings, string>()

/** 1 at each of the first `count` strings that contains `needle` (lower case), found by searching the packed text. */
function packedContaining(strings: PackedStrings, count: number, needle: string): Uint8Array {
  const hits = new Uint8Array(count)
  let lowered = lowerCaseTexts.get(strings)
  if (lowered === undefined) {
    lowered = strings.text.toLowerCase()
    lowerCaseTexts.set(strings, lowered)
  }
  if (lowered.length !== strings.text.length) {
    // A few characters change length in lower case (`İ`): the ends no longer fit, so test string by string.
    for (let position = 0; position < count; position += 1) {
      hits[position] = packedStringAt(strings, position).toLowerCase().includes(needle) ? 1 : 0
    }
    return hits
  }
  const textEnd = count === 0 ? 0 : (strings.ends[count - 1] as number)
  let position = 0
  let at = lowered.indexOf(needle)
  while (at >= 0 && at + needle.length <= textEnd) {
    // The string holding the match's first character; the match counts if it ends inside that string.
    while ((strings.ends[position] as number) <= at) {
      position += 1
    }
    const end = strings.ends[position] as number
    if (at + needle.length <= end) {
      hits[position] = 1
      at = lowered.indexOf(needle, end)
    } else {
      at = lowered.indexOf(needle, at + 1)
    }
  }
  return hits
}

/**
 * Finds nodes by id. `hint` is where the caller last saw the node: when that position has
 * the id, it is the answer with no search (the default selection, a click, a collapse);
 * otherwise the first position with the id (ids may repeat; children hang under the first),
 * from an index made on the first such lookup.
 */
export interface NodeLookup {
  positionOf: (id: string, hint?: number) => number
}

/** A {@link NodeLookup} over the first `count` nodes. */
export function nodeLookup(trace: Pick<TraceResult, 'nodeIds'>, count: number): NodeLookup {
  let positionsById: Map<string, number> | undefined
  return {
    positionOf(id, hint = -1) {
      if (hint >= 0 && hint < count && nodeIdAt(trace, hint) === id) {
        return hint
      }
      if (positionsById === undefined) {
        positionsById = new Map()
        for (let position = count - 1; position >= 0; position -= 1) {
          positionsById.set(nodeIdAt(trace, position), position)
        }
      }
      return positionsById.get(id) ?? -1
    },
  }
}

/** Collapsed nodes: id → the position it had when collapsed (a hint for {@link NodeLookup}). */
export type CollapsedNodes = ReadonlyMap<string, number>

/** Collapse flags per position from the collapsed nodes; empty when none is collapsed. */
export function collapsedFlags(collapsed: CollapsedNodes, lookup: NodeLookup, count: number): Uint8Array {
  if (collapsed.size === 0) {
    return NO_FLAGS
  }
  const flags = new Uint8Array(count)
  for (const [id, hint] of collapsed) {
    const position = lookup.positionOf(id, hint)
    if (position >= 0) {
      flags[position] = 1
    }
  }
  return flags
}

const NO_FLAGS = new Uint8Array(0)

/** Every node with children: what "collapse all" collapses. */
export function parentNodes(trace: Pick<TraceResult, 'nodeIds' | 'subtreeSize'>, count: number): Map<string, number> {
  const parents = new Map<string, number>()
  for (let position = 0; position < count; position += 1) {
    const id = nodeIdAt(trace, position)
    if (hasChildren(trace, position, count) && !parents.has(id)) {
      parents.set(id, position)
    }
  }
  return parents
}

/** `collapsed` without the ancestors of `position`, so that node is shown; the same map when nothing changes. */
export function revealNode(trace: Pick<TraceResult, 'nodeIds' | 'parentPosition'>, position: number, collapsed: CollapsedNodes): CollapsedNodes {
  if (collapsed.size === 0) {
    return collapsed
  }
  let revealed: Map<string, number> | undefined
  for (let ancestor = trace.parentPosition[position] ?? -1; ancestor >= 0; ancestor = trace.parentPosition[ancestor] as number) {
    const id = nodeIdAt(trace, ancestor)
    if (collapsed.has(id)) {
      revealed ??= new Map(collapsed)
      revealed.delete(id)
    }
  }
  return revealed ?? collapsed
}

/** The id of the node at `position` (`''` past the end). */
export function nodeIdAt(trace: Pick<TraceResult, 'nodeIds'>, position: number): string {
  return stringAt(trace.nodeIds, position) ?? ''
}

/** The name a node is shown by: its span name, else its model, else its id. */
export function nodeLabel(trace: Pick<TraceResult, 'names' | 'models' | 'nodeIds'>, position: number): string {
  return stringAt(trace.names, position) ?? stringAt(trace.models, position) ?? nodeIdAt(trace, position)
}

/** A time window of the waterfall, ms since epoch. */
export interface TimeWindow {
  fromMs: number
  toMs: number
}

/** The whole trace as a window (1 ms wide at least, so positions stay finite). */
export function fullWindow(trace: Pick<TraceResult, 'traceStartMs' | 'traceEndMs'>): TimeWindow {
  const fromMs = Number.isFinite(trace.traceStartMs) ? trace.traceStartMs : 0
  const toMs = Number.isFinite(trace.traceEndMs) ? trace.traceEndMs : fromMs
  return { fromMs, toMs: Math.max(toMs, fromMs + 1) }
}

/**
 * `window` zoomed by `factor` (2: twice as close) around `centerMs`, kept inside `bounds`;
 * never narrower than 1 ms, never wider than the bounds.
 */
export function zoomWindow(window: TimeWindow, bounds: TimeWindow, factor: number, centerMs: number): TimeWindow {
  const boundsWidth = bounds.toMs - bounds.fromMs
  const width = Math.min(boundsWidth, Math.max(1, (window.toMs - window.fromMs) / factor))
  return panWindow({ fromMs: centerMs - width / 2, toMs: centerMs + width / 2 }, bounds)
}

/** `window` moved to lie inside `bounds`, its width kept. */
export function panWindow(window: TimeWindow, bounds: TimeWindow): TimeWindow {
  const width = window.toMs - window.fromMs
  const fromMs = Math.min(Math.max(window.fromMs, bounds.fromMs), bounds.toMs - width)
  return { fromMs, toMs: fromMs + width }
}

/** Where a span of time lies in a window, as percentages of its width (clipped to 0–100). */
export function barGeometry(startMs: number, endMs: number, window: TimeWindow): { leftPercent: number; widthPercent: number; clipped: boolean } {
  const width = window.toMs - window.fromMs
  const left = ((startMs - window.fromMs) / width) * 100
  const right = ((Math.max(endMs, startMs) - window.fromMs) / width) * 100
  const clippedLeft = Math.min(100, Math.max(0, left))
  const clippedRight = Math.min(100, Math.max(0, right))
  return { leftPercent: clippedLeft, widthPercent: clippedRight - clippedLeft, clipped: left < 0 || right > 100 }
}

/** `count + 1` evenly spaced times of a window, as offsets from `originMs` (the trace start). */
export function axisTicks(window: TimeWindow, originMs: number, count = 4): { percent: number; offsetMs: number }[] {
  return Array.from({ length: count + 1 }, (_, index) => ({
    percent: (index / count) * 100,
    offsetMs: window.fromMs + ((window.toMs - window.fromMs) * index) / count - originMs,
  }))
}

// ---------------------------------------------------------------- one event's details

/** The node id an event has in the tree: `$ai_generation_id`, else `$ai_span_id`, else its uuid. */
export function eventNodeId(event: AiscopeEvent): string {
  const { $ai_generation_id: generationId, $ai_span_id: spanId } = event.properties
  return text(generationId) ?? text(spanId) ?? event.uuid
}

/** The events of a node, its evaluations and its interactions, among a trace's events. */
export interface NodeEvents {
  /** The node's own event; `undefined` until loaded, or when the store no longer has it. */
  event: AiscopeEvent | undefined
  /** `$ai_evaluation` events that judged this node. */
  evaluations: AiscopeEvent[]
  /** `$ai_interaction` events about this node's output. */
  interactions: AiscopeEvent[]
}

/**
 * Picks a node's event (by node id, then event name and start time among repeated ids), the
 * evaluations that target it (`$ai_target_event_id` / `$ai_target_id` naming its uuid or id)
 * and the interactions about it (`$ai_generation_id`).
 */
export function nodeEvents(events: readonly AiscopeEvent[], nodeId: string, eventName: string, startMs: number): NodeEvents {
  const own = events.filter((event) => event.event === eventName && eventNodeId(event) === nodeId)
  const event = own.find((candidate) => Date.parse(candidate.timestamp) === startMs) ?? own[0]
  const targets = new Set([nodeId, event?.uuid].filter((value): value is string => value !== undefined))
  const evaluations = events.filter(
    (candidate) =>
      candidate.event === '$ai_evaluation' &&
      (targets.has(text(candidate.properties.$ai_target_event_id) ?? '') || targets.has(text(candidate.properties.$ai_target_id) ?? '')),
  )
  const interactions = events.filter((candidate) => candidate.event === '$ai_interaction' && targets.has(text(candidate.properties.$ai_generation_id) ?? ''))
  return { event, evaluations, interactions }
}

/** An evaluation's result as text: a score, true / false, or categories. */
export function evaluationResult(event: AiscopeEvent): string {
  const { $ai_evaluation_numeric_result: score, $ai_evaluation_result: result, $ai_evaluation_categorical_result: categories } = event.properties
  if (typeof score === 'number') {
    return String(score)
  }
  if (typeof result === 'boolean') {
    return result ? 'true' : 'false'
  }
  if (Array.isArray(categories)) {
    return categories.map(String).join(', ')
  }
  return typeof categories === 'string' ? categories : 'no result'
}

/** Token counts of a call by kind, `null` where the call did not report one. */
export interface TokensByKind {
  input: number | null
  output: number | null
  cacheRead: number | null
  cacheWrite: number | null
  reasoning: number | null
}

/** The token counts an event reports. */
export function tokensByKind(properties: Record<string, unknown>): TokensByKind {
  return {
    input: count(properties.$ai_input_tokens),
    output: count(properties.$ai_output_tokens),
    cacheRead: count(properties.$ai_cache_read_input_tokens),
    cacheWrite: count(properties.$ai_cache_creation_input_tokens),
    reasoning: count(properties.$ai_reasoning_tokens),
  }
}

/**
 * The model parameters of a call as name/value text pairs: `$ai_model_parameters`, plus
 * `$ai_temperature`, `$ai_max_tokens` and `$ai_stream` when sent on their own.
 */
export function modelParameters(properties: Record<string, unknown>): [string, string][] {
  const parameters = new Map<string, string>()
  const given = properties.$ai_model_parameters
  if (given !== null && typeof given === 'object' && !Array.isArray(given)) {
    for (const [name, value] of Object.entries(given as Record<string, unknown>)) {
      parameters.set(name, valueText(value))
    }
  }
  for (const [property, name] of [
    ['$ai_temperature', 'temperature'],
    ['$ai_max_tokens', 'max_tokens'],
    ['$ai_stream', 'stream'],
  ] as const) {
    if (properties[property] !== undefined && !parameters.has(name)) {
      parameters.set(name, valueText(properties[property]))
    }
  }
  return [...parameters]
}

/**
 * A call's error as one line, as the provider wrote it: the error's message (or text), else
 * the normalised message (digits masked, meant for grouping).
 */
export function errorText(properties: Record<string, unknown>): string | null {
  const error = properties.$ai_error
  if (typeof error === 'string' && error !== '') {
    return error
  }
  if (error !== null && typeof error === 'object') {
    const message = (error as Record<string, unknown>).message
    return typeof message === 'string' ? message : valueText(error)
  }
  return text(properties.$ai_error_normalized) ?? (properties.$ai_is_error === true ? 'Failed (no error message was recorded)' : null)
}

/** Any value as short text: strings as they are, everything else as JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') {
    return value
  }
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** JSON text indented for reading; text that is not JSON comes back as it is. */
export function prettyJson(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2)
  } catch {
    return json
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}
