/**
 * The benchmark page. `bench/run.mjs` opens it in Chromium with a persistent profile (so
 * IndexedDB is on disk) and runs its three phases (below), the second in a fresh page, which
 * then runs the DuckDB-Wasm baseline of its re-aggregations (`duckdb.ts`). Each case with a baseline runs
 * it in the same page, in the same run, over the same events. Events are generated batch by
 * batch from a fixed seed, so a million never sit in the page's memory at once.
 */
import { Dexie } from 'dexie'
import { createAiscope, type AggregateResult, type AggregateSpec, type AiscopeClient, type AiscopeEvent, type QuerySpec } from 'aiscope'
import { generateEventBatches, generateEvents } from 'aiscope/testing'
import type { TraceRenderTimings } from './render'

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
  /** Skip the slow one-row-per-event baselines (for a quick look at aiscope alone). */
  skipBaselines?: boolean
  /** Events the one-row-per-event baselines store and read (a prefix of the same events); @default eventCount */
  baselineEventCount?: number
}

/**
 * What a one-row-per-event baseline measured over its first `sampleCount` events, scaled to
 * the whole data set when it ran on a sample. Scaling is linear, which favours Dexie: its
 * rate only falls as its table grows (measured: 2,400 rows/s at 100k, 920 at 1M).
 */
interface RowsBaseline {
  ms: number
  sampleCount: number
}

function scaledBaseline(name: string, baseline: RowsBaseline | undefined, eventCount: number): { name: string; value: number } | null {
  if (baseline === undefined) {
    return null
  }
  if (baseline.sampleCount >= eventCount) {
    return { name, value: baseline.ms }
  }
  const factor = eventCount / baseline.sampleCount
  return {
    name: `${name}: the first ${baseline.sampleCount.toLocaleString('en-US')} of the same events, time × ${factor.toFixed(factor % 1 === 0 ? 0 : 2)} (linear, which favours Dexie; --full-baselines runs them all)`,
    value: baseline.ms * factor,
  }
}

declare global {
  interface Window {
    runPersistCases(options: BenchOptions): Promise<{ results: BenchResult[]; dbName: string; rowsDbName: string | null }>
    runHostPageCases(options: { eventCount: number; dbName: string }): Promise<{ results: BenchResult[]; coldMs: number }>
    runBaselineAndTraceCases(options: { eventCount: number; coldMs: number; rowsDbName: string | null; baselineEventCount: number }): Promise<BenchResult[]>
    runTraceCases(): Promise<BenchResult[]>
    runDuckDbCases(options: { eventCount: number }): Promise<{ results: BenchResult[]; reaggregations: BenchResult[] }>
    benchLog(message: string): void
  }
  interface Performance {
    measureUserAgentSpecificMemory?(): Promise<{
      bytes: number
      breakdown: { bytes: number; attribution: { scope: string }[]; types: string[] }[]
    }>
  }
}

const SEED = 7
const BATCH_SIZE = 5_000
const log = (message: string) => window.benchLog?.(message)

function batches(eventCount: number): Generator<AiscopeEvent[]> {
  return generateEventBatches({ size: eventCount, seed: SEED, batchSize: BATCH_SIZE })
}

/** Main-thread tasks over 50 ms while `work` runs. */
async function longTasksDuring(work: () => Promise<void>): Promise<{ count: number; maxMs: number }> {
  const durations: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      durations.push(entry.duration)
    }
  })
  observer.observe({ type: 'longtask' })
  try {
    await work()
    await new Promise((resolve) => setTimeout(resolve, 100))
    for (const entry of observer.takeRecords()) {
      durations.push(entry.duration)
    }
  } finally {
    observer.disconnect()
  }
  return { count: durations.length, maxMs: Math.round(Math.max(0, ...durations)) }
}

/**
 * Runs `write` over every batch (up to the first `limit` events), at most two at a time (the next batch is generated and
 * handed over while the last one is being written, as a busy page would), and returns the
 * wall time from the first batch to the last write's end.
 */
