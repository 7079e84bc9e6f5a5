import type { AiscopeClient } from '../client'
import { generateEventBatches, type GeneratorOptions } from './generator'

/** Progress of {@link seedStore}. */
export interface SeedProgress {
  /** Events written so far. */
  writtenCount: number
  /** Events the seeding will write in all. */
  totalCount: number
}

/** Options for {@link seedStore}: the generator's, plus progress and cancellation. */
export interface SeedStoreOptions extends GeneratorOptions {
  /** Called after each batch is durable. */
  onProgress?: (progress: SeedProgress) => void
  /** Stops seeding between batches; what was written stays written. */
  signal?: AbortSignal
}

/**
 * Fills a store with generated telemetry, one batch at a time, so a million events never
 * sit in memory at once. Used by the demo, stories and benchmarks.
 * @returns the number of events written.
 * @throws the signal's reason when aborted.
 */
export async function seedStore(
  client: Pick<AiscopeClient, 'ingest'>,
  { onProgress, signal, ...generatorOptions }: SeedStoreOptions,
): Promise<number> {
  let writtenCount = 0
  for (const batch of generateEventBatches(generatorOptions)) {
    signal?.throwIfAborted()
    await client.ingest(batch)
    writtenCount += batch.length
    onProgress?.({ writtenCount, totalCount: generatorOptions.size })
  }
  return writtenCount
}
