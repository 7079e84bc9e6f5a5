import type { AiscopeEvent } from '../schema/events'
import { openEventStore, type EventStore, type EventStoreOptions, type StoreStatus } from '../store'

/** Options for {@link createEngine}: where the store lives. */
export type EngineOptions = EventStoreOptions

/**
 * The analytics engine: owns the store and answers the client's requests. The same object
 * runs inside the Web Worker (exposed over Comlink) or in-process where Workers are
 * unavailable, so both paths behave alike.
 */
export interface AiscopeEngine {
  /** Stores a batch of events; resolves once they are durable. */
  ingest(events: readonly AiscopeEvent[]): Promise<StoreStatus>
  /** Counters and time range of what is stored. */
  status(): Promise<StoreStatus>
  /** Deletes every stored event. */
  clear(): Promise<StoreStatus>
  /** Closes the store. Later calls reopen it. */
  close(): Promise<void>
}

/** Creates an engine; the store opens on first use. */
export function createEngine(options: EngineOptions = {}): AiscopeEngine {
  let store: Promise<EventStore> | undefined
  const openStore = () => (store ??= openEventStore(options))
  return {
    async ingest(events) {
      return (await openStore()).append(events)
    },
    async status() {
      return (await openStore()).status()
    },
    async clear() {
      return (await openStore()).clear()
    },
    async close() {
      const opened = store
      store = undefined
      if (opened) {
        ;(await opened).close()
      }
    },
  }
}
