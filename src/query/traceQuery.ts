import type { ColumnDimension, Dictionaries, EventColumns } from '../store'
import type { TraceResult, TraceSpec, TraceTotals } from './spec'
import { traceNameCodeOf } from './traceNames'
import { rollUpTraceTree, shapeTraceTree, TRACE_EVENT_KIND } from './traceTree'
import { codeByKey, packStrings, type CodedStrings } from './traceStrings'
import type { TraceTreeLinkInput, TraceTreeOwnFigures } from './traceTree.types'

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

/**
 * Each node's row and own figures in pre-order, in one pass over the tree's order rather than
 * a gather per column: in a new worker each loop over a 200k-span trace runs unoptimised for
 * a few ms before V8 has compiled it (see `traceTree.ts`).
 */
function ownFiguresOf(
  order: Int32Array,
  rows: Int32Array,
  link: Pick<TraceTreeLinkInput, 'eventKinds' | 'startMs'>,
  columns: EventColumns,
  costUsdColumn: Float64Array,
): { rowAt: Int32Array; own: TraceTreeOwnFigures } {
  const nodeCount = order.length
  const { isError: isErrorColumn, numbers } = columns
  const { latencyS: latencySColumn, inputTokens: inputTokensColumn, outputTokens: outputTokensColumn } = numbers
  const rowAt = new Int32Array(nodeCount)
  const kinds = new Uint8Array(nodeCount)
  const isError = new Uint8Array(nodeCount)
  const startMs = new Float64Array(nodeCount)
  const latencyS = new Float64Array(nodeCount)
  const costUsd = new Float64Array(nodeCount)
  const inputTokens = new Float64Array(nodeCount)
  const outputTokens = new Float64Array(nodeCount)
  for (let position = 0; position < nodeCount; position += 1) {
    const index = order[position] as number
    const row = rows[index] as number
    rowAt[position] = row
    kinds[position] = link.eventKinds[index] as number
    startMs[position] = link.startMs[index] as number
    isError[position] = isErrorColumn[row] as number
    latencyS[position] = latencySColumn[row] as number
    costUsd[position] = costUsdColumn[row] as number
    inputTokens[position] = inputTokensColumn[row] as number
    outputTokens[position] = outputTokensColumn[row] as number
  }
  return { rowAt, own: { kinds, isError, startMs, latencyS, costUsd, inputTokens, outputTokens } }
}

/** What the strings and the remaining columns are read from, for the nodes kept. */
interface KeptColumns {
  eventCodes: Uint32Array
  modelCodes: Uint32Array
  /** Each node's name as a key of {@link codeNames}: its span name's code, else the span names' count + its model's code. */
  nameKeys: Uint32Array
  /** 1 at the codes of models that name a node (that has no span name of its own). */
  isNodeNameByModelCode: Uint8Array
  ttftS: Float64Array
}

/** {@link KeptColumns} of the nodes at `keptRows`, in one pass over their rows. */
function keptColumnsOf(keptRows: Int32Array, columns: EventColumns, dictionaries: Dictionaries): KeptColumns {
  const { event: eventColumn, model: modelColumn, spanName: spanNameColumn } = columns.dimensions
  const ttftSColumn = columns.numbers.ttftS
  const spanNameCount = dictionaries.spanName.size
  const nodeCount = keptRows.length
  const eventCodes = new Uint32Array(nodeCount)
  const modelCodes = new Uint32Array(nodeCount)
  const nameKeys = new Uint32Array(nodeCount)
  const isNodeNameByModelCode = new Uint8Array(dictionaries.model.size)
  const ttftS = new Float64Array(nodeCount)
  for (let position = 0; position < nodeCount; position += 1) {
    const row = keptRows[position] as number
    eventCodes[position] = eventColumn[row] as number
    ttftS[position] = ttftSColumn[row] as number
    const modelCode = modelColumn[row] as number
    modelCodes[position] = modelCode
    const spanNameCode = spanNameColumn[row] as number
    if (spanNameCode > 0 || modelCode === 0) {
      nameKeys[position] = spanNameCode
    } else {
      nameKeys[position] = spanNameCount + modelCode
      isNodeNameByModelCode[modelCode] = 1
    }
  }
  return { eventCodes, modelCodes, nameKeys, isNodeNameByModelCode, ttftS }
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
 * What the shape of a trace's tree is built from, read from its rows in one pass. Parent ids
 * are coded in the span ids' dictionary (see `SHARED_DICTIONARIES`), so node and parent ids
 * are the columns' codes as they are; only a parent naming the trace itself is recoded, to 0.
 */
function linkInputOf(rows: Int32Array, columns: EventColumns, dictionaries: Dictionaries, traceId: string): TraceTreeLinkInput {
  const count = rows.length
  const { parentId: parentIdColumn, spanId: spanIdColumn, event: eventColumn } = columns.dimensions
  const tsMsColumn = columns.tsMs
  const kindByEventCode = kindByEventCodeOf(dictionaries)
  const spanIds = dictionaries.spanId.values
  const eventKinds = new Uint8Array(count)
  const nodeIdCodes = new Int32Array(count)
  const parentIdCodes = new Int32Array(count)
  const startMs = new Float64Array(count)
  // The code of the trace's own id, once a parent names it: later rows compare codes, not strings.
  let traceIdCode = -1
  for (let k = 0; k < count; k += 1) {
    const row = rows[k] as number
    eventKinds[k] = kindByEventCode[eventColumn[row] as number] as number
    nodeIdCodes[k] = spanIdColumn[row] as number
    startMs[k] = tsMsColumn[row] as number
    const parentCode = parentIdColumn[row] as number
    if (parentCode === traceIdCode || (traceIdCode < 0 && parentCode !== 0 && spanIds[parentCode] === traceId)) {
      traceIdCode = parentCode
      continue // 0: the trace
    }
    parentIdCodes[k] = parentCode
  }
  return { traceId, count, nodeIdCodes, parentIdCodes, idCodeCount: dictionaries.spanId.size, eventKinds, startMs }
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
  const { dimensions } = columns

  // The shape needs start times by event; the figures are read from the columns in pre-order.
  const link = linkInputOf(rows, columns, dictionaries, spec.traceId)
  const shape = shapeTraceTree(link)
  const { rowAt, own } = ownFiguresOf(shape.order, rows, link, columns, input.costUsd)
  const tree = rollUpTraceTree(shape, own)

  // Strings and the remaining columns are read for the nodes kept only.
  const nodeCount = Math.min(tree.nodeCount, maxSpans)
  const keptRows = rowAt.subarray(0, nodeCount)
  const kept = keptColumnsOf(keptRows, columns, dictionaries)
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
    eventNames: codeByKey(kept.eventCodes, dictionaries.event.size, (code) => dictionaries.event.decode(code)),
    names: codeNames(kept, dictionaries),
    models: codeByKey(kept.modelCodes, dictionaries.model.size, (code) => dictionaries.model.decode(code)),
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
  for (const strings of [result.eventNames, result.names, result.models]) {
    add(strings.codes)
    add(strings.values.ends)
  }
  add(result.nodeIds.ends)
  return [...buffers]
}
