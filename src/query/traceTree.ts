/**
 * The trace tree: PostHog's linking model (`posthog.md` §1.2) built over parallel columns,
 * iteratively (no recursion, so a 200k-deep chain is fine), in O(N): node ids as integer
 * codes looked up in an array, a radix sort of start times, counting sorts and stack walks
 * over typed arrays.
 *
 * - Node id = `$ai_generation_id ?? $ai_span_id ?? uuid` (resolved and coded by the caller);
 *   parent = `$ai_parent_id ?? $ai_trace_id`. Events of kind 4 (metric, feedback, evaluation,
 *   interaction) are left out and counted.
 * - The first `$ai_trace` event (kind 0) is THE root: every node whose parent id is absent or
 *   equals the trace id hangs under it, whatever its own parent id says. Without one (a
 *   "pseudo-trace") those nodes are roots themselves. A later kind-0 event is an ordinary node.
 * - A parent id equal to the trace id always means the trace, even if a span happens to carry
 *   the trace id as its own id.
 * - Duplicate node ids: each event stays its own node; children attach to the first.
 * - A parent id that names no node of the trace (or names a kind-4 event) makes an orphan:
 *   a root, flagged.
 * - Cycles (a self-parent, a→b→a…): in each cycle, the member with the earliest start (ties:
 *   lowest input index) loses its parent link and becomes a root, flagged. The earliest-started
 *   member is the likeliest real ancestor, and the choice does not depend on input order.
 * - Roll-ups follow PostHog's `aggregateSpanMetrics`: a node's own cost / tokens when present,
 *   otherwise the sum of its children's rolled figures. Unknown costs are never read as 0:
 *   known ones are summed and `subtreeUnknownCostCount` says how many generations and
 *   embeddings lack one. Latency differs on purpose: without an own latency, a node's rolled
 *   latency is the wall-clock span of its children (latest end − earliest start), because
 *   sibling tool calls often run in parallel and their sum would overstate the time taken.
 */

import type { AiEventName } from '../schema/events'
import type {
  TraceEventKind,
  TraceTree,
  TraceTreeInput,
  TraceTreeLinkInput,
  TraceTreeOwnFigures,
  TraceTreeSearchResult,
  TraceTreeShape,
} from './traceTree.types'

export type {
  TraceEventKind,
  TraceTree,
  TraceTreeInput,
  TraceTreeLinkInput,
  TraceTreeOwnFigures,
  TraceTreeSearchResult,
  TraceTreeShape,
} from './traceTree.types'

/** The values of {@link TraceEventKind} by name. */
export const TRACE_EVENT_KIND = {
  trace: 0,
  span: 1,
  generation: 2,
  embedding: 3,
  other: 4,
} as const satisfies Record<string, TraceEventKind>

/** Deepest depth {@link TraceTree.depth} can hold; deeper nodes report this. */
export const MAX_TRACE_TREE_DEPTH = 65_535

/**
 * The {@link TraceEventKind} of a `$ai_*` event. Events that are not `$ai_*` (interactions,
 * exceptions, page views) are {@link TRACE_EVENT_KIND}`.other` too.
 */
export function traceEventKindOf(eventName: AiEventName): TraceEventKind {
  switch (eventName) {
    case '$ai_trace':
      return TRACE_EVENT_KIND.trace
    case '$ai_span':
      return TRACE_EVENT_KIND.span
    case '$ai_generation':
      return TRACE_EVENT_KIND.generation
    case '$ai_embedding':
      return TRACE_EVENT_KIND.embedding
    case '$ai_metric':
    case '$ai_feedback':
    case '$ai_evaluation':
      return TRACE_EVENT_KIND.other
    default:
      return eventName satisfies never
  }
}

/**
 * Throws when a column is shorter than `count`, or `count` is not a count: a caller bug that
 * would otherwise read `undefined`.
 */
function assertColumnLengths(caller: string, count: number, columns: readonly (readonly [name: string, column: ArrayLike<unknown>])[]): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`${caller}: count must be a non-negative integer, got ${count}`)
  }
  for (const [name, column] of columns) {
    if (column.length < count) {
      throw new RangeError(`${caller}: column ${name} has ${column.length} entries, count is ${count}`)
    }
  }
}

