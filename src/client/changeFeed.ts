import type { StoreStatus } from '../store'

/** At most this many change notifications reach listeners per second. */
export const MAX_CHANGE_NOTIFICATIONS_PER_SECOND = 4

/** Store changes of this tab and of other tabs on the same store, coalesced. */
export interface ChangeFeed {
  /** A change this tab made: told to this tab's listeners and to the other tabs. */
  publish(status: StoreStatus): void
  /** Starts hearing other tabs' changes (once there is a listener). */
  listen(): void
  close(): void
}

/**
 * Coalesces changes to at most {@link MAX_CHANGE_NOTIFICATIONS_PER_SECOND} calls of
 * `deliver` a second (the latest status wins; the first call of a quiet period is
 * immediate), and relays them between tabs over a `BroadcastChannel` named after the store.
 * Statuses older than the last delivered one are skipped.
 */
export function createChangeFeed(dbName: string, deliver: (status: StoreStatus) => void): ChangeFeed {
  const intervalMs = 1000 / MAX_CHANGE_NOTIFICATIONS_PER_SECOND
  let channel: BroadcastChannel | undefined
  let lastDeliveredMs = Number.NEGATIVE_INFINITY
  let lastDataVersion = Number.NEGATIVE_INFINITY
  let pending: StoreStatus | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const deliverPending = () => {
    timer = undefined
    if (pending) {
      const status = pending
      pending = undefined
      lastDeliveredMs = Date.now()
      deliver(status)
    }
  }

  const offer = (status: StoreStatus) => {
    if (status.dataVersion <= lastDataVersion) {
      return
    }
    lastDataVersion = status.dataVersion
    pending = status
    if (timer === undefined) {
      timer = setTimeout(deliverPending, Math.max(0, lastDeliveredMs + intervalMs - Date.now()))
    }
  }

  const open = () => {
    if (!channel && typeof BroadcastChannel !== 'undefined') {
      channel = new BroadcastChannel(`aiscope:${dbName}`)
      channel.onmessage = (message: MessageEvent<StoreStatus>) => offer(message.data)
    }
    return channel
  }

  return {
    publish(status) {
      offer(status)
      open()?.postMessage(status)
    },
    listen() {
      open()
    },
    close() {
      if (timer !== undefined) {
        clearTimeout(timer)
      }
      channel?.close()
      channel = undefined
    },
  }
}