async function writeAll(eventCount: number, label: string, write: (batch: AiscopeEvent[]) => Promise<unknown>, limit = eventCount): Promise<number> {
  const inFlight = new Set<Promise<unknown>>()
  const startMs = performance.now()
  let done = 0
  for (const whole of batches(eventCount)) {
    if (done >= limit) {
      break
    }
    const batch = done + whole.length > limit ? whole.slice(0, limit - done) : whole
    const writing = write(batch).finally(() => inFlight.delete(writing))
    inFlight.add(writing)
    if (inFlight.size >= 2) {
      await Promise.race(inFlight)
    }
    done += batch.length
    if (done % 200_000 === 0) {
      log(`${label}: ${done} handed over`)
    }
  }
  await Promise.all(inFlight)
  return performance.now() - startMs
}

/** Persist through aiscope's client (worker, segment records). */
async function persistWithAiscope(eventCount: number, dbName: string): Promise<number> {
  const client = createAiscope({ dbName })
  await client.status()
  const elapsedMs = await writeAll(eventCount, 'aiscope', (batch) => client.ingest(batch))
  await client.close()
  return elapsedMs
}

/** Baseline: one Dexie row per event, `bulkAdd` per batch, with the indexes a naive store needs; the first `sampleCount` events. */
async function persistOneRowPerEvent(eventCount: number, db: Dexie, sampleCount: number): Promise<number> {
  return writeAll(eventCount, 'Dexie', (batch) => db.table('events').bulkAdd(batch), sampleCount)
}

const costByModel = { kind: 'aggregate', measures: ['costUsd', 'count'], groupBy: ['model'] } as const satisfies QuerySpec

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

/** Values of a property in a sample of the events, for filters that select real data. */
function sampleValues(read: (event: AiscopeEvent) => unknown, count: number): string[] {
  const values = new Set<string>()
  for (const event of generateEvents({ size: 5_000, seed: SEED })) {
    const value = read(event)
    if (typeof value === 'string') {
      values.add(value)
    }
  }
  return [...values].slice(0, count)
}

/** One re-aggregation: a name and the same spec under five filter values. */
interface Reaggregation {
  name: string
  specs: AggregateSpec[]
}

/** The re-aggregations #5 names, each after a filter change. */
function reaggregations(): Reaggregation[] {
  const providers = sampleValues((event) => event.properties.$ai_provider, 3)
  const features = sampleValues((event) => event.properties.feature, 5)
  const organisations = sampleValues((event) => (event.properties.$groups as Record<string, unknown> | undefined)?.company, 5)
  return [
    {
      name: 'cost by model per day',
      specs: [...providers, ...providers].slice(0, 5).map((provider) => ({
        kind: 'aggregate',
        measures: ['costUsd'],
        groupBy: ['model'],
        interval: 'day',
        filters: [{ dimension: 'provider', op: 'in', values: [provider] }],
      })),
    },
    {
      name: 'p95 latency by model',
      specs: features.map((feature) => ({
        kind: 'aggregate',
        measures: ['latency.p95'],
        groupBy: ['model'],
        filters: [{ dimension: 'feature', op: 'notIn', values: [feature] }],
      })),
    },
    {
      name: 'error rate by provider, one organisation left out',
      specs: organisations.map((organisation) => ({
        kind: 'aggregate',
        measures: ['errorRate', 'count'],
        groupBy: ['provider'],
        filters: [{ dimension: 'organisation', op: 'notIn', values: [organisation] }],
      })),
    },
  ]
}

/** What a re-aggregation measured: its median round trip, and the answer to its first filter value (to check a baseline against). */
interface Reaggregated extends Reaggregation {
  medianMs: number
  firstAnswer: AggregateResult
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
}

/** The median round trip of each re-aggregation, on a warm client. */
async function reaggregate(client: AiscopeClient, cases: Reaggregation[]): Promise<Reaggregated[]> {
  const results: Reaggregated[] = []
  for (const { name, specs } of cases) {
    const timings: number[] = []
    let firstAnswer: AggregateResult | undefined
    for (const spec of specs) {
      const startMs = performance.now()
      const answer = await client.query(spec)
      timings.push(performance.now() - startMs)
      firstAnswer ??= answer
    }
    results.push({ name, specs, medianMs: median(timings), firstAnswer: firstAnswer as AggregateResult })
  }
  return results
}

