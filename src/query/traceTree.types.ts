/**
 * Shapes of the trace tree: the events of one trace in, a depth-first pre-order tree out,
 * both as parallel columns (struct of arrays) so that a 200k-observation trace costs a few
 * typed arrays instead of 200k objects. See `traceTree.ts` for the rules.
 */

/**
 * What an event is in the tree, stored in {@link TraceTreeInput.eventKinds}. `4` (and any
 * higher value) is an event that is not a node: `$ai_metric`, `$ai_feedback`,
 * `$ai_evaluation`, `$ai_interaction`, `$exception` and the like.
 */
export type TraceEventKind = 0 | 1 | 2 | 3 | 4

/**
 * The events of ONE trace as parallel columns: entry `i` of every column describes event `i`
 * (its "input index"). Only the first {@link count} entries of each column are read.
 *
 * Node ids and parent ids arrive as integer codes of one coding (equal ids, equal codes), so
 * the build links nodes with array lookups and never hashes a string: the engine's columns
 * already hold ids as dictionary codes, and a 200k-span trace spent most of its build hashing
 * id strings.
 */
export interface TraceTreeInput {
  /** The trace's `$ai_trace_id`, echoed in {@link TraceTree.traceId}. */
  traceId: string
  /** Number of events; every column has at least this many entries. */
  count: number
  /**
   * Node id per event (`$ai_generation_id ?? $ai_span_id ?? uuid`) as a code from 1 to
   * {@link idCodeCount} − 1. 0 for a node that no event names as its parent: it is never looked up.
   */
  nodeIdCodes: Int32Array
  /**
   * `$ai_parent_id` per event, coded as {@link nodeIdCodes}: 0 when absent or equal to the trace
   * id (the parent is then the trace, even if a span carries the trace id as its own id); a
   * code no node has when the parent is not in the trace.
   */
  parentIdCodes: Int32Array
  /** Codes are below this; the build indexes nodes by code in an array this long. */
  idCodeCount: number
  /** {@link TraceEventKind} per event: 0 `$ai_trace`, 1 span, 2 generation, 3 embedding, 4 not in the tree. */
  eventKinds: Uint8Array
  /** Event timestamp, ms since the epoch. */
  startMs: Float64Array
  /** `$ai_latency` in seconds; `NaN` when absent. */
  latencyS: Float64Array
  /** `$ai_total_cost_usd`; `NaN` when unknown (never 0 for unknown). */
  costUsd: Float64Array
  /** `$ai_input_tokens`; `NaN` when absent. */
  inputTokens: Float64Array
  /** `$ai_output_tokens`; `NaN` when absent. */
  outputTokens: Float64Array
  /** 1 when `$ai_is_error` is true, else 0. */
  isError: Uint8Array
}

/** What {@link TraceTreeShape} is built from: the links, kinds and start times of a trace's events. */
export type TraceTreeLinkInput = Pick<TraceTreeInput, 'traceId' | 'count' | 'nodeIdCodes' | 'parentIdCodes' | 'idCodeCount' | 'eventKinds' | 'startMs'>

/**
 * Each node's own figures in pre-order: entry `p` describes the node at position `p`, as
 * {@link TraceTreeShape.order} places it. They become the tree's own columns, uncopied.
 */
export interface TraceTreeOwnFigures {
  /** {@link TraceEventKind} per position (0-3: every node is in the tree). */
  kinds: Uint8Array
  /** 1 when `$ai_is_error` is true, else 0. */
  isError: Uint8Array
  startMs: Float64Array
  /** `NaN` when absent, as in {@link TraceTreeInput}. */
  latencyS: Float64Array
  /** `NaN` when unknown. */
  costUsd: Float64Array
  inputTokens: Float64Array
  outputTokens: Float64Array
}

/**
 * A trace as a tree in depth-first pre-order, children ordered by start time then input
 * index. Every per-node column is indexed by pre-order position `p` (0 … `nodeCount - 1`);
 * `order[p]` maps back to the input index. A node's subtree is the positions
 * `p … p + subtreeSize[p] - 1`, so collapsing it is a skip.
 */
