import type { ColumnDimension, Dictionaries, Dictionary, EventColumns } from '../store'
import type { TraceResult, TraceSpec, TraceTotals } from './spec'
import { rollUpTraceTree, shapeTraceTree, TRACE_EVENT_KIND } from './traceTree'
import { codeByDictionaryRange, codeByKey, packStrings, type CodedStrings } from './traceStrings'
import type { TraceTreeLinkInput, TraceTreeOwnFigures, TraceTreeShape } from './traceTree.types'

/** What the trace query reads. */
export interface TraceQueryInput {
  columns: EventColumns
  dictionaries: Dictionaries
  /** Per event, from tokens and prices at read time; NaN unknown. */
  costUsd: Float64Array
  /**
   * Per event, the trace name's code in the `spanName` dictionary (derived for every trace on
   * first read: the lists read it; a single trace's query derives its own name from its rows).
   */
  traceNameCodes: Uint32Array
  dataVersion: number
}

/** The id dictionaries the trace queries read: the store loads them on demand. */
export const TRACE_ID_DIMENSIONS = ['traceId', 'spanId', 'parentId'] as const satisfies readonly ColumnDimension[]

/** Rows of the events of one trace, in row order. */
export function rowsOfTrace(columns: EventColumns, traceCode: number): Int32Array {
  if (traceCode <= 0) {
    return new Int32Array(0)
  }
  // One pass over one code column (~3 ms for 1M events), too little to keep a per-trace
  // index (4 MB at 1M events, rebuilt at every data version) for.
  const traceIds = columns.dimensions.traceId
  const length = columns.length
  let rows = new Int32Array(1024)
  let count = 0
  for (let row = 0; row < length; row += 1) {
    if (traceIds[row] === traceCode) {
      if (count === rows.length) {
        const grown = new Int32Array(2 * count)
        grown.set(rows)
        rows = grown
      }
      rows[count] = row
      count += 1
    }
  }
  return rows.subarray(0, count)
}

/** `spec.maxSpans`, checked; infinite without one. */
function maxSpansOf(spec: TraceSpec): number {
  const { maxSpans } = spec
  if (maxSpans === undefined) {
    return Number.POSITIVE_INFINITY
  }
  if (!Number.isInteger(maxSpans) || maxSpans < 0) {
    throw new RangeError(`spec.maxSpans must be a whole number ≥ 0, not ${maxSpans}.`)
  }
  return maxSpans
}

/** What the names and the remaining columns are read from, for the nodes kept. */
interface KeptColumns {
  /** Each node's name as a key of {@link codeNames}: its span name's code, else the span names' count + its model's code. */
  nameKeys: Uint32Array
  /** 1 at the codes of models that name a node (that has no span name of its own). */
  isNodeNameByModelCode: Uint8Array
  ttftS: Float64Array
}

/**
 * Each node's row and own figures in pre-order, and the {@link KeptColumns} of the first
 * `keptCount`, in one pass rather than a gather per column: in a new worker each loop over a
 * 200k-span trace runs unoptimised for a few ms before V8 has compiled it (see
 * `traceTree.ts`). The pass goes through the rows in row order and writes each node at its
 * position: reading the columns in pre-order instead, events stored out of start order made
 * every read a cache miss (~80 ms at 200k).
 */
