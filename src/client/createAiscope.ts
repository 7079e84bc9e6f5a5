import type { AiscopeEvent } from '../schema/events'
import type { StoreStatus } from '../store'
import type { AiscopeEngine } from '../query'
import type { WorkerApi } from './workerApi'

/** Where the engine runs. */
export type EngineMode = 'worker' | 'in-process'

/** Options for {@link createAiscope}. */
export interface AiscopeOptions {
  /** IndexedDB database name; two clients with the same name share one store. @default 'aiscope' */
  dbName?: string
  /**
   * Where aggregation runs. `'auto'` starts aiscope's Web Worker when the environment has
   * one and runs in-process otherwise (SSR, Node, tests); `'off'` always runs in-process;
   * a function returns a Worker of the host's making (for a CSP or a custom bundler setup).
   * @default 'auto'
   */
  worker?: 'auto' | 'off' | (() => Worker)
  /**
   * IndexedDB factory for in-process mode where there is no global one (Node tests with
   * fake-indexeddb). Ignored in worker mode.
   */
  indexedDB?: IDBFactory
  /** `IDBKeyRange` matching {@link AiscopeOptions.indexedDB}. */
  IDBKeyRange?: typeof IDBKeyRange
}

/** Called with the new store status after every change this client makes. */
export type StatusListener = (status: StoreStatus) => void

/** The main-thread handle on an aiscope store and engine. */
export interface AiscopeClient {
  /**
   * Stores a batch of already-normalised events and resolves once they are durable.
   * The validating, batching `capture()` API builds on this.
   */
  ingest(events: readonly AiscopeEvent[]): Promise<StoreStatus>
  /** Counters and time range of what is stored. */
  status(): Promise<StoreStatus>
  /** Deletes every stored event. */
  clear(): Promise<StoreStatus>
  /** Listens for store changes; returns the function that stops listening. */
  subscribe(listener: StatusListener): () => void
  /** Resolves with where the engine runs, starting it if it has not started yet. */
  mode(): Promise<EngineMode>
  /** Closes the store and stops the worker. The client cannot be used afterwards. */
  close(): Promise<void>
}

interface ConnectedEngine {
  engine: AiscopeEngine
  mode: EngineMode
  dispose(): void
}

/**
 * Creates a client. Nothing starts until the first call: creating a client during server
 * rendering touches no browser API.
 */
export function createAiscope(options: AiscopeOptions = {}): AiscopeClient {
  const listeners = new Set<StatusListener>()
  let connection: Promise<ConnectedEngine> | undefined
  let closed = false

  const connect = () => {
    if (closed) {
      throw new Error('aiscope: this client is closed; create a new one with createAiscope()')
    }
    return (connection ??= startEngine(options))
  }

  const notify = (status: StoreStatus) => {
    for (const listener of listeners) {
      listener(status)
    }
    return status
  }

  return {
    async ingest(events) {
      const { engine } = await connect()
      return notify(await engine.ingest(events))
    },
    async status() {
      return (await connect()).engine.status()
    },
    async clear() {
      const { engine } = await connect()
      return notify(await engine.clear())
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    async mode() {
      return (await connect()).mode
    },
    async close() {
      const opened = connection
      closed = true
      listeners.clear()
      if (opened) {
        const { engine, dispose } = await opened
        await engine.close()
        dispose()
      }
    },
  }
}

async function startEngine(options: AiscopeOptions): Promise<ConnectedEngine> {
  const workerFactory =
    typeof options.worker === 'function'
      ? options.worker
      : options.worker !== 'off' && typeof Worker !== 'undefined'
        ? startBundledWorker
        : undefined
  const engineOptions = { dbName: options.dbName }

  if (!workerFactory) {
    const { createEngine } = await import('../query')
    const engine = createEngine({ ...engineOptions, indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange })
    return { engine, mode: 'in-process', dispose: () => undefined }
  }

  const Comlink = await import('comlink')
  const worker = workerFactory()
  const workerApi = Comlink.wrap<WorkerApi>(worker)
  const engine = (await workerApi.open(engineOptions)) as unknown as AiscopeEngine
  return {
    engine,
    mode: 'worker',
    dispose() {
      ;(engine as unknown as { [Comlink.releaseProxy](): void })[Comlink.releaseProxy]()
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
