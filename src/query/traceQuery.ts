import type { Dictionaries, EventColumns } from '../store'
import type { TraceResult, TraceSpec } from './spec'
import { buildTraceTree, TRACE_EVENT_KIND } from './traceTree'
import { codeByKey, packStrings } from './traceStrings'
import type { TraceEventKind } from './traceTree.types'

/** What the trace query reads. */
export interface TraceQueryInput {
  columns: EventColumns
  dictionaries: Dictionaries
  /** Per event, from tokens and prices at read time; NaN unknown. */
  costUsd: Float64Array
  /** Per event, the trace name's code in the `spanName` dictionary. */
  traceNameCodes: Uint32Array
  dataVersion: number
}

/** Rows of the events of one trace, in row order. */
export function rowsOfTrace(columns: EventColumns, traceCode: number): number[] {
  const rows: number[] = []
  if (traceCode <= 0) {
    return rows
  }
  const traceIds = columns.dimensions.traceId
  for (let row = 0; row < columns.length; row += 1) {
    if (traceIds[row] === traceCode) {
      rows.push(row)
    }
  }
  return rows
}

/** The tree of one trace, from the columns; see {@link TraceSpec}. */
export function runTraceQuery(spec: TraceSpec, input: TraceQueryInput): TraceResult {
  const { columns, dictionaries } = input
  const traceCode = dictionaries.traceId.find(spec.traceId)
  const rows = rowsOfTrace(columns, traceCode)
  const count = rows.length
  const kindByEventCode = new Map<number, TraceEventKind>([
    [dictionaries.event.find('$ai_trace'), TRACE_EVENT_KIND.trace],
    [dictionaries.event.find('$ai_span'), TRACE_EVENT_KIND.span],
    [dictionaries.event.find('$ai_generation'), TRACE_EVENT_KIND.generation],
    [dictionaries.event.find('$ai_embedding'), TRACE_EVENT_KIND.embedding],
  ])
  const { dimensions, numbers } = columns
  const pick = (source: Float64Array) => {
    const picked = new Float64Array(count)
    for (let index = 0; index < count; index += 1) {
      picked[index] = source[rows[index] as number] as number
    }
    return picked
  }
  const eventKinds = new Uint8Array(count)
  const isError = new Uint8Array(count)
  const inputNodeIds: string[] = []
  const inputParentIds: (string | null)[] = []
  for (let index = 0; index < count; index += 1) {
    const row = rows[index] as number
    eventKinds[index] = kindByEventCode.get(dimensions.event[row] as number) ?? TRACE_EVENT_KIND.other
    isError[index] = columns.isError[row] as number
    inputNodeIds.push(dictionaries.spanId.decode(dimensions.spanId[row] as number) ?? `row-${row}`)
    inputParentIds.push(dictionaries.parentId.decode(dimensions.parentId[row] as number))
  }

  const tree = buildTraceTree({
    traceId: spec.traceId,
    count,
    nodeIds: inputNodeIds,
    parentIds: inputParentIds,
    eventKinds,
    names: [], // not read by the build: the result's names are coded below
    startMs: pick(columns.tsMs),
    latencyS: pick(numbers.latencyS),
    costUsd: pick(input.costUsd),
    inputTokens: pick(numbers.inputTokens),
    outputTokens: pick(numbers.outputTokens),
    isError,
  })

  // Plain loops: `Array.from` and `TypedArray.from` with a mapping function cost several
  // times more per element, which a 200k-span trace feels.
  const nodeCount = tree.nodeCount
  const rowAt = new Int32Array(nodeCount)
  const ttftS = new Float64Array(nodeCount)
  const nodeIsError = new Uint8Array(nodeCount)
  for (let position = 0; position < nodeCount; position += 1) {
    const row = rows[tree.order[position] as number] as number
    rowAt[position] = row
    ttftS[position] = numbers.ttftS[row] as number
    nodeIsError[position] = columns.isError[row] as number
  }
  const row = (position: number) => rowAt[position] as number
  // A node's name is its span name, else its model: keyed as the span-name code, or as
  // minus the model code when there is no span name.
  const nameKey = (position: number) => {
    const spanNameCode = dimensions.spanName[row(position)] as number
    return spanNameCode > 0 ? spanNameCode : -(dimensions.model[row(position)] as number)
  }
  const nameOfKey = (key: number) => (key > 0 ? dictionaries.spanName.decode(key) : dictionaries.model.decode(-key))
  return {
    kind: 'trace',
    dataVersion: input.dataVersion,
    traceId: spec.traceId,
    found: count > 0,
    name: count > 0 ? dictionaries.spanName.decode(input.traceNameCodes[rows[0] as number] as number) : null,
    nodeCount,
    totalNodeCount: nodeCount,
    nodeIds: packStrings(nodeCount, (position) => inputNodeIds[tree.order[position] as number] as string),
    eventNames: codeByKey(nodeCount, (position) => dimensions.event[row(position)] as number, (code) => dictionaries.event.decode(code)),
    names: codeByKey(nodeCount, nameKey, nameOfKey),
    models: codeByKey(nodeCount, (position) => dimensions.model[row(position)] as number, (code) => dictionaries.model.decode(code)),
    depth: tree.depth,
    parentPosition: tree.parentPosition,
    subtreeSize: tree.subtreeSize,
    startMs: tree.startMs,
    endMs: tree.endMs,
    ownCostUsd: tree.ownCostUsd,
    rolledCostUsd: tree.rolledCostUsd,
    ownLatencyS: tree.ownLatencyS,
    rolledLatencyS: tree.rolledLatencyS,
    ownInputTokens: tree.ownInputTokens,
    rolledInputTokens: tree.rolledInputTokens,
    ownOutputTokens: tree.ownOutputTokens,
    rolledOutputTokens: tree.rolledOutputTokens,
    ttftS,
    isError: nodeIsError,
    isOrphan: tree.isOrphan,
    subtreeUnknownCostCount: tree.subtreeUnknownCostCount,
    subtreeErrorCount: tree.subtreeErrorCount,
    orphanCount: tree.orphanCount,
    brokenCycleCount: tree.brokenCycleCount,
    excludedCount: tree.excludedCount,
    traceStartMs: tree.traceStartMs,
    traceEndMs: tree.traceEndMs,
  }
}
