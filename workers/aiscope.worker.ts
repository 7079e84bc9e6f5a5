/// <reference lib="webworker" />
/**
 * The worker entry: runs the engine (store and queries) off the host's main thread and
 * exposes it over Comlink. Built as its own chunk; `src/client` starts it.
 */
import * as Comlink from 'comlink'
import { createEngine, traceResultTransferables, type AiscopeEngine, type EngineOptions } from '../src/query'
import type { WorkerApi } from '../src/client/workerApi'

const workerApi: WorkerApi = {
  open(options: EngineOptions) {
    const engine = createEngine(options)
    const exposed: AiscopeEngine = {
      ...engine,
      async import(source, importOptions, onProgress, redact) {
        try {
          return await engine.import(source, importOptions, onProgress, redact)
        } finally {
          // The callbacks are proxies of main-thread functions: release them, or each
          // import would keep its callbacks alive on the main thread for good.
          releaseProxies([onProgress, redact])
        }
      },
      async query(spec, request, onProgress) {
        try {
          const result = await engine.query(spec, request, onProgress)
          // A large trace's arrays move to the main thread rather than being copied (~200 ms at 200k spans).
          return result.kind === 'trace' ? Comlink.transfer(result, traceResultTransferables(result)) : result
        } finally {
          releaseProxies([onProgress])
        }
      },
    }
    return Comlink.proxy(exposed)
  },
}

function releaseProxies(callbacks: unknown[]): void {
  for (const callback of callbacks) {
    ;(callback as Partial<Comlink.Remote<unknown>> | undefined)?.[Comlink.releaseProxy]?.()
  }
}

Comlink.expose(workerApi)