/** Start time as a sort key: `NaN` sorts last, and -0 equals 0. */
function startSortKey(startMs: number): number {
  return startMs === startMs ? startMs + 0 : Number.POSITIVE_INFINITY
}

/** Where the low and high 32-bit words of a float64 sit in a `Uint32Array` view of its bytes. */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1
const HIGH_WORD = 1 - LOW_WORD

/** Radix of the start-time sort: 16-bit digits, four passes over a 64-bit key. */
const RADIX = 65_536

/**
 * Tree events (input indices, ascending) ordered by start time then input index. An LSD
 * radix sort on the IEEE-754 bits (flipped so that unsigned order is numeric order): stable,
 * O(N), and passes whose digit is the same for every node (the high bits of timestamps
 * within one trace) are skipped. On 200k unsorted nodes: ~20 ms, against ~70 ms for ranking
 * the keys and sorting them with `Float64Array.prototype.sort`.
 */
function sortByStart(treeIndices: Int32Array, startMs: Float64Array): Int32Array {
  const nodeCount = treeIndices.length
  const keys = new Float64Array(nodeCount)
  for (let slot = 0; slot < nodeCount; slot++) {
    keys[slot] = startSortKey(startMs[treeIndices[slot]!]!)
  }
  const keyWords = new Uint32Array(keys.buffer)
  let lowWords = new Uint32Array(nodeCount)
  let highWords = new Uint32Array(nodeCount)
  let slots = new Int32Array(nodeCount)
  let nextLowWords = new Uint32Array(nodeCount)
  let nextHighWords = new Uint32Array(nodeCount)
  let nextSlots = new Int32Array(nodeCount)
  const histograms = new Int32Array(4 * RADIX)
  for (let slot = 0; slot < nodeCount; slot++) {
    let low = keyWords[2 * slot + LOW_WORD]!
    let high = keyWords[2 * slot + HIGH_WORD]!
    if (high >>> 31 === 1) {
      low = ~low >>> 0
      high = ~high >>> 0
    } else {
      high = (high | 0x8000_0000) >>> 0
    }
    lowWords[slot] = low
    highWords[slot] = high
    slots[slot] = slot
    histograms[low & 0xffff]!++
    histograms[RADIX + (low >>> 16)]!++
    histograms[2 * RADIX + (high & 0xffff)]!++
    histograms[3 * RADIX + (high >>> 16)]!++
  }
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * RADIX
    const shift = (pass & 1) * 16
    const digitWords = pass < 2 ? lowWords : highWords
    if (histograms[base + ((digitWords[0]! >>> shift) & 0xffff)] === nodeCount) {
      continue
    }
    let offset = 0
    for (let digit = base; digit < base + RADIX; digit++) {
      const digitCount = histograms[digit]!
      histograms[digit] = offset
      offset += digitCount
    }
    for (let k = 0; k < nodeCount; k++) {
      const target = histograms[base + ((digitWords[k]! >>> shift) & 0xffff)]!++
      nextLowWords[target] = lowWords[k]!
      nextHighWords[target] = highWords[k]!
      nextSlots[target] = slots[k]!
    }
    ;[lowWords, nextLowWords] = [nextLowWords, lowWords]
    ;[highWords, nextHighWords] = [nextHighWords, highWords]
    ;[slots, nextSlots] = [nextSlots, slots]
  }
  const sorted = new Int32Array(nodeCount)
  for (let k = 0; k < nodeCount; k++) {
    sorted[k] = treeIndices[slots[k]!]!
  }
  return sorted
}

/*
 * The build, in phases. Each phase is its own function so that V8 optimises each loop on its
 * own: as one long function with a dozen hot loops, it was deoptimised and recompiled on the
 * stack over and over (`node --trace-deopt`), and spent most of its time there. Arrays named
 * `…ByIndex` are indexed by input index, the others by pre-order position.
 */

/** What the first pass over the events finds. */
interface TreeEvents {
  /** Input indices of the events of kinds 0-3, ascending. */
  treeIndices: Int32Array
  /** The first `$ai_trace` among them; -1: none. */
  rootTraceIndex: number
  /** Input index + 1 of the first node with each id code (0: none): children attach to the first of duplicates. */
  firstIndexPlusOneByCode: Int32Array
  /** Whether the nodes come in start order already, as events read from the store by timestamp do. */
  isInStartOrder: boolean
}