function ownFiguresOf(
  shape: Pick<TraceTreeShape, 'nodeCount' | 'positionByIndex'>,
  rows: Int32Array,
  link: Pick<TraceTreeLinkInput, 'eventKinds' | 'startMs'>,
  input: TraceQueryInput,
  keptCount: number,
): { rowAt: Int32Array; own: TraceTreeOwnFigures; kept: KeptColumns } {
  const { nodeCount, positionByIndex } = shape
  const { eventKinds, startMs: startMsByIndex } = link
  const { columns, dictionaries, costUsd: costUsdColumn } = input
  const { isError: isErrorColumn, numbers } = columns
  const { latencyS: latencySColumn, inputTokens: inputTokensColumn, outputTokens: outputTokensColumn, ttftS: ttftSColumn } = numbers
  const { model: modelColumn, spanName: spanNameColumn } = columns.dimensions
  const spanNameCount = dictionaries.spanName.size
  const rowAt = new Int32Array(nodeCount)
  const kinds = new Uint8Array(nodeCount)
  const isError = new Uint8Array(nodeCount)
  const startMs = new Float64Array(nodeCount)
  const latencyS = new Float64Array(nodeCount)
  const costUsd = new Float64Array(nodeCount)
  const inputTokens = new Float64Array(nodeCount)
  const outputTokens = new Float64Array(nodeCount)
  const nameKeys = new Uint32Array(keptCount)
  const isNodeNameByModelCode = new Uint8Array(dictionaries.model.size)
  const ttftS = new Float64Array(keptCount)
  for (let index = 0; index < rows.length; index += 1) {
    const kind = eventKinds[index] as number
    if (kind >= TRACE_EVENT_KIND.other) {
      continue // not in the tree
    }
    const position = positionByIndex[index] as number
    const row = rows[index] as number
    rowAt[position] = row
    kinds[position] = kind
    startMs[position] = startMsByIndex[index] as number
    isError[position] = isErrorColumn[row] as number
    latencyS[position] = latencySColumn[row] as number
    costUsd[position] = costUsdColumn[row] as number
    inputTokens[position] = inputTokensColumn[row] as number
    outputTokens[position] = outputTokensColumn[row] as number
    if (position < keptCount) {
      ttftS[position] = ttftSColumn[row] as number
      const spanNameCode = spanNameColumn[row] as number
      const modelCode = modelColumn[row] as number
      if (spanNameCode > 0 || modelCode === 0) {
        nameKeys[position] = spanNameCode
      } else {
        nameKeys[position] = spanNameCount + modelCode
        isNodeNameByModelCode[modelCode] = 1
      }
    }
  }
  return {
    rowAt,
    own: { kinds, isError, startMs, latencyS, costUsd, inputTokens, outputTokens },
    kept: { nameKeys, isNodeNameByModelCode, ttftS },
  }
}

/** The tree kind of each event code. */
function kindByEventCodeOf(dictionaries: Dictionaries): Uint8Array {
  const { event } = dictionaries
  const kindByEventCode = new Uint8Array(event.size).fill(TRACE_EVENT_KIND.other)
  const treeKinds = [
    ['$ai_trace', TRACE_EVENT_KIND.trace],
    ['$ai_span', TRACE_EVENT_KIND.span],
    ['$ai_generation', TRACE_EVENT_KIND.generation],
    ['$ai_embedding', TRACE_EVENT_KIND.embedding],
  ] as const
  for (const [eventName, kind] of treeKinds) {
    const code = event.find(eventName)
    if (code > 0) {
      kindByEventCode[code] = kind
    }
  }
  return kindByEventCode
}

/**
 * What the shape of a trace's tree is built from, and the trace's name, read from its rows in
 * one pass. Parent ids are coded in the span ids' dictionary (see `SHARED_DICTIONARIES`), so
 * node and parent ids are the columns' codes as they are; only a parent naming the trace
 * itself is recoded, to 0.
 */
function linkInputOf(
  rows: Int32Array,
  columns: EventColumns,
  dictionaries: Dictionaries,
  traceId: string,
): { link: TraceTreeLinkInput; nameCode: number } {
  const count = rows.length
  const { parentId: parentIdColumn, spanId: spanIdColumn, event: eventColumn, spanName: spanNameColumn } = columns.dimensions
  const tsMsColumn = columns.tsMs
  const kindByEventCode = kindByEventCodeOf(dictionaries)
  const spanIds = dictionaries.spanId
  const eventKinds = new Uint8Array(count)
  const nodeIdCodes = new Int32Array(count)
  const parentIdCodes = new Int32Array(count)
  const startMs = new Float64Array(count)
  // The name by the rule of `traceNameCodes` (the `$ai_trace` event's, else the earliest
  // named event's), as codes and times (0: none yet): a pass of its own cost a few ms cold.
  let traceEventName = 0
  let traceEventTsMs = 0
  let earliestName = 0
  let earliestTsMs = 0
  // The code of the trace's own id, once a parent names it: later rows compare codes, not strings.
  let traceIdCode = -1
  let comparedCode = 0
  for (let k = 0; k < count; k += 1) {
    const row = rows[k] as number
    const kind = kindByEventCode[eventColumn[row] as number] as number
    const tsMs = tsMsColumn[row] as number
    eventKinds[k] = kind
    nodeIdCodes[k] = spanIdColumn[row] as number
    startMs[k] = tsMs
    const name = spanNameColumn[row] as number
    if (name !== 0) {
      if (kind === TRACE_EVENT_KIND.trace) {
        if (traceEventName === 0 || tsMs < traceEventTsMs) {
          traceEventName = name
          traceEventTsMs = tsMs
        }
      } else if (earliestName === 0 || tsMs < earliestTsMs) {
        earliestName = name
        earliestTsMs = tsMs
      }
    }
    const parentCode = parentIdColumn[row] as number
    if (traceIdCode < 0 && parentCode !== comparedCode) {
      // Siblings mostly come one after another: a run of rows with one parent compares it once.
      comparedCode = parentCode
      traceIdCode = spanIds.equals(parentCode, traceId) ? parentCode : -1
    }
    if (parentCode === traceIdCode) {
      continue // 0: the trace
    }
    parentIdCodes[k] = parentCode
  }
  return {
    link: { traceId, count, nodeIdCodes, parentIdCodes, idCodeCount: dictionaries.spanId.size, eventKinds, startMs },
    nameCode: traceEventName !== 0 ? traceEventName : earliestName,
  }
}

