/**
 * The DuckDB-Wasm baseline of the re-aggregations, loaded on demand by `main.ts` (so the
 * aiscope cases never pay for its 220 KB of JavaScript or its worker). The same generated
 * events go into one DuckDB table, through Arrow, and the same filter changes run as SQL
 * from the same page, each a round trip to DuckDB's worker and back as plain rows.
 *
 * Fairness, column by column:
 * - All events are loaded (spans, traces, page views...), as aiscope stores them; every
 *   query keeps `$ai_generation` and `$ai_embedding` events, as aiscope's aggregates do.
 * - `cost_usd` is the cost aiscope measures: the client's `$ai_total_cost_usd` where the
 *   event has one, else its tokens priced with the table (`priceEvent`), else NULL. aiscope
 *   prices the 20% of generations without a cost when it loads its columns (once per load,
 *   not per query), so the table gets the same values precomputed: both sides sum a stored
 *   column, and the answers can be compared.
 * - `notIn` keeps events without the dimension, as aiscope does: `IS DISTINCT FROM`.
 * - p95 is `quantile_disc` (an exact, discrete quantile, like aiscope's nearest rank).
 * - Days are UTC (`date_trunc('day', ts)` over a `TIMESTAMP`), aiscope's default time zone.
 */
import * as duckdb from '@duckdb/duckdb-wasm'
import duckdbWasmUrl from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url'
import duckdbWorkerUrl from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url'
import { Bool, Dictionary, Float64, Int32, Table, TimestampMillisecond, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow'
import type { AggregateSpec, AiscopeEvent, DimensionFilter } from 'aiscope'
import { priceEvent } from 'aiscope/pricing'

/** Rows per Arrow table handed to DuckDB. */
const INSERT_ROWS = 100_000

/** The aggregate events (aiscope's default `eventNames`). */
const MEASURED_EVENTS = "event IN ('$ai_generation', '$ai_embedding')"

/** SQL columns of aiscope's dimensions. */
const COLUMN_OF: Record<string, string> = { model: 'model', provider: 'provider', feature: 'feature', organisation: 'organisation' }

export interface DuckDbSession {
  /** Wasm compile, worker start and `connect()`. */
  instantiateMs: number
  /** From generated events to a queryable table: columns picked out, Arrow built, inserted (the generator's own time excluded). */
  loadMs: number
  rowCount: number
  /** Runs one SQL statement: a round trip to DuckDB's worker, the answer as plain rows. */
  query(sql: string): Promise<Record<string, unknown>[]>
  close(): Promise<void>
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** A `WHERE` condition for one of the re-aggregations' dimension filters. */
function condition(filter: DimensionFilter): string {
  const column = COLUMN_OF[filter.dimension]
  if (column === undefined || filter.values.length !== 1 || filter.values[0] === null || filter.values[0] === undefined) {
    throw new Error(`The DuckDB baseline has no SQL for the filter ${JSON.stringify(filter)}.`)
  }
  const value = sqlString(filter.values[0])
  return filter.op === 'in' ? `${column} = ${value}` : `${column} IS DISTINCT FROM ${value}`
}

/**
 * The SQL of one of the re-aggregation specs in `main.ts` (cost by model per day, p95
 * latency by model, error rate and count by provider), each with one dimension filter.
 */
export function sqlOf(spec: AggregateSpec): string {
  const where = [MEASURED_EVENTS, ...(spec.filters ?? []).map((filter) => condition(filter as DimensionFilter))].join(' AND ')
  const measures = spec.measures.join(',')
  const groupBy = (spec.groupBy ?? []).map((dimension) => COLUMN_OF[dimension])
  if (groupBy.length !== 1 || groupBy[0] === undefined) {
    throw new Error(`The DuckDB baseline has no SQL for groupBy ${JSON.stringify(spec.groupBy)}.`)
  }
  const group = groupBy[0]
  if (measures === 'costUsd' && spec.interval === 'day') {
    return (
      `SELECT ${group} AS key, date_trunc('day', ts) AS day, sum(cost_usd) AS value FROM events ` +
      `WHERE ${where} GROUP BY ${group}, day ORDER BY ${group}, day`
    )
  }
  if (measures === 'latency.p95' && spec.interval === undefined) {
    return `SELECT ${group} AS key, quantile_disc(latency_s, 0.95) AS value FROM events WHERE ${where} GROUP BY ${group} ORDER BY ${group}`
  }
  if (measures === 'errorRate,count' && spec.interval === undefined) {
    return (
      `SELECT ${group} AS key, avg(is_error::INTEGER) AS value, count(*) AS count FROM events ` +
      `WHERE ${where} GROUP BY ${group} ORDER BY ${group}`
    )
  }
  throw new Error(`The DuckDB baseline has no SQL for the measures ${measures}.`)
}

/** Starts DuckDB-Wasm (the EH bundle, served from the bench's own build) and loads `batches` into table `events`. */
export async function openDuckDb(batches: Iterable<AiscopeEvent[]>): Promise<DuckDbSession> {
  let startMs = performance.now()
  const worker = new Worker(duckdbWorkerUrl)
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker)
  await db.instantiate(duckdbWasmUrl)
  const connection = await db.connect()
  const instantiateMs = performance.now() - startMs

  let loadMs = 0
  startMs = performance.now()
  await connection.query(
    'CREATE TABLE events (ts TIMESTAMP, event VARCHAR, model VARCHAR, provider VARCHAR, feature VARCHAR, ' +
      'organisation VARCHAR, cost_usd DOUBLE, latency_s DOUBLE, is_error BOOLEAN NOT NULL)',
  )
  loadMs += performance.now() - startMs

  let rowCount = 0
  let pending: AiscopeEvent[][] = []
  let pendingRows = 0
  const insert = async () => {
    const events = pending.flat()
    pending = []
    pendingRows = 0
    const text = (value: unknown) => (typeof value === 'string' ? value : null)
    const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null)
    const table = new Table({
      ts: makeVector(
        makeData({
          type: new TimestampMillisecond(),
          length: events.length,
          data: BigInt64Array.from(events, (event) => BigInt(Date.parse(event.timestamp))),
        }),
      ),
      event: stringVector(events, (event) => event.event, 0),
      model: stringVector(events, (event) => text(event.properties.$ai_model), 1),
      provider: stringVector(events, (event) => text(event.properties.$ai_provider), 2),
      feature: stringVector(events, (event) => text(event.properties.feature), 3),
      organisation: stringVector(events, (event) => text((event.properties.$groups as Record<string, unknown> | undefined)?.company), 4),
      cost_usd: numberVector(events, (event) =>
        event.event === '$ai_generation' || event.event === '$ai_embedding' ? priceEvent(event.properties).totalCostUsd : null,
      ),
      latency_s: numberVector(events, (event) => number(event.properties.$ai_latency)),
      is_error: makeVector(makeData({ type: new Bool(), length: events.length, data: bits(events, (event) => event.properties.$ai_is_error === true) })),
    })
    await connection.insertArrowTable(table, { name: 'events', create: false })
    rowCount += events.length
  }
  for (const batch of batches) {
    // The generator's time is not DuckDB's: only the work from here on is counted.
    startMs = performance.now()
    pending.push(batch)
    pendingRows += batch.length
    if (pendingRows >= INSERT_ROWS) {
      await insert()
    }
    loadMs += performance.now() - startMs
  }
  startMs = performance.now()
  if (pendingRows > 0) {
    await insert()
  }
  loadMs += performance.now() - startMs

  return {
    instantiateMs,
    loadMs,
    rowCount,
    async query(sql) {
      const result = await connection.query(sql)
      return result.toArray().map((row) => row.toJSON() as Record<string, unknown>)
    },
    async close() {
      await connection.close()
      await db.terminate()
    },
  }
}