/*
 * Passes are fused where they can be: a new worker runs each loop unoptimised until V8 has
 * compiled it (and deoptimises once more at the next loop), so on a 200k-span trace every
 * pass costs a few ms cold beyond its warm time.
 */

/** The tree's events, their first input index by node id code, and whether they are in start order. */
function collectTreeEvents(input: TraceTreeLinkInput): TreeEvents {
  const { count, eventKinds, nodeIdCodes, idCodeCount, startMs } = input
  const treeIndices = new Int32Array(count)
  const firstIndexPlusOneByCode = new Int32Array(idCodeCount)
  let nodeCount = 0
  let rootTraceIndex = -1
  let previousKey = Number.NEGATIVE_INFINITY
  let isInStartOrder = true
  for (let index = 0; index < count; index++) {
    const kind = eventKinds[index]!
    if (kind >= TRACE_EVENT_KIND.other) {
      continue
    }
    if (kind === TRACE_EVENT_KIND.trace && rootTraceIndex < 0) {
      rootTraceIndex = index
    }
    treeIndices[nodeCount++] = index
    const code = nodeIdCodes[index]!
    if (code < 0 || code >= idCodeCount) {
      throw new RangeError(`buildTraceTree: nodeIdCodes[${index}] is ${code}, outside 0…${idCodeCount - 1}`)
    }
    if (code !== 0 && firstIndexPlusOneByCode[code] === 0) {
      firstIndexPlusOneByCode[code] = index + 1
    }
    const key = startSortKey(startMs[index]!)
    if (key < previousKey) {
      isInStartOrder = false
    }
    previousKey = key
  }
  return { treeIndices: treeIndices.subarray(0, nodeCount), rootTraceIndex, firstIndexPlusOneByCode, isInStartOrder }
}

/**
 * Fills `parentIndexByIndex` (-1: root), flags orphans and counts each parent's children into
 * `bucketStart` as {@link groupChildren} takes them; returns how many orphans there are.
 */
function resolveParents(
  parentIdCodes: Int32Array,
  { treeIndices, rootTraceIndex, firstIndexPlusOneByCode }: TreeEvents,
  parentIndexByIndex: Int32Array,
  isOrphanByIndex: Uint8Array,
  bucketStart: Int32Array,
): number {
  const rootBucket = parentIndexByIndex.length
  let orphanCount = 0
  for (let slot = 0; slot < treeIndices.length; slot++) {
    const index = treeIndices[slot]!
    let parent: number
    if (index === rootTraceIndex) {
      parent = -1
    } else {
      const parentCode = parentIdCodes[index]!
      if (parentCode === 0) {
        parent = rootTraceIndex
      } else {
        // A code outside the table names no node, like a code no node has.
        parent = (firstIndexPlusOneByCode[parentCode] ?? 0) - 1
        if (parent < 0) {
          isOrphanByIndex[index] = 1
          orphanCount++
        }
      }
    }
    parentIndexByIndex[index] = parent
    bucketStart[(parent < 0 ? rootBucket : parent) + 2]!++
  }
  return orphanCount
}

/**
 * Breaks every cycle of parent links and returns how many links were removed. Parent links
 * form a functional graph, so a walk up from an unvisited node ends at a root, at a node
 * finished earlier, or back on its own path: a cycle, whose earliest-started member (ties:
 * lowest input index) becomes a root.
 */
function breakCycles(
  treeIndices: Int32Array,
  startMsByIndex: Float64Array,
  parentIndexByIndex: Int32Array,
  isCycleBreakByIndex: Uint8Array,
): number {
  const walkStateByIndex = new Uint8Array(parentIndexByIndex.length) // 0 unvisited, 1 on the current path, 2 finished
  const pathSlotByIndex = new Int32Array(parentIndexByIndex.length)
  const path = new Int32Array(treeIndices.length)
  let brokenCycleCount = 0
  for (let slot = 0; slot < treeIndices.length; slot++) {
    let current = treeIndices[slot]!
    if (walkStateByIndex[current] !== 0) {
      continue
    }
    let pathLength = 0
    while (current >= 0 && walkStateByIndex[current] === 0) {
      walkStateByIndex[current] = 1
      pathSlotByIndex[current] = pathLength
      path[pathLength++] = current
      current = parentIndexByIndex[current]!
    }
    if (current >= 0 && walkStateByIndex[current] === 1) {
      let breaker = current
      let breakerKey = startSortKey(startMsByIndex[breaker]!)
      for (let k = pathSlotByIndex[current]! + 1; k < pathLength; k++) {
        const member = path[k]!
        const memberKey = startSortKey(startMsByIndex[member]!)
        if (memberKey < breakerKey || (memberKey === breakerKey && member < breaker)) {
          breaker = member
          breakerKey = memberKey
        }
      }
      parentIndexByIndex[breaker] = -1
      isCycleBreakByIndex[breaker] = 1
      brokenCycleCount++
    }
    for (let k = 0; k < pathLength; k++) {
      walkStateByIndex[path[k]!] = 2
    }
  }
  return brokenCycleCount
}

