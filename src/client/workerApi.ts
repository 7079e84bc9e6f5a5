import type { AiscopeEngine, EngineOptions } from '../query'

/**
 * What `workers/aiscope.worker.ts` exposes over Comlink. Comlink stays a transport detail
 * of `src/client`: no public type mentions it.
 */
export interface WorkerApi {
  /** Opens an engine inside the worker and returns it by reference. */
  open(options: EngineOptions): AiscopeEngine
}
