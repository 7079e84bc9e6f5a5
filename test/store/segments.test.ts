import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COLUMN_DIMENSIONS, NUMERIC_COLUMNS, createDictionaries, eventsToColumns, type EventColumns } from '../../src/store'
import { allocateColumns, fromStoredColumns, toStoredColumns, type StoredColumns } from '../../src/store/segments'
import { validateEvent } from '../../src/schema'
import { generateEvents } from '../../src/testing'

/** Every value of every column, NaN and -0 told apart, for comparing column sets. */
function columnValues(columns: EventColumns): Record<string, string[]> {
  const show = (values: ArrayLike<number>) => Array.from(values, (value) => (Object.is(value, -0) ? '-0' : String(value)))
  return {
    tsMs: show(columns.tsMs),
    ...Object.fromEntries(COLUMN_DIMENSIONS.map((dimension) => [`dimensions.${dimension}`, show(columns.dimensions[dimension])])),
    ...Object.fromEntries(NUMERIC_COLUMNS.map((name) => [`numbers.${name}`, show(columns.numbers[name])])),
    ...Object.fromEntries([...columns.properties].map(([name, codes]) => [`properties.${name}`, show(codes)])),
    isError: show(columns.isError),
    httpStatus: show(columns.httpStatus),
    isAnonymous: show(columns.isAnonymous),
    cacheExclusive: show(columns.cacheExclusive),
  }
}

/** Stored columns as IndexedDB hands them back: a structured clone. */
const roundTrip = (columns: EventColumns, segmentId = 1) => fromStoredColumns(structuredClone(toStoredColumns(columns)), columns.length, segmentId)

function storedBytes(stored: unknown): number {
  if (ArrayBuffer.isView(stored)) {
    return stored.byteLength
  }
  if (typeof stored === 'object' && stored !== null) {
    return Object.values(stored).reduce((sum: number, value) => sum + storedBytes(value), 0)
  }
  return 8
}

const number = fc.oneof(
  fc.constant(Number.NaN),
  fc.constant(-0),
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 0, max: 70_000 }),
  fc.integer({ min: 0, max: 2 ** 25 }).map((thousandths) => thousandths / 1000),
  fc.double(),
)
const code = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 2 ** 32 - 1 }), fc.integer({ min: 70_000, max: 70_400 }))
const time = fc.oneof(fc.integer({ min: 1_700_000_000_000, max: 1_700_100_000_000 }), fc.double({ min: 0, max: 2e12 }), fc.constant(Number.NaN))