/** Counts each parent's children into a fresh `bucketStart`, as {@link resolveParents} does, after links changed. */
function countChildren(treeIndices: Int32Array, parentIndexByIndex: Int32Array): Int32Array {
  const rootBucket = parentIndexByIndex.length
  const bucketStart = new Int32Array(rootBucket + 3)
  for (let slot = 0; slot < treeIndices.length; slot++) {
    const parent = parentIndexByIndex[treeIndices[slot]!]!
    bucketStart[(parent < 0 ? rootBucket : parent) + 2]!++
  }
  return bucketStart
}

/**
 * Children lists in start order: a stable counting sort, by parent, of the start-sorted
 * nodes. Bucket b (the children of input index b; bucket `count`: the roots) is
 * `childList[bucketStart[b] … bucketStart[b + 1])`.
 * @param bucketStart The number of children of bucket b at b + 2 (the rest 0); becomes the bucket starts.
 */
function groupChildren(byStart: Int32Array, parentIndexByIndex: Int32Array, bucketStart: Int32Array): { bucketStart: Int32Array; childList: Int32Array } {
  const nodeCount = byStart.length
  const rootBucket = parentIndexByIndex.length
  for (let bucket = 2; bucket < bucketStart.length; bucket++) {
    bucketStart[bucket]! += bucketStart[bucket - 1]!
  }
  const childList = new Int32Array(nodeCount)
  for (let k = 0; k < nodeCount; k++) {
    const index = byStart[k]!
    const parent = parentIndexByIndex[index]!
    childList[bucketStart[(parent < 0 ? rootBucket : parent) + 1]!++] = index
  }
  return { bucketStart, childList }
}

/** The tree's per-position columns as {@link walkPreOrder} fills them. */
interface PreOrderColumns {
  order: Int32Array
  depth: Uint16Array
  parentPosition: Int32Array
  isOrphan: Uint8Array
  isCycleBreak: Uint8Array
  rootCount: number
  /** Positions filled: fewer than the nodes when some are out of reach from the roots (on or below a cycle). */
  reachedCount: number
  /** Position of each input index's node (0 for events not reached). */
  positionByIndex: Int32Array
}

/**
 * Pre-order walk from the roots with an explicit stack: positions, depths, parent positions
 * and flags. A flag column is read only when some node has that flag (most traces have none).
 */
function walkPreOrder(
  { bucketStart, childList }: { bucketStart: Int32Array; childList: Int32Array },
  parentIndexByIndex: Int32Array,
  isOrphanByIndex: Uint8Array | null,
  isCycleBreakByIndex: Uint8Array | null,
): PreOrderColumns {
  const nodeCount = childList.length
  const rootBucket = parentIndexByIndex.length
  const order = new Int32Array(nodeCount)
  const depth = new Uint16Array(nodeCount)
  const parentPosition = new Int32Array(nodeCount)
  const isOrphan = new Uint8Array(nodeCount)
  const isCycleBreak = new Uint8Array(nodeCount)
  const positionByIndex = new Int32Array(rootBucket)
  const stack = new Int32Array(nodeCount)
  let stackSize = 0
  for (let k = bucketStart[rootBucket + 1]! - 1; k >= bucketStart[rootBucket]!; k--) {
    stack[stackSize++] = childList[k]!
  }
  const rootCount = stackSize
  let position = 0
  while (stackSize > 0) {
    const index = stack[--stackSize]!
    const parent = parentIndexByIndex[index]!
    order[position] = index
    positionByIndex[index] = position
    if (isOrphanByIndex !== null) {
      isOrphan[position] = isOrphanByIndex[index]!
    }
    if (isCycleBreakByIndex !== null) {
      isCycleBreak[position] = isCycleBreakByIndex[index]!
    }
    if (parent < 0) {
      parentPosition[position] = -1
    } else {
      const parentAt = positionByIndex[parent]!
      parentPosition[position] = parentAt
      const parentDepth = depth[parentAt]!
      depth[position] = parentDepth < MAX_TRACE_TREE_DEPTH ? parentDepth + 1 : MAX_TRACE_TREE_DEPTH
    }
    for (let k = bucketStart[index + 1]! - 1; k >= bucketStart[index]!; k--) {
      stack[stackSize++] = childList[k]!
    }
    position++
  }
  return { order, depth, parentPosition, isOrphan, isCycleBreak, rootCount, reachedCount: position, positionByIndex }
}

