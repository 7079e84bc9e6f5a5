/**
 * The benchmark page. `bench/run.mjs` opens it in Chromium with a persistent profile (so
 * IndexedDB is on disk) and calls `window.runBenchmarks()`. Each case with a baseline runs
 * it in the same page, in the same run, over the same events.
 */
import { Dexie } from 'dexie'
import { createAiscope, type AiscopeEvent } from 'aiscope'
import { generateEventBatches } from 'aiscope/testing'

/** One row of `bench/results/latest.json`. */
export interface BenchResult {
  name: string
  value: number
  unit: string
  baseline: { name: string; value: number } | null
  /** baseline / value: how many times better than the baseline (> 1 is better). */
  ratio: number | null
}

export interface BenchOptions {
  /** Events in the data set. */
  eventCount: number
}

declare global {
  interface Window {
    runBenchmarks(options: BenchOptions): Promise<BenchResult[]>
  }
}

function generate(eventCount: number): AiscopeEvent[][] {
  return [...generateEventBatches({ size: eventCount, seed: 7, batchSize: 5_000 })]
}

/** Persist the events through aiscope's client (worker, batch records); returns the db name. */
async function persistWithAiscope(batches: AiscopeEvent[][]): Promise<{ elapsedMs: number; dbName: string }> {
  const dbName = `bench-aiscope-${crypto.randomUUID()}`
  const client = createAiscope({ dbName })
  await client.status()
  const startMs = performance.now()
  for (const batch of batches) {
    await client.ingest(batch)
  }
  const elapsedMs = performance.now() - startMs
  await client.close()
  return { elapsedMs, dbName }
}

/** Baseline: one Dexie row per event, `bulkAdd` per batch, with the indexes a naive store needs. */
async function persistOneRowPerEvent(batches: AiscopeEvent[][]): Promise<{ elapsedMs: number; db: Dexie }> {
  const db = new Dexie(`bench-rows-${crypto.randomUUID()}`)
  db.version(1).stores({ events: 'uuid, timestamp, event' })
  await db.open()
  const startMs = performance.now()
  for (const batch of batches) {
    await db.table('events').bulkAdd(batch)
  }
  return { elapsedMs: performance.now() - startMs, db }
}

const costByModel = { kind: 'aggregate', measures: ['costUsd', 'count'], groupBy: ['model'] } as const

/** A new client (a new worker) on a stored database, to its first aggregate. */
async function coldOpenToFirstAggregate(dbName: string): Promise<{ elapsedMs: number; client: ReturnType<typeof createAiscope> }> {
  const startMs = performance.now()
  const client = createAiscope({ dbName })
  await client.query(costByModel)
  return { elapsedMs: performance.now() - startMs, client }
}

/** Baseline: read every row back with `toArray()` and reduce cost by model in plain JavaScript. */
async function toArrayAndReduce(db: Dexie): Promise<number> {
  const startMs = performance.now()
  const rows = (await db.table('events').toArray()) as AiscopeEvent[]
  const costs = new Map<unknown, number>()
  for (const row of rows) {
    if (row.event === '$ai_generation' || row.event === '$ai_embedding') {
      const cost = typeof row.properties.$ai_total_cost_usd === 'number' ? row.properties.$ai_total_cost_usd : 0
      costs.set(row.properties.$ai_model, (costs.get(row.properties.$ai_model) ?? 0) + cost)
    }
  }
  return performance.now() - startMs
}

/** A query after a filter change, on a warm client: the median of 5 round trips. */
async function reaggregate(client: ReturnType<typeof createAiscope>): Promise<number> {
  const timings: number[] = []
  for (const provider of ['openai', 'anthropic', 'gemini', 'openai', 'anthropic']) {
    const startMs = performance.now()
    await client.query({
      kind: 'aggregate',
      measures: ['costUsd', 'errorRate', 'latency.p95'],
      groupBy: ['model'],
      interval: 'day',
      filters: [{ dimension: 'provider', op: 'in', values: [provider] }],
    })
    timings.push(performance.now() - startMs)
  }
  return timings.sort((a, b) => a - b)[2] as number
}

function row(name: string, valueMs: number, baseline: { name: string; valueMs: number } | null): BenchResult {
  return {
    name,
    value: Math.round(valueMs),
    unit: 'ms',
    baseline: baseline ? { name: baseline.name, value: Math.round(baseline.valueMs) } : null,
    ratio: baseline ? Number((baseline.valueMs / valueMs).toFixed(2)) : null,
  }
}

window.runBenchmarks = async ({ eventCount }) => {
  const batches = generate(eventCount)
  const label = eventCount.toLocaleString('en-US')
  const persisted = await persistWithAiscope(batches)
  const rows = await persistOneRowPerEvent(batches)
  batches.length = 0
  const cold = await coldOpenToFirstAggregate(persisted.dbName)
  const toArrayMs = await toArrayAndReduce(rows.db)
  const reaggregateMs = await reaggregate(cold.client)
  await cold.client.clear()
  await cold.client.close()
  await rows.db.delete()
  return [
    row(`persist ${label} events`, persisted.elapsedMs, { name: 'Dexie bulkAdd, one row per event', valueMs: rows.elapsedMs }),
    row(`cold open of ${label} stored events to the first aggregate (new worker)`, cold.elapsedMs, {
      name: 'Dexie toArray() + JavaScript reduce',
      valueMs: toArrayMs,
    }),
    row(`re-aggregation over ${label} events after a filter change (round trip, median of 5)`, reaggregateMs, null),
  ]
}