describe('stored segment columns', () => {
  it('read back every value exactly, whatever the values: absent, -0, huge, close ids, three decimals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((length) =>
          fc.record({
            length: fc.constant(length),
            tsMs: fc.oneof(fc.array(time, { minLength: length, maxLength: length }), fc.array(fc.integer({ min: 0, max: 10_000 }).map((ms) => 1_790_000_000_000 + ms), { minLength: length, maxLength: length })),
            codes: fc.array(fc.array(code, { minLength: length, maxLength: length }), { minLength: COLUMN_DIMENSIONS.length + 1, maxLength: COLUMN_DIMENSIONS.length + 1 }),
            numbers: fc.array(fc.oneof(fc.array(number, { minLength: length, maxLength: length }), fc.constant(Array.from({ length }, () => Number.NaN))), {
              minLength: NUMERIC_COLUMNS.length,
              maxLength: NUMERIC_COLUMNS.length,
            }),
          }),
        ),
        ({ length, tsMs, codes, numbers }) => {
          const columns = allocateColumns(length, ['plan'])
          columns.tsMs.set(tsMs)
          COLUMN_DIMENSIONS.forEach((dimension, index) => columns.dimensions[dimension].set(codes[index] as number[]))
          columns.properties.get('plan')?.set(codes[COLUMN_DIMENSIONS.length] as number[])
          NUMERIC_COLUMNS.forEach((name, index) => columns.numbers[name].set(numbers[index] as number[]))
          columns.httpStatus.fill(429)
          expect(columnValues(roundTrip(columns))).toEqual(columnValues(columns))
        },
      ),
    )
  })

  it("store the generator's events in well under half the bytes of plain typed arrays", () => {
    const dictionaries = createDictionaries()
    const events = generateEvents({ size: 5_000, seed: 7 }).map((input) => {
      const result = validateEvent(input)
      if (!result.ok) {
        throw new Error(JSON.stringify(result.problems))
      }
      return result.event
    })
    // A later segment: its ids' codes are past 65,536, as at a million stored events.
    for (const dimension of ['traceId', 'sessionId', 'spanId', 'parentId', 'replaySessionId'] as const) {
      dictionaries[dimension].appendAll(Array.from({ length: 70_000 }, (_, index) => `earlier-${index}`))
    }
    const columns = eventsToColumns(events, dictionaries)
    const stored = toStoredColumns(columns)
    const plainBytes = storedBytes(columns.tsMs) + storedBytes(columns.dimensions) + storedBytes(columns.numbers) + 5 * columns.length
    expect(storedBytes(stored)).toBeLessThan(plainBytes * 0.4)
    expect(stored.dimensions.spanId).toMatchObject({ offsets: expect.any(Uint16Array) })
    expect(stored.numbers.reasoningTokens).toMatchObject({ rows: expect.any(Uint16Array), values: expect.any(Uint16Array) })
    expect(stored.numbers.latencyS).toMatchObject({ scale: 1000 })
    expect(columnValues(roundTrip(columns))).toEqual(columnValues(columns))
  })

  it('reads into views of larger columns, filling a property the segment was written without', () => {
    const source = allocateColumns(3, [])
    source.tsMs.set([1, 2, 3])
    source.dimensions.model.set([5, 0, 7])
    source.numbers.latencyS.set([0.25, Number.NaN, 1.5])
    const target = allocateColumns(6, ['plan'])
    target.properties.get('plan')?.fill(9)
    const view: EventColumns = {
      ...target,
      length: 3,
      tsMs: target.tsMs.subarray(2, 5),
      dimensions: Object.fromEntries(COLUMN_DIMENSIONS.map((dimension) => [dimension, target.dimensions[dimension].subarray(2, 5)])) as EventColumns['dimensions'],
      numbers: Object.fromEntries(NUMERIC_COLUMNS.map((name) => [name, target.numbers[name].subarray(2, 5)])) as EventColumns['numbers'],
      properties: new Map([['plan', (target.properties.get('plan') as Uint32Array).subarray(2, 5)]]),
      isError: target.isError.subarray(2, 5),
      httpStatus: target.httpStatus.subarray(2, 5),
      isAnonymous: target.isAnonymous.subarray(2, 5),
      cacheExclusive: target.cacheExclusive.subarray(2, 5),
    }
    fromStoredColumns(toStoredColumns(source), 3, 1, view)
    expect([...target.tsMs]).toEqual([0, 0, 1, 2, 3, 0])
    expect([...target.dimensions.model]).toEqual([0, 0, 5, 0, 7, 0])
    expect([...target.numbers.latencyS]).toEqual([0, 0, 0.25, Number.NaN, 1.5, 0])
    expect([...(target.properties.get('plan') ?? [])]).toEqual([9, 9, 0, 0, 0, 9])
  })

  it.each<[string, (stored: StoredColumns) => void, string]>([
    ['a packed value for a row past the end', (stored) => (stored.numbers.latencyS = { rows: new Uint16Array([0, 9]), values: new Float32Array(2) }), 'column numbers.latencyS has a value for row 9'],
    ['packed rows without their values', (stored) => (stored.numbers.latencyS = { rows: new Uint16Array([0, 1]), values: new Float32Array(1) }), 'column numbers.latencyS has 1 values, expected 2'],
    ['offset codes of the wrong length', (stored) => (stored.dimensions.spanId = { base: 70_000, offsets: new Uint16Array(4) }), 'column dimensions.spanId has 4 values, expected 3'],
    ['a missing number column', (stored) => delete (stored.numbers as Partial<StoredColumns['numbers']>).ttftS, 'column numbers.ttftS has no typed array, expected 3'],
  ])('name the damage when a stored segment has %s', (_, damage, message) => {
    const columns = allocateColumns(3, [])
    columns.numbers.latencyS.set([0.5, Number.NaN, Number.NaN])
    columns.dimensions.spanId.set([70_001, 70_002, 70_003])
    const stored = toStoredColumns(columns)
    damage(stored)
    expect(() => fromStoredColumns(stored, 3, 4)).toThrow(`aiscope: segment 4 is corrupt: ${message}`)
  })
})