/** `column[index]` for each input index of `order`: a column of the input in pre-order. */
function gatherFloat64(column: Float64Array, order: Int32Array): Float64Array {
  const gathered = new Float64Array(order.length)
  for (let position = 0; position < order.length; position++) {
    gathered[position] = column[order[position]!]!
  }
  return gathered
}

/** `column[index]` for each input index of `order`: a column of the input in pre-order. */
function gatherUint8(column: Uint8Array, order: Int32Array): Uint8Array {
  const gathered = new Uint8Array(order.length)
  for (let position = 0; position < order.length; position++) {
    gathered[position] = column[order[position]!]!
  }
  return gathered
}

/** The roll-up columns of {@link TraceTree}, and the trace's time range. */
type RollUpColumns = Pick<
  TraceTree,
  | 'subtreeSize'
  | 'rolledCostUsd'
  | 'rolledLatencyS'
  | 'rolledInputTokens'
  | 'rolledOutputTokens'
  | 'subtreeUnknownCostCount'
  | 'subtreeErrorCount'
  | 'endMs'
  | 'traceStartMs'
  | 'traceEndMs'
>

/** The columns {@link rollUp} fills, by position. */
type RolledColumns = Omit<RollUpColumns, 'traceStartMs' | 'traceEndMs'>

/**
 * The roll-up columns of a shaped tree, and the trace's time range. The loop is a function of
 * its own that returns no object: as one function, V8 (Node 20, `--trace-deopt`) dropped its
 * optimised code at the returned object after each full garbage collection, and every later
 * query ran the 200k iterations mostly unoptimised again.
 */
function rollUp(
  parentPosition: Int32Array,
  kinds: Uint8Array,
  errorFlags: Uint8Array,
  startMs: Float64Array,
  ownCostUsd: Float64Array,
  ownLatencyS: Float64Array,
  ownInputTokens: Float64Array,
  ownOutputTokens: Float64Array,
): RollUpColumns {
  const nodeCount = parentPosition.length
  const rolled: RolledColumns = {
    subtreeSize: new Int32Array(nodeCount),
    rolledCostUsd: new Float64Array(nodeCount),
    rolledLatencyS: new Float64Array(nodeCount),
    rolledInputTokens: new Float64Array(nodeCount),
    rolledOutputTokens: new Float64Array(nodeCount),
    subtreeUnknownCostCount: new Int32Array(nodeCount),
    subtreeErrorCount: new Int32Array(nodeCount),
    endMs: new Float64Array(nodeCount),
  }
  const timeRangeMs = new Float64Array(2)
  rollUpInto(
    parentPosition,
    kinds,
    errorFlags,
    startMs,
    ownCostUsd,
    ownLatencyS,
    ownInputTokens,
    ownOutputTokens,
    rolled.subtreeSize,
    rolled.rolledCostUsd,
    rolled.rolledLatencyS,
    rolled.rolledInputTokens,
    rolled.rolledOutputTokens,
    rolled.subtreeUnknownCostCount,
    rolled.subtreeErrorCount,
    rolled.endMs,
    timeRangeMs,
  )
  const traceStartMs = timeRangeMs[0]!
  const traceEndMs = timeRangeMs[1]!
  return {
    ...rolled,
    traceStartMs: traceStartMs === Number.POSITIVE_INFINITY ? Number.NaN : traceStartMs,
    traceEndMs: traceEndMs === Number.NEGATIVE_INFINITY ? Number.NaN : traceEndMs,
  }
}