function reaggregationRowName(eventCount: number, name: string): string {
  return `re-aggregation over ${eventCount.toLocaleString('en-US')} events: ${name} (round trip, median of 5)`
}

/** The re-aggregations of the host-page phase, kept for the DuckDB phase in the same page. */
let hostReaggregations: Reaggregated[] = []

/** One trace of `spanCount` spans: an agent root, steps under it, tools and generations under those. */
function* syntheticTrace(traceId: string, spanCount: number): Generator<AiscopeEvent[]> {
  const startMs = Date.UTC(2026, 10, 20, 9)
  let batch: AiscopeEvent[] = []
  for (let index = 0; index < spanCount; index += 1) {
    const isGeneration = index % 3 === 2
    const parentIndex = index === 0 ? -1 : index < 50 ? 0 : Math.floor((index - 50) / 40) + (index < 2_050 ? 1 : 50)
    batch.push({
      event: isGeneration ? '$ai_generation' : '$ai_span',
      uuid: `${traceId}-event-${index}`,
      distinct_id: 'bench-user',
      timestamp: new Date(startMs + index * 7).toISOString(),
      properties: {
        $ai_trace_id: traceId,
        ...(isGeneration ? { $ai_generation_id: `${traceId}-span-${index}` } : { $ai_span_id: `${traceId}-span-${index}` }),
        ...(parentIndex >= 0 ? { $ai_parent_id: `${traceId}-span-${Math.min(parentIndex, index - 1)}` } : {}),
        $ai_span_name: isGeneration ? 'draft answer' : `step ${index}`,
        $ai_latency: 0.05 + (index % 11) * 0.01,
        ...(isGeneration
          ? { $ai_model: 'gpt-4o-mini', $ai_provider: 'openai', $ai_input_tokens: 300 + (index % 50), $ai_output_tokens: 80 }
          : {}),
      },
    })
    if (batch.length === BATCH_SIZE) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) {
    yield batch
  }
}

/**
 * A trace stored on its own, then opened by a new client (load + build + transfer) and again
 * warm, then shown by `<TraceViewer>` on that warm client (`render.ts`).
 */
async function traceTree(spanCount: number): Promise<{ coldMs: number; warmMs: number; nodeCount: number; render: TraceRenderTimings }> {
  const dbName = `bench-trace-${spanCount}-${crypto.randomUUID()}`
  const traceId = `bench-trace-${spanCount}`
  const writer = createAiscope({ dbName })
  for (const batch of syntheticTrace(traceId, spanCount)) {
    await writer.ingest(batch)
  }
  await writer.close()
  const client = createAiscope({ dbName })
  await client.status()
  let startMs = performance.now()
  const tree = await client.query({ kind: 'trace', traceId })
  const coldMs = performance.now() - startMs
  startMs = performance.now()
  await client.query({ kind: 'trace', traceId })
  const warmMs = performance.now() - startMs
  const { renderTraceViewer } = await import('./render')
  const render = await renderTraceViewer(client, traceId)
  await client.clear()
  await client.close()
  return { coldMs, warmMs, nodeCount: tree.nodeCount, render }
}

/** Events the host-page phase captures (1,000 a second for 10 s), stored beside the data set. */
const CAPTURED_EVENTS = 10_000

