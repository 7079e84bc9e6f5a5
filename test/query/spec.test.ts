/**
 * The query contract against the storage: every dimension a spec can name is a column of the
 * store, or derived from the columns by a rule listed here. A contract dimension added with
 * neither fails these tests. (`property:<name>` dimensions are the host's own: they read the
 * columns' `properties`, and the aggregate tests cover them.)
 */
import { describe, expect, it } from 'vitest'
import { dimensionColumn } from '../../src/query/aggregate.utils'
import { DIMENSIONS } from '../../src/query/spec'
import { COLUMN_DIMENSIONS, type ColumnDimension } from '../../src/store'
import { kernelInput, testEvent } from './support'

type ContractDimension = (typeof DIMENSIONS)[number]

/** The contract dimensions without a column of their own, and how their codes are derived. */
const DERIVED_DIMENSIONS: Partial<Record<ContractDimension, string>> = {
  traceName:
    "the trace's name (src/query/traceNames.ts): its `$ai_trace` event's span name, else its earliest named " +
    "event's, as a `spanName` code on every event of the trace; the engine derives it once per data version",
}

const columnDimensions: ReadonlySet<string> = new Set(COLUMN_DIMENSIONS)

/** A trace named by its `$ai_trace` event, a trace named by its only named event, and an event in no trace. */
const input = kernelInput(
  [
    { event: '$ai_generation', ts: '2026-03-10T10:00:00Z', properties: { $ai_trace_id: 'T', $ai_span_name: 'first-step', $ai_model: 'gpt-4o' } },
    { event: '$ai_trace', ts: '2026-03-10T10:00:05Z', properties: { $ai_trace_id: 'T', $ai_span_name: 'the-trace' } },
    { event: '$ai_generation', ts: '2026-03-10T10:01:00Z', properties: { $ai_trace_id: 'U', $ai_span_name: 'u-step', $ai_model: 'claude' } },
    { event: '$pageview', ts: '2026-03-10T10:02:00Z', properties: { $current_url: 'https://app.example/' } },
  ].map((fields, index) => testEvent({ ...fields, distinctId: 'ana' }, index)),
)

describe('the query contract’s dimensions', () => {
  it('are column dimensions, apart from the derived ones listed here', () => {
    expect(DIMENSIONS.filter((dimension) => !columnDimensions.has(dimension)).sort()).toEqual(Object.keys(DERIVED_DIMENSIONS).sort())
  })

  it('read a column dimension straight from its column and dictionary', () => {
    for (const dimension of DIMENSIONS.filter((candidate) => columnDimensions.has(candidate))) {
      const column = dimensionColumn(dimension, input)
      expect(column.codes, dimension).toBe(input.columns.dimensions[dimension as ColumnDimension])
      expect(column.dictionary, dimension).toBe(input.dictionaries[dimension as ColumnDimension])
    }
  })

  it('derive the trace name of every event of a trace', () => {
    const traceName = dimensionColumn('traceName', input)
    expect(Array.from(traceName.codes, (code) => traceName.dictionary.decode(code))).toEqual(['the-trace', 'the-trace', 'u-step', null])
  })
})