/**
 * Roll-ups bottom-up: in reverse pre-order every child comes before its parent, and a node's
 * slots hold the sums of its children's figures until it is reached. The last child (the
 * first one reached) sets its parent's slots rather than adding to them, and a childless
 * node reads none of its own, so no column is filled with NaN beforehand.
 * @param timeRangeMs Gets the earliest start and the latest end (±Infinity for no nodes).
 */
function rollUpInto(
  parentPosition: Int32Array,
  kinds: Uint8Array,
  errorFlags: Uint8Array,
  startMs: Float64Array,
  ownCostUsd: Float64Array,
  ownLatencyS: Float64Array,
  ownInputTokens: Float64Array,
  ownOutputTokens: Float64Array,
  subtreeSize: Int32Array,
  rolledCostUsd: Float64Array,
  // Until a node is reached: NaN, or 0 once a child with a rolled latency has been seen.
  rolledLatencyS: Float64Array,
  rolledInputTokens: Float64Array,
  rolledOutputTokens: Float64Array,
  subtreeUnknownCostCount: Int32Array,
  subtreeErrorCount: Int32Array,
  // Latest child end until reached.
  endMs: Float64Array,
  timeRangeMs: Float64Array,
): void {
  const nodeCount = parentPosition.length
  let traceStartMs = Number.POSITIVE_INFINITY
  let traceEndMs = Number.NEGATIVE_INFINITY
  for (let at = nodeCount - 1; at >= 0; at--) {
    let size = 1
    let errorCount = errorFlags[at] === 0 ? 0 : 1
    let unknownCostCount = 0
    let cost = Number.NaN
    let input = Number.NaN
    let output = Number.NaN
    let latency = Number.NaN
    let latestChildEnd = Number.NEGATIVE_INFINITY
    // Children follow their parent directly in pre-order.
    if (at + 1 < nodeCount && parentPosition[at + 1] === at) {
      size += subtreeSize[at]!
      errorCount += subtreeErrorCount[at]!
      unknownCostCount = subtreeUnknownCostCount[at]!
      cost = rolledCostUsd[at]!
      input = rolledInputTokens[at]!
      output = rolledOutputTokens[at]!
      latency = rolledLatencyS[at]!
      latestChildEnd = endMs[at]!
    }
    const ownCost = ownCostUsd[at]!
    if (ownCost === ownCost) {
      cost = ownCost
    } else {
      const kind = kinds[at]!
      if (kind === TRACE_EVENT_KIND.generation || kind === TRACE_EVENT_KIND.embedding) {
        unknownCostCount += 1
      }
    }
    const ownInput = ownInputTokens[at]!
    if (ownInput === ownInput) {
      input = ownInput
    }
    const ownOutput = ownOutputTokens[at]!
    if (ownOutput === ownOutput) {
      output = ownOutput
    }
    const start = startMs[at]!
    const ownLatency = ownLatencyS[at]!
    let end: number
    if (ownLatency === ownLatency) {
      latency = ownLatency
      end = start + ownLatency * 1000
    } else {
      // Children are in start order, so the first child (the next position) started earliest.
      latency = latency === 0 ? (latestChildEnd - startMs[at + 1]!) / 1000 : Number.NaN
      // A child logged before its parent (clock skew) must not give the parent a negative bar.
      end = latestChildEnd > start ? latestChildEnd : start
    }
    subtreeSize[at] = size
    subtreeErrorCount[at] = errorCount
    subtreeUnknownCostCount[at] = unknownCostCount
    rolledCostUsd[at] = cost
    rolledInputTokens[at] = input
    rolledOutputTokens[at] = output
    rolledLatencyS[at] = latency
    endMs[at] = end
    if (start < traceStartMs) {
      traceStartMs = start
    }
    if (end > traceEndMs) {
      traceEndMs = end
    }

    const parentAt = parentPosition[at]!
    if (parentAt < 0) {
      continue
    }
    const next = at + size
    if (next === nodeCount || parentPosition[next] !== parentAt) {
      // The parent's last child: its figures start the parent's sums (NaN: none yet).
      subtreeSize[parentAt] = size
      subtreeErrorCount[parentAt] = errorCount
      subtreeUnknownCostCount[parentAt] = unknownCostCount
      rolledCostUsd[parentAt] = cost
      rolledInputTokens[parentAt] = input
      rolledOutputTokens[parentAt] = output
      rolledLatencyS[parentAt] = latency === latency ? 0 : Number.NaN
      endMs[parentAt] = end > Number.NEGATIVE_INFINITY ? end : Number.NEGATIVE_INFINITY
      continue
    }
    subtreeSize[parentAt]! += size
    subtreeErrorCount[parentAt]! += errorCount
    subtreeUnknownCostCount[parentAt]! += unknownCostCount
    if (cost === cost) {
      const sum = rolledCostUsd[parentAt]!
      rolledCostUsd[parentAt] = sum === sum ? sum + cost : cost
    }
    if (input === input) {
      const sum = rolledInputTokens[parentAt]!
      rolledInputTokens[parentAt] = sum === sum ? sum + input : input
    }
    if (output === output) {
      const sum = rolledOutputTokens[parentAt]!
      rolledOutputTokens[parentAt] = sum === sum ? sum + output : output
    }
    if (latency === latency) {
      rolledLatencyS[parentAt] = 0
    }
    if (end > endMs[parentAt]!) {
      endMs[parentAt] = end
    }
  }
  timeRangeMs[0] = traceStartMs
  timeRangeMs[1] = traceEndMs
}