/** Captures `perSecond` events a second for `seconds`, through `capture()`, as a busy host page would. */
async function captureSteadily(client: AiscopeClient, perSecond: number, seconds: number): Promise<void> {
  const events = generateEventBatches({ size: perSecond * seconds, seed: 99, batchSize: perSecond / 10 })
  for (const tick of events) {
    for (const event of tick) {
      client.capture(event)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await client.flush()
}

/** The worker's JS heap (needs cross-origin isolation, which `bench/run.mjs` serves). */
async function workerHeapBytes(): Promise<number | null> {
  if (!crossOriginIsolated || !performance.measureUserAgentSpecificMemory) {
    return null
  }
  const memory = await performance.measureUserAgentSpecificMemory()
  return memory.breakdown
    .filter((entry) => entry.attribution.some((attribution) => attribution.scope === 'DedicatedWorkerGlobalScope'))
    .reduce((sum, entry) => sum + entry.bytes, 0)
}

function row(name: string, value: number, unit: string, baseline: { name: string; value: number } | null = null): BenchResult {
  const rounded = unit === 'ms' || unit === 'MB' ? Math.round(value) : value
  return {
    name,
    value: rounded,
    unit,
    baseline: baseline ? { name: baseline.name, value: Math.round(baseline.value) } : null,
    ratio: baseline && value > 0 ? Number((baseline.value / value).toFixed(2)) : null,
  }
}

/**
 * Phase 1, in the first page: generation, and persisting with aiscope and (unless skipped)
 * with one Dexie row per event. Leaves both databases for the next phases.
 */
window.runPersistCases = async ({ eventCount, skipBaselines = false, baselineEventCount = eventCount }) => {
  const label = eventCount.toLocaleString('en-US')
  const results: BenchResult[] = []
  const generateStartMs = performance.now()
  for (const _batch of batches(eventCount)) {
    // Generating alone: the persist cases below generate as they go, so this is their floor.
  }
  results.push(row(`generate ${label} events on the main thread (not stored; the floor of the persist cases)`, performance.now() - generateStartMs, 'ms'))

  const dbName = `bench-aiscope-${crypto.randomUUID()}`
  const persistMs = await persistWithAiscope(eventCount, dbName)
  let rowsDbName: string | null = null
  let rowsPersist: RowsBaseline | undefined
  if (!skipBaselines) {
    rowsDbName = `bench-rows-${crypto.randomUUID()}`
    const rowsDb = openRowsDb(rowsDbName)
    await rowsDb.open()
    rowsPersist = { ms: await persistOneRowPerEvent(eventCount, rowsDb, baselineEventCount), sampleCount: baselineEventCount }
    rowsDb.close()
  }
  results.push(
    row(`persist ${label} events`, persistMs, 'ms', scaledBaseline('Dexie bulkAdd, one row per event', rowsPersist, eventCount)),
  )
  log('persisted')
  return { results, dbName, rowsDbName }
}

/**
 * Phase 2, in a fresh page, as a host's admin page meets aiscope: a cold open of the
 * stored events, re-aggregations, the worker's heap, and steady capture, with the page's
 * long tasks counted throughout.
 */
window.runHostPageCases = async ({ eventCount, dbName }) => {
  const label = eventCount.toLocaleString('en-US')
  const results: BenchResult[] = []
  const reaggregationCases = reaggregations()
  let client: AiscopeClient | undefined
  let coldMs = 0
  const coldTasks = await longTasksDuring(async () => {
    const startMs = performance.now()
    client = createAiscope({ dbName })
    await client.query(costByModel)
    coldMs = performance.now() - startMs
  })
  const cold = client as unknown as AiscopeClient
  log('cold open')
  let reaggregated: Reaggregated[] = []
  const queryTasks = await longTasksDuring(async () => {
    reaggregated = await reaggregate(cold, reaggregationCases)
  })
  hostReaggregations = reaggregated
  for (const { name, medianMs } of reaggregated) {
    results.push(row(reaggregationRowName(eventCount, name), medianMs, 'ms'))
  }
  const heapBytes = await workerHeapBytes()
  if (heapBytes !== null) {
    results.push(row(`worker heap with ${label} events loaded`, heapBytes / 2 ** 20, 'MB'))
  }
  log('re-aggregated')
  // The first query that reads ids (a trace list) loads the id dictionaries and columns the
  // cold open left in the store.
  let firstIdsMs = 0
  const idsTasks = await longTasksDuring(async () => {
    const startMs = performance.now()
    await cold.query({ kind: 'traces', limit: 50 })
    firstIdsMs = performance.now() - startMs
  })
  queryTasks.count += idsTasks.count
  queryTasks.maxMs = Math.max(queryTasks.maxMs, idsTasks.maxMs)
  results.push(row('first trace list after the cold open (reads the id dictionaries and id columns; round trip)', firstIdsMs, 'ms'))
  const heapWithIdsBytes = await workerHeapBytes()
  if (heapWithIdsBytes !== null) {
    results.push(row(`worker heap with ${label} events and their ids loaded`, heapWithIdsBytes / 2 ** 20, 'MB'))
  }
  const captureTasks = await longTasksDuring(() => captureSteadily(cold, CAPTURED_EVENTS / 10, 10))
  results.push(
    row('main-thread long tasks (> 50 ms) while cold-opening and querying', coldTasks.count + queryTasks.count, 'tasks'),
    row('main-thread long tasks (> 50 ms) while capturing 1,000 events/s for 10 s', captureTasks.count, 'tasks'),
    row('longest main-thread task during any of the above', Math.max(coldTasks.maxMs, queryTasks.maxMs, captureTasks.maxMs), 'ms'),
  )
  log('captured')
  // #7: a panel updates within 100 ms of a filter change (engine plus render), over every stored event.
  const { costBreakdownFilterChanges } = await import('./render')
  const providers = sampleValues((event) => event.properties.$ai_provider, 3)
  const providerSets = [...providers.map((provider) => [provider]), providers.slice(0, 2), []].slice(0, 5)
  const panelTimings = await costBreakdownFilterChanges(cold, providerSets)
  const stored = (eventCount + CAPTURED_EVENTS).toLocaleString('en-US')
  results.push(
    row(
      `cost breakdown: panel updated after a filter change over ${stored} events (engine + render, median of 5; from root.render() of the new provider filter to the DOM showing the new totals)`,
      median(panelTimings),
      'ms',
    ),
  )
  log(`cost breakdown filter changes: ${panelTimings.map((timing) => Math.round(timing)).join(', ')} ms`)
  await cold.clear()
  await cold.close()
  return { results, coldMs }
}

/** Phase 3, back in the first page: the cold-open baseline, then the trace cases. */
window.runBaselineAndTraceCases = async ({ eventCount, coldMs, rowsDbName, baselineEventCount }) => {
  const label = eventCount.toLocaleString('en-US')
  const results: BenchResult[] = []
  let toArray: RowsBaseline | undefined
  if (rowsDbName) {
    const rowsDb = openRowsDb(rowsDbName)
    await rowsDb.open()
    toArray = { ms: await toArrayAndReduce(rowsDb), sampleCount: baselineEventCount }
    await rowsDb.delete()
  }
  results.push(
    row(
      `cold open of ${label} stored events to the first aggregate (new worker, in a fresh page)`,
      coldMs,
      'ms',
      scaledBaseline('Dexie toArray() + JavaScript reduce', toArray, eventCount),
    ),
  )
  results.push(...(await traceCases()))
  return results
}

/** The trace cases (issue #6): stored, opened cold and warm, rendered, scrolled; 10k and 200k spans. */
async function traceCases(): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  for (const spanCount of [10_000, 200_000]) {
    const tree = await traceTree(spanCount)
    const spans = spanCount.toLocaleString('en-US')
    results.push(
      row(`trace of ${spans} spans: store to built tree on a new client (round trip)`, tree.coldMs, 'ms'),
      row(`trace of ${spans} spans: built tree, warm (round trip)`, tree.warmMs, 'ms'),
    )
    const { render } = tree
    results.push(
      row(`trace of ${spans} spans: <TraceViewer> end to end on a warm client (root.render() to the first tree rows in the DOM)`, render.rowsInDomMs, 'ms'),
      row(
        `trace of ${spans} spans: <TraceViewer> first frame after data (its trace answer reaching the main thread to the first frame with its rows rendered)`,
        render.dataToPaintMs,
        'ms',
      ),
    )
    if (spanCount === 200_000) {
      results.push(
        row(
          `trace of ${spans} spans: <TraceViewer> dropped frames scrolling the tree to the bottom in ${render.scrollFrames} animation frames once the viewer has settled (~1 s; interval > 1.5 × 16.7 ms)`,
          render.droppedFrames,
          'frames',
        ),
      )
    }
    log(
      `trace ${spans}: ${tree.nodeCount} nodes; rows in DOM ${Math.round(render.rowsInDomMs)} ms, painted ${Math.round(render.rowsPaintedMs)} ms ` +
        `(painted minus warm round trip: ${Math.round(render.rowsPaintedMs - tree.warmMs)} ms), ${render.domRowCount} rows in the DOM, ` +
        `scroll height ${render.scrollHeightPx} px, scroll: ${render.droppedFrames}/${render.scrollFrames} frames dropped (at ${render.droppedAt.join(', ') || 'none'}), longest ${Math.round(render.longestFrameMs)} ms`,
    )
  }
  return results
}

window.runTraceCases = traceCases

function openRowsDb(name: string): Dexie {
  const db = new Dexie(name)
  db.version(1).stores({ events: 'uuid, timestamp, event' })
  return db
}

/** Whether two measured values agree: exactly for counts, to 1e-9 (relative) for sums and rates. */
function agrees(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null)
  }
  const x = Number(a)
  const y = Number(b)
  return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))
}

