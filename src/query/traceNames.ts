import type { Dictionaries, EventColumns } from '../store'

/**
 * The name of each event's trace, as a code of the `spanName` dictionary (0 when the trace
 * has no name), following PostHog: the `$ai_trace` event's name, else the name of the
 * trace's earliest named event.
 */
export function traceNameCodes(columns: EventColumns, dictionaries: Dictionaries): Uint32Array {
  const traceEventCode = dictionaries.event.find('$ai_trace')
  const { traceId, spanName, event } = columns.dimensions
  const nameByTrace = new Map<number, { tsMs: number; name: number }>()
  const earliestByTrace = new Map<number, { tsMs: number; name: number }>()
  for (let row = 0; row < columns.length; row += 1) {
    const trace = traceId[row] as number
    const name = spanName[row] as number
    if (trace === 0 || name === 0) {
      continue
    }
    const tsMs = columns.tsMs[row] as number
    const byName = event[row] === traceEventCode ? nameByTrace : earliestByTrace
    const earliest = byName.get(trace)
    if (!earliest || tsMs < earliest.tsMs) {
      byName.set(trace, { tsMs, name })
    }
  }
  const codes = new Uint32Array(columns.length)
  for (let row = 0; row < columns.length; row += 1) {
    const trace = traceId[row] as number
    if (trace !== 0) {
      codes[row] = (nameByTrace.get(trace) ?? earliestByTrace.get(trace))?.name ?? 0
    }
  }
  return codes
}

/**
 * The name of one trace (given its rows, in row order) by the rule of {@link traceNameCodes}:
 * a trace query reads this alone rather than deriving every trace's name.
 */
export function traceNameCodeOf(rows: Int32Array, columns: EventColumns, dictionaries: Dictionaries): number {
  const traceEventCode = dictionaries.event.find('$ai_trace')
  const { spanName, event } = columns.dimensions
  const tsMsColumn = columns.tsMs
  // Codes and times as plain numbers (0: none yet): this runs over every row of a 200k-span
  // trace in a new worker, mostly before V8 has optimised it.
  let traceEventName = 0
  let traceEventTsMs = 0
  let earliestName = 0
  let earliestTsMs = 0
  for (let k = 0; k < rows.length; k += 1) {
    const row = rows[k] as number
    const name = spanName[row] as number
    if (name === 0) {
      continue
    }
    const tsMs = tsMsColumn[row] as number
    if (event[row] === traceEventCode) {
      if (traceEventName === 0 || tsMs < traceEventTsMs) {
        traceEventName = name
        traceEventTsMs = tsMs
      }
    } else if (earliestName === 0 || tsMs < earliestTsMs) {
      earliestName = name
      earliestTsMs = tsMs
    }
  }
  return traceEventName !== 0 ? traceEventName : earliestName
}
