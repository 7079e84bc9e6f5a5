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
 */
export interface TraceTreeInput {
  /** The trace's `$ai_trace_id`. A parent id equal to it means "child of the trace". */
  traceId: string
  /** Number of events; every column has at least this many entries. */
  count: number
  /** Node id per event, already resolved: `$ai_generation_id ?? $ai_span_id ?? uuid`. */
  nodeIds: string[]
  /** `$ai_parent_id` per event; `null` when absent (the parent is then the trace). */
  parentIds: (string | null)[]
  /** {@link TraceEventKind} per event: 0 `$ai_trace`, 1 span, 2 generation, 3 embedding, 4 not in the tree. */
  eventKinds: Uint8Array
  /** Display name per event (`$ai_span_name`, or the model for generations); `null` when absent. Not read by the build. */
  names: (string | null)[]
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

/** What {@link searchTree} keeps: the matches, and the rows to show for them. */
export interface TraceTreeSearchResult {
  /** Pre-order positions of the nodes that matched, ascending. */
  matchPositions: Int32Array
  /** Pre-order positions of the matches and all their ancestors, ascending (pre-order). */
  visiblePositions: Int32Array
}