/** Checks DuckDB's answer to a re-aggregation's first filter value against aiscope's, group by group. */
function compareAnswers(aiscope: AggregateResult, duck: Record<string, unknown>[], spec: AggregateSpec): string {
  const measure = spec.measures[0] as keyof AggregateResult['totals']
  const keyOf = (key: unknown, bucketMs: unknown) => `${String(key)}|${bucketMs === undefined ? '' : Number(bucketMs)}`
  const expected = new Map(aiscope.rows.map((entry) => [keyOf(entry.key[0], entry.bucketStartMs), entry.values]))
  const found = new Map(duck.map((entry) => [keyOf(entry.key, entry.day === undefined ? undefined : Number(entry.day)), entry]))
  const differences: string[] = []
  for (const [key, values] of expected) {
    const other = found.get(key)
    if (other === undefined) {
      differences.push(`${key}: missing`)
    } else if (!agrees(values[measure], other.value) || (values.count !== undefined && !agrees(values.count, other.count))) {
      differences.push(`${key}: ${values[measure]} vs ${String(other.value)}`)
    }
  }
  for (const key of found.keys()) {
    if (!expected.has(key)) {
      differences.push(`${key}: only in DuckDB`)
    }
  }
  return differences.length === 0
    ? `same ${expected.size} groups and values`
    : `${differences.length} of ${expected.size} groups differ (${differences.slice(0, 3).join('; ')})`
}

