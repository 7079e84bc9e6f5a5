import type { ColumnDimension, Dictionaries, EventColumns } from '../store'
import type { TraceResult, TraceSpec, TraceTotals } from './spec'
import { traceNameCodeOf } from './traceNames'
import { rollUpTraceTree, shapeTraceTree, TRACE_EVENT_KIND } from './traceTree'
import { codeByKey, packStrings, type CodedStrings } from './traceStrings'
import type { TraceTreeInput } from './traceTree.types'

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
  // Two passes over one code column: ~3 ms for 1M events, too little to keep a per-trace
  // index (4 MB at 1M events, rebuilt at every data version) for.
  const traceIds = columns.dimensions.traceId
  const length = columns.length
  let count = 0
  for (let row = 0; row < length; row += 1) {
    if (traceIds[row] === traceCode) {
      count += 1
    }
  }
  const rows = new Int32Array(count)
  let found = 0
  for (let row = 0; found < count; row += 1) {
    if (traceIds[row] === traceCode) {
      rows[found] = row
      found += 1
    }
  }
  return rows
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

// One gather per array type rather than one generic: each stays monomorphic, so V8 keeps
// its typed-array loads and stores inlined (these run over every node of a 200k-span trace).

/** `column[indices[k]]` for each k. */
function pickFloat64(column: Float64Array, indices: Int32Array): Float64Array {
  const picked = new Float64Array(indices.length)
  for (let k = 0; k < indices.length; k += 1) {
    picked[k] = column[indices[k] as number] as number
  }
  return picked
}

/** `column[indices[k]]` for each k. */
function pickUint8(column: Uint8Array, indices: Int32Array): Uint8Array {
  const picked = new Uint8Array(indices.length)
  for (let k = 0; k < indices.length; k += 1) {
    picked[k] = column[indices[k] as number] as number
  }
  return picked
}

/** `column[indices[k]]` for each k. */
function pickUint32(column: Uint32Array, indices: Int32Array): Uint32Array {
  const picked = new Uint32Array(indices.length)
  for (let k = 0; k < indices.length; k += 1) {
    picked[k] = column[indices[k] as number] as number
  }
  return picked
}

/** The tree kind of each row's event, looked up by event code. */
function eventKindsOf(rows: Int32Array, columns: EventColumns, dictionaries: Dictionaries): Uint8Array {
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
  const eventCodes = columns.dimensions.event
  const kinds = new Uint8Array(rows.length)
  for (let k = 0; k < rows.length; k += 1) {
    kinds[k] = kindByEventCode[eventCodes[rows[k] as number] as number] as number
  }
  return kinds
}

/**
 * Node ids and parent ids of a trace's events in the one coding {@link TraceTreeInput} takes:
 * parent ids are coded in the span ids' dictionary (see `SHARED_DICTIONARIES`), so both are
 * the columns' codes as they are. Only a parent naming the trace itself is recoded, to 0.
 */
function linkCodes(
  rows: Int32Array,
  columns: EventColumns,
  dictionaries: Dictionaries,
  traceId: string,
): Pick<TraceTreeInput, 'nodeIdCodes' | 'parentIdCodes' | 'idCodeCount'> {
  const count = rows.length
  const { parentId: parentIdColumn, spanId: spanIdColumn } = columns.dimensions
  const spanIds = dictionaries.spanId.values
  const nodeIdCodes = new Int32Array(count)
  const parentIdCodes = new Int32Array(count)
  for (let k = 0; k < count; k += 1) {
    const row = rows[k] as number
    nodeIdCodes[k] = spanIdColumn[row] as number
    const parentCode = parentIdColumn[row] as number
    parentIdCodes[k] = parentCode === 0 || spanIds[parentCode] === traceId ? 0 : parentCode
  }
  return { nodeIdCodes, parentIdCodes, idCodeCount: dictionaries.spanId.size }
}

/**
 * Each node's name, coded: its span name, else its model. Span-name codes and model codes
 * come from different dictionaries, so models are keyed after the span names; a model
 * string that is also one of these nodes' span names takes that span name's key, so each
 * string is coded once.
 */
