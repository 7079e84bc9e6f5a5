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