/**
 * Each node's name, coded: its span name, else its model. Span-name codes and model codes
 * come from different dictionaries, so models are keyed after the span names; a model
 * string that is also one of these nodes' span names takes that span name's key, so each
 * string is coded once.
 */
function codeNames({ nameKeys: keys, isNodeNameByModelCode }: KeptColumns, dictionaries: Dictionaries): CodedStrings {
  const spanNameCount = dictionaries.spanName.size
  const modelKeyByName = new Map<string, number>()
  for (let modelCode = 1; modelCode < isNodeNameByModelCode.length; modelCode += 1) {
    if (isNodeNameByModelCode[modelCode] === 1) {
      modelKeyByName.set(dictionaries.model.decode(modelCode) as string, spanNameCount + modelCode)
    }
  }
  if (modelKeyByName.size > 0) {
    // Few models name nodes: look each distinct span name up among them once.
    const spanKeyByModelKey = new Map<number, number>()
    const isSpanNameChecked = new Uint8Array(spanNameCount)
    for (const key of keys) {
      if (key > 0 && key < spanNameCount && isSpanNameChecked[key] === 0) {
        isSpanNameChecked[key] = 1
        const modelKey = modelKeyByName.get(dictionaries.spanName.decode(key) as string)
        if (modelKey !== undefined) {
          spanKeyByModelKey.set(modelKey, key)
        }
      }
    }
    if (spanKeyByModelKey.size > 0) {
      for (let position = 0; position < keys.length; position += 1) {
        keys[position] = spanKeyByModelKey.get(keys[position] as number) ?? (keys[position] as number)
      }
    }
  }
  const { spanName, model } = dictionaries
  const modelOf = (key: number) => (key === 0 ? null : model.decode(key - spanNameCount))
  return (
    codeByDictionaryRange(keys, spanName, modelOf) ??
    codeByKey(keys, spanNameCount + model.size, (key) => (key < spanNameCount ? spanName.decode(key) : modelOf(key)))
  )
}

/**
 * Each kept node's id: its code in the span ids' dictionary, else (its id column was damaged
 * and left out) `row-<row>`.
 */
function codeNodeIds(keptRows: Int32Array, spanIdColumn: Uint32Array, spanIds: Dictionary): CodedStrings {
  const rowIdOf = (position: number) => `row-${keptRows[position] as number}`
  const coded = codeByDictionaryRange(spanIdColumn, spanIds, (_key, position) => rowIdOf(position), keptRows)
  if (coded !== null) {
    return coded
  }
  // Spread among other traces' ids: each position's id, in order.
  const codes = new Uint32Array(keptRows.length)
  const values = packStrings(keptRows.length, (position) => {
    codes[position] = position + 1
    const code = spanIdColumn[keptRows[position] as number] as number
    return code > 0 ? (spanIds.decode(code) as string) : rowIdOf(position)
  })
  return { codes, values }
}

/** The first `count` entries of a column: the column itself when that is all of it. */
function firstEntries<Column extends Float64Array | Int32Array | Uint16Array | Uint8Array>(column: Column, count: number): Column {
  return count === column.length ? column : (column.slice(0, count) as Column)
}

/**
 * The tree of one trace, from the columns; see {@link TraceSpec}. With `spec.maxSpans`, the
 * result keeps the first nodes in pre-order; the tree is still built, and rolled up, whole.
 * @throws RangeError when `spec.maxSpans` is not a whole number ≥ 0.
 */