/**
 * Orders and links the events of one trace: pre-order positions, depths and parents, with
 * orphans and cycle breaks flagged. {@link rollUpTraceTree} then adds the figures.
 * @throws RangeError when a column is shorter than `input.count`, or a node id code is out of range.
 */
export function shapeTraceTree(input: TraceTreeLinkInput): TraceTreeShape {
  const { count } = input
  assertColumnLengths('shapeTraceTree', count, [
    ['nodeIdCodes', input.nodeIdCodes],
    ['parentIdCodes', input.parentIdCodes],
    ['eventKinds', input.eventKinds],
    ['startMs', input.startMs],
  ])
  if (!Number.isInteger(input.idCodeCount) || input.idCodeCount < 1) {
    throw new RangeError(`shapeTraceTree: idCodeCount must be a positive integer, got ${input.idCodeCount}`)
  }
  const events = collectTreeEvents(input)
  const { treeIndices } = events
  // Set for every node by resolveParents; nothing reads the entries of the events left out.
  const parentIndexByIndex = new Int32Array(count)
  const isOrphanByIndex = new Uint8Array(count)
  const bucketStart = new Int32Array(count + 3)
  const orphanCount = resolveParents(input.parentIdCodes, events, parentIndexByIndex, isOrphanByIndex, bucketStart)
  const byStart = events.isInStartOrder ? treeIndices : sortByStart(treeIndices, input.startMs)
  const orphanFlags = orphanCount > 0 ? isOrphanByIndex : null
  let walk = walkPreOrder(groupChildren(byStart, parentIndexByIndex, bucketStart), parentIndexByIndex, orphanFlags, null)
  let brokenCycleCount = 0
  // A node on a cycle, or below one, is out of reach from the roots: only then are cycles
  // looked for (a walk up from every node), and the tree grouped and walked again without them.
  if (walk.reachedCount < treeIndices.length) {
    const isCycleBreakByIndex = new Uint8Array(count)
    brokenCycleCount = breakCycles(treeIndices, input.startMs, parentIndexByIndex, isCycleBreakByIndex)
    const recounted = countChildren(treeIndices, parentIndexByIndex)
    walk = walkPreOrder(groupChildren(byStart, parentIndexByIndex, recounted), parentIndexByIndex, orphanFlags, isCycleBreakByIndex)
  }
  const { order, depth, parentPosition, isOrphan, isCycleBreak, rootCount, positionByIndex } = walk
  return {
    traceId: input.traceId,
    positionByIndex,
    nodeCount: order.length,
    order,
    depth,
    parentPosition,
    rootCount,
    orphanCount,
    brokenCycleCount,
    isOrphan,
    isCycleBreak,
    excludedCount: count - order.length,
  }
}

/**
 * Rolls a shaped tree's own figures up (PostHog's rules, see the module comment): subtree
 * sizes, rolled cost, tokens and latency, end times. The own columns become the tree's.
 * @throws RangeError when an own column is shorter than the tree.
 */
