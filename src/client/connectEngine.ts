import type { ImportSource } from '../ingest/importers'
import type { AiscopeEngine } from '../query'
import type { AiscopeOptions } from './createAiscope'
import type { WorkerApi } from './workerApi'

/** Where the engine runs. */
export type EngineMode = 'worker' | 'in-process'

/** Options {@link startEngine} reads: the engine's part of `AiscopeOptions`. */
export type EngineConnectionOptions = Pick<
  AiscopeOptions,
  | 'dbName'
  | 'worker'
  | 'privacyMode'
  | 'maxContentBytes'
  | 'priceOverrides'
  | 'organisationGroup'
  | 'dimensions'
  | 'retention'
  | 'quotaBytesForTesting'
  | 'indexedDB'
  | 'IDBKeyRange'
>

/** A started engine and what it takes to talk to it across its boundary. */
export interface ConnectedEngine {
  engine: AiscopeEngine
  mode: EngineMode
  /** Makes a main-thread callback callable from the engine. */
  exportCallback<Callback extends (...args: never[]) => unknown>(callback: Callback): Callback
  /** Prepares an import source to cross to the engine: streams are transferred, not copied. */
  transferable(source: ImportSource): ImportSource
  /** Stops the worker, if any. */
  dispose(): void
}

/** Starts the engine in aiscope's worker, the host's worker, or in-process. */
export async function startEngine(options: EngineConnectionOptions): Promise<ConnectedEngine> {
  const workerFactory =
    typeof options.worker === 'function'
      ? options.worker
      : options.worker !== 'off' && typeof Worker !== 'undefined'
        ? startBundledWorker
        : undefined
  const engineOptions = {
    dbName: options.dbName,
    privacyMode: options.privacyMode,
    maxContentBytes: options.maxContentBytes,
    priceOverrides: options.priceOverrides,
    organisationGroup: options.organisationGroup,
    propertyDimensions: options.dimensions,
    retention: options.retention,
    quotaBytesForTesting: options.quotaBytesForTesting,
  }

  if (!workerFactory) {
    const { createEngine } = await import('../query')
    const engine = createEngine({ ...engineOptions, indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange })
    return {
      engine,
      mode: 'in-process',
      exportCallback: (callback) => callback,
      transferable: (source) => source,
      dispose: () => undefined,
    }
  }

  const Comlink = await import('comlink')
  const worker = workerFactory()
  const workerApi = Comlink.wrap<WorkerApi>(worker)
  const engine = (await workerApi.open(engineOptions)) as unknown as AiscopeEngine & { [Comlink.releaseProxy](): void }
  return {
    engine,
    mode: 'worker',
    exportCallback: (callback) => Comlink.proxy(callback),
    transferable(source) {
      if (typeof source === 'string' || source instanceof Blob) {
        return source
      }
      const stream = source instanceof ReadableStream ? source : toReadableStream(source)
      return Comlink.transfer(stream, [stream as unknown as Transferable])
    },
    dispose() {
      engine[Comlink.releaseProxy]()
      workerApi[Comlink.releaseProxy]()
      worker.terminate()
    },
  }
}

/** Starts the worker chunk that ships with aiscope; its URL resolves next to this module. */
function startBundledWorker(): Worker {
  return new Worker(new URL('../../workers/aiscope.worker.ts', import.meta.url), {
    type: 'module',
    name: 'aiscope',
  })
}

/** An async iterable as a stream, so it can be transferred to the worker. */
function toReadableStream(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const iterator = source[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next()
      if (done) {
        controller.close()
      } else {
        controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value)
      }
    },
    async cancel(reason) {
      await iterator.return?.(reason)
    },
  })
}