export function runTraceQuery(spec: TraceSpec, input: TraceQueryInput): TraceResult {
  const maxSpans = maxSpansOf(spec)
  const { columns, dictionaries } = input
  const rows = rowsOfTrace(columns, dictionaries.traceId.find(spec.traceId))
  const { dimensions } = columns

  // The shape needs start times by event; the figures are read from the columns in pre-order,
  // and strings and the remaining columns for the nodes kept only.
  const { link, nameCode } = linkInputOf(rows, columns, dictionaries, spec.traceId)
  const shape = shapeTraceTree(link)
  const nodeCount = Math.min(shape.nodeCount, maxSpans)
  const { rowAt, own, kept } = ownFiguresOf(shape, rows, link, input, nodeCount)
  const tree = rollUpTraceTree(shape, own)

  const keptRows = rowAt.subarray(0, nodeCount)
  const cut = <Column extends Float64Array | Int32Array | Uint16Array | Uint8Array>(column: Column) => firstEntries(column, nodeCount)
  const nodeIds = codeNodeIds(keptRows, dimensions.spanId, dictionaries.spanId)
  const eventNames = codeByKey(dimensions.event, dictionaries.event.size, (code) => dictionaries.event.decode(code), keptRows)
  const names = codeNames(kept, dictionaries)
  const models = codeByKey(dimensions.model, dictionaries.model.size, (code) => dictionaries.model.decode(code), keptRows)
  return {
    kind: 'trace',
    dataVersion: input.dataVersion,
    traceId: spec.traceId,
    found: rows.length > 0,
    name: rows.length > 0 ? dictionaries.spanName.decode(nameCode) : null,
    nodeCount,
    totalNodeCount: tree.nodeCount,
    nodeIds,
    eventNames,
    names,
    models,
    depth: cut(tree.depth),
    parentPosition: cut(tree.parentPosition),
    subtreeSize: cut(tree.subtreeSize),
    startMs: cut(tree.startMs),
    endMs: cut(tree.endMs),
    ownCostUsd: cut(tree.ownCostUsd),
    rolledCostUsd: cut(tree.rolledCostUsd),
    ownLatencyS: cut(tree.ownLatencyS),
    rolledLatencyS: cut(tree.rolledLatencyS),
    ownInputTokens: cut(tree.ownInputTokens),
    rolledInputTokens: cut(tree.rolledInputTokens),
    ownOutputTokens: cut(tree.ownOutputTokens),
    rolledOutputTokens: cut(tree.rolledOutputTokens),
    ttftS: kept.ttftS,
    isError: cut(own.isError),
    isOrphan: cut(tree.isOrphan),
    subtreeUnknownCostCount: cut(tree.subtreeUnknownCostCount),
    subtreeErrorCount: cut(tree.subtreeErrorCount),
    orphanCount: tree.orphanCount,
    brokenCycleCount: tree.brokenCycleCount,
    excludedCount: tree.excludedCount,
    totals: traceTotals(tree),
    traceStartMs: tree.traceStartMs,
    traceEndMs: tree.traceEndMs,
  }
}

/**
 * Cost, unpriced calls and errors of the whole trace: the sums over its top-level nodes,
 * found by stepping from root to root a subtree at a time.
 */
export function traceTotals(
  trace: Pick<TraceResult, 'nodeCount' | 'subtreeSize' | 'rolledCostUsd' | 'subtreeUnknownCostCount' | 'subtreeErrorCount'>,
): TraceTotals {
  let costUsd: number | null = null
  let unpricedCount = 0
  let errorCount = 0
  for (let root = 0; root < trace.nodeCount; root += Math.max(1, trace.subtreeSize[root] as number)) {
    const cost = trace.rolledCostUsd[root] as number
    if (Number.isFinite(cost)) {
      costUsd = (costUsd ?? 0) + cost
    }
    unpricedCount += trace.subtreeUnknownCostCount[root] as number
    errorCount += trace.subtreeErrorCount[root] as number
  }
  return { costUsd, unpricedCount, errorCount }
}

/**
 * The buffers of a trace result's typed arrays, for a worker to transfer rather than copy:
 * copying a 200k-node result's ~25 MB of arrays across `postMessage` took ~200 ms in
 * Chromium. Each array of a result owns its whole buffer, and nothing else holds them.
 */
export function traceResultTransferables(result: TraceResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  const add = (array: ArrayBufferView) => buffers.add(array.buffer as ArrayBuffer)
  for (const value of Object.values(result) as unknown[]) {
    if (ArrayBuffer.isView(value)) {
      add(value)
    }
  }
  for (const strings of [result.nodeIds, result.eventNames, result.names, result.models]) {
    add(strings.codes)
    add(strings.values.ends)
  }
  return [...buffers]
}
