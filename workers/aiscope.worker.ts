/// <reference lib="webworker" />
/**
 * The worker entry: runs the engine (store and queries) off the host's main thread and
 * exposes it over Comlink. Built as its own chunk; `src/client` starts it.
 */
import * as Comlink from 'comlink'
import { createEngine, type EngineOptions } from '../src/query'
import type { WorkerApi } from '../src/client/workerApi'

const workerApi: WorkerApi = {
  open(options: EngineOptions) {
    return Comlink.proxy(createEngine(options))
  },
}

Comlink.expose(workerApi)