function codeNames(rowAt: Int32Array, columns: EventColumns, dictionaries: Dictionaries): CodedStrings {
  const { spanName: spanNameColumn, model: modelColumn } = columns.dimensions
  const spanNameCount = dictionaries.spanName.size
  const keys = new Uint32Array(rowAt.length)
  const modelKeyByName = new Map<string, number>()
  for (let position = 0; position < rowAt.length; position += 1) {
    const row = rowAt[position] as number
    const spanNameCode = spanNameColumn[row] as number
    const modelCode = modelColumn[row] as number
    if (spanNameCode > 0 || modelCode === 0) {
      keys[position] = spanNameCode
      continue
    }
    const key = spanNameCount + modelCode
    keys[position] = key
    modelKeyByName.set(dictionaries.model.decode(modelCode) as string, key)
  }
  if (modelKeyByName.size > 0) {
    // Few models name nodes: look each distinct span name up among them once.
    const spanKeyByModelKey = new Map<number, number>()
    const isSpanNameChecked = new Uint8Array(spanNameCount)
    for (const key of keys) {
      if (key > 0 && key < spanNameCount && isSpanNameChecked[key] === 0) {
        isSpanNameChecked[key] = 1
        const modelKey = modelKeyByName.get(dictionaries.spanName.values[key] as string)
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
  return codeByKey(keys, spanNameCount + dictionaries.model.size, (key) =>
    key < spanNameCount ? dictionaries.spanName.decode(key) : dictionaries.model.decode(key - spanNameCount),
  )
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
  const { dimensions, numbers } = columns

  // The shape needs start times by event; the figures are read straight from the columns
  // in pre-order rather than copied per event first.
  const eventKinds = eventKindsOf(rows, columns, dictionaries)
  const { nodeIdCodes, parentIdCodes, idCodeCount } = linkCodes(rows, columns, dictionaries, spec.traceId)
  const shape = shapeTraceTree({
    traceId: spec.traceId,
    count: rows.length,
    nodeIdCodes,
    parentIdCodes,
    idCodeCount,
    eventKinds,
    startMs: pickFloat64(columns.tsMs, rows),
  })
  const rowAt = new Int32Array(shape.nodeCount)
  for (let position = 0; position < shape.nodeCount; position += 1) {
    rowAt[position] = rows[shape.order[position] as number] as number
  }
  const isError = pickUint8(columns.isError, rowAt)
  const tree = rollUpTraceTree(shape, {
    kinds: pickUint8(eventKinds, shape.order),
    isError,
    startMs: pickFloat64(columns.tsMs, rowAt),
    latencyS: pickFloat64(numbers.latencyS, rowAt),
    costUsd: pickFloat64(input.costUsd, rowAt),
    inputTokens: pickFloat64(numbers.inputTokens, rowAt),
    outputTokens: pickFloat64(numbers.outputTokens, rowAt),
  })

  // Strings and the remaining columns are read for the nodes kept only.
  const nodeCount = Math.min(tree.nodeCount, maxSpans)
  const keptRows = rowAt.subarray(0, nodeCount)
  const spanIds = dictionaries.spanId.values
  const cut = <Column extends Float64Array | Int32Array | Uint16Array | Uint8Array>(column: Column) => firstEntries(column, nodeCount)
  return {
    kind: 'trace',
    dataVersion: input.dataVersion,
    traceId: spec.traceId,
    found: rows.length > 0,
    name: rows.length > 0 ? dictionaries.spanName.decode(traceNameCodeOf(rows, columns, dictionaries)) : null,
    nodeCount,
    totalNodeCount: tree.nodeCount,
    nodeIds: packStrings(nodeCount, (position) => {
      const row = keptRows[position] as number
      const spanIdCode = dimensions.spanId[row] as number
      return spanIdCode > 0 ? (spanIds[spanIdCode] as string) : `row-${row}`
    }),
    eventNames: codeByKey(pickUint32(dimensions.event, keptRows), dictionaries.event.size, (code) => dictionaries.event.decode(code)),
    names: codeNames(keptRows, columns, dictionaries),
    models: codeByKey(pickUint32(dimensions.model, keptRows), dictionaries.model.size, (code) => dictionaries.model.decode(code)),
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
    ttftS: pickFloat64(numbers.ttftS, keptRows),
    isError: cut(isError),
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
  for (const strings of [result.eventNames, result.names, result.models]) {
    add(strings.codes)
    add(strings.values.ends)
  }
  add(result.nodeIds.ends)
  return [...buffers]
}