/** Arrow's bit-packed booleans. */
function bits<Item>(items: readonly Item[], test: (item: Item) => boolean): Uint8Array {
  const packed = new Uint8Array(Math.ceil(items.length / 8))
  items.forEach((item, index) => {
    if (test(item)) {
      packed[index >> 3] = (packed[index >> 3] as number) | (1 << (index & 7))
    }
  })
  return packed
}

/** A nullable string column, dictionary-encoded as Arrow builds it fastest (DuckDB reads it as VARCHAR). */
function stringVector<Item>(items: readonly Item[], read: (item: Item) => string | null, dictionaryId: number): Vector {
  const codeOf = new Map<string, number>()
  const codes = new Int32Array(items.length)
  const valid = new Uint8Array(Math.ceil(items.length / 8))
  let nullCount = 0
  items.forEach((item, index) => {
    const value = read(item)
    if (value === null) {
      nullCount += 1
      return
    }
    let code = codeOf.get(value)
    if (code === undefined) {
      code = codeOf.size
      codeOf.set(value, code)
    }
    codes[index] = code
    valid[index >> 3] = (valid[index >> 3] as number) | (1 << (index & 7))
  })
  return makeVector(
    makeData({
      type: new Dictionary(new Utf8(), new Int32(), dictionaryId),
      length: items.length,
      nullCount,
      nullBitmap: valid,
      data: codes,
      dictionary: vectorFromArray([...codeOf.keys()], new Utf8()),
    }),
  )
}

/** A nullable float column. */
function numberVector<Item>(items: readonly Item[], read: (item: Item) => number | null): Vector {
  const values = new Float64Array(items.length)
  const valid = new Uint8Array(Math.ceil(items.length / 8))
  let nullCount = 0
  items.forEach((item, index) => {
    const value = read(item)
    if (value === null) {
      nullCount += 1
    } else {
      values[index] = value
      valid[index >> 3] = (valid[index >> 3] as number) | (1 << (index & 7))
    }
  })
  return makeVector(makeData({ type: new Float64(), length: items.length, nullCount, nullBitmap: valid, data: values }))
}