export interface TraceTree {
  /** The trace's `$ai_trace_id`, as given. */
  traceId: string
  /** Events of kind 0-3 in the tree. */
  nodeCount: number
  /** Input index of the node at each pre-order position. */
  order: Int32Array
  /** Depth per position: 0 for roots, capped at 65535. */
  depth: Uint16Array
  /** Pre-order position of the parent, -1 for roots. Always smaller than the node's own position. */
  parentPosition: Int32Array
  /** Nodes in the subtree, the node included. */
  subtreeSize: Int32Array
  /** The node's own `$ai_total_cost_usd`; `NaN` when unknown. */
  ownCostUsd: Float64Array
  /** The node's own `$ai_latency` in seconds; `NaN` when absent. */
  ownLatencyS: Float64Array
  /** The node's own `$ai_input_tokens`; `NaN` when absent. */
  ownInputTokens: Float64Array
  /** The node's own `$ai_output_tokens`; `NaN` when absent. */
  ownOutputTokens: Float64Array
  /**
   * Own cost when known, else the sum of the children's rolled costs (unknown ones skipped);
   * `NaN` when no child has one. See {@link subtreeUnknownCostCount} for what is missing.
   */
  rolledCostUsd: Float64Array
  /**
   * Own latency when present, else the wall-clock span of the children in seconds
   * (latest child end − earliest child start; not a sum, because children run in
   * parallel); `NaN` when no child has a rolled latency.
   */
  rolledLatencyS: Float64Array
  /** Own input tokens when present, else the sum of the children's rolled figures; `NaN` when none has one. */
  rolledInputTokens: Float64Array
  /** Own output tokens when present, else the sum of the children's rolled figures; `NaN` when none has one. */
  rolledOutputTokens: Float64Array
  /** Generations and embeddings in the subtree (the node included) whose cost is unknown. */
  subtreeUnknownCostCount: Int32Array
  /** Nodes in the subtree (the node included) with `$ai_is_error`. */
  subtreeErrorCount: Int32Array
  /** Start per position, ms since the epoch (the event timestamp). */
  startMs: Float64Array
  /**
   * End per position, ms since the epoch: start + own latency; without an own latency, the
   * latest end of its children (never before its own start); the start for a leaf without latency.
   */
  endMs: Float64Array
  /** Top-level nodes: the `$ai_trace` event (or, without one, the trace's direct children), orphans and cycle breaks. */
  rootCount: number
  /** Nodes whose parent id names no node of the trace; they are roots, flagged in {@link isOrphan}. */
  orphanCount: number
  /** Parent links removed to break cycles; each such node is a root, flagged in {@link isCycleBreak}. */
  brokenCycleCount: number
  /** 1 at positions of orphans. */
  isOrphan: Uint8Array
  /** 1 at positions of nodes whose parent link was removed to break a cycle. */
  isCycleBreak: Uint8Array
  /** Earliest start of any node, ms since the epoch; `NaN` for an empty tree. */
  traceStartMs: number
  /** Latest end of any node, ms since the epoch; `NaN` for an empty tree. */
  traceEndMs: number
  /** Events of kind 4 (metric, feedback, evaluation, interaction…) left out of the tree. */
  excludedCount: number
}

/** A tree's order and links, before its figures are rolled up. */
export interface TraceTreeShape
  extends Pick<
    TraceTree,
    'traceId' | 'nodeCount' | 'order' | 'depth' | 'parentPosition' | 'rootCount' | 'orphanCount' | 'brokenCycleCount' | 'isOrphan' | 'isCycleBreak' | 'excludedCount'
  > {
  /**
   * Pre-order position of the node of each input index (the inverse of {@link TraceTree.order});
   * 0, meaning nothing, for events left out of the tree. Lets a caller read columns in input order.
   */
  positionByIndex: Int32Array
}

/** What {@link searchTree} keeps: the matches, and the rows to show for them. */
export interface TraceTreeSearchResult {
  /** Pre-order positions of the nodes that matched, ascending. */
  matchPositions: Int32Array
  /** Pre-order positions of the matches and all their ancestors, ascending (pre-order). */
  visiblePositions: Int32Array
}