/**
 * Phase 2b, in the host page after its cases (so DuckDB's worker is neither in the worker
 * heap nor in the long tasks): DuckDB-Wasm loads the same events and runs the same
 * re-aggregations as SQL, as their baseline. Returns DuckDB's own rows and the re-aggregation
 * rows with their baselines, to replace the host phase's.
 */
window.runDuckDbCases = async ({ eventCount }) => {
  const { openDuckDb, sqlOf } = await import('./duckdb')
  const label = eventCount.toLocaleString('en-US')
  const session = await openDuckDb(batches(eventCount))
  log(`DuckDB-Wasm loaded ${session.rowCount} events`)
  try {
    // As aiscope's cold open ends with a first aggregate, DuckDB gets one query before the timed ones.
    await session.query(`SELECT model, sum(cost_usd), count(*) FROM events WHERE event IN ('$ai_generation', '$ai_embedding') GROUP BY model`)
    const reaggregations: BenchResult[] = []
    for (const { name, specs, medianMs, firstAnswer } of hostReaggregations) {
      const timings: number[] = []
      let firstRows: Record<string, unknown>[] | undefined
      for (const spec of specs) {
        const startMs = performance.now()
        const rows = await session.query(sqlOf(spec))
        timings.push(performance.now() - startMs)
        firstRows ??= rows
      }
      log(`DuckDB vs aiscope, ${name}: ${compareAnswers(firstAnswer, firstRows ?? [], specs[0] as AggregateSpec)}`)
      reaggregations.push(
        row(reaggregationRowName(eventCount, name), medianMs, 'ms', { name: 'DuckDB-Wasm, same query, same page', value: median(timings) }),
      )
    }
    return {
      reaggregations,
      results: [
        row('DuckDB-Wasm 1.32.0 (EH bundle): instantiate (34 MB wasm compile, worker, connect)', session.instantiateMs, 'ms'),
        row(
          `DuckDB-Wasm: load ${label} events into its table (columns from the generated events, Arrow, insertArrowTable; not in its query times)`,
          session.loadMs,
          'ms',
        ),
      ],
    }
  } finally {
    await session.close()
  }
}
