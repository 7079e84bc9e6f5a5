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

/** Persist the events through aiscope's client (worker, batch records). */
async function persistWithAiscope(batches: AiscopeEvent[][]): Promise<number> {
  const client = createAiscope({ dbName: `bench-aiscope-${crypto.randomUUID()}` })
  await client.status()
  const startMs = performance.now()
  for (const batch of batches) {
    await client.ingest(batch)
  }
  const elapsedMs = performance.now() - startMs
  await client.clear()
  await client.close()
  return elapsedMs
}

/** Baseline: one Dexie row per event, `bulkAdd` per batch, with the indexes a naive store needs. */
async function persistOneRowPerEvent(batches: AiscopeEvent[][]): Promise<number> {
  const db = new Dexie(`bench-rows-${crypto.randomUUID()}`)
  db.version(1).stores({ events: 'uuid, timestamp, event' })
  await db.open()
  const startMs = performance.now()
  for (const batch of batches) {
    await db.table('events').bulkAdd(batch)
  }
  const elapsedMs = performance.now() - startMs
  await db.delete()
  return elapsedMs
}

window.runBenchmarks = async ({ eventCount }) => {
  const batches = generate(eventCount)
  const aiscopeMs = await persistWithAiscope(batches)
  const rowsMs = await persistOneRowPerEvent(batches)
  const label = eventCount.toLocaleString('en-US')
  return [
    {
      name: `persist ${label} events`,
      value: Math.round(aiscopeMs),
      unit: 'ms',
      baseline: { name: 'Dexie bulkAdd, one row per event', value: Math.round(rowsMs) },
      ratio: Number((rowsMs / aiscopeMs).toFixed(2)),
    },
  ]
}