export function rollUpTraceTree(shape: TraceTreeShape, own: TraceTreeOwnFigures): TraceTree {
  assertColumnLengths('rollUpTraceTree', shape.nodeCount, Object.entries(own))
  const { positionByIndex: _positionByIndex, ...links } = shape
  return {
    ...links,
    ownCostUsd: own.costUsd,
    ownLatencyS: own.latencyS,
    ownInputTokens: own.inputTokens,
    ownOutputTokens: own.outputTokens,
    startMs: own.startMs,
    ...rollUp(shape.parentPosition, own.kinds, own.isError, own.startMs, own.costUsd, own.latencyS, own.inputTokens, own.outputTokens),
  }
}

/**
 * Builds the tree of one trace: pre-order rows, depths, subtree sizes and PostHog roll-ups.
 * See the module comment for the linking rules (root, orphans, duplicates, cycles).
 * @throws RangeError when a column is shorter than `input.count`.
 */
export function buildTraceTree(input: TraceTreeInput): TraceTree {
  assertColumnLengths('buildTraceTree', input.count, [
    ['latencyS', input.latencyS],
    ['costUsd', input.costUsd],
    ['inputTokens', input.inputTokens],
    ['outputTokens', input.outputTokens],
    ['isError', input.isError],
  ])
  const shape = shapeTraceTree(input)
  const { order } = shape
  return rollUpTraceTree(shape, {
    kinds: gatherUint8(input.eventKinds, order),
    isError: gatherUint8(input.isError, order),
    startMs: gatherFloat64(input.startMs, order),
    latencyS: gatherFloat64(input.latencyS, order),
    costUsd: gatherFloat64(input.costUsd, order),
    inputTokens: gatherFloat64(input.inputTokens, order),
    outputTokens: gatherFloat64(input.outputTokens, order),
  })
}

/** Appends to a growable Int32Array, doubling when full, so results cost O(their length). */
class PositionList {
  private buffer: Int32Array
  length = 0

  constructor(initialCapacity: number) {
    this.buffer = new Int32Array(Math.max(16, initialCapacity))
  }

  push(position: number): void {
    if (this.length === this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2)
      grown.set(this.buffer)
      this.buffer = grown
    }
    this.buffer[this.length++] = position
  }

  toInt32Array(): Int32Array {
    return this.buffer.slice(0, this.length)
  }
}

/**
 * Pre-order positions of the rows shown when the nodes flagged in `collapsed` are collapsed
 * (their descendants hidden, the nodes themselves shown). Runs in O(visible rows): a
 * collapsed node's subtree is skipped in one step.
 * @param collapsed Non-zero at the positions of collapsed nodes; missing entries are expanded.
 */
export function collapseVisibleRows(tree: TraceTree, collapsed: Uint8Array): Int32Array {
  const visible = new PositionList(Math.min(tree.nodeCount, 1024))
  let position = 0
  while (position < tree.nodeCount) {
    visible.push(position)
    position += collapsed[position] ? tree.subtreeSize[position]! : 1
  }
  return visible.toInt32Array()
}

/**
 * Trace search as PostHog shows it: the nodes that match, each with its chain of ancestors
 * so it keeps its place in the tree. Descendants of a match are not kept unless they match.
 * @param matches Called once per node, in pre-order, with the node's INPUT index.
 */
export function searchTree(tree: TraceTree, matches: (inputIndex: number) => boolean): TraceTreeSearchResult {
  const { nodeCount, order, parentPosition } = tree
  const isKept = new Uint8Array(nodeCount)
  const matchPositions = new PositionList(64)
  let keptCount = 0
  for (let position = 0; position < nodeCount; position++) {
    if (!matches(order[position]!)) {
      continue
    }
    matchPositions.push(position)
    // Ancestors of a kept node are kept, so the climb stops at the first one already kept.
    let ancestor = position
    while (ancestor >= 0 && isKept[ancestor] === 0) {
      isKept[ancestor] = 1
      keptCount++
      ancestor = parentPosition[ancestor]!
    }
  }
  const visiblePositions = new Int32Array(keptCount)
  let visibleCount = 0
  for (let position = 0; position < nodeCount && visibleCount < keptCount; position++) {
    if (isKept[position] === 1) {
      visiblePositions[visibleCount++] = position
    }
  }
  return { matchPositions: matchPositions.toInt32Array(), visiblePositions }
}
